/**
 * Sign-in transactions (state, nonce, PKCE verifier, where to return), kept in IndexedDB so a
 * sign-in survives the browser stopping the worker while the user is at the provider. Each is
 * deleted when its callback arrives (single use) or when it expires.
 *
 * IndexedDB is readable by page script; a transaction lives only while the user is at the
 * provider and holds no token (see the security notes in docs/security.md).
 *
 * @module
 */

import { createStore, del, entries, set, type UseStore } from 'idb-keyval';

/** One pending sign-in. */
export interface LoginTransaction {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  /** Same-origin URL to land on afterwards. */
  readonly returnTo: string;
  /** `max_age` sent, in seconds (the ID token's `auth_time` is then checked). */
  readonly maxAge: number | undefined;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

/** The transaction store. */
export interface TransactionStore {
  save(transaction: LoginTransaction): Promise<void>;
  /** Returns and deletes the transaction for `state` (undefined when absent or expired). */
  take(state: string, now: number): Promise<LoginTransaction | undefined>;
  /** Deletes expired transactions. */
  prune(now: number): Promise<void>;
}

const KEY_PREFIX = 'login:';

function isTransaction(value: unknown): value is LoginTransaction {
  const t = value as LoginTransaction | null;
  return (
    typeof t === 'object' &&
    t !== null &&
    typeof t.state === 'string' &&
    typeof t.nonce === 'string' &&
    typeof t.codeVerifier === 'string' &&
    typeof t.redirectUri === 'string' &&
    typeof t.returnTo === 'string' &&
    typeof t.expiresAt === 'number'
  );
}

/** The login database's name unless the worker config's `databases.transactions` names another. */
export const DEFAULT_LOGIN_DATABASE = 'identity-model-web-login';

/** One store per database name, shared by every caller in the worker. */
const stores = new Map<string, UseStore>();

/**
 * The worker's own IndexedDB database for sign-in state (transactions, the session marker, the
 * DPoP key and the persisted session), opened on first use and then shared.
 */
export function loginDatabase(databaseName: string): () => UseStore {
  return () => {
    let store = stores.get(databaseName);
    if (!store) {
      store = createStore(databaseName, 'transactions');
      stores.set(databaseName, store);
    }
    return store;
  };
}

/** Creates the store in the worker's login database (see {@link loginDatabase}). */
export function createTransactionStore(db: () => UseStore): TransactionStore {
  return {
    save: (transaction) => set(KEY_PREFIX + transaction.state, transaction, db()),
    async take(state, now) {
      const key = KEY_PREFIX + state;
      // Read and delete in one IndexedDB transaction: two callbacks for the same state cannot
      // both get it.
      const value = await db()(
        'readwrite',
        (store) =>
          new Promise<unknown>((resolve, reject) => {
            const request = store.get(key);
            request.onsuccess = () => {
              if (request.result !== undefined) store.delete(key);
              resolve(request.result);
            };
            request.onerror = () => reject(request.error);
          }),
      );
      return isTransaction(value) && value.state === state && value.expiresAt > now
        ? value
        : undefined;
    },
    async prune(now) {
      for (const [key, value] of await entries(db())) {
        if (typeof key !== 'string' || !key.startsWith(KEY_PREFIX)) continue;
        if (!isTransaction(value) || value.expiresAt <= now) await del(key, db());
      }
    },
  };
}
