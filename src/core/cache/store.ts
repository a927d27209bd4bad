/**
 * Where cached discovery documents and key sets are kept between fetches.
 *
 * @module
 */

/**
 * A small async key-value store. Values are plain JSON-like data (structured-cloneable).
 * The in-memory store is the default; {@link createIndexedDbStore} keeps metadata across page
 * loads and service-worker restarts. Never put tokens in a store: IndexedDB is readable by page
 * script.
 */
export interface CacheStore {
  /**
   * The value stored under `key`, or `undefined` when there is none. The cache checks what it reads
   * again (`revive`): a store page script can write to is not trusted.
   */
  get(key: string): Promise<unknown>;
  /**
   * Stores `value` (a structured-cloneable object: a cache entry) under `key`, replacing any
   * earlier value.
   */
  set(key: string, value: unknown): Promise<void>;
  /** Removes `key`; resolves also when it was not there. */
  delete(key: string): Promise<void>;
  /** Every key in the store (used by `clear()` of one namespace). */
  keys(): Promise<string[]>;
}

/**
 * A store in this realm's memory; gone when the page, worker or process ends.
 *
 * @example
 * ```ts
 * const cache = createMetadataCache({ store: createMemoryStore() });
 * ```
 */
export function createMemoryStore(): CacheStore {
  const map = new Map<string, unknown>();
  return {
    get: async (key) => map.get(key),
    set: async (key, value) => {
      map.set(key, value);
    },
    delete: async (key) => {
      map.delete(key);
    },
    keys: async () => [...map.keys()],
  };
}
