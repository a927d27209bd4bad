/**
 * An IndexedDB-backed {@link CacheStore} built on idb-keyval.
 *
 * @module
 */

import { createStore, del, get, keys, set } from 'idb-keyval';
import type { CacheStore } from './store.js';

/**
 * A {@link CacheStore} in IndexedDB (pages, service workers, extension workers), so that a
 * restarted worker can validate tokens without fetching discovery or JWKS again. The database
 * is opened lazily on first use. Holds metadata only: discovery documents and public keys.
 *
 * Give each store its own database: idb-keyval creates the object store only when it creates
 * the database, so a second `storeName` in an existing database does not exist and every
 * operation on it rejects (a metadata cache then works from memory alone).
 *
 * @param dbName IndexedDB database name. Default `identity-model-web`.
 * @param storeName Object store name. Default `metadata`.
 *
 * @example
 * ```ts
 * const cache = createMetadataCache({ store: createIndexedDbStore() });
 * await validateToken(jwt, { performDisco: true, audience: 'api', cache }, issuer);
 * ```
 */
export function createIndexedDbStore(
  dbName = 'identity-model-web',
  storeName = 'metadata',
): CacheStore {
  const store = createStore(dbName, storeName);
  return {
    get: (key) => get(key, store),
    set: (key, value) => set(key, value, store),
    delete: (key) => del(key, store),
    keys: async () => (await keys(store)).filter((key): key is string => typeof key === 'string'),
  };
}
