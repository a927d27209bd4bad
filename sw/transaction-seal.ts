/**
 * Transactions the worker created, and only those: IndexedDB is writable by page script, so a
 * transaction found there may be planted (a sign-in with the script's own PKCE verifier and
 * `state`, which the worker would then complete: login CSRF, issue 10 attack 6).
 *
 * - A transaction created by this worker's life is kept in its memory, and that copy is what the
 *   callback uses; a stored copy with the same `state` is ignored.
 * - A transaction from an earlier life (the browser stopped the worker while the user was at
 *   the provider) is accepted only when it was already stored when this life began, and its
 *   HMAC (SHA-256, over every field) verifies with the worker's key: a non-extractable
 *   `CryptoKey` kept in the same IndexedDB database.
 *
 * What remains: page script can read that `CryptoKey` and, while it runs, use it (not export
 * it). A transaction it seals and plants while **no worker is running** (between the worker
 * stopping and its next event) is accepted by the next life. One planted while the worker runs
 * is refused.
 *
 * @module
 */

import { get, keys, set, type UseStore } from 'idb-keyval';
import { decodeBase64url, encodeBase64url } from '../src/core/worker-api.js';
import type { LoginTransaction, TransactionStore } from './transactions.js';

const KEY_NAME = 'transaction-seal-key';
const PREFIX = 'login:';

/** A stored transaction with its seal. */
type Sealed = LoginTransaction & { readonly seal?: unknown };

const encoder = new TextEncoder();

/** Every field but the seal, in a fixed order (fields added later are covered too). */
function signedBytes(transaction: Sealed): Uint8Array<ArrayBuffer> {
  const record = transaction as unknown as Record<string, unknown>;
  const fields = Object.keys(record)
    .filter((name) => name !== 'seal')
    .sort()
    .map((name) => [name, record[name] ?? null]);
  return encoder.encode(JSON.stringify(fields));
}

/**
 * The worker's sealing key: read from `db` (a `CryptoKey` for HMAC), else generated
 * non-extractable and stored. Loaded once per worker life.
 */
export function sealKeyIn(db: () => UseStore): () => Promise<CryptoKey> {
  let loading: Promise<CryptoKey> | undefined;
  const load = async () => {
    const stored = await get<unknown>(KEY_NAME, db());
    if (stored instanceof CryptoKey && stored.algorithm.name === 'HMAC') return stored;
    const key = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    await set(KEY_NAME, key, db());
    return key;
  };
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

/** The `state`s of the transactions stored in `db` (read when a worker life begins). */
export function storedStatesIn(db: () => UseStore): () => Promise<string[]> {
  return async () =>
    (await keys(db()))
      .filter((key): key is string => typeof key === 'string' && key.startsWith(PREFIX))
      .map((key) => key.slice(PREFIX.length));
}

/**
 * Wraps `inner` (the IndexedDB store) so that only transactions this worker created are
 * returned. `storedStates` is called at once: what is stored when this life begins.
 */
export function sealTransactions(
  inner: TransactionStore,
  key: () => Promise<CryptoKey>,
  storedStates: () => Promise<string[]>,
): TransactionStore {
  const created = new Map<string, LoginTransaction>();
  const inherited = storedStates().then(
    (states) => new Set(states),
    () => new Set<string>(),
  );
  return {
    async save(transaction) {
      created.set(transaction.state, transaction);
      const signature = await crypto.subtle.sign('HMAC', await key(), signedBytes(transaction));
      await inner.save({ ...transaction, seal: encodeBase64url(signature) } as LoginTransaction);
    },
    async take(state, now) {
      // Taken from memory before any await: a second callback for the same state finds none.
      const mine = created.get(state);
      created.delete(state);
      const stored = (await inner.take(state, now)) as Sealed | undefined;
      if (mine) return mine.expiresAt > now ? mine : undefined;
      if (!stored || !(await inherited).has(state) || typeof stored.seal !== 'string') {
        return undefined;
      }
      const seal = decodeBase64url(stored.seal) as Uint8Array<ArrayBuffer> | undefined;
      const valid =
        seal !== undefined &&
        (await crypto.subtle
          .verify('HMAC', await key(), seal, signedBytes(stored))
          .catch(() => false));
      if (!valid) return undefined;
      const { seal: _, ...transaction } = stored;
      return transaction;
    },
    async prune(now) {
      for (const [state, transaction] of created) {
        if (transaction.expiresAt <= now) created.delete(state);
      }
      await inner.prune(now);
    },
  };
}
