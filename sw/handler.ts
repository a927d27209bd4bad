/**
 * `createTokenHandler`: the service-worker side of identity-model-web, composable with an
 * existing (e.g. Workbox) worker or used through `listen()` on its own.
 *
 * @module
 */

import { type ResolvedConfig, resolveConfig, type TokenHandlerConfig } from './config.js';
import { createContext } from './context.js';
import { createFetchHandler } from './fetch.js';
import { createMessageHandler } from './messages.js';
import { createRecovery } from './recover.js';
import { createTokenSource } from './tokens.js';

/** Options of {@link TokenHandler.listen}. */
export interface ListenOptions {
  /**
   * Activate a new worker version at once (`skipWaiting`), so an update takes over open pages.
   * The old worker's tokens die with it; pages are told the session expired. Default `true`.
   */
  skipWaiting?: boolean;
}

/** The token handler of a service worker. */
export interface TokenHandler {
  /**
   * Handles a `FetchEvent` when it is the library's (an allowlisted API request while signed in,
   * or the redirect-URI navigation): calls `respondWith` and returns `true`. Otherwise returns
   * `false` and leaves the event to the app's other handlers or the network.
   */
  handleFetch(event: FetchEvent): boolean;
  /** Handles a page's message when it is the library's (returns `true`), else `false`. */
  handleMessage(event: ExtendableMessageEvent): boolean;
  /**
   * Adds `install`, `activate` (which claims open pages), `fetch` and `message` listeners to
   * the worker: the whole setup for a worker that does nothing else.
   */
  listen(options?: ListenOptions): void;
  /** The checked configuration. */
  readonly config: ResolvedConfig;
}

declare const self: ServiceWorkerGlobalScope;

/**
 * Creates the token handler. The configuration is checked once, here, and frozen: no page
 * message can change the issuer, the client, the redirect URIs or the allowlist.
 *
 * @example In an app's own service worker (e.g. next to Workbox routes):
 * ```ts
 * import { createTokenHandler } from 'identity-model-web/sw';
 *
 * const identity = createTokenHandler({
 *   issuer: 'https://op.example',
 *   clientId: 'spa',
 *   redirectUri: `${self.location.origin}/callback`,
 *   postLogoutRedirectUri: `${self.location.origin}/`,
 *   scope: 'openid profile offline_access',
 *   apis: [{ url: 'https://api.example.com/v1/', resource: 'https://api.example.com' }],
 * });
 * self.addEventListener('fetch', (event) => {
 *   if (identity.handleFetch(event)) return;
 *   // … the app's own routes
 * });
 * self.addEventListener('message', (event) => identity.handleMessage(event));
 * self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
 * ```
 */
export function createTokenHandler(config: TokenHandlerConfig): TokenHandler {
  const resolved = resolveConfig(config);
  // A worker the browser restarted for an event is already active (its first run is `parsed`).
  const restarted = self.serviceWorker?.state === 'activated';
  const context = createContext(resolved, self.clients, resolved.now, {}, restarted);
  const tokens = createTokenSource(context);
  // Without DPoP-bound persisted tokens, a restarted worker signs in again silently (recover.ts).
  const recovery = resolved.silentRecovery ? createRecovery(context, self.clients) : undefined;
  if (recovery) context.setResumer(recovery.run);
  const handleFetch = createFetchHandler(context, tokens, recovery);
  const handleMessage = createMessageHandler(context, tokens, () => self.clients.claim());
  return {
    config: resolved,
    handleFetch,
    handleMessage,
    listen(options = {}) {
      const skipWaiting = options.skipWaiting ?? true;
      self.addEventListener('install', (event) => {
        if (skipWaiting) event.waitUntil(self.skipWaiting());
      });
      self.addEventListener('activate', (event) => {
        // Once in charge: take the open pages, and (after an update) tell them the previous
        // worker's session ended with it.
        event.waitUntil(self.clients.claim().then(() => context.wake()));
      });
      self.addEventListener('fetch', (event) => {
        handleFetch(event);
      });
      self.addEventListener('message', (event) => {
        handleMessage(event);
      });
    },
  };
}
