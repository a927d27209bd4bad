/**
 * ID Token validation (OpenID Connect Core 1.0 §3.1.3.7, §3.2.2.11, §3.3.2.12) on top of
 * `validateJwt`: the signature, header and registered claims are checked there; this module
 * adds what makes a JWT an ID Token for this client.
 *
 * @module
 */

import { getDefaultCache } from '../cache/default.js';
import type { MetadataCache } from '../cache/metadata-cache.js';
import type { DiscoveryPolicy } from '../discovery/policy.js';
import { ConfigurationError } from '../errors.js';
import { type HttpOptions, pickHttpOptions } from '../http/defaults.js';
import {
  assertObject,
  assertOptionalBoolean,
  assertOptionalString,
  assertString,
  defined,
} from '../lib/assert.js';
import { STANDALONE_WORKER } from '../lib/standalone.js';
import {
  type ClaimsValidator,
  resolveConfig,
  type TokenValidationConfig,
} from '../validation/config.js';
import type { JwtClaims } from '../validation/types.js';
import { validateJwt } from '../validation/validate.js';
import {
  checkAuthTime,
  checkIdTokenType,
  checkTokenHash,
  checkTrustedAudiences,
} from './id-token-claims.js';

/**
 * The claims of a validated ID Token (OpenID Connect Core §2). The members typed here have been
 * checked; other claims are `unknown` until you check them.
 */
export interface IdTokenClaims extends JwtClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string | readonly string[];
  readonly exp: number;
  readonly iat: number;
  /** Time of the end-user authentication, in seconds since the epoch (checked when present). */
  readonly auth_time?: number;
  /**
   * The `nonce` of the authentication request, echoed (OpenID Connect Core 1.0 §2): checked against
   * the one sent, against replay.
   */
  readonly nonce?: string;
  /**
   * Authorized party (OpenID Connect Core 1.0 §2): the client the token was issued to; must be the
   * client when present.
   */
  readonly azp?: string;
  /**
   * Access token hash (OpenID Connect Core 1.0 §3.1.3.6): checked when present and the
   * expectations give `accessToken`.
   */
  readonly at_hash?: string;
  /**
   * Code hash (OpenID Connect Core 1.0 §3.3.2.11): checked against the code when validating with
   * `code`; required then.
   */
  readonly c_hash?: string;
}

/**
 * What an ID Token must satisfy. Give `issuer` (the expected `iss` and the keys from its
 * discovery, the usual case), or `issuer` with `key` (no discovery; `iss` must equal `issuer`).
 *
 * @example
 * ```ts
 * const expectations: IdTokenExpectations = {
 *   clientId: 'spa',
 *   issuer: 'https://op.example',
 *   nonce: savedNonce,
 *   maxAge: 300,
 * };
 * ```
 */
export interface IdTokenExpectations extends HttpOptions {
  /** The client's `client_id`: `aud` must contain it, and `azp`, when present, must equal it. */
  clientId: string;
  /**
   * The provider's issuer (or its discovery URL). Without `key`, the expected `iss` and the keys
   * (`jwks_uri`) come from its discovery document, with caching and key rotation; with `key`,
   * `iss` must equal it exactly.
   */
  issuer?: string;
  /**
   * The expected `iss`, exact string match, when it is not `issuer`: it replaces the discovery
   * document's `issuer` (or, with `key`, `issuer`). Rarely needed: both normally agree.
   */
  expectedIssuer?: string;
  /**
   * Multi-tenant issuer template(s) with `{tenantid}` (Microsoft Entra ID's `common` and
   * `organizations` endpoints): `iss` must equal a template filled with the token's `tid`, a
   * GUID. Also accepted as the discovery document's `issuer`. See
   * `TokenValidationConfig.issuerTemplate`.
   */
  issuerTemplate?: string | readonly string[];
  /**
   * The verification key, instead of discovery: a public JWK or `CryptoKey`, or the client
   * secret as an `oct` JWK for HS256/384/512 ID Tokens (OpenID Connect Core §10.1).
   */
  key?: JsonWebKey | CryptoKey;
  /**
   * Allowed `alg` values, e.g. the client's registered `id_token_signed_response_alg`. Default:
   * discovery's `id_token_signing_alg_values_supported` (asymmetric ones), or what fits `key`.
   * `none` is never accepted.
   */
  algorithms?: readonly string[];
  /** The `nonce` sent in the authentication request: the ID Token must carry it, equal. */
  nonce?: string;
  /**
   * The access token issued with the ID Token: `at_hash`, when present, must be its hash
   * (OpenID Connect Core §3.1.3.8, §3.2.2.9).
   */
  accessToken?: string;
  /**
   * Require `at_hash` when `accessToken` is given (an ID Token from the authorization endpoint
   * with `response_type=id_token token`, §3.2.2.10). Default `false`: in a token response
   * `at_hash` is optional.
   */
  requireAtHash?: boolean;
  /**
   * The authorization code returned with an ID Token from the authorization endpoint (hybrid
   * flow, §3.3.2.11): `c_hash` is then required and must be the code's hash.
   */
  code?: string;
  /**
   * The `max_age` sent in the authentication request, in seconds: `auth_time` is then required,
   * and `now - auth_time` may exceed `maxAge` by at most `leeway` (§3.1.2.1).
   */
  maxAge?: number;
  /** Require `auth_time` (the client registered `require_auth_time`, or asked for it). Default `false`. */
  requireAuthTime?: boolean;
  /** The expected `sub`, e.g. the user already signed in (re-authentication). */
  expectedSubject?: string;
  /**
   * Audiences the client trusts besides itself. Every `aud` value must be `clientId` or one of
   * these (§3.1.3.7 step 3: reject "additional audiences not trusted by the Client"). Default:
   * none, so an ID Token for several audiences is refused unless they are listed.
   */
  trustedAudiences?: readonly string[];
  /** Allowed clock skew for `exp`, `iat` and `auth_time`, in seconds, 0..300. Default `60`. */
  leeway?: number;
  /** Clock in milliseconds since the epoch. Default: the cache's clock, else `Date.now`. */
  now?: () => number;
  /** Cache of discovery and keys. Default: the shared cache. */
  cache?: MetadataCache;
  /** Require https for discovery (loopback http stays allowed). Default `true`. */
  requireHttps?: boolean;
  /** Discovery policy used with `issuer` (without `key`). */
  discoveryPolicy?: DiscoveryPolicy;
  /** Largest ID Token accepted, in bytes. Default `16384`. */
  maxTokenSize?: number;
  /** A custom check run after every built-in one; throw to reject the token. */
  claimsValidator?: ClaimsValidator;
}

const fail = (message: string) => new ConfigurationError(message);

/** A prepared ID Token check: the expectations checked once, the token and its companions per call. */
export type IdTokenCheck = (
  idToken: string,
  companions?: { accessToken?: string | undefined; code?: string | undefined },
) => Promise<IdTokenClaims>;

/**
 * Checks `expectations` (throwing `ConfigurationError` with the path of a bad member)
 * and returns the check to run on tokens. Request functions call it before sending anything,
 * so a bad configuration never costs a one-time authorization code.
 */
export function prepareIdTokenCheck(
  expectations: IdTokenExpectations,
  path = 'expectations',
): IdTokenCheck {
  const e = expectations;
  // The stand-alone worker builds these expectations itself (sw/login.ts completeLogin, sw/tokens.ts
  // refresh): `clientId`, `issuer` and `leeway` checked by sw/config.ts, `discoveryPolicy` by
  // discoveryHandle when the worker starts (sw/context.ts), `nonce` from a transaction
  // sw/transactions.ts checked, `cache` and `now` its own. Only `maxAge`, which the transaction
  // carries unchecked from page-writable IndexedDB, is checked there too.
  if (!STANDALONE_WORKER) {
    assertObject(expectations as unknown, path);
    assertString(e.clientId, `${path}.clientId`);
    for (const name of [
      'issuer',
      'expectedIssuer',
      'nonce',
      'accessToken',
      'code',
      'expectedSubject',
    ] as const) {
      assertOptionalString(e[name], `${path}.${name}`);
    }
    assertOptionalBoolean(e.requireAtHash, `${path}.requireAtHash`);
    assertOptionalBoolean(e.requireAuthTime, `${path}.requireAuthTime`);
    if (e.issuer === undefined && e.key === undefined) {
      throw fail(`Give "${path}.issuer" (discovery) or "${path}.key" with "${path}.issuer"`);
    }
    if (e.issuer === undefined && e.expectedIssuer === undefined) {
      throw fail(`"${path}.issuer" is required with "${path}.key"`);
    }
    if (
      e.trustedAudiences !== undefined &&
      (!Array.isArray(e.trustedAudiences) ||
        e.trustedAudiences.some((item) => typeof item !== 'string' || item === ''))
    ) {
      throw fail(`"${path}.trustedAudiences" must be an array of non-empty strings`);
    }
    if (e.claimsValidator !== undefined && typeof e.claimsValidator !== 'function') {
      throw fail(`"${path}.claimsValidator" must be a function`);
    }
    if (e.now !== undefined && typeof e.now !== 'function') {
      throw fail(`"${path}.now" must be a function returning milliseconds`);
    }
  }
  if (
    e.maxAge !== undefined &&
    (typeof e.maxAge !== 'number' || !Number.isInteger(e.maxAge) || e.maxAge < 0)
  ) {
    throw fail(`"${path}.maxAge" must be a non-negative integer number of seconds`);
  }
  const base: TokenValidationConfig = {
    ...pickHttpOptions(e),
    performDisco: e.key === undefined,
    audience: e.clientId,
    authorizedParty: e.clientId,
    options: { requireAud: true, requireIss: true, requireSub: true },
    ...defined({
      key: e.key,
      issuer: e.expectedIssuer ?? (e.key === undefined ? undefined : e.issuer),
      issuerTemplate: e.issuerTemplate,
      algorithms: e.algorithms,
      subject: e.expectedSubject,
      leeway: e.leeway,
      now: e.now,
      cache: e.cache,
      requireHttps: e.requireHttps,
      discoveryPolicy: e.discoveryPolicy,
      maxTokenSize: e.maxTokenSize,
    }),
  };
  // Checks the shared members (leeway, algorithms, key, …) now, before any request.
  const { leeway } = resolveConfig(base);
  const clock = e.now ?? e.cache?.now ?? (() => getDefaultCache().now());
  const trusted = new Set([e.clientId, ...(e.trustedAudiences ?? [])]);
  const { nonce, maxAge, claimsValidator } = e;
  const requireAuthTime = e.requireAuthTime === true || maxAge !== undefined;

  const requireAtHash = e.requireAtHash === true;
  const { issuer, accessToken: givenAccessToken, code: givenCode } = e;

  return async (idToken, companions = {}) => {
    if (typeof idToken !== 'string') throw fail('"idToken" must be a string');
    const accessToken = companions.accessToken ?? givenAccessToken;
    const code = companions.code ?? givenCode;
    const config: TokenValidationConfig = {
      ...base,
      ...defined({ nonce }),
      claimsValidator: async (claims, header) => {
        checkIdTokenType(header);
        checkTrustedAudiences(claims, trusted);
        checkAuthTime(claims, requireAuthTime, maxAge, leeway, clock() / 1000);
        await checkTokenHash(claims, header, 'at_hash', accessToken, requireAtHash);
        await checkTokenHash(claims, header, 'c_hash', code, true);
        await claimsValidator?.(claims, header);
      },
    };
    const { claims } = await validateJwt(idToken, config, issuer);
    return claims as IdTokenClaims;
  };
}

/**
 * Validates an ID Token and returns its claims: OpenID Connect Core §3.1.3.7 in full.
 *
 * Checks, in order: size and shape; `crit`, `alg` (allowlist, never `none`) and the signature
 * against the provider's keys (discovery of `issuer`, unknown `kid` refetched behind a
 * cooldown) or `key`; `exp` and `iat` (required, with `leeway`; `iat` in the future is refused);
 * `iss` equal to the issuer; `aud` containing `clientId`; `azp` equal to `clientId` when present
 * and required with several audiences; `sub` present (and equal to `expectedSubject`); `nonce`
 * equal when expected; then `typ` (an access token, logout token or other typed JWT is refused),
 * every audience trusted, `auth_time` (required with `maxAge` or `requireAuthTime`, and not older
 * than `maxAge + leeway`), `at_hash` (checked when present and `accessToken` is given), `c_hash`
 * (required and checked when `code` is given), and last `claimsValidator`.
 *
 * `at_hash` / `c_hash` are the base64url of the left-most half of the hash of the token (ASCII)
 * with the hash of the ID Token's `alg`: SHA-256 for RS256/PS256/ES256, SHA-384, SHA-512 for
 * EdDSA/Ed25519 (§3.1.3.6).
 *
 * Throws a {@link TokenValidationError} subclass with a stable code: `ERR_JWT_SIGNATURE_INVALID`,
 * `ERR_JWT_ALG_NOT_ALLOWED`, `ERR_JWT_EXPIRED`, `ERR_JWT_NOT_YET_VALID` (`iat` in the future),
 * `ERR_JWT_ISSUER_MISMATCH`, `ERR_JWT_AUDIENCE_INVALID` (`aud`, `azp`), `ERR_JWT_TYPE_INVALID`,
 * `ERR_JWT_CLAIM_MISSING` (with `claim`), `ERR_JWT_CLAIM_INVALID` (`nonce`, `sub`, `at_hash`,
 * `c_hash`, `auth_time` mismatches, with `claim`), `ERR_CONFIGURATION` for bad expectations;
 * and the `HttpError` / `DiscoveryError` / `JwksError` when discovery or the keys cannot be had.
 *
 * @example
 * ```ts
 * const claims = await validateIdToken(tokens.idToken, {
 *   clientId: 'spa',
 *   issuer: 'https://op.example',
 *   nonce: savedNonce,
 *   accessToken: tokens.accessToken,
 * });
 * console.log(claims.sub, claims.auth_time);
 * ```
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeIDToken
 * @see https://openid.net/specs/openid-connect-core-1_0.html#HybridIDToken2
 */
export async function validateIdToken(
  idToken: string,
  expectations: IdTokenExpectations,
): Promise<IdTokenClaims> {
  return prepareIdTokenCheck(expectations)(idToken);
}

export { leftHalfHash } from './id-token-claims.js';
