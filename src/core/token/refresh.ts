/**
 * The refresh token grant (RFC 6749 §6), with the refreshed ID Token checked against the
 * previous one (OpenID Connect Core §12.2).
 *
 * @module
 */

import type { EndpointFailure } from '../endpoint/failure.js';
import {
  ConfigurationError,
  InvalidAudienceError,
  InvalidClaimError,
  InvalidIssuerError,
} from '../errors.js';
import { assertObject, assertString } from '../lib/assert.js';
import { STANDALONE_WORKER } from '../lib/standalone.js';
import type { JwtClaims } from '../validation/types.js';
import { clockOption, expiryTime } from './expiry.js';
import { requestGrant, type TokenEndpointRequest } from './grant.js';
import type { IdTokenClaims } from './id-token.js';
import {
  CHECKED_TOKEN_FIELDS,
  type CheckedTokenFields,
  checkResponseIdToken,
  type IdTokenRequestExpectations,
  prepareRequestIdTokenCheck,
} from './id-token-response.js';
import { scopeParameter } from './scope.js';

/**
 * How to validate an ID Token returned by a refresh: as at sign-in (signature, `iss`, `aud`,
 * `azp`, `exp`, `iat`, `at_hash`), without `nonce`, `maxAge` or `requireAuthTime` (the
 * authentication is the original one), plus continuity with `previousClaims`.
 */
export interface RefreshIdTokenExpectations
  extends Omit<IdTokenRequestExpectations, 'nonce' | 'maxAge' | 'requireAuthTime'> {
  /**
   * The claims of the ID Token the session holds (e.g. `idTokenClaims` of the code exchange).
   * The new ID Token must keep its `iss`, `sub`, `aud` and `azp` (an `azp` must not appear or
   * disappear), its `auth_time` when both carry one, its `nonce` when the new one carries one,
   * and must not be issued before it. Strongly recommended: without it only the provider's
   * signature ties the new ID Token to the signed-in user.
   */
  previousClaims?: JwtClaims;
}

/** Arguments of {@link requestRefreshToken}. */
export interface RefreshTokenRequest extends TokenEndpointRequest {
  /** The refresh token. */
  refreshToken: string;
  /**
   * Narrower scope(s) for the new access token (RFC 6749 §6: never more than originally
   * granted); an array is sent space-delimited. Default: the original scope.
   */
  scope?: string | readonly string[];
  /** Resource indicator(s) (RFC 8707 §2.2); each is sent as its own `resource` parameter. */
  resource?: string | readonly string[];
  /**
   * How to validate an ID Token in the response (a refresh response may omit it). Without it,
   * a response carrying an ID Token is refused (`ERR_INVALID_RESPONSE`).
   */
  idToken?: RefreshIdTokenExpectations;
  /**
   * Clock in milliseconds since the epoch, for `expiresAt` and (unless `idToken.now` is given)
   * the ID Token's time checks. Default `Date.now` (ID Token: the cache's clock).
   */
  now?: () => number;
}

/** A successful refresh. */
export interface RefreshTokenSuccess extends Omit<CheckedTokenFields, 'refreshToken'> {
  /** Always `true` here: the call succeeded, and every success field can be read. */
  readonly isSuccessful: true;
  /** The refresh token to use next time: the new one when rotated, else the one sent. */
  readonly refreshToken: string;
  /**
   * `true` when the server issued a different refresh token: the one sent must be forgotten
   * (a rotating server refuses its reuse, and may revoke the whole grant for it).
   */
  readonly refreshTokenRotated: boolean;
}

/** What {@link requestRefreshToken} resolves to: check `isSuccessful` first. */
export type RefreshTokenResponse = RefreshTokenSuccess | EndpointFailure;

const SUCCESS_FIELDS = [...CHECKED_TOKEN_FIELDS, 'refreshTokenRotated'];

function checkPrevious(previous: unknown): asserts previous is JwtClaims | undefined {
  if (previous === undefined) return;
  const claims = previous as Record<string, unknown> | null;
  if (
    typeof claims !== 'object' ||
    claims === null ||
    typeof claims.iss !== 'string' ||
    typeof claims.sub !== 'string'
  ) {
    throw new ConfigurationError(
      '"idToken.previousClaims" must be the claims of the previous ID Token (with "iss" and "sub")',
    );
  }
}

/**
 * Uses a refresh token to get a new access token (RFC 6749 §6), optionally with a narrower
 * `scope` or for a `resource` (RFC 8707).
 *
 * Retried only when the server cannot have processed the request (429/503 with `Retry-After`,
 * a refused connection), so a rotating refresh token is never spent twice. The response is
 * checked as every token response (`access_token`, `token_type` `Bearer`/`DPoP`, `expires_in`).
 * A response without `refresh_token` keeps the one sent: `refreshToken` is then that one and
 * `refreshTokenRotated` is `false`.
 *
 * An ID Token in the response is validated with `idToken` (at_hash against the new access
 * token) and, per OpenID Connect Core §12.2, must keep the previous ID Token's `iss`
 * (`ERR_JWT_ISSUER_MISMATCH`), `sub` (`ERR_JWT_CLAIM_INVALID`), `aud` and `azp`
 * (`ERR_JWT_AUDIENCE_INVALID`), `auth_time` and `nonce` (`ERR_JWT_CLAIM_INVALID`). No nonce is
 * expected: a refreshed ID Token carries none, or repeats the original one. A failed check is a
 * failed response: when the server rotated the refresh token the old one is then spent too, so
 * treat the failure as the end of the session.
 *
 * @example
 * ```ts
 * const refreshed = await requestRefreshToken({
 *   address: disco.tokenEndpoint,
 *   clientId: 'spa',
 *   refreshToken: session.refreshToken,
 *   idToken: { issuer: 'https://op.example', previousClaims: session.idTokenClaims },
 * });
 * if (!refreshed.isSuccessful) return signOut(refreshed.errorMessage);
 * session.refreshToken = refreshed.refreshToken; // the rotated one, or the same
 * session.accessToken = refreshed.accessToken;
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://openid.net/specs/openid-connect-core-1_0.html#RefreshTokenResponse
 */
export async function requestRefreshToken(
  request: RefreshTokenRequest,
): Promise<RefreshTokenResponse> {
  // The stand-alone worker's request is its own object (sw/tokens.ts); the refresh token in it,
  // from the provider or page-writable IndexedDB, is checked there too.
  if (!STANDALONE_WORKER) assertObject(request, 'request');
  const { refreshToken } = request;
  assertString(refreshToken, 'refreshToken');
  const now = clockOption(request.now);
  const expectations = request.idToken;
  let previous: JwtClaims | undefined;
  let check: ReturnType<typeof prepareRequestIdTokenCheck>;
  if (expectations === undefined) {
    check = undefined;
  } else {
    if (!STANDALONE_WORKER) assertObject(expectations, 'idToken');
    const {
      previousClaims,
      nonce: _n,
      maxAge: _m,
      requireAuthTime: _r,
      ...rest
    } = expectations as RefreshIdTokenExpectations & Record<string, unknown>;
    checkPrevious(previousClaims);
    previous = previousClaims;
    check = prepareRequestIdTokenCheck(rest, request.clientId, now);
  }
  const sentAt = (now ?? Date.now)();
  return requestGrant<RefreshTokenSuccess>(request, {
    grantType: 'refresh_token',
    own: {
      refresh_token: refreshToken,
      scope: scopeParameter(request.scope),
      resource: request.resource,
    },
    retry: 'unprocessed',
    validatesIdToken: true,
    successFields: SUCCESS_FIELDS,
    finish: async (fields, url) => {
      const idTokenClaims = await checkResponseIdToken(fields, url, check, false);
      if (idTokenClaims && previous) checkContinuity(idTokenClaims, previous);
      const rotated = fields.refreshToken !== undefined && fields.refreshToken !== refreshToken;
      return {
        isSuccessful: true as const,
        ...fields,
        refreshToken: fields.refreshToken ?? refreshToken,
        refreshTokenRotated: rotated,
        idTokenClaims,
        expiresAt: expiryTime(sentAt, fields.expiresIn),
      };
    },
  });
}

function audienceSet(aud: unknown): string {
  const list = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  return JSON.stringify([...new Set(list)].sort());
}

/** OpenID Connect Core §12.2: what a refreshed ID Token must keep from the previous one. */
function checkContinuity(claims: IdTokenClaims, previous: JwtClaims): void {
  if (claims.iss !== previous.iss) {
    throw new InvalidIssuerError('The refreshed ID Token has another "iss" than the previous one');
  }
  if (claims.sub !== previous.sub) {
    throw new InvalidClaimError('The refreshed ID Token has another "sub" than the previous one', {
      claim: 'sub',
    });
  }
  if (audienceSet(claims.aud) !== audienceSet(previous.aud)) {
    throw new InvalidAudienceError(
      'The refreshed ID Token has another "aud" than the previous one',
    );
  }
  if (claims.azp !== previous.azp) {
    throw new InvalidAudienceError(
      'The refreshed ID Token has another "azp" than the previous one (or adds or drops it)',
      { claim: 'azp' },
    );
  }
  if (
    claims.auth_time !== undefined &&
    previous.auth_time !== undefined &&
    claims.auth_time !== previous.auth_time
  ) {
    throw new InvalidClaimError(
      'The refreshed ID Token has another "auth_time": the authentication is the original one',
      { claim: 'auth_time' },
    );
  }
  if (claims.nonce !== undefined && claims.nonce !== previous.nonce) {
    throw new InvalidClaimError(
      'The refreshed ID Token carries a "nonce" that is not the original one',
      { claim: 'nonce' },
    );
  }
  if (typeof previous.iat === 'number' && claims.iat < previous.iat) {
    throw new InvalidClaimError('The refreshed ID Token was issued before the previous one', {
      claim: 'iat',
    });
  }
}
