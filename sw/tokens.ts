/**
 * Access tokens on demand: the cached one while fresh, else one refresh. Refresh is
 * single-flight per resource, and every use of the refresh token is serialised (a rotating
 * refresh token must never be sent twice). `invalid_grant` ends the session; a transient
 * failure keeps the refresh token and backs off.
 *
 * A service worker is one instance for every tab of its scope, so coalescing in its memory is
 * coalescing across tabs.
 *
 * @module
 */

import { requestRefreshToken } from '../src/core/token/refresh.js';
import type { CompiledEntry } from './allowlist.js';
import type { WorkerContext } from './context.js';
import { type AccessToken, resourceKey, type Session } from './session.js';

/** Longest back-off after transient refresh failures, in milliseconds. */
const MAX_BACKOFF = 60_000;

/** Lifetime assumed when the provider sends no `expires_in` and the token is not a JWT: 5 min. */
const DEFAULT_LIFETIME = 300_000;

/** Hands out access tokens for API entries. */
export interface TokenSource {
  /** The fresh token in memory for `api`, without waiting (the hot path). */
  fresh(api: CompiledEntry): AccessToken | undefined;
  /** A usable token for `api`: the fresh one, or one refresh. `undefined` when there is none. */
  get(api: CompiledEntry): Promise<AccessToken | undefined>;
  /** After the API refused `stale` (401 invalid_token): one refresh, unless already replaced. */
  renew(api: CompiledEntry, stale: string): Promise<AccessToken | undefined>;
  /** Resolves when no refresh is running or queued (sign-out waits for it). */
  idle(): Promise<void>;
}

/** Expiry of an access token: `expiresAt` from the response, else its JWT `exp`, else 5 min. */
export function accessTokenExpiry(
  token: string,
  expiresAt: number | undefined,
  now: number,
): number {
  if (expiresAt !== undefined) return expiresAt;
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
    if (typeof payload?.exp === 'number') return payload.exp * 1000;
  } catch {
    // opaque token
  }
  return now + DEFAULT_LIFETIME;
}

/** Creates the token source for a worker. */
export function createTokenSource(context: WorkerContext): TokenSource {
  const { config } = context;
  const skew = config.refreshSkew * 1000;
  const inflight = new Map<string, Promise<AccessToken | undefined>>();
  let chain: Promise<unknown> = Promise.resolve();
  let blockedUntil = 0;
  let failures = 0;

  // Not a type guard: a token that is not fresh is still a token.
  const isFresh = (token: AccessToken | undefined): boolean =>
    token !== undefined && token.expiresAt - skew > context.now();

  /** Runs `work` after every earlier use of the refresh token has finished. */
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => {});
    return next;
  };

  const refresh = (api: CompiledEntry, session: Session): Promise<AccessToken | undefined> =>
    serial(async () => {
      const key = resourceKey(api.entry.resource);
      // Another refresh may have produced what we need while this one waited.
      const current = session.accessTokens.get(key);
      if (current && isFresh(current)) return current;
      if (context.session !== session || session.refreshToken === undefined) return undefined;
      if (context.now() < blockedUntil) return undefined;
      const disco = await context.discovery();
      const response = await requestRefreshToken({
        ...config.http,
        address: disco.tokenEndpoint,
        clientId: config.clientId,
        refreshToken: session.refreshToken,
        ...(api.entry.resource === undefined ? {} : { resource: api.entry.resource }),
        ...(api.entry.scope === undefined ? {} : { scope: api.entry.scope }),
        idToken: {
          authority: config.issuer,
          previousClaims: session.idTokenClaims,
          cache: context.cache,
          leeway: config.leeway,
          discoveryPolicy: config.discoveryPolicy,
        },
        now: context.now,
      });
      if (context.session !== session) return undefined; // signed out meanwhile
      if (!response.isSuccessful) {
        // invalid_grant: the refresh token is dead. A refused ID token: the provider rotated the
        // refresh token in that response, so the one we hold is spent too. Both end the session.
        if (
          (response.errorType === 'protocol' && response.error === 'invalid_grant') ||
          response.errorCode.startsWith('ERR_JWT_')
        ) {
          await context.endSession('expired');
          return undefined;
        }
        // Anything else (5xx, network, a proxy's HTML): keep the refresh token, back off.
        failures++;
        blockedUntil = context.now() + Math.min(MAX_BACKOFF, 1000 * 2 ** (failures - 1));
        return undefined;
      }
      failures = 0;
      blockedUntil = 0;
      session.refreshToken = response.refreshToken;
      const token: AccessToken = {
        token: response.accessToken,
        tokenType: response.tokenType,
        expiresAt: accessTokenExpiry(response.accessToken, response.expiresAt, context.now()),
        scope: response.scope,
      };
      session.accessTokens.set(key, token);
      return token;
    });

  const single = (api: CompiledEntry, session: Session) => {
    const key = resourceKey(api.entry.resource);
    let running = inflight.get(key);
    if (!running) {
      running = refresh(api, session).finally(() => inflight.delete(key));
      inflight.set(key, running);
    }
    return running;
  };

  return {
    fresh(api) {
      const token = context.session?.accessTokens.get(resourceKey(api.entry.resource));
      return token && isFresh(token) ? token : undefined;
    },
    async get(api) {
      const session = context.session;
      if (!session) return undefined;
      const token = session.accessTokens.get(resourceKey(api.entry.resource));
      if (token && isFresh(token)) return token;
      return (
        (await single(api, session)) ??
        (token && token.expiresAt > context.now() ? token : undefined)
      );
    },
    idle: () => chain.then(() => {}),
    async renew(api, stale) {
      const session = context.session;
      if (!session) return undefined;
      const key = resourceKey(api.entry.resource);
      const current = session.accessTokens.get(key);
      if (current && current.token !== stale && isFresh(current)) return current;
      // The API says this token is no good: forget it so the refresh does not reuse it.
      if (current?.token === stale) session.accessTokens.delete(key);
      return single(api, session);
    },
  };
}
