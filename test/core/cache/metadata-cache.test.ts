import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  clearDiscoveryCache,
  clearJwksCache,
  configureDefaultCache,
  getDefaultCache,
  getDiscoveryCacheInfo,
  getJwksCacheInfo,
} from '../../../src/core/cache/default.js';
import {
  type CacheLoader,
  createMetadataCache,
  type LoadResult,
  type MetadataCacheOptions,
} from '../../../src/core/cache/metadata-cache.js';
import { type CacheStore, createMemoryStore } from '../../../src/core/cache/store.js';
import { DEFAULT_DISCOVERY_TTL } from '../../../src/core/discovery/get.js';
import { ConfigurationError } from '../../../src/core/errors.js';
import { DEFAULT_JWKS_TTL } from '../../../src/core/jwks/get.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// The cache's options and a loader's `defaultTtl` are in seconds; the clock and entries in ms.
const START = Date.UTC(2030, 0, 1);

/** A value as a loader produces it; `n` counts loads. */
interface Doc {
  issuer: string;
  n: number;
}

let clock = START;
const now = () => clock;

beforeEach(() => {
  clock = START;
});

/** A promise with its resolve/reject handles, to hold a load open. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function isDoc(value: unknown): value is Doc {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Doc).issuer === 'https://op.example' &&
    typeof (value as Doc).n === 'number'
  );
}

/** A loader whose loads are numbered; `maxAge` in seconds, as the HTTP layer reports it. */
function counting(maxAge?: number, defaultTtl = 600) {
  let n = 0;
  const load = vi.fn(
    async (): Promise<LoadResult<Doc>> => ({
      value: { issuer: 'https://op.example', n: ++n },
      maxAge,
    }),
  );
  const revive = vi.fn((stored: unknown): Doc => {
    if (!isDoc(stored)) throw new TypeError('not a document');
    return stored;
  });
  const loader: CacheLoader<Doc> = { load, revive, defaultTtl };
  return { loader, load, revive };
}

function failing(error = new Error('network down')) {
  const load = vi.fn(async (): Promise<LoadResult<Doc>> => {
    throw error;
  });
  const loader: CacheLoader<Doc> = { load, revive: (v) => v as Doc, defaultTtl: 600 };
  return { loader, load, error };
}

function cache(options: MetadataCacheOptions = {}) {
  return createMetadataCache({ now, ...options });
}

describe('createMetadataCache options', () => {
  it('gives the default lifetimes in seconds', () => {
    expect(DEFAULT_DISCOVERY_TTL).toBe(3600);
    expect(DEFAULT_JWKS_TTL).toBe(86_400);
  });

  it('rejects minTtl above maxTtl and negative or non-finite durations', () => {
    expect(() => createMetadataCache({ minTtl: 7200, maxTtl: 3600 })).toThrow(ConfigurationError);
    expect(() => createMetadataCache({ refreshCooldown: -1 })).toThrow(/options.refreshCooldown/);
    expect(() => createMetadataCache({ maxTtl: Number.POSITIVE_INFINITY })).toThrow(
      /options.maxTtl/,
    );
  });

  it('exposes the injected clock', () => {
    expect(cache().now).toBe(now);
    expect(createMetadataCache().now).toBe(Date.now);
  });
});

describe('lifetime', () => {
  it('clamps max-age 5 s up to the 60 s minimum', async () => {
    const entry = await cache().discovery.get('k', counting(5).loader);
    expect(entry.fetchedAt).toBe(START);
    expect(entry.expiresAt - entry.fetchedAt).toBe(60_000);
  });

  it('clamps max-age 10 days down to the 24 h maximum', async () => {
    const entry = await cache().discovery.get('k', counting(10 * 86_400).loader);
    expect(entry.expiresAt - entry.fetchedAt).toBe(DAY);
  });

  it('keeps a max-age inside the window as it is', async () => {
    const entry = await cache().discovery.get('k', counting(3_600).loader);
    expect(entry.expiresAt - entry.fetchedAt).toBe(HOUR);
  });

  it("uses the loader's default lifetime when there is no max-age", async () => {
    const entry = await cache().discovery.get('k', counting(undefined, 7 * 60).loader);
    expect(entry.expiresAt - entry.fetchedAt).toBe(7 * MINUTE);
  });

  it('treats max-age 0 (no-store / no-cache) as the minimum, not as "never cache"', async () => {
    const entry = await cache().discovery.get('k', counting(0).loader);
    expect(entry.expiresAt - entry.fetchedAt).toBe(MINUTE);
  });

  it('falls back to the default lifetime for a non-finite max-age', async () => {
    const entry = await cache().discovery.get('k', counting(Number.NaN, 5 * 60).loader);
    expect(entry.expiresAt - entry.fetchedAt).toBe(5 * MINUTE);
  });

  it('honours custom minTtl and maxTtl', async () => {
    const c = cache({ minTtl: 5, maxTtl: 600 });
    expect((await c.discovery.get('a', counting(1).loader)).expiresAt - START).toBe(5_000);
    expect((await c.discovery.get('b', counting(3_600).loader)).expiresAt - START).toBe(
      10 * MINUTE,
    );
  });

  it('serves the entry until it expires, then loads again', async () => {
    const c = cache();
    const { loader, load } = counting(120);
    const first = await c.discovery.get('k', loader);
    clock = START + 120_000 - 1;
    expect(await c.discovery.get('k', loader)).toBe(first);
    expect(c.discovery.peek('k')).toBe(first);
    expect(load).toHaveBeenCalledTimes(1);

    clock = START + 120_000;
    expect(c.discovery.peek('k')).toBeUndefined();
    const second = await c.discovery.get('k', loader);
    expect(second.value.n).toBe(2);
    expect(second.fetchedAt).toBe(clock);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('does not cache a failed load', async () => {
    const c = cache();
    const bad = failing();
    await expect(c.discovery.get('k', bad.loader)).rejects.toBe(bad.error);
    const { loader, load } = counting();
    expect((await c.discovery.get('k', loader)).value.n).toBe(1);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps keys apart', async () => {
    const c = cache();
    const a = counting();
    const b = counting();
    await c.discovery.get('a', a.loader);
    await c.discovery.get('b', b.loader);
    await c.discovery.get('a', a.loader);
    expect(a.load).toHaveBeenCalledTimes(1);
    expect(b.load).toHaveBeenCalledTimes(1);
  });
});

describe('single flight', () => {
  it('runs one load for concurrent gets of the same key', async () => {
    const c = cache();
    const gate = deferred<void>();
    const { loader, load } = counting();
    const held: CacheLoader<Doc> = {
      ...loader,
      load: async () => {
        await gate.promise;
        return loader.load();
      },
    };
    const calls = Array.from({ length: 5 }, () => c.discovery.get('k', held));
    gate.resolve();
    const entries = await Promise.all(calls);
    expect(load).toHaveBeenCalledTimes(1);
    for (const entry of entries) expect(entry).toBe(entries[0]);
    expect(c.discovery.info()).toEqual({ hits: 0, misses: 5, fetches: 1, size: 1 });
  });

  it('gives every concurrent caller the same failure, then tries again', async () => {
    const c = cache();
    const gate = deferred<void>();
    const error = new Error('boom');
    const load = vi.fn(async (): Promise<LoadResult<Doc>> => {
      await gate.promise;
      throw error;
    });
    const loader: CacheLoader<Doc> = { load, revive: (v) => v as Doc, defaultTtl: 60 };
    const calls = [c.jwks.get('k', loader), c.jwks.get('k', loader), c.jwks.get('k', loader)];
    gate.resolve();
    for (const call of calls) await expect(call).rejects.toBe(error);
    expect(load).toHaveBeenCalledTimes(1);
    await expect(c.jwks.get('k', loader)).rejects.toBe(error);
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe('refresh', () => {
  it('reloads after the cooldown and not within it', async () => {
    const c = cache();
    const { loader, load } = counting(3_600);
    const first = await c.jwks.get('k', loader);

    clock = START + 30_000 - 1;
    const early = await c.jwks.refresh('k', loader);
    expect(early).toEqual({ entry: first, refreshed: false });
    expect(load).toHaveBeenCalledTimes(1);

    clock = START + 30_000;
    const due = await c.jwks.refresh('k', loader);
    expect(due.refreshed).toBe(true);
    expect(due.entry.value.n).toBe(2);
    expect(due.entry.fetchedAt).toBe(clock);
    expect(c.jwks.peek('k')).toBe(due.entry);

    const again = await c.jwks.refresh('k', loader);
    expect(again).toEqual({ entry: due.entry, refreshed: false });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('honours a custom cooldown', async () => {
    const c = cache({ refreshCooldown: 5 });
    const { loader, load } = counting(3_600);
    await c.jwks.get('k', loader);
    clock = START + 5_000;
    expect((await c.jwks.refresh('k', loader)).refreshed).toBe(true);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('loads at once when nothing is cached', async () => {
    const c = cache();
    const { loader, load } = counting();
    const result = await c.jwks.refresh('k', loader);
    expect(result.refreshed).toBe(true);
    expect(result.entry.value.n).toBe(1);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps the old entry when the refresh fails, until it expires', async () => {
    const c = cache();
    const good = counting(600);
    const old = await c.jwks.get('k', good.loader);
    const bad = failing();

    clock = START + MINUTE;
    expect(await c.jwks.refresh('k', bad.loader)).toEqual({ entry: old, refreshed: false });
    expect(bad.load).toHaveBeenCalledTimes(1);
    expect(await c.jwks.get('k', bad.loader)).toBe(old);
    expect(bad.load).toHaveBeenCalledTimes(1);

    clock = START + 600_000;
    await expect(c.jwks.get('k', bad.loader)).rejects.toBe(bad.error);
    await expect(c.jwks.refresh('k', bad.loader)).rejects.toBe(bad.error);
  });

  it('counts a failed refresh against the cooldown (no hammering of a failing server)', async () => {
    const c = cache();
    const good = counting(3_600);
    const old = await c.jwks.get('k', good.loader);
    const bad = failing();
    clock = START + MINUTE;
    await c.jwks.refresh('k', bad.loader);
    clock = START + MINUTE + 29_000;
    expect(await c.jwks.refresh('k', bad.loader)).toEqual({ entry: old, refreshed: false });
    expect(bad.load).toHaveBeenCalledTimes(1);
  });

  it('throws when the refresh fails and there is nothing cached', async () => {
    const bad = failing();
    await expect(cache().jwks.refresh('k', bad.loader)).rejects.toBe(bad.error);
  });

  it('shares one load between concurrent refreshes', async () => {
    const c = cache();
    const { loader, load } = counting(3_600);
    await c.jwks.get('k', loader);
    clock = START + MINUTE;
    const gate = deferred<void>();
    const held: CacheLoader<Doc> = {
      ...loader,
      load: async () => {
        await gate.promise;
        return loader.load();
      },
    };
    const calls = Array.from({ length: 4 }, () => c.jwks.refresh('k', held));
    gate.resolve();
    const results = await Promise.all(calls);
    expect(load).toHaveBeenCalledTimes(2);
    for (const result of results) {
      expect(result.refreshed).toBe(true);
      expect(result.entry).toBe(results[0]!.entry);
      expect(result.entry.value.n).toBe(2);
    }
    expect(c.jwks.info().fetches).toBe(2);
  });

  it('shares a load with a concurrent get of an expired entry', async () => {
    const c = cache();
    const { loader, load } = counting(60);
    await c.jwks.get('k', loader);
    clock = START + HOUR;
    const gate = deferred<void>();
    const held: CacheLoader<Doc> = {
      ...loader,
      load: async () => {
        await gate.promise;
        return loader.load();
      },
    };
    const get = c.jwks.get('k', held);
    const refresh = c.jwks.refresh('k', held);
    gate.resolve();
    const [entry, result] = await Promise.all([get, refresh]);
    expect(load).toHaveBeenCalledTimes(2);
    expect(result).toEqual({ entry, refreshed: true });
  });

  it('reaches the network even when it joins a get that is reading the store', async () => {
    const store = createMemoryStore();
    const { loader, load } = counting(3_600);
    await cache({ store }).jwks.get('k', loader);
    expect(load).toHaveBeenCalledTimes(1);

    // A "restarted" worker: memory empty, the store read held open.
    const gate = deferred<void>();
    const slowStore: CacheStore = {
      ...store,
      get: async (key) => {
        await gate.promise;
        return store.get(key);
      },
    };
    const c = cache({ store: slowStore });
    const get = c.jwks.get('k', loader);
    const refresh = c.jwks.refresh('k', loader);
    gate.resolve();
    const [entry, result] = await Promise.all([get, refresh]);
    expect(entry.value.n).toBe(1);
    expect(load).toHaveBeenCalledTimes(2);
    expect(result.refreshed).toBe(true);
    expect(result.entry.value.n).toBe(2);
    expect(c.jwks.peek<Doc>('k')?.value.n).toBe(2);
  });
});

describe('counters', () => {
  it('counts hits, misses, fetches and size, per namespace', async () => {
    const c = cache();
    const { loader } = counting(3_600);
    expect(c.discovery.info()).toEqual({ hits: 0, misses: 0, fetches: 0, size: 0 });
    await c.discovery.get('a', loader);
    await c.discovery.get('a', loader);
    await c.discovery.get('a', loader);
    await c.discovery.get('b', loader);
    expect(c.discovery.info()).toEqual({ hits: 2, misses: 2, fetches: 2, size: 2 });
    clock = START + MINUTE;
    await c.discovery.refresh('a', loader);
    expect(c.discovery.info()).toEqual({ hits: 2, misses: 2, fetches: 3, size: 2 });
    expect(c.jwks.info()).toEqual({ hits: 0, misses: 0, fetches: 0, size: 0 });
  });

  it('counts a load from the persistent store as a hit, not a fetch', async () => {
    const store = createMemoryStore();
    const { loader } = counting(3_600);
    await cache({ store }).discovery.get('a', loader);
    const restarted = cache({ store });
    await restarted.discovery.get('a', loader);
    expect(restarted.discovery.info()).toEqual({ hits: 1, misses: 0, fetches: 0, size: 1 });
  });

  it('drops expired entries from the size', async () => {
    const c = cache();
    await c.discovery.get('a', counting(60).loader);
    clock = START + MINUTE;
    expect(c.discovery.peek('a')).toBeUndefined();
    expect(c.discovery.info().size).toBe(0);
  });
});

describe('clear', () => {
  it('forgets memory, store entries and counters of its own namespace only', async () => {
    const store = createMemoryStore();
    await store.set('someone-else:k', 'kept');
    const c = cache({ store });
    const disco = counting(3_600);
    const jwks = counting(3_600);
    await c.discovery.get('k', disco.loader);
    await c.jwks.get('k', jwks.loader);
    await c.jwks.get('k', jwks.loader);

    await c.discovery.clear();

    expect(c.discovery.info()).toEqual({ hits: 0, misses: 0, fetches: 0, size: 0 });
    expect(c.jwks.info()).toEqual({ hits: 1, misses: 1, fetches: 1, size: 1 });
    expect((await store.keys()).sort()).toEqual(['jwks:k', 'someone-else:k']);

    // The other namespace's stored entry still serves a restarted cache.
    const restarted = cache({ store });
    expect((await restarted.jwks.get<Doc>('k', jwks.loader)).value.n).toBe(1);
    expect(jwks.load).toHaveBeenCalledTimes(1);
    // The cleared one loads again.
    expect((await c.discovery.get('k', disco.loader)).value.n).toBe(2);
    expect(disco.load).toHaveBeenCalledTimes(2);
  });

  it('lets a refresh through again after a clear (cooldown forgotten)', async () => {
    const c = cache();
    const { loader, load } = counting(3_600);
    await c.jwks.get('k', loader);
    await c.jwks.clear();
    await c.jwks.get('k', loader);
    expect(load).toHaveBeenCalledTimes(2);
  });
});

/** A store whose every method fails, synchronously (`throws`) or by rejecting. */
function brokenStore(how: 'throws' | 'rejects'): CacheStore {
  const fail = (): Promise<never> => {
    if (how === 'throws') throw new Error('store broken');
    return Promise.reject(new Error('store broken'));
  };
  return { get: fail, set: fail, delete: fail, keys: fail };
}

describe.each(['throws', 'rejects'] as const)('a store that %s', (how) => {
  it('does not fail get, refresh or clear', async () => {
    const c = cache({ store: brokenStore(how) });
    const { loader, load } = counting(3_600);
    const entry = await c.discovery.get('k', loader);
    expect(entry.value.n).toBe(1);
    expect(await c.discovery.get('k', loader)).toBe(entry);
    clock = START + MINUTE;
    expect((await c.discovery.refresh('k', loader)).entry.value.n).toBe(2);
    await expect(c.discovery.clear()).resolves.toBeUndefined();
    expect(c.discovery.peek('k')).toBeUndefined();
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe('persistent store', () => {
  it('serves a restarted cache from the store without calling the loader', async () => {
    const store = createMemoryStore();
    const first = counting(3_600);
    const original = await cache({ store }).discovery.get('k', first.loader);

    clock = START + 10 * MINUTE;
    const second = counting(3_600);
    const restarted = cache({ store });
    const entry = await restarted.discovery.get<Doc>('k', second.loader);
    expect(second.load).not.toHaveBeenCalled();
    expect(second.revive).toHaveBeenCalledTimes(1);
    expect(entry.value).toEqual(original.value);
    expect(entry.fetchedAt).toBe(original.fetchedAt);
    expect(entry.expiresAt).toBe(original.expiresAt);
    // Now in memory: the hot path does not read the store again.
    expect(restarted.discovery.peek('k')).toBe(entry);
    await restarted.discovery.get('k', second.loader);
    expect(second.revive).toHaveBeenCalledTimes(1);
  });

  it('answers from the store only at a cold start: a value planted there later is not used', async () => {
    const store = createMemoryStore();
    const { loader, load } = counting(60);
    const metadata = cache({ store });
    await metadata.discovery.get('k', loader);
    // Page script writes a well-formed, unexpired entry of its own while the cache runs.
    await store.set('discovery:k', {
      v: 1,
      value: { issuer: 'https://op.example', n: 99 },
      fetchedAt: START + MINUTE,
      expiresAt: START + DAY,
    });
    clock = START + 2 * MINUTE; // the in-memory entry has expired
    const entry = await metadata.discovery.get<Doc>('k', loader);
    expect(load).toHaveBeenCalledTimes(2);
    expect(entry.value.n).toBe(2);
  });

  it('does not serve an expired stored entry', async () => {
    const store = createMemoryStore();
    await cache({ store }).discovery.get('k', counting(60).loader);
    clock = START + MINUTE;
    const second = counting(60);
    const entry = await cache({ store }).discovery.get<Doc>('k', second.loader);
    expect(second.load).toHaveBeenCalledTimes(1);
    expect(entry.fetchedAt).toBe(clock);
  });

  it('refetches when revive rejects the stored value, and overwrites it', async () => {
    const store = createMemoryStore();
    await store.set('discovery:k', {
      v: 1,
      value: { issuer: 'https://evil.example', n: 99 },
      fetchedAt: START,
      expiresAt: START + HOUR,
    });
    const { loader, load, revive } = counting(3_600);
    const entry = await cache({ store }).discovery.get<Doc>('k', loader);
    expect(revive).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledTimes(1);
    expect(entry.value).toEqual({ issuer: 'https://op.example', n: 1 });
    expect(await store.get('discovery:k')).toMatchObject({
      value: { issuer: 'https://op.example' },
    });
  });

  it.each([
    ['not an object', 'poison'],
    ['an unknown version', { v: 2, value: {}, fetchedAt: START, expiresAt: START + HOUR }],
    ['no expiry', { v: 1, value: {}, fetchedAt: START }],
    ['a non-finite expiry', { v: 1, value: {}, fetchedAt: START, expiresAt: Number.NaN }],
    ['a non-finite fetch time', { v: 1, value: {}, fetchedAt: Number.NaN, expiresAt: START + 1 }],
    [
      'a fetch time in the future',
      { v: 1, value: {}, fetchedAt: START + DAY, expiresAt: START + 2 * DAY },
    ],
  ])('ignores a stored entry with %s', async (_, stored) => {
    const store = createMemoryStore();
    await store.set('jwks:k', stored);
    const revive = vi.fn((v: unknown) => v);
    const load = vi.fn(async () => ({ value: { fresh: true } }));
    const entry = await cache({ store }).jwks.get('k', { load, revive, defaultTtl: 3600 });
    expect(load).toHaveBeenCalledTimes(1);
    expect(entry.value).toEqual({ fresh: true });
  });

  it('caps a stored lifetime at maxTtl from its fetch time', async () => {
    const store = createMemoryStore();
    await store.set('jwks:k', {
      v: 1,
      value: { issuer: 'https://op.example', n: 7 },
      fetchedAt: START,
      expiresAt: START + 365 * DAY,
    });
    const { loader, load } = counting();
    const entry = await cache({ store }).jwks.get<Doc>('k', loader);
    expect(load).not.toHaveBeenCalled();
    expect(entry.expiresAt).toBe(START + DAY);
  });

  it('ignores a stored entry whose revive throws something that is not an Error', async () => {
    const store = createMemoryStore();
    await cache({ store }).jwks.get('k', counting(3_600).loader);
    const load = vi.fn(async () => ({ value: 'fresh' }));
    const revive = () => {
      throw 'nope';
    };
    const entry = await cache({ store }).jwks.get('k', { load, revive, defaultTtl: 3600 });
    expect(entry.value).toBe('fresh');
  });
});

describe('the shared default cache', () => {
  it('is one cache until replaced, and its helpers act on it', async () => {
    const first = getDefaultCache();
    expect(getDefaultCache()).toBe(first);
    const replaced = configureDefaultCache({ now });
    expect(replaced).not.toBe(first);
    expect(getDefaultCache()).toBe(replaced);

    const { loader } = counting();
    await replaced.discovery.get('d', loader);
    await replaced.discovery.get('d', loader);
    await replaced.jwks.get('j', loader);
    expect(getDiscoveryCacheInfo()).toEqual({ hits: 1, misses: 1, fetches: 1, size: 1 });
    expect(getJwksCacheInfo()).toEqual({ hits: 0, misses: 1, fetches: 1, size: 1 });

    await clearDiscoveryCache();
    expect(getDiscoveryCacheInfo().size).toBe(0);
    expect(getJwksCacheInfo().size).toBe(1);
    await clearJwksCache();
    expect(getJwksCacheInfo().size).toBe(0);
  });
});
