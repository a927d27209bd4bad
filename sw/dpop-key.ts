/**
 * The worker's DPoP key pair (RFC 9449 §4.1): one per (issuer, client), generated in the worker
 * with a non-extractable private key and kept in IndexedDB as `CryptoKey` objects. Structured
 * clone stores a `CryptoKey` with its `extractable` flag, so the stored private key can sign
 * (in the worker, or in a page of the origin while its script runs) but can never be exported,
 * not even by whoever reads the database. It is never turned into a JWK.
 *
 * @module
 */

import { promisifyRequest, type UseStore } from 'idb-keyval';
import {
  createDpopHandle,
  type DpopAlgorithm,
  type DpopHandle,
  generateDpopKeyPair,
} from '../src/core/index.js';

/** The IndexedDB key of the key pair of (`issuer`, `clientId`). */
export function dpopKeyName(issuer: string, clientId: string): string {
  return `dpop-key:${JSON.stringify([issuer, clientId])}`;
}

/**
 * What is stored: the key pair, the algorithm it was made for, and its thumbprint (computed when
 * the pair was made, so a restarted worker need not export and hash the key before its first
 * proof; pairs stored by earlier versions have none).
 */
interface StoredKey {
  readonly keyPair: CryptoKeyPair;
  readonly alg: DpopAlgorithm;
  readonly jkt?: string;
}

/** A stored key pair in use: its handle and its RFC 7638 thumbprint. */
export interface LoadedKey {
  readonly handle: DpopHandle;
  readonly jkt: Promise<string>;
}

/**
 * True for a key pair the worker may sign with: WebCrypto keys whose private half cannot be
 * exported. IndexedDB is writable by page script, and a planted key pair whose private key the
 * planter kept (or can export) would let it use the session's tokens after its script stopped.
 */
function isUsable(value: unknown): value is StoredKey {
  const stored = value as Partial<StoredKey> | null | undefined;
  const pair = stored?.keyPair;
  return (
    typeof stored?.alg === 'string' &&
    typeof CryptoKey !== 'undefined' &&
    pair?.privateKey instanceof CryptoKey &&
    pair.publicKey instanceof CryptoKey &&
    pair.privateKey.type === 'private' &&
    pair.privateKey.extractable === false &&
    pair.publicKey.type === 'public'
  );
}

/** The worker's DPoP key of one (issuer, client). */
export interface DpopKeyStore {
  /** The IndexedDB key the pair is stored under (in the worker's login database). */
  readonly name: string;
  /** A handle on the stored key pair, or `undefined` when there is none (or an unusable one). */
  load(): Promise<DpopHandle | undefined>;
  /**
   * The key pair in `value`, what the caller read under {@link name} in a transaction of its own
   * (session-store.ts reads it with the session); `undefined` for a value that is not a usable
   * pair. The handle is kept, as {@link load} keeps it.
   */
  use(value: unknown): LoadedKey | undefined;
  /**
   * A handle on the stored key pair; when there is none, or it is not for `alg`, a new
   * non-extractable pair for `alg` is generated and stored first.
   */
  loadOrCreate(alg: DpopAlgorithm): Promise<DpopHandle>;
  /**
   * Forgets the handle in memory: call after the stored pair was deleted (sign-out, a dead
   * refresh token; see session-store.ts, which deletes it with the session record).
   */
  forget(): void;
}

/**
 * The key store in `db` (the worker's login database). The handle is made once per key pair and
 * kept: it holds the servers' DPoP nonces (per origin), which the token endpoint and the APIs
 * share.
 *
 * @example
 * ```ts
 * const keys = createDpopKeyStore(db, config.issuer, config.clientId);
 * const dpop = await keys.loadOrCreate(chooseDpopAlgorithm(disco.dpopSigningAlgValuesSupported) ?? 'ES256');
 * ```
 */
export function createDpopKeyStore(
  db: () => UseStore,
  issuer: string,
  clientId: string,
): DpopKeyStore {
  const name = dpopKeyName(issuer, clientId);
  let current: { handle: DpopHandle; alg: DpopAlgorithm; jkt: Promise<string> } | undefined;
  // One generation at a time: two sign-ins started at once must not store two different keys.
  let pending: Promise<unknown> = Promise.resolve();

  const use = (value: unknown): LoadedKey | undefined => {
    if (current) return current;
    if (!isUsable(value)) return undefined;
    const handle = createDpopHandle(value.keyPair);
    const jkt = typeof value.jkt === 'string' ? Promise.resolve(value.jkt) : handle.thumbprint();
    current = { handle, alg: value.alg, jkt };
    return current;
  };

  const load = async () => {
    if (current) return current.handle;
    const value = await db()('readonly', (store) => promisifyRequest<unknown>(store.get(name)));
    return use(value)?.handle;
  };

  return {
    name,
    load,
    use,
    loadOrCreate(alg) {
      const run = pending.then(async () => {
        const handle = await load();
        if (handle && current?.alg === alg) return handle;
        const keyPair = await generateDpopKeyPair(alg);
        const created = createDpopHandle(keyPair);
        const jkt = await created.thumbprint();
        const stored: StoredKey = { keyPair, alg, jkt };
        await db()('readwrite', (store) => {
          store.put(stored, name);
          return promisifyRequest(store.transaction);
        });
        current = { handle: created, alg, jkt: Promise.resolve(jkt) };
        return created;
      });
      pending = run.catch(() => {});
      return run;
    },
    forget() {
      current = undefined;
    },
  };
}
