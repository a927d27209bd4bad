/**
 * Access tokens on demand, one per token key (session.ts `tokenKey`: an API's resource, scope and
 * extra parameters): the cached one while fresh, else one refresh asking for that API's token.
 * Refresh is single-flight per key, and every use of the refresh token is serialised (a rotating
 * refresh token must never be sent twice). `invalid_grant`, or a 400/401 without an OAuth error
 * body, ends the session; a transient failure keeps the refresh token and backs off.
 *
 * A service worker is one instance for every tab of its scope, so coalescing in its memory is
 * coalescing across tabs.
 *
 * @module
 */

import { requestRefreshToken } from '../src/core/token/refresh.js';
import { backoffDelay, decodeBase64url, defined } from '../src/core/worker-api.js';
import type { CompiledEntry } from './allowlist.js';
import type { WorkerContext } from './context.js';
import { type AccessToken, isDpopTokenType, type Session } from './session.js';

/** Least time between two refreshes caused by a 401 for one token key, in milliseconds. */
const RENEW_COOLDOWN = 10_000;

/** Longest back-off after transient refresh failures, in milliseconds. */
const MAX_BACKOFF = 60_000;

/** Lifetime assumed when the provider sends no `expires_in` and the token is not a JWT: 5 min. */
const DEFAULT_LIFETIME = 300_000;

const utf8 = new TextDecoder();

/**
 * The JWT payload of `token`, unverified (only its `exp` and `iat` are read, for timing), or
 * `undefined` for an opaque token.
 */
function jwtPayload(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  const bytes = part === undefined ? undefined : decodeBase64url(part);
  if (!bytes) return undefined;
  try {
    const payload: unknown = JSON.parse(utf8.decode(bytes));
    return typeof payload === 'object' && payload !== null
      ? (payload as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

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
  const exp = jwtPayload(token)?.exp;
  return typeof exp === 'number' ? exp * 1000 : now + DEFAULT_LIFETIME;
}

/** Creates the token source for a worker. */
export function createTokenSource(context: WorkerContext): TokenSource {
  const { config } = context;
  const skew = config.refreshSkew * 1000;
  // Refreshes in flight, per session and token key: a new session never joins the old one's.
  const inflight = new WeakMap<Session, Map<string, Promise<AccessToken | undefined>>>();
  // When a 401 last caused a refresh, per session and token key (see RENEW_COOLDOWN).
  const renewedAt = new WeakMap<Session, Map<string, number>>();
  let chain: Promise<unknown> = Promise.resolve();
  // Back-off after transient failures, per session: a new sign-in starts afresh.
  const backoffs = new WeakMap<Session, { failures: number; until: number }>();
  // Lifetime of each token, in ms (its JWT `exp - iat`, or expiry minus receipt time).
  const lifetimes = new WeakMap<AccessToken, number>();

  /**
   * How long before expiry `token` is renewed: `refreshSkew`, but at most half the token's
   * lifetime. A token that lives no longer than the skew would otherwise never count as fresh,
   * and every API call would refresh it.
   */
  const skewOf = (token: AccessToken): number => {
    let lifetime = lifetimes.get(token);
    if (lifetime === undefined) {
      const { iat, exp } = jwtPayload(token.token) ?? {};
      lifetime =
        typeof iat === 'number' && typeof exp === 'number' && exp > iat
          ? (exp - iat) * 1000
          : Number.POSITIVE_INFINITY;
      lifetimes.set(token, lifetime);
    }
    return Math.min(skew, lifetime / 2);
  };

  // Not a type guard: a token that is not fresh is still a token.
  const isFresh = (token: AccessToken | undefined): boolean =>
    token !== undefined && token.expiresAt - skewOf(token) > context.now();

  /** Transient failure (5xx, network, a bad response): keep the refresh token, back off. */
  const backOff = (session: Session) => {
    const failures = (backoffs.get(session)?.failures ?? 0) + 1;
    // Without jitter (random = 1): one worker's schedule on its own clock, 1 s, 2 s, 4 s, … The
    // failures of many users' workers are spread in time already.
    const until = context.now() + Math.min(MAX_BACKOFF, backoffDelay(failures - 1, 1000, 1));
    backoffs.set(session, { failures, until });
  };

  /** Runs `work` after every earlier use of the refresh token has finished. */
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => {});
    return next;
  };

  const refresh = (api: CompiledEntry, session: Session): Promise<AccessToken | undefined> =>
    serial(async () => {
      // This API's token: its resource indicator, scope and extra parameters (allowlist.ts).
      const {
        key,
        entry: { resource, scope, parameters },
      } = api;
      // Another refresh may have produced what we need while this one waited.
      const current = session.accessTokens.get(key);
      if (current && isFresh(current)) return current;
      if (context.session !== session || session.refreshToken === undefined) return undefined;
      if (context.now() < (backoffs.get(session)?.until ?? 0)) return undefined;
      let response: Awaited<ReturnType<typeof requestRefreshToken>>;
      try {
        const disco = await context.discovery();
        // Signed out while discovery loaded: the refresh token must not be sent any more.
        if (context.session !== session) return undefined;
        response = await requestRefreshToken({
          ...config.http,
          address: disco.tokenEndpoint,
          clientId: config.clientId,
          refreshToken: session.refreshToken,
          // A DPoP-bound refresh token is refused without a proof of its key (RFC 9449 §5).
          ...defined({ resource, scope, parameters, dpop: session.dpop }),
          idToken: {
            issuer: config.issuer,
            previousClaims: session.idTokenClaims,
            cache: context.cache,
            leeway: config.leeway,
            discoveryPolicy: config.discoveryPolicy,
          },
          now: context.now,
        });
      } catch {
        // Discovery unreachable (its cached copy expired): the refresh token was not sent. Back
        // off rather than fail the API call, or ask the provider again on every request.
        backOff(session);
        return undefined;
      }
      if (context.session !== session) {
        // Signed out meanwhile: keep the rotated refresh token, which the sign-out revokes.
        if (response.isSuccessful) session.refreshToken = response.refreshToken;
        return undefined;
      }
      if (!response.isSuccessful) {
        // invalid_grant: the refresh token is dead. A 400/401 without an OAuth error body: the
        // token endpoint refused the grant without saying why (Glewlwyd 2.7 answers a dead
        // refresh token so); only an OAuth error code in the body says otherwise. A refused ID
        // token: the provider rotated the refresh token in that response, so the one we hold is
        // spent too. All end the session.
        const refusedWithoutBody =
          response.errorType !== 'protocol' &&
          (response.httpStatus === 400 || response.httpStatus === 401);
        if (
          (response.errorType === 'protocol' && response.error === 'invalid_grant') ||
          refusedWithoutBody ||
          response.errorCode.startsWith('ERR_JWT_')
        ) {
          await context.endSession('expired');
          return undefined;
        }
        // Anything else (5xx, network, another OAuth error code): keep the refresh token, back off.
        backOff(session);
        return undefined;
      }
      backoffs.delete(session);
      session.refreshToken = response.refreshToken;
      const received = context.now();
      const token: AccessToken = {
        token: response.accessToken,
        tokenType: response.tokenType,
        expiresAt: accessTokenExpiry(response.accessToken, response.expiresAt, received),
        scope: response.scope,
      };
      lifetimes.set(token, token.expiresAt - received);
      session.accessTokens.set(key, token);
      if (session.dpop && !isDpopTokenType(response.tokenType)) {
        // The provider stopped binding (it answered Bearer to a proof): the session is no longer
        // sender-constrained and must not stay on disk. It goes on in memory, unbound.
        session.dpop = undefined;
        for (const [other, held] of session.accessTokens) {
          if (isDpopTokenType(held.tokenType)) session.accessTokens.delete(other);
        }
        await context.unpersist().catch(() => {});
      }
      // Written only now, after the answer, in one transaction with the new refresh token: a
      // worker stopped before this still has the old record (see docs/sessions.md on what a
      // provider that already rotated it answers: invalid_grant, which ends the session cleanly).
      await context.persist(session).catch(() => {});
      return token;
    });

  const single = (api: CompiledEntry, session: Session) => {
    const key = api.key;
    let running = inflight.get(session);
    if (!running) {
      running = new Map();
      inflight.set(session, running);
    }
    const map = running;
    let promise = map.get(key);
    if (!promise) {
      promise = refresh(api, session).finally(() => map.delete(key));
      map.set(key, promise);
    }
    return promise;
  };

  return {
    fresh(api) {
      const token = context.session?.accessTokens.get(api.key);
      return token && isFresh(token) ? token : undefined;
    },
    async get(api) {
      const session = context.session;
      if (!session) return undefined;
      const token = session.accessTokens.get(api.key);
      if (token && isFresh(token)) return token;
      const renewed = await single(api, session);
      if (renewed) return renewed;
      // The refresh failed for now (back-off): the old token serves while it is unexpired, but
      // never once its session has ended (invalid_grant, sign-out).
      return context.session === session && token && token.expiresAt > context.now()
        ? token
        : undefined;
    },
    idle: () => chain.then(() => {}),
    async renew(api, stale) {
      const session = context.session;
      if (!session) return undefined;
      const key = api.key;
      const current = session.accessTokens.get(key);
      if (current && current.token !== stale && isFresh(current)) return current;
      // A refresh already running (another refused request) serves this one too.
      const running = inflight.get(session)?.get(key);
      if (running) return running;
      // An API that refuses every token must not cost a refresh-token rotation per request.
      let times = renewedAt.get(session);
      if (!times) {
        times = new Map();
        renewedAt.set(session, times);
      }
      const last = times.get(key);
      if (last !== undefined && context.now() - last < RENEW_COOLDOWN) return undefined;
      times.set(key, context.now());
      // The API says this token is no good: forget it so the refresh does not reuse it.
      if (current?.token === stale) session.accessTokens.delete(key);
      return single(api, session);
    },
  };
}
