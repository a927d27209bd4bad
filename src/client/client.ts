/**
 * `createIdentityClient`: the page's side. It registers the worker (workbox-window), makes sure
 * the page is controlled, and talks to the worker by typed messages. It never sees a refresh
 * token, and an access token only for URLs the worker configuration names.
 *
 * @module
 */

import { Workbox } from 'workbox-window/build/workbox-window.prod.mjs';
import { WorkerError } from '../protocol/errors.js';
import {
  type EventEnvelope,
  isTagged,
  type LoginOptions,
  type LogoutOptions,
  PROTOCOL_VERSION,
  type RequestMap,
  type RequestType,
  type SessionState,
  type UserState,
  type WorkerEvent,
} from '../protocol/messages.js';
import { request } from './channel.js';
import { createKeepAliveClock } from './keep-alive.js';
import { hintedEvent } from './setup-hints.js';
import { handleSilentSignIn } from './silent-frame.js';
import { workerStartError } from './start-failure.js';

/** Options of {@link createIdentityClient}. */
export interface IdentityClientOptions {
  /**
   * The worker script URL to register (with workbox-window), or a registration the app made
   * itself.
   */
  serviceWorker: string | URL | ServiceWorkerRegistration;
  /** Registration scope. Default: the script's directory. */
  scope?: string;
  /** `module` for a worker written as an ES module. Default `classic`. */
  type?: WorkerType;
  /**
   * How long to wait for the worker's reply to any request, in milliseconds. Default `30000`
   * (the worker's own calls to the provider time out after 10 s each by default).
   */
  timeout?: number;
  /** Navigates the page (to the provider, or to its end-session URL). Default `location.assign`. */
  navigate?: (url: string) => void;
  /**
   * Seconds between the keep-alive messages this page sends the worker while the user is signed
   * in, so that the browser does not stop it for idleness (Chromium and Firefox stop an idle
   * worker after about 30 s, and the tokens in its memory with it). Default `20`; `0` turns the
   * keep-alive off. It starts when the page learns the session is `authenticated` (from
   * `ready()`, which every method waits for, or a `userchanged` event) and stops when it learns
   * otherwise (sign-out, `sessionexpired`, or a keep-alive reply).
   */
  keepAliveInterval?: number;
}

/** The page's API. Every method waits for {@link IdentityClient.ready} first. */
export interface IdentityClient {
  /** Resolves once the worker controls the page and speaks this protocol version. */
  ready(): Promise<UserState>;
  /** Starts a sign-in: the worker prepares it, then the page navigates to the provider. */
  login(options?: LoginOptions): Promise<void>;
  /**
   * Completes a sign-in from a callback URL the worker did not handle itself (by default the
   * worker answers the redirect-URI navigation and this is not needed). Cleans the URL.
   */
  handleCallback(url?: string): Promise<
    UserState & {
      /** Where the sign-in asked to land (`LoginOptions.returnTo`): navigate there. */
      returnTo: string;
    }
  >;
  /** Signs out (tokens revoked and cleared in the worker), then goes to the provider's end-session page if it has one. */
  logout(options?: LogoutOptions): Promise<void>;
  /**
   * The signed-in user's claims and expiry (no tokens), and the session state: `authenticated`,
   * `resuming` (a restarted worker is signing the user in again silently: show a spinner; a
   * `userchanged` or `sessionexpired` event follows), `expired` (offer sign-in) or
   * `unauthenticated`.
   */
  getUser(): Promise<UserState>;
  /** Validates a token (e.g. received over a WebSocket) with the worker's cached provider keys. */
  validateToken(
    jwt: string,
    options?: { audience?: string | readonly string[]; typ?: string },
  ): Promise<Record<string, unknown>>;
  /** The access token for `url`, only when the worker configuration lists it in `pageTokenUrls`. */
  getAccessToken(url: string): Promise<string>;
  /**
   * Calls `listener` for `userchanged` (state `authenticated`, `resuming` or `unauthenticated`),
   * `sessionexpired` and `error` events. Returns the unsubscribe function.
   */
  subscribe(listener: (event: WorkerEvent) => void): () => void;
  /**
   * `true` when this page is the landing of the host's callback guard
   * (`?login_error=ERR_CALLBACK_WITHOUT_WORKER`): the redirect URI reached the server, so no
   * worker was there to take the sign-in (unregistered, not installed, or bypassed). The client
   * registers the worker again as always, and once it controls the page, listeners get an
   * `error` event with that code.
   */
  readonly workerWasMissing: boolean;
}

/**
 * Creates the page client.
 *
 * @example
 * ```ts
 * import { createIdentityClient } from 'identity-model-web';
 *
 * const identity = createIdentityClient({ serviceWorker: '/sw.js' });
 * identity.subscribe((event) => render(event));
 * const { state, user } = await identity.getUser();
 * if (state === 'expired' || state === 'unauthenticated') await identity.login();
 * const orders = await fetch('https://api.example.com/v1/orders'); // the worker adds the token
 * ```
 */
export function createIdentityClient(options: IdentityClientOptions): IdentityClient {
  const timeout = options.timeout ?? 30_000;
  const navigate = options.navigate ?? ((url: string) => location.assign(url));
  const listeners = new Set<(event: WorkerEvent) => void>();
  let readyPromise: Promise<UserState> | undefined;
  const keepAliveInterval = options.keepAliveInterval ?? 20;

  if (!('serviceWorker' in navigator)) {
    throw new WorkerError(
      'ERR_WORKER_UNAVAILABLE',
      'Service workers are not available in this browser or context (https or localhost is required)',
    );
  }
  const container = navigator.serviceWorker;

  // Each tick goes to the worker controlling the page now, so after an update it follows the
  // new one; a tick is an ordinary event and does not hold an update back.
  const keepAlive = createKeepAliveClock(() => {
    const worker = container.controller;
    if (!worker) return;
    // A worker of an older version refuses the type, and is kept awake by the message all the same.
    const onReply = followReply();
    request(worker, 'keepAlive', {}, timeout).then(
      ({ state }) => onReply(state),
      () => {},
    );
  }, keepAliveInterval * 1000);
  // How many times the page has learned the state. A reply travels on its own channel and events
  // on the container's, so a reply can arrive after an event the worker sent later (a keepAlive
  // answered just before a sign-out): it counts only when nothing was learned since its request.
  let learned = 0;
  /** Keeps the worker awake exactly while the session is `authenticated`. */
  function follow(state: SessionState): void {
    learned++;
    if (state === 'authenticated' && keepAliveInterval > 0) keepAlive.start();
    else keepAlive.stop();
  }
  /** A {@link follow} for the reply of a request about to be sent. */
  function followReply(): (state: SessionState) => void {
    const asked = learned;
    return (state) => {
      if (learned === asked) follow(state);
    };
  }

  container.addEventListener('message', (event: MessageEvent<unknown>) => {
    // A restarted worker's silent sign-in (sw/recover.ts): it needs a frame only a page can make.
    if (handleSilentSignIn(event.data, event.ports[0], navigate)) return;
    const data = event.data as EventEnvelope;
    if (!isTagged(data) || data.v !== PROTOCOL_VERSION || typeof data.event !== 'object') return;
    if ('state' in data.event) follow(data.event.state);
    // The worker reports setup mistakes by code; what to change is added here (setup-hints.ts).
    const workerEvent = hintedEvent(data.event);
    for (const listener of listeners) {
      // One listener that throws must not keep the event from the others.
      try {
        listener(workerEvent);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  });
  container.startMessages();

  async function registration(): Promise<ServiceWorkerRegistration> {
    const given = options.serviceWorker;
    if (typeof given === 'object' && !(given instanceof URL)) return given;
    const workbox = new Workbox(String(given), {
      ...(options.scope === undefined ? {} : { scope: options.scope }),
      ...(options.type === undefined ? {} : { type: options.type }),
    });
    // The browser's bare refusal becomes a typed error naming the likely cause.
    const registered = await workbox.register().catch((error: unknown) => {
      throw workerStartError(String(given), error);
    });
    if (!registered)
      throw new WorkerError('ERR_WORKER_UNAVAILABLE', 'The service worker could not be registered');
    return registered;
  }

  /** Waits until a worker controls the page; a hard reload leaves it uncontrolled, so ask the active worker to claim it. */
  async function controller(): Promise<ServiceWorker> {
    const reg = await registration();
    if (container.controller) return container.controller;
    const controlled = new Promise<ServiceWorker>((resolve) => {
      container.addEventListener('controllerchange', () => resolve(container.controller!), {
        once: true,
      });
    });
    // `ready` never settles when the worker fails to install or the page is outside its scope.
    const active =
      reg.active ??
      (
        await Promise.race([
          container.ready,
          new Promise<undefined>((resolve) => setTimeout(resolve, timeout)),
        ])
      )?.active;
    if (container.controller) return container.controller;
    if (!active) throw new WorkerError('ERR_WORKER_UNAVAILABLE', 'No active service worker');
    await request(active, 'claim', {}, timeout);
    const worker = await Promise.race([
      controlled,
      new Promise<undefined>((resolve) => setTimeout(resolve, timeout)),
    ]);
    if (!worker)
      throw new WorkerError(
        'ERR_WORKER_UNAVAILABLE',
        'The service worker did not take control of this page',
      );
    return worker;
  }

  // The worker this page last greeted. An updated worker takes over open pages (skipWaiting,
  // clients.claim) holding none of the old one's tokens; greeting it makes sure it has read its
  // session marker and told every page (`sessionexpired`).
  let greeted: ServiceWorker | undefined;
  container.addEventListener('controllerchange', () => {
    const next = container.controller;
    if (!greeted || !next || next === greeted) return;
    readyPromise = undefined;
    ready().catch(() => {});
  });

  const workerWasMissing =
    new URLSearchParams(location.search).get('login_error') === 'ERR_CALLBACK_WITHOUT_WORKER';
  let reportMissing = workerWasMissing;

  const ready = () => {
    if (!readyPromise) {
      const starting = controller().then(async (worker) => {
        const onReply = followReply();
        const state = await request(worker, 'hello', {}, timeout);
        greeted = worker;
        onReply(state.state);
        if (reportMissing) {
          reportMissing = false;
          const error = new WorkerError(
            'ERR_CALLBACK_WITHOUT_WORKER',
            'The sign-in reached the server without the service worker; it is registered again',
          );
          const event: WorkerEvent = {
            type: 'error',
            error: { name: error.name, code: error.code, message: error.message },
          };
          // Queued: a listener that throws must not fail ready().
          for (const listener of listeners) queueMicrotask(() => listener(event));
        }
        return state;
      });
      readyPromise = starting;
      // A failed start may succeed later (e.g. after the worker is updated): forget the failure,
      // unless a newer start has replaced it already.
      starting.catch(() => {
        if (readyPromise === starting) readyPromise = undefined;
      });
    }
    return readyPromise;
  };

  const send = async <T extends RequestType>(type: T, payload: RequestMap[T]['request']) => {
    await ready();
    const worker = container.controller;
    if (!worker)
      throw new WorkerError('ERR_WORKER_UNAVAILABLE', 'No service worker controls this page');
    return request(worker, type, payload, timeout);
  };

  return {
    ready,
    async login(loginOptions = {}) {
      const { url } = await send('login', { ...loginOptions, currentUrl: location.href });
      navigate(url);
    },
    async handleCallback(url = location.href) {
      const result = await send('callback', { url });
      if (url === location.href) history.replaceState(history.state, '', result.returnTo);
      return result;
    },
    async logout(logoutOptions = {}) {
      const { endSessionUrl } = await send('logout', logoutOptions);
      if (endSessionUrl) navigate(endSessionUrl);
    },
    getUser: () => send('getUser', {}),
    async validateToken(jwt, validation = {}) {
      return (await send('validateToken', { token: jwt, ...validation })).claims;
    },
    async getAccessToken(url) {
      return (await send('getAccessToken', { url })).accessToken;
    },
    workerWasMissing,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
