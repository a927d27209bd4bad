/**
 * The fetch handler: attaches the access token to requests for allowlisted APIs (`Bearer`, or
 * `DPoP` with a proof for DPoP-bound tokens: dpop-fetch.ts), and handles the redirect-URI
 * navigation of a sign-in.
 *
 * The hot path (a fresh token in memory) reads memory only: no IndexedDB, no await before the
 * network request.
 *
 * @module
 */

import type { DiscoveryDocument } from '../src/core/discovery/document.js';
import { DISCOVERY_MEMBERS } from '../src/core/discovery/members.js';
import { OIDC_DISCOVERY_PATH, parseDiscoveryUrl } from '../src/core/discovery/url.js';
import { dpopChallengeError, isChallenge } from '../src/core/worker-api.js';
import { serializeError } from '../src/protocol/messages.js';
import { type CompiledEntry, lenientPath, matchAllowlist } from './allowlist.js';
import { redirectWithFragment, responseModeRefusal } from './callback-response.js';
import type { WorkerContext } from './context.js';
import { unreadableChallengeWarning } from './cors-advice.js';
import { allowsDestination } from './destination.js';
import { bearerOnly, dpopFetch } from './dpop-fetch.js';
import { completeLogin, isCallbackUrl } from './login.js';
import { logoutRoute } from './logout-route.js';
import type { Recovery } from './recover.js';
import { type AccessToken, isDpopTokenType } from './session.js';
import type { TokenSource } from './tokens.js';

/** Request bodies up to this size are replayed once after a refresh (larger ones are not). */
const MAX_REPLAY_BODY = 1024 * 1024;

// The provider's own endpoints never get an API token, even when an allowlist entry covers them.
// Providers route loosely (oidc-provider serves `/TOKEN` and `/jwks/` as its endpoints), so
// paths are compared in a loose form: lenient (see allowlist.ts), lowercase, no trailing `/`.
/** Loose endpoint paths by origin, per discovery document. */
type Endpoints = ReadonlyMap<string, ReadonlySet<string>>;
const providerUrls = new WeakMap<DiscoveryDocument, Endpoints>();

function providerEndpoints(disco: DiscoveryDocument, issuer: string): Endpoints {
  let endpoints = providerUrls.get(disco);
  if (!endpoints) {
    const map = new Map<string, Set<string>>();
    const add = (href: string) => {
      const url = new URL(href); // discovery checked these are absolute URLs
      const paths = map.get(url.origin) ?? new Set<string>();
      paths.add(loosePath(url));
      map.set(url.origin, paths);
    };
    add(parseDiscoveryUrl(issuer).url);
    add(`${disco.issuer}${OIDC_DISCOVERY_PATH}`);
    for (const [name, camel, kind] of DISCOVERY_MEMBERS) {
      const value = (disco as Record<string, unknown>)[camel];
      if (kind === 'url' && name !== 'userinfo_endpoint' && typeof value === 'string') add(value);
    }
    endpoints = map;
    providerUrls.set(disco, endpoints);
  }
  return endpoints;
}

function loosePath(url: URL): string {
  return lenientPath(url.pathname).toLowerCase().replace(/\/+$/, '');
}

/**
 * True when `url` is one of the provider's endpoints, or any `.well-known` document on the
 * issuer's origin (RFC 8414 metadata, WebFinger…). Without the discovery document the whole
 * issuer origin counts: a failed discovery must not open the token endpoint.
 */
function isProviderUrl(
  url: URL,
  disco: DiscoveryDocument | undefined,
  issuer: string,
  issuerOrigin: string,
): boolean {
  if (url.origin === issuerOrigin) {
    if (!disco || /(^|\/)\.well-known(\/|$)/.test(loosePath(url))) return true;
  }
  const paths = disco && providerEndpoints(disco, issuer).get(url.origin);
  return paths?.has(loosePath(url)) === true;
}

function withToken(request: Request, token: AccessToken, body?: ArrayBuffer): Request {
  const headers = new Headers(request.headers);
  headers.set('authorization', `Bearer ${token.token}`);
  return new Request(request, body === undefined ? { headers } : { headers, body });
}

/**
 * A 401 with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1), or its `DPoP`
 * form for a DPoP-bound token (RFC 9449 §7.1).
 */
function isInvalidTokenChallenge(response: Response, token: AccessToken): boolean {
  if (response.status !== 401) return false;
  const header = response.headers.get('www-authenticate');
  return isDpopTokenType(token.tokenType)
    ? dpopChallengeError(header) === 'invalid_token'
    : isChallenge(header, 'Bearer', 'invalid_token');
}

/**
 * The fetch handler of a worker: handles `event` when it is the library's to handle
 * (`respondWith` called, returns `true`); otherwise leaves it alone and returns `false`, so the
 * app's own handlers (or the network) take it.
 */
export type FetchHandler = (event: FetchEvent) => boolean;

/** Creates the fetch handler; `recovery` answers the navigations of a silent sign-in. */
export function createFetchHandler(
  context: WorkerContext,
  tokens: TokenSource,
  recovery?: Recovery,
): FetchHandler {
  const { config } = context;
  const issuerOrigin = new URL(parseDiscoveryUrl(config.issuer).issuer).origin;
  const logout = logoutRoute(context);

  async function authorized(
    request: Request,
    api: CompiledEntry,
    waitUntil: (promise: Promise<unknown>) => void,
  ): Promise<Response> {
    // Never waits for the provider: the last known document decides what its endpoints are (an
    // expired one is reloaded in the background); with none yet, its whole origin is excluded.
    const disco = context.peekDiscovery(waitUntil);
    if (isProviderUrl(new URL(request.url), disco, config.issuer, issuerOrigin)) {
      return fetch(request);
    }
    // A request body is read into memory, so the request can be replayed once after a refresh.
    // (Chromium does not show a service worker the body's length in advance.) Bodies over
    // MAX_REPLAY_BODY are still sent, but not replayed.
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const body = hasBody ? await request.arrayBuffer() : undefined;
    const replayable = body === undefined || body.byteLength <= MAX_REPLAY_BODY;
    const plain = () => fetch(body === undefined ? request : new Request(request, { body }));
    // A DPoP-bound session has no token for an API that takes Bearer tokens only (allowlist.ts).
    if (bearerOnly(context, api)) return plain();
    const token = tokens.fresh(api) ?? (await tokens.get(api));
    if (!token) return plain();
    const send = (current: AccessToken) => {
      if (!isDpopTokenType(current.tokenType)) return fetch(withToken(request, current, body));
      const dpop = context.session?.dpop;
      // A bound token without its key (the session was unbound meanwhile) is worth nothing.
      return dpop ? dpopFetch(context, dpop, request, current, body, replayable) : plain();
    };
    const response = await send(token);
    const hidden = unreadableChallengeWarning(response, request.url);
    if (hidden) {
      console.warn(`identity-model-web: ${hidden.message}`);
      waitUntil(context.broadcast(hidden).catch(() => {}));
    }
    if (!replayable || !isInvalidTokenChallenge(response, token)) return response;
    const renewed = await tokens.renew(api, token.token);
    if (!renewed || renewed.token === token.token) return response;
    return send(renewed);
  }

  /** An API call made while a restarted worker may be getting its session back: waits for it. */
  async function afterResume(
    request: Request,
    api: CompiledEntry,
    waitUntil: (promise: Promise<unknown>) => void,
  ): Promise<Response> {
    await context.wake().catch(() => {});
    // Bounded: a recovery ends within config.silentRecoveryTimeout.
    await context.resuming;
    return context.session ? authorized(request, api, waitUntil) : fetch(request);
  }

  async function callback(request: Request): Promise<Response> {
    try {
      const refusal = responseModeRefusal(request.method, new URL(request.url));
      if (refusal) throw refusal;
      return redirectWithFragment(await completeLogin(context, request.url));
    } catch (error) {
      const serialized = serializeError(error);
      const target = new URL(config.errorRedirect, config.redirectUri.origin);
      target.searchParams.set('login_error', serialized.code);
      // The provider's own error code (e.g. access_denied when the user cancelled), as text.
      if (serialized.error) target.searchParams.set('error', serialized.error);
      await context.broadcast({ type: 'error', error: serialized }).catch(() => {});
      return redirectWithFragment(target.href);
    }
  }

  return (event) => {
    const { request } = event;
    // A restarted worker reads its session marker (and tells the pages) without holding this up.
    if (!context.awake)
      event.waitUntil(
        context
          .wake()
          .then(() => context.resuming)
          .catch(() => {}),
      );
    if (request.mode === 'navigate') {
      const url = new URL(request.url);
      const toProvider =
        request.method === 'GET' && logout.matches(url) ? logout.answer(url) : undefined;
      if (toProvider) {
        event.respondWith(toProvider);
        return true;
      }
      // Every method: a form_post response (a POST) is answered, and refused, here too.
      if (!isCallbackUrl(context, url)) return false;
      event.respondWith(recovery?.answer(request) ?? callback(request));
      return true;
    }
    // Opaque requests (images, scripts without CORS) never carry a token: the page cannot read
    // their responses, and a token there would go wherever markup points.
    if (request.mode === 'no-cors') return false;
    const api = matchAllowlist(config.apis, request.url);
    if (!api || !allowsDestination(api, request.destination)) return false;
    if (!context.session) {
      // No session in memory, no token to add: the request is not intercepted at all, unless a
      // restarted worker may be getting its session back (recover.ts): then it waits for that.
      if (context.awake && !context.resuming) return false;
      event.respondWith(afterResume(request, api, (promise) => event.waitUntil(promise)));
      return true;
    }
    event.respondWith(authorized(request, api, (promise) => event.waitUntil(promise)));
    return true;
  };
}
