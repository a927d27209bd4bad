/**
 * Persisted DPoP-bound sessions: the refresh token, the access tokens (with expiry, scope and
 * resource) and the ID token's claims, kept in IndexedDB beside the DPoP key they are bound to,
 * so a worker the browser stopped resumes the session at once.
 *
 * IndexedDB is readable by page script (DESIGN.md §3; RFC 10017 forbids persisting tokens there
 * that are not sender-constrained). These tokens are bound to a key whose private half cannot be
 * exported: a copy is useless without the key, and page script can use the key only while it
 * runs (which is the proxying it could do anyway). Tokens that are not DPoP-bound never come
 * here: {@link SessionStore.save} refuses a session without a key.
 *
 * The whole record is one value written by one `put` in one IndexedDB transaction, so a rotated
 * refresh token and the access tokens it came with are stored together or not at all. It is
 * written only after the provider's answer: a worker stopped during a refresh still holds the
 * old record (see tokens.ts for what then happens at the provider).
 *
 * @module
 */

import { promisifyRequest, type UseStore } from 'idb-keyval';
import type { DpopKeyStore } from './dpop-key.js';
import type { AccessToken, Session } from './session.js';

/** The stored form of a session (version 1). */
export interface PersistedSession {
  readonly v: 1;
  /** The thumbprint of the DPoP key the tokens are bound to (RFC 7638, `cnf.jkt`). */
  readonly jkt: string;
  /** The ID token's claims (what `getUser()` reports); the ID token itself is not kept. */
  readonly idTokenClaims: Session['idTokenClaims'];
  readonly refreshToken: string | undefined;
  readonly scope: string | undefined;
  /** `[token key, token]` pairs (see `tokenKey`). */
  readonly accessTokens: readonly (readonly [string, AccessToken])[];
}

/** Reads and writes the persisted session of one (issuer, client). */
export interface SessionStore {
  /** The IndexedDB key of the record. */
  readonly name: string;
  /**
   * Writes `session` (one transaction, one value). Throws unless the session is DPoP-bound:
   * other tokens are never written.
   */
  save(session: Session): Promise<void>;
  /**
   * The stored session, with the stored key pair of `keys` (both read in one transaction), or
   * `undefined`. A record that is malformed, or bound to another key than the stored one, is
   * deleted with the key, and `keys` forgets the key.
   */
  load(keys: Pick<DpopKeyStore, 'name' | 'use' | 'forget'>): Promise<Session | undefined>;
  /** Deletes the record and the DPoP key pair, in one transaction. */
  clear(): Promise<void>;
}

/** The IndexedDB key of the session of (`issuer`, `clientId`). */
export function sessionName(issuer: string, clientId: string): string {
  return `session:${JSON.stringify([issuer, clientId])}`;
}

/**
 * The record's shape, checked loosely: IndexedDB is page-writable, but script that can write it
 * can use the session anyway; this only keeps a damaged record from breaking the worker.
 */
function isRecord(value: unknown): value is PersistedSession {
  const r = value as PersistedSession | null;
  return (
    r?.v === 1 &&
    typeof r.jkt === 'string' &&
    typeof r.idTokenClaims?.sub === 'string' &&
    Array.isArray(r.accessTokens) &&
    r.accessTokens.every(([, t]) => typeof t?.token === 'string' && typeof t.expiresAt === 'number')
  );
}

/**
 * The store in `db` (the worker's login database); `keyName` is the DPoP key pair's IndexedDB
 * key (dpop-key.ts), deleted with the record.
 */
export function createSessionStore(
  db: () => UseStore,
  name: string,
  keyName: string,
): SessionStore {
  const write = (work: (store: IDBObjectStore) => void) =>
    db()('readwrite', (store) => {
      work(store);
      return promisifyRequest(store.transaction);
    });
  const clear = () =>
    write((store) => {
      store.delete(name);
      store.delete(keyName);
    });
  return {
    name,
    async save(session) {
      if (!session.dpop) throw new TypeError('not DPoP-bound');
      const record: PersistedSession = {
        v: 1,
        jkt: await session.dpop.thumbprint(),
        idTokenClaims: session.idTokenClaims,
        refreshToken: session.refreshToken,
        scope: session.scope,
        accessTokens: [...session.accessTokens],
      };
      await write((store) => {
        store.put(record, name);
      });
    },
    async load(keys) {
      const [value, key] = await db()('readonly', (store) =>
        Promise.all([
          promisifyRequest<unknown>(store.get(name)),
          promisifyRequest<unknown>(store.get(keys.name)),
        ]),
      );
      if (value === undefined) return undefined;
      const loaded = keys.use(key);
      if (!isRecord(value) || !loaded || value.jkt !== (await loaded.jkt)) {
        keys.forget();
        await clear();
        return undefined;
      }
      const dpop = loaded.handle;
      return {
        idToken: undefined,
        idTokenClaims: value.idTokenClaims,
        refreshToken: value.refreshToken,
        accessTokens: new Map(value.accessTokens),
        scope: value.scope,
        dpop,
      };
    },
    clear,
  };
}
