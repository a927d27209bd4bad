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
import { publicUser, type Session } from './session.js';
import { createSessionMarker, type SessionMarker } from './session-marker.js';
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
  /** The current session, if any (memory only). */
  readonly session: Session | undefined;
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
}

/** Creates the context, and starts reading the session marker (never on a fetch's path). */
export function createContext(
  config: ResolvedConfig,
  clients: ClientsLike,
  now: () => number = Date.now,
  stores: ContextStores = {},
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
  const restore = () => {
    restoring ??= (async () => {
      if (state !== undefined) return;
      const had = await marker.had().catch(() => false);
      if (state !== undefined) return;
      state = had ? 'expired' : 'unauthenticated';
      if (!had) return;
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
      await marker.mark(true).catch(() => {});
      await broadcast({ type: 'userchanged', state: 'authenticated', user: publicUser(next) });
    },
    async endSession(next) {
      const had = session !== undefined || state === 'expired';
      session = undefined;
      state = next;
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
