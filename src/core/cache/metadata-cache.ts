/**
 * The cache of discovery documents and key sets: TTL from `Cache-Control: max-age` clamped to a
 * window, single-flight loads, forced refresh behind a cooldown, a pluggable persistent store
 * behind an in-memory layer (the hot path reads memory only).
 *
 * @module
 */

import { ConfigurationError } from '../errors.js';
import { assertOptionalNumber } from '../lib/assert.js';
import { STANDALONE_WORKER } from '../lib/standalone.js';
import { type CacheStore, createMemoryStore } from './store.js';

/** A cached value with its timing, in milliseconds since the epoch. */
export interface CacheEntry<T> {
  /** The cached value (a discovery document, or a key set). */
  readonly value: T;
  /** When it was loaded, in milliseconds since the epoch (the cache's `now`). */
  readonly fetchedAt: number;
  /**
   * When it expires, in milliseconds since the epoch: `fetchedAt` plus the lifetime, clamped to
   * [`minTtl`, `maxTtl`].
   */
  readonly expiresAt: number;
}

/** What a loader returns: the value and the server's `max-age` in seconds, if any. */
export interface LoadResult<T> {
  /** The loaded value. */
  value: T;
  /**
   * Lifetime the server allows, in seconds (see `maxAgeSeconds`); clamped to the cache's
   * [`minTtl`, `maxTtl`] window. Absent (or not a finite number): the loader's `defaultTtl`.
   */
  maxAge?: number | undefined;
}

/** How one kind of metadata is loaded and checked. */
export interface CacheLoader<T> {
  /** Fetches and validates a fresh value. */
  load: () => Promise<LoadResult<T>>;
  /**
   * Re-checks a value read back from the persistent store, which page script can write to
   * (IndexedDB is shared with the page). Throw to treat the stored value as absent (it is then
   * loaded again and overwritten). Stored timings are checked by the cache itself: an entry
   * fetched "in the future" is ignored and none lives longer than `maxTtl` from its fetch.
   */
  revive: (stored: unknown) => T;
  /** Lifetime when the server sends no `max-age`, in seconds (also clamped to the window). */
  defaultTtl: number;
}

/** Counters of one namespace, as the seed's `cache_info()`. */
export interface CacheInfo {
  /** Lookups served from memory or the persistent store. */
  hits: number;
  /** Lookups that had to wait for a network load (their own or a concurrent caller's). */
  misses: number;
  /** Network loads started (forced refreshes included). */
  fetches: number;
  /** Entries in memory. */
  size: number;
}

/** Options of {@link createMetadataCache}. */
export interface MetadataCacheOptions {
  /**
   * Persistent layer. Default: memory only. See `createIndexedDbStore()`. A store that throws or
   * rejects never fails a lookup: the cache then works from memory and the network.
   */
  store?: CacheStore;
  /** Clock in milliseconds since the epoch. Default `Date.now`. Inject one in tests. */
  now?: () => number;
  /** Shortest lifetime, in seconds, whatever `max-age` says. Default `60` (1 minute). */
  minTtl?: number;
  /** Longest lifetime, in seconds, whatever `max-age` says. Default `86400` (24 hours). */
  maxTtl?: number;
  /**
   * Least time between two network loads of the same key through `refresh` (an unknown `kid` or
   * a failed signature), in seconds, counted from the start of the last load (failed ones
   * included). Default `30`.
   */
  refreshCooldown?: number;
}

/** One namespace of the cache (discovery documents, or key sets). */
export interface CacheNamespace {
  /** Returns the cached entry, loading it once for all concurrent callers when missing or expired. */
  get<T>(key: string, loader: CacheLoader<T>): Promise<CacheEntry<T>>;
  /**
   * Forces a network load unless the key was loaded within the cooldown. A load already in flight
   * is joined rather than skipped, so concurrent callers share one load and all see its result.
   * A failed load keeps the old entry while it is unexpired. `refreshed` tells whether the
   * returned entry is new.
   */
  refresh<T>(
    key: string,
    loader: CacheLoader<T>,
  ): Promise<{
    /** The entry now in the cache: the new one, or the old one when the load failed or was skipped. */
    entry: CacheEntry<T>;
    /** Whether `entry` was loaded by this refresh (or the load it joined). */
    refreshed: boolean;
  }>;
  /** The unexpired in-memory entry, without any I/O. */
  peek<T>(key: string): CacheEntry<T> | undefined;
  /** Forgets every entry (memory and store) and resets the counters. */
  clear(): Promise<void>;
  /** The counters of this namespace (hits, misses, fetches) and its size in memory. */
  info(): CacheInfo;
}

/** The cache used for discovery documents and JWK Sets. */
export interface MetadataCache {
  /** Discovery documents, by discovery URL and discovery policy. */
  readonly discovery: CacheNamespace;
  /** JWK Sets, by `jwks_uri`, with their imported keys. */
  readonly jwks: CacheNamespace;
  /** The clock the cache (and validation using it) runs on. */
  readonly now: () => number;
}

/**
 * Creates a metadata cache. Every function that fetches discovery or JWKS takes one as its
 * `cache` option; without it they share a process-wide in-memory cache.
 *
 * @example
 * ```ts
 * const cache = createMetadataCache({ store: createIndexedDbStore(), refreshCooldown: 60 });
 * const claims = await validateToken(jwt, { performDisco: true, audience: 'api', cache }, issuer);
 * ```
 */
export function createMetadataCache(options: MetadataCacheOptions = {}): MetadataCache {
  const store = options.store ?? createMemoryStore();
  const now = options.now ?? Date.now;
  // Options are in seconds; the cache computes in milliseconds, like its clock.
  // The stand-alone worker makes its one cache with the default durations (sw/context.ts): the
  // checks of these options stay out of its bundle.
  if (!STANDALONE_WORKER) {
    for (const name of ['minTtl', 'maxTtl', 'refreshCooldown'] as const) {
      assertOptionalNumber(options[name], `options.${name}`, { min: 0, unit: 'seconds' });
    }
  }
  const minTtl = (options.minTtl ?? 60) * 1000;
  const maxTtl = (options.maxTtl ?? 86_400) * 1000;
  const cooldown = (options.refreshCooldown ?? 30) * 1000;
  if (!STANDALONE_WORKER && minTtl > maxTtl)
    throw new ConfigurationError('"options.minTtl" must not exceed "options.maxTtl"');
  const settings = { store, now, minTtl, maxTtl, cooldown };
  return {
    discovery: createNamespace('discovery', settings),
    jwks: createNamespace('jwks', settings),
    now,
  };
}

interface Settings {
  store: CacheStore;
  now: () => number;
  /** In milliseconds, like `now()`. */
  minTtl: number;
  /** In milliseconds. */
  maxTtl: number;
  /** In milliseconds. */
  cooldown: number;
}

interface StoredEntry {
  v: 1;
  value: unknown;
  fetchedAt: number;
  expiresAt: number;
}

function createNamespace(name: string, settings: Settings): CacheNamespace {
  const memory = new Map<string, CacheEntry<unknown>>();
  // Keys this cache has held in memory. The persistent store answers only for the others (a
  // cold start): once a value came from the network, a later reload goes to the network too, so
  // a value page script planted in the store cannot replace it.
  const held = new Set<string>();
  const inflight = new Map<string, Promise<Loaded>>();
  const lastLoad = new Map<string, number>();
  const counters = { hits: 0, misses: 0, fetches: 0 };
  const storeKey = (key: string) => `${name}:${key}`;

  const fresh = (key: string): CacheEntry<unknown> | undefined => {
    const entry = memory.get(key);
    if (entry === undefined) return undefined;
    if (settings.now() < entry.expiresAt) return entry;
    memory.delete(key);
    return undefined;
  };

  const fetchAndKeep = async <T>(key: string, loader: CacheLoader<T>): Promise<CacheEntry<T>> => {
    counters.fetches++;
    lastLoad.set(key, settings.now());
    const { value, maxAge } = await loader.load();
    const fetchedAt = settings.now();
    const ttl = (Number.isFinite(maxAge) ? (maxAge as number) : loader.defaultTtl) * 1000;
    const entry: CacheEntry<T> = {
      value,
      fetchedAt,
      expiresAt: fetchedAt + Math.min(settings.maxTtl, Math.max(settings.minTtl, ttl)),
    };
    memory.set(key, entry);
    held.add(key);
    const stored: StoredEntry = { v: 1, value, fetchedAt, expiresAt: entry.expiresAt };
    await quietly(() => settings.store.set(storeKey(key), stored));
    return entry;
  };

  const fromStore = async <T>(
    key: string,
    loader: CacheLoader<T>,
  ): Promise<CacheEntry<T> | undefined> => {
    const stored = await quietly(() => settings.store.get(storeKey(key)));
    const time = settings.now();
    // Page script can write the store: a fetch time in the future would stretch the lifetime.
    if (!isStoredEntry(stored) || stored.fetchedAt > time || time >= stored.expiresAt) {
      return undefined;
    }
    try {
      const entry: CacheEntry<T> = {
        value: loader.revive(stored.value),
        fetchedAt: stored.fetchedAt,
        expiresAt: Math.min(stored.expiresAt, stored.fetchedAt + settings.maxTtl),
      };
      memory.set(key, entry);
      held.add(key);
      return entry;
    } catch {
      return undefined;
    }
  };

  type Loaded = { entry: CacheEntry<unknown>; source: 'store' | 'network' };
  const single = (key: string, work: () => Promise<Loaded>): Promise<Loaded> => {
    const running = inflight.get(key);
    if (running) return running;
    const promise = work().finally(() => inflight.delete(key));
    inflight.set(key, promise);
    return promise;
  };
  const network = async (key: string, loader: CacheLoader<unknown>): Promise<Loaded> => ({
    entry: await fetchAndKeep(key, loader),
    source: 'network',
  });

  return {
    async get<T>(key: string, loader: CacheLoader<T>): Promise<CacheEntry<T>> {
      const hit = fresh(key) as CacheEntry<T> | undefined;
      if (hit) {
        counters.hits++;
        return hit;
      }
      const { entry, source } = await single(key, async () => {
        const stored = held.has(key) ? undefined : await fromStore(key, loader);
        return stored ? { entry: stored, source: 'store' } : network(key, loader);
      });
      // Callers that joined another caller's network load count as misses too: they waited.
      if (source === 'network') counters.misses++;
      else counters.hits++;
      return entry as CacheEntry<T>;
    },

    async refresh<T>(key: string, loader: CacheLoader<T>) {
      const current = fresh(key) as CacheEntry<T> | undefined;
      const last = lastLoad.get(key);
      const cooling = last !== undefined && settings.now() - last < settings.cooldown;
      // Within the cooldown a load in flight is still joined: its result may be the one needed.
      if (current && cooling && !inflight.has(key)) return { entry: current, refreshed: false };
      try {
        let loaded = await single(key, () => network(key, loader));
        // Joined a `get` that read the store: no server was asked, so ask now.
        if (loaded.source === 'store') loaded = await single(key, () => network(key, loader));
        const entry = loaded.entry as CacheEntry<T>;
        return { entry, refreshed: entry !== current };
      } catch (error) {
        const still = fresh(key) as CacheEntry<T> | undefined;
        if (still) return { entry: still, refreshed: false };
        throw error;
      }
    },

    peek<T>(key: string) {
      return fresh(key) as CacheEntry<T> | undefined;
    },

    async clear() {
      memory.clear();
      held.clear();
      lastLoad.clear();
      counters.hits = 0;
      counters.misses = 0;
      counters.fetches = 0;
      const prefix = storeKey('');
      const keys = (await quietly(() => settings.store.keys())) ?? [];
      await Promise.all(
        keys
          .filter((key) => key.startsWith(prefix))
          .map((key) => quietly(() => settings.store.delete(key))),
      );
    },

    info: () => ({ ...counters, size: memory.size }),
  };
}

/**
 * Runs a store operation; `undefined` when it throws or rejects. A failing store (quota, private
 * mode, a closed or blocked database, a custom store that throws) must not fail the caller.
 */
async function quietly<T>(operation: () => Promise<T>): Promise<T | undefined> {
  try {
    return await operation();
  } catch {
    return undefined;
  }
}

function isStoredEntry(value: unknown): value is StoredEntry {
  const entry = value as StoredEntry | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    entry.v === 1 &&
    Number.isFinite(entry.fetchedAt) &&
    Number.isFinite(entry.expiresAt)
  );
}
