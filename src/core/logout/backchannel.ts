/**
 * Back-channel logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.4, §2.6): what an RP's
 * `backchannel_logout_uri` receives from the provider, validated before any session ends. For
 * servers (Node, Electron main process): a browser never receives back-channel requests.
 *
 * @module
 */

import { getDefaultCache } from '../cache/default.js';
import type { MetadataCache } from '../cache/metadata-cache.js';
import { SecurityEventTypes } from '../constants/jwt-types.js';
import type { DiscoveryPolicy } from '../discovery/policy.js';
import {
  ConfigurationError,
  InvalidClaimError,
  InvalidTypeError,
  MissingClaimError,
  TokenExpiredError,
} from '../errors.js';
import { type HttpOptions, pickHttpOptions } from '../http/defaults.js';
import { defined } from '../lib/assert.js';
import {
  type ClaimsValidator,
  normaliseTyp,
  type TokenValidationConfig,
} from '../validation/config.js';
import type { JwtClaims, JwtHeader } from '../validation/types.js';
import { validateJwt } from '../validation/validate.js';

/** Default {@link LogoutTokenValidationOptions.maxAge}: 300 seconds. */
export const DEFAULT_LOGOUT_TOKEN_MAX_AGE = 300;

/** Options of {@link validateLogoutToken}. */
export interface LogoutTokenValidationOptions extends HttpOptions {
  /** The provider's issuer (or discovery URL): its keys verify the token, its issuer is `iss`. */
  issuer: string;
  /** This RP's client id: `aud` must contain it. */
  clientId: string;
  /**
   * Allowed `alg` values. Default: the provider's `id_token_signing_alg_values_supported`
   * (logout tokens are signed like ID tokens), asymmetric only; `none` never.
   */
  algorithms?: readonly string[];
  /** Allowed clock skew for `exp`, `iat` and `nbf`, in seconds, 0..300. Default `60`. */
  leeway?: number;
  /**
   * Oldest accepted token, in seconds since its `iat` (plus `leeway`). Default `300`. Bounds
   * how long a captured token can be replayed, and so how long you must remember `jti` values.
   * `Infinity` turns the check off.
   */
  maxAge?: number;
  /**
   * Require `exp`. Default `true`, as Back-Channel Logout 1.0 (final) requires it; set `false`
   * only for a provider built on an earlier draft that omits it (Ory Hydra 2.2 and LemonLDAP::NG
   * did, as of 2025); `maxAge` still bounds the token's age.
   */
  requireExp?: boolean;
  /** Clock in milliseconds since the epoch. Default: the cache's clock, else `Date.now`. */
  now?: () => number;
  /** Cache of discovery and keys. Default: the shared cache. */
  cache?: MetadataCache;
  /** Discovery policy for `issuer` (its `requireHttps` yields to `requireHttps` below). */
  discoveryPolicy?: DiscoveryPolicy;
  /** Require https for discovery and JWKS (loopback http stays allowed). Default `true`. */
  requireHttps?: boolean;
  /**
   * A check run after every built-in one, e.g. refusing a `jti` seen before (§2.6 step 7) or a
   * `sid` this RP does not know. Throw to reject.
   */
  claimsValidator?: ClaimsValidator;
}

/** The claims of a valid logout token (Back-Channel Logout 1.0 §2.4). */
export interface LogoutTokenClaims extends JwtClaims {
  readonly iss: string;
  readonly aud: string | readonly string[];
  readonly iat: number;
  readonly jti: string;
  /** The End-User whose sessions end; with no `sid`, every session of this `sub` ends. */
  readonly sub?: string;
  /** The provider session that ended; present when the RP registered `backchannel_logout_session_required`. */
  readonly sid?: string;
  /** Security events (RFC 8417 §2.2); a logout token has the back-channel logout event. */
  readonly events: {
    /** The back-channel logout event, an object (usually empty) (Back-Channel Logout 1.0 §2.4). */
    readonly 'http://schemas.openid.net/event/backchannel-logout': Readonly<
      Record<string, unknown>
    >;
    readonly [event: string]: unknown;
  };
}

const LOGOUT_EVENT = SecurityEventTypes.backChannelLogout;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The logout-token rules beyond validateJwt's: §2.4 claims and the explicit `typ`. */
function checkLogoutToken(
  claims: JwtClaims,
  header: JwtHeader,
  nowSeconds: number,
  leeway: number,
  maxAge: number,
): void {
  // §2.4 recommends explicit typing; a missing typ is allowed, any other type is another JWT.
  if (header.typ !== undefined && normaliseTyp(header.typ) !== 'logout+jwt') {
    throw new InvalidTypeError(`Logout token "typ" is "${header.typ}", expected logout+jwt`);
  }
  if (!Object.hasOwn(claims, 'events')) {
    throw new MissingClaimError('Logout token has no "events" claim', { claim: 'events' });
  }
  const { events } = claims;
  if (!isObject(events)) {
    throw new InvalidClaimError('Logout token "events" must be a JSON object', { claim: 'events' });
  }
  if (!Object.hasOwn(events, LOGOUT_EVENT) || !isObject(events[LOGOUT_EVENT])) {
    throw new InvalidClaimError(
      `Logout token "events" must have a "${LOGOUT_EVENT}" object member`,
      {
        claim: 'events',
      },
    );
  }
  // A nonce is prohibited so that a logout token can never pass as an ID token (§2.4, §4.1).
  if (Object.hasOwn(claims, 'nonce')) {
    throw new InvalidClaimError('Logout token must not contain a "nonce" claim', {
      claim: 'nonce',
    });
  }
  const hasSid = Object.hasOwn(claims, 'sid');
  if (hasSid && (typeof claims.sid !== 'string' || claims.sid === '')) {
    throw new InvalidClaimError('Logout token "sid" must be a non-empty string', { claim: 'sid' });
  }
  if (!hasSid && !Object.hasOwn(claims, 'sub')) {
    throw new MissingClaimError('Logout token has neither "sid" nor "sub"', { claim: 'sid' });
  }
  const iat = claims.iat as number; // required and type-checked by validateJwt
  if (nowSeconds - iat > maxAge + leeway) {
    throw new TokenExpiredError(
      `Logout token was issued ${Math.floor(nowSeconds - iat)} s ago; at most ${maxAge} s (leeway ${leeway} s) is accepted`,
      { claim: 'iat' },
    );
  }
}

/**
 * Validates a back-channel logout token (the `logout_token` form parameter of the POST to the
 * RP's `backchannel_logout_uri`) and returns its claims. Checks, per Back-Channel Logout 1.0
 * §2.6: the signature with the provider's keys from discovery of `issuer` (never `alg` none),
 * `iss` is the issuer, `aud` contains `clientId`, `iat`, `exp` and `jti` are present and `iat` is
 * at most `maxAge` seconds old, `typ` is `logout+jwt` when present, `events` is a JSON object
 * whose `http://schemas.openid.net/event/backchannel-logout` member is a JSON object, `sid` or
 * `sub` is present, and there is no `nonce`.
 *
 * Throws a `TokenValidationError` subclass (answer the provider `400 Bad Request`, §2.8), or the
 * `HttpError` / `DiscoveryError` / `JwksError` when the provider's metadata cannot be had. It
 * does not remember `jti` values: refuse replays in `claimsValidator` or after the call.
 *
 * @example
 * ```ts
 * // Node: the RP's backchannel_logout_uri handler
 * const form = new URLSearchParams(await readBody(req));
 * try {
 *   const claims = await validateLogoutToken(form.get('logout_token') ?? '', {
 *     issuer: 'https://op.example',
 *     clientId: 'my-app',
 *   });
 *   await endSessions({ sid: claims.sid, sub: claims.sub });
 *   res.writeHead(200, { 'cache-control': 'no-store' }).end();
 * } catch {
 *   res.writeHead(400, { 'cache-control': 'no-store' }).end();
 * }
 * ```
 *
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html#LogoutToken
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html#Validation
 */
export async function validateLogoutToken(
  logoutToken: string,
  options: LogoutTokenValidationOptions,
): Promise<LogoutTokenClaims> {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigurationError('"options" must be an object');
  }
  const { issuer, clientId, maxAge = DEFAULT_LOGOUT_TOKEN_MAX_AGE } = options;
  if (typeof issuer !== 'string' || issuer === '') {
    throw new ConfigurationError('"options.issuer" must be the issuer or discovery URL');
  }
  if (typeof clientId !== 'string' || clientId === '') {
    throw new ConfigurationError('"options.clientId" must be a non-empty string');
  }
  if (typeof maxAge !== 'number' || Number.isNaN(maxAge) || maxAge < 0) {
    throw new ConfigurationError('"options.maxAge" must be a number of seconds >= 0');
  }
  const now = options.now ?? options.cache?.now ?? getDefaultCache().now;
  const leeway = options.leeway ?? 60;
  const custom = options.claimsValidator;
  const config: TokenValidationConfig = {
    performDisco: true,
    audience: clientId,
    leeway,
    now,
    options: {
      requireExp: options.requireExp ?? true,
      requireIat: true,
      requireJti: true,
      requireIss: true,
      requireAud: true,
    },
    claimsValidator: async (claims, header) => {
      checkLogoutToken(claims, header, now() / 1000, leeway, maxAge);
      await custom?.(claims, header);
    },
    ...(options.algorithms ? { algorithms: options.algorithms } : {}),
    ...(options.cache ? { cache: options.cache } : {}),
    ...(options.discoveryPolicy ? { discoveryPolicy: options.discoveryPolicy } : {}),
    ...defined({ requireHttps: options.requireHttps }),
    ...pickHttpOptions(options),
  };
  const { claims } = await validateJwt(logoutToken, config, issuer);
  return claims as LogoutTokenClaims;
}
