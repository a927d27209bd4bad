import 'fake-indexeddb/auto';
import { createStore, get as idbGet, keys as idbKeys, set as idbSet } from 'idb-keyval';
import { describe, expect, it, vi } from 'vitest';
import { createIndexedDbStore } from '../../../src/core/cache/idb-store.js';
import { type CacheLoader, createMetadataCache } from '../../../src/core/cache/metadata-cache.js';

const HOUR = 3_600_000;
const START = Date.UTC(2030, 0, 1);
const ISSUER = 'https://op.example';

interface Disco {
  issuer: string;
  jwks_uri: string;
}

let dbCounter = 0;
/** A fresh database name per test, so tests do not see each other's data. */
const freshDb = () => `idmw-test-${++dbCounter}-${Math.random().toString(36).slice(2)}`;

/** Loads a good discovery document; revive accepts only a document for ISSUER. */
function discoveryLoader() {
  const load = vi.fn(async () => ({
    value: { issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` } as Disco,
    maxAge: 3_600,
  }));
  const revive = vi.fn((stored: unknown): Disco => {
    const doc = stored as Partial<Disco> | null;
    if (
      typeof doc !== 'object' ||
      doc === null ||
      doc.issuer !== ISSUER ||
      typeof doc.jwks_uri !== 'string' ||
      !doc.jwks_uri.startsWith(`${ISSUER}/`)
    ) {
      throw new TypeError('stored discovery document rejected');
    }
    return { issuer: doc.issuer, jwks_uri: doc.jwks_uri };
  });
  const loader: CacheLoader<Disco> = { load, revive, defaultTtl: 3600 }; // seconds
  return { loader, load, revive };
}

describe('createIndexedDbStore', () => {
  it('sets, gets, lists and deletes values', async () => {
    const store = createIndexedDbStore(freshDb());
    expect(await store.get('missing')).toBeUndefined();
    await store.set('a', { n: 1, list: [1, 2] });
    await store.set('b', 'two');
    expect(await store.get('a')).toEqual({ n: 1, list: [1, 2] });
    expect((await store.keys()).sort()).toEqual(['a', 'b']);
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
    expect(await store.keys()).toEqual(['b']);
  });

  it('stores structured clones, not references', async () => {
    const store = createIndexedDbStore(freshDb());
    const value = { n: 1 };
    await store.set('k', value);
    value.n = 2;
    const read = await store.get('k');
    expect(read).toEqual({ n: 1 });
    expect(read).not.toBe(value);
  });

  it('lists only string keys (other writers may use other key types)', async () => {
    const dbName = freshDb();
    const store = createIndexedDbStore(dbName);
    await store.set('jwks:x', 1);
    await idbSet(42, 'number key', createStore(dbName, 'metadata'));
    expect(await store.keys()).toEqual(['jwks:x']);
  });

  it('keeps databases apart', async () => {
    const one = createIndexedDbStore(freshDb());
    const two = createIndexedDbStore(freshDb());
    await one.set('k', 'one');
    expect(await two.get('k')).toBeUndefined();
    expect(await one.get('k')).toBe('one');
  });

  it('uses the documented default database and object store names', async () => {
    const store = createIndexedDbStore();
    await store.set('probe', 'value');
    expect(await idbGet('probe', createStore('identity-model-web', 'metadata'))).toBe('value');
    await store.delete('probe');
  });
});

describe('a metadata cache on IndexedDB', () => {
  it('serves a restarted cache (new objects, same database) without loading', async () => {
    const dbName = freshDb();
    const first = discoveryLoader();
    const before = createMetadataCache({ store: createIndexedDbStore(dbName), now: () => START });
    const original = await before.discovery.get('k', first.loader);
    expect(first.load).toHaveBeenCalledTimes(1);

    const second = discoveryLoader();
    const after = createMetadataCache({
      store: createIndexedDbStore(dbName),
      now: () => START + HOUR / 2,
    });
    const entry = await after.discovery.get<Disco>('k', second.loader);
    expect(second.load).not.toHaveBeenCalled();
    expect(second.revive).toHaveBeenCalledTimes(1);
    expect(entry).toEqual(original);
  });

  it('rejects a poisoned stored entry with revive, refetches and overwrites it', async () => {
    const dbName = freshDb();
    // Page script (same origin) writes the shared database directly.
    const raw = createStore(dbName, 'metadata');
    await idbSet(
      'discovery:k',
      {
        v: 1,
        value: { issuer: ISSUER, jwks_uri: 'https://attacker.example/jwks' },
        fetchedAt: START,
        expiresAt: START + HOUR,
      },
      raw,
    );

    const { loader, load, revive } = discoveryLoader();
    const cache = createMetadataCache({ store: createIndexedDbStore(dbName), now: () => START });
    const entry = await cache.discovery.get<Disco>('k', loader);

    expect(revive).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledTimes(1);
    expect(entry.value.jwks_uri).toBe(`${ISSUER}/jwks`);
    expect(await idbGet('discovery:k', raw)).toMatchObject({
      v: 1,
      value: { jwks_uri: `${ISSUER}/jwks` },
      fetchedAt: START,
    });
  });

  it('does not let a stored entry dated in the future outlive maxTtl', async () => {
    const dbName = freshDb();
    await idbSet(
      'discovery:k',
      {
        v: 1,
        value: { issuer: ISSUER, jwks_uri: `${ISSUER}/old-jwks` },
        fetchedAt: START + 365 * 24 * HOUR,
        expiresAt: START + 366 * 24 * HOUR,
      },
      createStore(dbName, 'metadata'),
    );
    const { loader, load } = discoveryLoader();
    const cache = createMetadataCache({ store: createIndexedDbStore(dbName), now: () => START });
    expect((await cache.discovery.get<Disco>('k', loader)).value.jwks_uri).toBe(`${ISSUER}/jwks`);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("clear() of one namespace keeps the other namespace's stored entries", async () => {
    const dbName = freshDb();
    const cache = createMetadataCache({ store: createIndexedDbStore(dbName), now: () => START });
    await cache.discovery.get('k', discoveryLoader().loader);
    await cache.jwks.get('k', discoveryLoader().loader);
    const raw = createStore(dbName, 'metadata');
    expect((await idbKeys(raw)).sort()).toEqual(['discovery:k', 'jwks:k']);

    await cache.jwks.clear();
    expect(await idbKeys(raw)).toEqual(['discovery:k']);

    await cache.discovery.clear();
    expect(await idbKeys(raw)).toEqual([]);
  });

  it('works from memory when the object store is missing (database created by another store)', async () => {
    // idb-keyval creates the object store only when it creates the database, so a second store
    // name in an existing database is unusable: every operation rejects. The cache must cope.
    const dbName = freshDb();
    await createIndexedDbStore(dbName, 'metadata').set('x', 1);
    const orphan = createIndexedDbStore(dbName, 'other');
    await expect(orphan.get('x')).rejects.toThrow();

    const { loader, load } = discoveryLoader();
    const cache = createMetadataCache({ store: orphan, now: () => START });
    const entry = await cache.discovery.get<Disco>('k', loader);
    expect(entry.value.issuer).toBe(ISSUER);
    expect(await cache.discovery.get('k', loader)).toBe(entry);
    await expect(cache.discovery.clear()).resolves.toBeUndefined();
    expect(load).toHaveBeenCalledTimes(1);
  });
});
