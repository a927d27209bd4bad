/**
 * DPoP-bound sessions that survive a stopped worker (issue 8, items 1-2), in Node: the key store
 * (sw/dpop-key.ts) and the persisted-session store (sw/session-store.ts) over fake-indexeddb,
 * and the real context and token source around them against a local token endpoint: resume
 * without a request, rotation in one transaction, a worker stopped mid-refresh, and deletion on
 * sign-out and invalid_grant. A "restart" is a second worker on the same databases and clock.
 */
import 'fake-indexeddb/auto';
import { entries, promisifyRequest, type UseStore } from 'idb-keyval';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIndexedDbStore } from '../../src/core/cache/idb-store.js';
import { createMetadataCache } from '../../src/core/cache/metadata-cache.js';
import { calculateJwkThumbprint, generateDpopKeyPair } from '../../src/core/index.js';
import type { ContextStores } from '../../sw/context.js';
import { createDpopKeyStore, type DpopKeyStore } from '../../sw/dpop-key.js';
import { logout } from '../../sw/logout.js';
import type { Session } from '../../sw/session.js';
import { createSessionStore, sessionName } from '../../sw/session-store.js';
import { loginDatabase } from '../../sw/transactions.js';
import { DISCOVERY_PATH, NOW, type TestClock, testClock } from '../support/hostile-op.js';
import { type FakeOp, type FakeWorker, fakeWorker, startFakeOp } from './fake-worker.js';

let counter = 0;
/** A fresh database name per test. */
const freshName = () => `imw-dpop-${++counter}-${Math.random().toString(36).slice(2)}`;

const ISSUER = 'https://op.test';

/** Everything stored in `db`, as `[key, value]` pairs. */
const stored = (db: () => UseStore) => entries(db());

/** True when any stored value, searched deeply, holds `needle` as a string. */
function holds(value: unknown, needle: string): boolean {
  if (typeof value === 'string') return value.includes(needle);
  if (value instanceof Map) return [...value].some((entry) => holds(entry, needle));
  if (typeof value === 'object' && value !== null) {
    return Object.values(value).some((member) => holds(member, needle));
  }
  return false;
}

describe('the DPoP key store', () => {
  it('DPOP-007 generates one non-extractable ES256 pair, stores it as CryptoKey objects (no JWK) and finds it again after a restart', async () => {
    const db = loginDatabase(freshName());
    const first = await createDpopKeyStore(db, ISSUER, 'spa').loadOrCreate('ES256');
    expect(first.keyPair.privateKey.extractable).toBe(false);
    expect(first.keyPair.privateKey.algorithm).toMatchObject({
      name: 'ECDSA',
      namedCurve: 'P-256',
    });
    await expect(crypto.subtle.exportKey('jwk', first.keyPair.privateKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('pkcs8', first.keyPair.privateKey)).rejects.toThrow();

    const rows = await stored(db);
    expect(rows).toHaveLength(1);
    const [, value] = rows[0]! as [string, { keyPair: CryptoKeyPair; alg: string }];
    expect(value.alg).toBe('ES256');
    expect(value.keyPair.privateKey).toBeInstanceOf(CryptoKey);
    expect(value.keyPair.privateKey.extractable).toBe(false);
    // No key material in any JSON-able member: only the CryptoKey objects.
    expect(JSON.stringify(value)).not.toMatch(/"d"|"x"|"kty"/);

    // A restarted worker: a new store object on the same database.
    const again = await createDpopKeyStore(db, ISSUER, 'spa').load();
    expect(again).toBeDefined();
    expect(await again!.thumbprint()).toBe(await first.thumbprint());
    // The same worker asked again hands out the same handle (it holds the servers' nonces).
    const store = createDpopKeyStore(db, ISSUER, 'spa');
    expect(await store.loadOrCreate('ES256')).toBe(await store.loadOrCreate('ES256'));
  });

  it('keeps one key per (issuer, client), and a new one when another algorithm is needed', async () => {
    const db = loginDatabase(freshName());
    const spa = await createDpopKeyStore(db, ISSUER, 'spa').loadOrCreate('ES256');
    const other = await createDpopKeyStore(db, ISSUER, 'other').loadOrCreate('ES256');
    const elsewhere = await createDpopKeyStore(db, 'https://op2.test', 'spa').loadOrCreate('ES256');
    const prints = await Promise.all([spa, other, elsewhere].map((h) => h.thumbprint()));
    expect(new Set(prints).size).toBe(3);
    expect(await stored(db)).toHaveLength(3);

    const store = createDpopKeyStore(db, ISSUER, 'spa');
    const es384 = await store.loadOrCreate('ES384');
    expect(es384.keyPair.privateKey.algorithm).toMatchObject({ namedCurve: 'P-384' });
    expect(await es384.thumbprint()).not.toBe(prints[0]);
    expect(await stored(db)).toHaveLength(3);
  });

  it('ignores a planted key pair whose private key is extractable, and replaces it', async () => {
    const db = loginDatabase(freshName());
    const store = createDpopKeyStore(db, ISSUER, 'spa');
    // Page script can write IndexedDB; a pair it can export would let it use the tokens later.
    const planted = await generateDpopKeyPair('ES256', { extractable: true });
    await db()('readwrite', (s) => {
      s.put({ keyPair: planted, alg: 'ES256' }, store.name);
    });
    expect(await store.load()).toBeUndefined();
    const made = await store.loadOrCreate('ES256');
    expect(made.keyPair.privateKey.extractable).toBe(false);
    const plantedJwk = await crypto.subtle.exportKey('jwk', planted.publicKey);
    expect(await made.thumbprint()).not.toBe(await calculateJwkThumbprint(plantedJwk));
  });
});

describe('the persisted-session store', () => {
  const session = (dpop: Session['dpop']): Session => ({
    idToken: 'id-token',
    idTokenClaims: { iss: ISSUER, sub: 'user-1', aud: 'spa', name: 'User One' },
    refreshToken: 'rt-0',
    accessTokens: new Map([
      ['', { token: 'at-0', tokenType: 'DPoP', expiresAt: NOW + 60_000, scope: 'openid' }],
      ['urn:api', { token: 'at-api', tokenType: 'DPoP', expiresAt: NOW + 90_000, scope: 'api' }],
    ]),
    scope: 'openid',
    dpop,
  });

  async function stores() {
    const db = loginDatabase(freshName());
    const keys = createDpopKeyStore(db, ISSUER, 'spa');
    const sessions = createSessionStore(db, sessionName(ISSUER, 'spa'), keys.name);
    return { db, keys, sessions };
  }

  it('never writes a session that is not DPoP-bound', async () => {
    const { db, sessions } = await stores();
    await expect(sessions.save(session(undefined))).rejects.toThrow(/not DPoP-bound/);
    expect(await stored(db)).toEqual([]);
  });

  it('round-trips tokens, expiry, scope, resource and claims, but not the ID token, beside the key', async () => {
    const { db, keys, sessions } = await stores();
    const dpop = await keys.loadOrCreate('ES256');
    await sessions.save(session(dpop));
    expect(holds(await stored(db), 'id-token')).toBe(false);

    const restarted = createDpopKeyStore(db, ISSUER, 'spa');
    const loaded = await createSessionStore(db, sessions.name, restarted.name).load(restarted);
    expect(loaded).toMatchObject({
      idToken: undefined,
      idTokenClaims: { sub: 'user-1', name: 'User One' },
      refreshToken: 'rt-0',
      scope: 'openid',
    });
    expect([...loaded!.accessTokens]).toEqual([...session(dpop).accessTokens]);
    expect(await loaded!.dpop!.thumbprint()).toBe(await dpop.thumbprint());
  });

  it('deletes a record bound to another key than the stored one, and a malformed one', async () => {
    const { db, keys, sessions } = await stores();
    const dpop = await keys.loadOrCreate('ES256');
    await sessions.save(session(dpop));
    // The pair was stored with its thumbprint: a restarted worker compares without hashing.
    const record = await db()('readonly', (s) =>
      promisifyRequest<{ jkt?: string }>(s.get(keys.name)),
    );
    expect(record.jkt).toBe(await dpop.thumbprint());

    // Another pair under the key's name, stored without a thumbprint (as earlier versions did):
    // its thumbprint is computed, and it is not the one the session is bound to.
    const other = await createDpopKeyStore(loginDatabase(freshName()), ISSUER, 'spa').loadOrCreate(
      'ES256',
    );
    await db()('readwrite', (s) => {
      s.put({ keyPair: other.keyPair, alg: 'ES256' }, keys.name);
    });
    const restarted = createDpopKeyStore(db, ISSUER, 'spa');
    expect(await sessions.load(restarted)).toBeUndefined();
    expect(await stored(db)).toEqual([]);
    // The deleted pair is forgotten too: the next sign-in makes and stores a new one.
    const next = await restarted.loadOrCreate('ES256');
    expect(await next.thumbprint()).not.toBe(await other.thumbprint());
    expect(await stored(db)).toHaveLength(1);

    await keys.loadOrCreate('ES256');
    await db()('readwrite', (s) => {
      s.put({ v: 1, jkt: 'x', refreshToken: 7 }, sessions.name);
    });
    expect(await sessions.load(keys)).toBeUndefined();
    expect(await stored(db)).toEqual([]);
  });

  it('clear deletes the record and the key pair in one transaction', async () => {
    const { db, keys, sessions } = await stores();
    await sessions.save(session(await keys.loadOrCreate('ES256')));
    expect(await stored(db)).toHaveLength(2);
    const transactions: IDBTransactionMode[] = [];
    const counting: () => UseStore = () => (mode, callback) => {
      transactions.push(mode);
      return db()(mode, callback);
    };
    await createSessionStore(counting, sessions.name, keys.name).clear();
    expect(transactions).toEqual(['readwrite']);
    expect(await stored(db)).toEqual([]);
  });
});

describe('a DPoP-bound session in the worker', () => {
  let op: FakeOp;
  let clock: TestClock;
  let loginDb: string;
  let metadataDb: string;
  const API = 'https://api.test/v1/';

  beforeEach(async () => {
    op = await startFakeOp();
    clock = testClock();
    loginDb = freshName();
    metadataDb = freshName();
    // The provider binds every token to the proof's key.
    op.answer = (_form, call) => ({
      body: {
        access_token: `at-${call}`,
        token_type: 'DPoP',
        expires_in: 3600,
        refresh_token: `rt-${call}`,
      },
    });
  });
  afterEach(() => op.close());

  /** A worker on the IndexedDB stores (as in a browser); a second call is a restarted worker. */
  function start(log?: { mode: IDBTransactionMode; puts: unknown[]; deletes: unknown[] }[]) {
    const db = loginDatabase(loginDb);
    const logged: () => UseStore = log
      ? () => (mode, callback) =>
          db()(mode, (store) => {
            const entry = { mode, puts: [] as unknown[], deletes: [] as unknown[] };
            log.push(entry);
            const put = store.put.bind(store);
            const del = store.delete.bind(store);
            store.put = (value: unknown, key?: IDBValidKey) => {
              entry.puts.push(value);
              return put(value, key);
            };
            store.delete = (key: IDBValidKey | IDBKeyRange) => {
              entry.deletes.push(key);
              return del(key);
            };
            return callback(store);
          })
      : db;
    const config = { issuer: op.issuer, clientId: 'spa' };
    const dpopKeys = createDpopKeyStore(logged, config.issuer, config.clientId);
    const stores: ContextStores = {
      dpopKeys,
      sessions: createSessionStore(
        logged,
        sessionName(config.issuer, config.clientId),
        dpopKeys.name,
      ),
      cache: createMetadataCache({
        store: createIndexedDbStore(metadataDb, 'metadata'),
        now: clock.now,
      }),
    };
    return { worker: fakeWorker(op, {}, stores, clock), db, dpopKeys };
  }

  async function signInBound(worker: FakeWorker, keys: DpopKeyStore, expiresAt = NOW + 600_000) {
    const dpop = await keys.loadOrCreate('ES256');
    const session: Session = {
      idToken: 'id-token',
      idTokenClaims: { iss: op.issuer, sub: 'user-1', aud: 'spa' },
      refreshToken: 'rt-0',
      accessTokens: new Map([
        ['', { token: 'at-0', tokenType: 'DPoP', expiresAt, scope: undefined }],
      ]),
      scope: undefined,
      dpop,
    };
    await worker.context.startSession(session);
    return session;
  }

  it('resumes after a restart with zero requests to the provider while the access token is valid, and reports authenticated', async () => {
    const first = start();
    await signInBound(first.worker, first.dpopKeys);
    const before = op.op.server.requests.length;

    const restarted = start();
    await restarted.worker.context.wake();
    const api = restarted.worker.api(API);
    expect(restarted.worker.tokens.fresh(api)).toMatchObject({ token: 'at-0', tokenType: 'DPoP' });
    expect(await restarted.worker.context.userState()).toMatchObject({
      state: 'authenticated',
      user: { sub: 'user-1' },
    });
    expect(restarted.worker.events).toEqual([]);
    expect(op.op.server.requests.length).toBe(before);
  });

  it('after a restart with an expired access token: exactly one request, the refresh with a DPoP proof (discovery and JWKS from IndexedDB)', async () => {
    const first = start();
    await signInBound(first.worker, first.dpopKeys, NOW + 120_000);
    // The first worker loaded discovery once (into the IndexedDB cache), as a sign-in does.
    await first.worker.context.discovery();
    const before = op.op.server.requests.length;
    clock.advance(600_000);

    const restarted = start();
    await restarted.worker.context.wake();
    const token = await restarted.worker.tokens.get(restarted.worker.api(API));
    expect(token).toMatchObject({ token: 'at-1', tokenType: 'DPoP' });
    const sent = op.op.server.requests.slice(before);
    expect(sent.map((r) => r.path)).toEqual(['/token']);
    expect(sent[0]!.headers.dpop).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(op.tokenRequests.at(-1)!.get('refresh_token')).toBe('rt-0');
    expect(op.op.server.count(DISCOVERY_PATH)).toBe(1);
  });

  it('writes a rotated refresh token with its access token in one transaction, after the answer', async () => {
    const log: { mode: IDBTransactionMode; puts: unknown[]; deletes: unknown[] }[] = [];
    const { worker, dpopKeys } = start(log);
    await signInBound(worker, dpopKeys, NOW + 60_000);
    clock.advance(60_000);
    const release = op.hold();
    const refreshing = worker.tokens.get(worker.api(API));
    await vi.waitFor(() => expect(op.tokenRequests).toHaveLength(1));
    log.length = 0;
    // Nothing is written while the answer is outstanding.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log.filter((t) => t.mode === 'readwrite')).toEqual([]);
    release();
    expect(await refreshing).toMatchObject({ token: 'at-1' });

    const writes = log.filter((t) => t.mode === 'readwrite');
    expect(writes).toHaveLength(1);
    expect(writes[0]!.deletes).toEqual([]);
    expect(writes[0]!.puts).toEqual([
      expect.objectContaining({
        refreshToken: 'rt-1',
        accessTokens: [['', expect.objectContaining({ token: 'at-1', tokenType: 'DPoP' })]],
      }),
    ]);
  });

  it('a worker stopped mid-refresh keeps the old refresh token; a provider that had rotated it answers invalid_grant, and the session ends with everything deleted', async () => {
    const first = start();
    await signInBound(first.worker, first.dpopKeys, NOW + 60_000);
    clock.advance(60_000);
    // The provider receives the refresh and rotates, but the worker is stopped before the answer.
    const release = op.hold();
    void first.worker.tokens.get(first.worker.api(API));
    await vi.waitFor(() => expect(op.tokenRequests).toHaveLength(1));

    const restarted = start();
    await restarted.worker.context.wake();
    expect(restarted.worker.context.session?.refreshToken).toBe('rt-0');
    // rt-0 was spent: oidc-provider (any provider that detects reuse) refuses it.
    op.answer = () => ({ status: 400, body: { error: 'invalid_grant' } });
    release();
    expect(await restarted.worker.tokens.get(restarted.worker.api(API))).toBeUndefined();
    expect(op.tokenRequests.map((form) => form.get('refresh_token'))).toEqual(['rt-0', 'rt-0']);
    expect(restarted.worker.context.session).toBeUndefined();
    expect(restarted.worker.events.map((e) => e.type)).toEqual(['sessionexpired']);
    expect(await stored(restarted.db)).toEqual([]);
    expect(await createDpopKeyStore(restarted.db, op.issuer, 'spa').load()).toBeUndefined();
  });

  it('sign-out deletes the key and everything persisted', async () => {
    const { worker, db, dpopKeys } = start();
    await signInBound(worker, dpopKeys);
    expect((await stored(db)).length).toBeGreaterThanOrEqual(2);
    await logout(worker.context, worker.tokens, {});
    expect(await stored(db)).toEqual([]);
    const restarted = start();
    await restarted.worker.context.wake();
    expect(restarted.worker.context.session).toBeUndefined();
  });

  it('a refresh answered Bearer unbinds the session and deletes what was persisted', async () => {
    const { worker, db, dpopKeys } = start();
    await signInBound(worker, dpopKeys, NOW + 60_000);
    clock.advance(60_000);
    op.answer = (_form, call) => ({
      body: { access_token: `at-${call}`, token_type: 'Bearer', refresh_token: `rt-${call}` },
    });
    expect(await worker.tokens.get(worker.api(API))).toMatchObject({ tokenType: 'Bearer' });
    expect(worker.context.session?.dpop).toBeUndefined();
    expect(holds(await stored(db), 'rt-')).toBe(false);
    expect(holds(await stored(db), 'at-')).toBe(false);
  });

  it('a session that is not DPoP-bound writes no token anywhere', async () => {
    const { worker, db } = start();
    await worker.signIn({ accessToken: 'bearer-at', expiresAt: NOW + 60_000 });
    clock.advance(60_000);
    expect(await worker.tokens.get(worker.api(API))).toMatchObject({ token: 'at-1' });
    const rows = await stored(db);
    expect(holds(rows, 'bearer-at')).toBe(false);
    expect(holds(rows, 'rt-')).toBe(false);
    expect(holds(rows, 'at-1')).toBe(false);
  });
});
