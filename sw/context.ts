/**
 * The worker's shared state: configuration, metadata cache (IndexedDB), the session in memory,
 * and telling pages when the user changes.
 *
 * @module
 */

import { createIndexedDbStore } from '../src/core/cache/idb-store.js';
import { createMetadataCache, type MetadataCache } from '../src/core/cache/metadata-cache.js';
import type { DiscoveryDocument } from '../src/core/discovery/document.js';
import { type DiscoveryHandle, discoveryHandle } from '../src/core/worker-api.js';
import {
  type EventEnvelope,
  MESSAGE_TAG,
  PROTOCOL_VERSION,
  type SessionState,
  type UserState,
  type WorkerEvent,
} from '../src/protocol/messages.js';
import type { ResolvedConfig } from './config.js';
import { responseModeWarning } from './config-advice.js';
import { createDpopKeyStore, type DpopKeyStore } from './dpop-key.js';
import { publicUser, type Session } from './session.js';
import { createSessionMarker, type SessionMarker } from './session-marker.js';
import { createSessionStore, type SessionStore, sessionName } from './session-store.js';
import { sealKeyIn, sealTransactions, storedStatesIn } from './transaction-seal.js';
import { createTransactionStore, loginDatabase, type TransactionStore } from './transactions.js';

/** What every part of the worker shares. */
export interface WorkerContext {
  readonly config: ResolvedConfig;
  readonly cache: MetadataCache;
  readonly transactions: TransactionStore;
  readonly now: () => number;
  /** The provider's discovery document (memory, then IndexedDB, then network). */
  discovery(): Promise<DiscoveryDocument>;
  /**
   * The discovery document without I/O: the fresh one in memory, else the last one this worker
   * loaded (expired documents stay usable for deciding what the provider's endpoints are; a
   * reload is then started in the background, kept alive by `waitUntil`).
   */
  peekDiscovery(waitUntil?: (promise: Promise<unknown>) => void): DiscoveryDocument | undefined;
  /**
   * Reads the session marker once (a restarted worker reports `expired` and tells the pages).
   * Called from the fetch, message and activate handlers: only an active worker does it.
   */
  wake(): Promise<void>;
  /** Whether {@link wake} has finished (the hot path then skips it). */
  readonly awake: boolean;
  /** The current session, if any (in memory; a DPoP-bound one is also persisted). */
  readonly session: Session | undefined;
  /** The worker's DPoP key pair for this (issuer, client), in IndexedDB. */
  readonly dpopKeys: DpopKeyStore;
  /**
   * Writes `session` to IndexedDB when it is DPoP-bound and still the current session (after
   * every earlier write: a sign-out's deletion is never overtaken by a refresh's write).
   */
  persist(session: Session): Promise<void>;
  /** Deletes the persisted session and the DPoP key from IndexedDB (in order with writes). */
  unpersist(): Promise<void>;
  /** The session state as last set (undefined before {@link wake} has read the marker). */
  readonly state: SessionState | undefined;
  /**
   * Sets what a restarted worker does when the marker says it had a session: the state is
   * `resuming` while `resume` runs (recover.ts), instead of `expired` at once.
   */
  setResumer(resume: () => Promise<void>): void;
  /** The running recovery, if any: settles when it has ended either way. */
  readonly resuming: Promise<void> | undefined;
  /** The session state (after {@link restore} has run once). */
  userState(): Promise<UserState>;
  /** Starts a session (after a callback) and tells every page. */
  startSession(session: Session): Promise<void>;
  /** Ends the session: `unauthenticated` (sign-out) or `expired` (refresh refused). */
  endSession(state: 'unauthenticated' | 'expired'): Promise<void>;
  /** Sends an event to every window of this origin. */
  broadcast(event: WorkerEvent): Promise<void>;
}

/** Where events go: the worker's clients (replaceable in tests of the composable handler). */
export type ClientsLike = Pick<Clients, 'matchAll'>;

/** Stores that replace the IndexedDB ones (Node tests have no IndexedDB). */
export interface ContextStores {
  readonly cache?: MetadataCache;
  readonly transactions?: TransactionStore;
  readonly marker?: SessionMarker;
  readonly dpopKeys?: DpopKeyStore;
  readonly sessions?: SessionStore;
}

/**
 * Creates the context. With `readAtOnce` (the worker is the registration's active one: the
 * browser restarted it for an event), the persisted session is read at once, while the browser
 * is still dispatching that event; otherwise at the first event (never on a fetch's path).
 */
export function createContext(
  config: ResolvedConfig,
  clients: ClientsLike,
  now: () => number = Date.now,
  stores: ContextStores = {},
  readAtOnce = false,
): WorkerContext {
  const cache =
    stores.cache ??
    createMetadataCache({
      store: createIndexedDbStore(config.databases.metadata, 'metadata'),
      now,
    });
  const database = loginDatabase(config.databases.transactions);
  // Only transactions this worker created count (IndexedDB is page-writable): transaction-seal.ts.
  const transactions =
    stores.transactions ??
    sealTransactions(
      createTransactionStore(database),
      sealKeyIn(database),
      storedStatesIn(database),
    );
  const marker = stores.marker ?? createSessionMarker(database);
  const dpopKeys = stores.dpopKeys ?? createDpopKeyStore(database, config.issuer, config.clientId);
  const sessions =
    stores.sessions ??
    createSessionStore(database, sessionName(config.issuer, config.clientId), dpopKeys.name);
  // Writes and deletions of the persisted session, in order.
  let writes: Promise<unknown> = Promise.resolve();
  const queue = (work: () => Promise<unknown>) => {
    const next = writes.then(work, work);
    writes = next.catch(() => {});
    return next.then(() => {});
  };
  /** The persisted DPoP-bound session, if there is one this configuration may use. */
  const resume = async (): Promise<Session | undefined> => {
    if (!config.dpop) {
      // DPoP turned off in a new worker version: what the previous one bound is not used.
      await sessions.clear();
      return undefined;
    }
    return sessions.load(dpopKeys);
  };
  // Only an active worker reads early: a waiting one runs its script too, and what it read now
  // could be stale (a rotated refresh token) by the time it takes over. An active worker is the
  // only writer, and every write of its own comes after this read is used (or ignored).
  let early = readAtOnce && config.dpop ? resume() : undefined;
  early?.catch(() => {});
  const disco: DiscoveryHandle = discoveryHandle({
    ...config.http,
    issuer: config.issuer,
    discoveryPolicy: config.discoveryPolicy,
    cache,
  });
  let session: Session | undefined;
  let state: SessionState | undefined;
  // The marker survives a stopped worker (tokens do not): a restarted worker that finds it
  // knows the session it had is gone, reports `expired` and tells the open pages. Once a page
  // has been told, the marker is cleared, so the next restart (the browser stops idle workers
  // often) is quiet and reports `unauthenticated`, as after a refused refresh.
  let restoring: Promise<void> | undefined;
  let awake = false;
  let resumer: (() => Promise<void>) | undefined;
  let resuming: Promise<void> | undefined;
  const restore = () => {
    restoring ??= (async () => {
      if (state !== undefined) return;
      // A DPoP-bound session persisted by this worker before it was stopped: resume it, quietly
      // (the pages still think they are signed in, and they are).
      const resumed = await (early ?? resume()).catch(() => undefined);
      early = undefined;
      if (state !== undefined) return;
      if (resumed) {
        session = resumed;
        state = 'authenticated';
        return;
      }
      const had = await marker.had().catch(() => false);
      if (state !== undefined) return;
      state = had ? 'expired' : 'unauthenticated';
      if (!had) return;
      if (resumer) {
        state = 'resuming';
        const running = resumer()
          .catch(() => {})
          .finally(() => {
            if (resuming === running) resuming = undefined;
          });
        resuming = running;
        return;
      }
      const told = await broadcast({ type: 'sessionexpired', state: 'expired', user: null }).catch(
        () => 0,
      );
      if (told > 0 && state === 'expired') await marker.mark(false).catch(() => {});
    })().finally(() => {
      awake = true;
    });
    return restoring;
  };
  // Not at script start: a worker that is installed but waiting also runs its script, and must
  // not tell pages that the session of the worker still in charge has expired.
  let lastDiscovery: DiscoveryDocument | undefined;
  let reloading = false;
  let advised = false;
  const loadDiscovery = async () => {
    lastDiscovery = await disco.get();
    if (!advised) {
      advised = true;
      const warning = responseModeWarning(lastDiscovery, config.redirectUri.href);
      if (warning) {
        console.warn(`identity-model-web: ${warning.message}`);
        broadcast(warning).catch(() => {});
      }
    }
    return lastDiscovery;
  };

  /** Sends `event` to every window; resolves with how many there were. */
  async function broadcast(event: WorkerEvent): Promise<number> {
    const envelope: EventEnvelope = { tag: MESSAGE_TAG, v: PROTOCOL_VERSION, event };
    const windows = await clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const client of windows) client.postMessage(envelope);
    return windows.length;
  }

  return {
    config,
    cache,
    transactions,
    now,
    discovery: loadDiscovery,
    peekDiscovery(waitUntil) {
      const fresh = disco.peek();
      if (fresh) return fresh;
      if (lastDiscovery && waitUntil && !reloading) {
        reloading = true;
        waitUntil(
          loadDiscovery()
            .catch(() => {})
            .finally(() => {
              reloading = false;
            }),
        );
      }
      return lastDiscovery;
    },
    wake: restore,
    get awake() {
      return awake;
    },
    get session() {
      return session;
    },
    dpopKeys,
    persist: (next) =>
      queue(async () => {
        if (next.dpop && session === next) await sessions.save(next);
      }),
    unpersist: () => {
      dpopKeys.forget();
      return queue(() => sessions.clear());
    },
    get state() {
      return state;
    },
    setResumer(resume) {
      resumer = resume;
    },
    get resuming() {
      return resuming;
    },
    async userState() {
      await restore();
      // A page that learns of the expiry from its own question has been told: clear the marker,
      // so the next restart is quiet (as after a broadcast that reached a window).
      if (state === 'expired' && !session) await marker.mark(false).catch(() => {});
      return { state: state ?? 'unauthenticated', user: session ? publicUser(session) : null };
    },
    async startSession(next) {
      session = next;
      state = 'authenticated';
      // A new sign-in replaces what an earlier one persisted: its own record, or none.
      await queue(() => (next.dpop ? sessions.save(next) : sessions.clear())).catch(() => {});
      await marker.mark(true).catch(() => {});
      await broadcast({ type: 'userchanged', state: 'authenticated', user: publicUser(next) });
    },
    async endSession(next) {
      const had = session !== undefined || state === 'expired';
      session = undefined;
      state = next;
      // Sign-out and a dead refresh token end the key's life too: the next sign-in makes a new one.
      dpopKeys.forget();
      await queue(() => sessions.clear()).catch(() => {});
      await marker.mark(false).catch(() => {});
      if (next === 'expired')
        await broadcast({ type: 'sessionexpired', state: 'expired', user: null });
      else if (had) await broadcast({ type: 'userchanged', state: 'unauthenticated', user: null });
    },
    async broadcast(event) {
      await broadcast(event);
    },
  };
}
