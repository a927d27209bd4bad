/**
 * The fetch handler: attaches `Authorization: Bearer` to requests for allowlisted APIs, and
 * handles the redirect-URI navigation of a sign-in.
 *
 * The hot path (a fresh token in memory) reads memory only: no IndexedDB, no await before the
 * network request.
 *
 * @module
 */

import type { DiscoveryDocument } from '../src/core/discovery/document.js';
import { DISCOVERY_MEMBERS } from '../src/core/discovery/members.js';
import { OIDC_DISCOVERY_PATH, parseDiscoveryUrl } from '../src/core/discovery/url.js';
import { type CompiledEntry, matchAllowlist } from './allowlist.js';
import type { WorkerContext } from './context.js';
import { completeLogin, isCallbackUrl } from './login.js';
import type { AccessToken } from './session.js';
import type { TokenSource } from './tokens.js';

/** Bodies up to this size are kept so a request can be replayed after one refresh. */
const MAX_REPLAY_BODY = 1024 * 1024;

// The provider's own endpoints never get an API token, even when an allowlist entry covers them.
const providerUrls = new WeakMap<DiscoveryDocument, ReadonlySet<string>>();

function providerEndpoints(disco: DiscoveryDocument, issuer: string): ReadonlySet<string> {
  let urls = providerUrls.get(disco);
  if (!urls) {
    const set = new Set<string>([
      parseDiscoveryUrl(issuer).url,
      `${disco.issuer}${OIDC_DISCOVERY_PATH}`,
    ]);
    for (const [name, camel, kind] of DISCOVERY_MEMBERS) {
      const value = (disco as Record<string, unknown>)[camel];
      if (kind === 'url' && name !== 'userinfo_endpoint' && typeof value === 'string') {
        set.add(stripQuery(value));
      }
    }
    urls = set;
    providerUrls.set(disco, urls);
  }
  return urls;
}

function stripQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

function withToken(request: Request, token: AccessToken, body?: ArrayBuffer): Request {
  const headers = new Headers(request.headers);
  headers.set('authorization', `Bearer ${token.token}`);
  return new Request(request, body === undefined ? { headers } : { headers, body });
}

function isInvalidTokenChallenge(response: Response): boolean {
  if (response.status !== 401) return false;
  const challenge = response.headers.get('www-authenticate');
  return (
    challenge !== null &&
    /^\s*bearer\b/i.test(challenge) &&
    /error="?invalid_token"?/i.test(challenge)
  );
}

/**
 * The fetch handler of a worker: handles `event` when it is the library's to handle
 * (`respondWith` called, returns `true`); otherwise leaves it alone and returns `false`, so the
 * app's own handlers (or the network) take it.
 */
export type FetchHandler = (event: FetchEvent) => boolean;

/** Creates the fetch handler. */
export function createFetchHandler(context: WorkerContext, tokens: TokenSource): FetchHandler {
  const { config } = context;

  async function authorized(request: Request, api: CompiledEntry): Promise<Response> {
    const disco = context.peekDiscovery() ?? (await context.discovery().catch(() => undefined));
    if (disco && providerEndpoints(disco, config.issuer).has(stripQuery(request.url))) {
      return fetch(request);
    }
    // A body is read once so that the request can be replayed after a refresh.
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const declared = Number(request.headers.get('content-length') ?? Number.NaN);
    const body =
      hasBody && (!Number.isFinite(declared) || declared <= MAX_REPLAY_BODY)
        ? await request.arrayBuffer()
        : undefined;
    const replayable = !hasBody || (body !== undefined && body.byteLength <= MAX_REPLAY_BODY);
    const token = tokens.fresh(api) ?? (await tokens.get(api));
    if (!token) return fetch(body === undefined ? request : new Request(request, { body }));
    const response = await fetch(withToken(request, token, body));
    if (!replayable || !isInvalidTokenChallenge(response)) return response;
    const renewed = await tokens.renew(api, token.token);
    if (!renewed || renewed.token === token.token) return response;
    return fetch(withToken(request, renewed, body));
  }

  async function callback(request: Request): Promise<Response> {
    try {
      const returnTo = await completeLogin(context, request.url);
      return Response.redirect(returnTo, 303);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      const target = new URL(config.errorRedirect, config.redirectUri.origin);
      target.searchParams.set('login_error', typeof code === 'string' ? code : 'ERR_UNKNOWN');
      await context
        .broadcast({
          type: 'error',
          error: {
            name: (error as Error)?.name ?? 'Error',
            code: typeof code === 'string' ? code : 'ERR_UNKNOWN',
            message: (error as Error)?.message ?? String(error),
          },
        })
        .catch(() => {});
      return Response.redirect(target.href, 303);
    }
  }

  return (event) => {
    const { request } = event;
    if (request.mode === 'navigate') {
      if (request.method !== 'GET' || !isCallbackUrl(context, new URL(request.url))) return false;
      event.respondWith(callback(request));
      return true;
    }
    // Opaque requests (images, scripts without CORS) never carry a token: the page cannot read
    // their responses, and a token there would go wherever markup points.
    if (request.mode === 'no-cors') return false;
    // No session in memory, no token to add: the request is not intercepted at all.
    if (!context.session) return false;
    const api = matchAllowlist(config.apis, request.url);
    if (!api) return false;
    event.respondWith(authorized(request, api));
    return true;
  };
}
