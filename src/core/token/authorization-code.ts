/**
 * The authorization code grant (RFC 6749 §4.1.3) with PKCE (RFC 7636 §4.5), and the OpenID
 * Connect token response with its ID Token validated (OpenID Connect Core §3.1.3).
 *
 * @module
 */

import { assertCodeVerifier } from '../authorize/pkce.js';
import type { EndpointFailure } from '../endpoint/failure.js';
import { assertObject, assertString, assertUrl } from '../lib/assert.js';
import { STANDALONE_WORKER } from '../lib/standalone.js';
import { clockOption } from './expiry.js';
import { requestGrant, type TokenEndpointRequest } from './grant.js';
import {
  CHECKED_TOKEN_FIELDS,
  type CheckedTokenFields,
  checkedTokenFinish,
  type IdTokenRequestExpectations,
  prepareRequestIdTokenCheck,
} from './id-token-response.js';

/** Arguments of {@link requestAuthorizationCodeToken}. */
export interface AuthorizationCodeTokenRequest extends TokenEndpointRequest {
  /** The `code` from the authorization response. */
  code: string;
  /**
   * The `redirect_uri` of the authorization request, sent exactly as given (no normalisation):
   * the provider compares it with the one it saw (RFC 6749 §4.1.3).
   */
  redirectUri: string;
  /**
   * The PKCE `code_verifier` whose S256 challenge went into the authorization request:
   * 43 to 128 characters of `[A-Za-z0-9-._~]` (RFC 7636 §4.1). Required: PKCE is always used.
   */
  codeVerifier: string;
  /** Resource indicator(s) (RFC 8707 §2.2); each is sent as its own `resource` parameter. */
  resource?: string | readonly string[];
  /**
   * How to validate the ID Token (OpenID Connect). Give it whenever `openid` was requested:
   * the response must then carry an ID Token, validated in full (`at_hash` against the
   * returned access token). Without it, a response carrying an ID Token is refused
   * (`ERR_INVALID_RESPONSE`): an ID Token the library cannot validate is never handed out.
   */
  idToken?: IdTokenRequestExpectations;
  /**
   * Clock in milliseconds since the epoch, for `expiresAt` and (unless `idToken.now` is given)
   * the ID Token's time checks. Default `Date.now` (ID Token: the cache's clock).
   */
  now?: () => number;
}

/** A successful authorization code exchange. */
export interface AuthorizationCodeTokenSuccess extends CheckedTokenFields {
  /** Always `true` here: the call succeeded, and every success field can be read. */
  readonly isSuccessful: true;
}

/** What {@link requestAuthorizationCodeToken} resolves to: check `isSuccessful` first. */
export type AuthorizationCodeTokenResponse = AuthorizationCodeTokenSuccess | EndpointFailure;

function checkArguments(request: AuthorizationCodeTokenRequest): void {
  assertObject(request, 'request');
  assertString(request.code, 'code');
  // The stand-alone worker's is its own, checked by sw/config.ts (config.redirectUri). The code
  // (from the provider) and the verifier (from page-writable IndexedDB) are checked there too.
  if (!STANDALONE_WORKER) assertUrl(request.redirectUri, 'redirectUri');
  assertCodeVerifier(request.codeVerifier);
}

/**
 * Exchanges an authorization code for tokens (RFC 6749 §4.1.3) with its PKCE `code_verifier`,
 * and validates the ID Token of the response (OpenID Connect Core §3.1.3.5–§3.1.3.8).
 *
 * Sent once: an authorization code is single-use, so no failure is ever retried (not even a
 * 503 with `Retry-After`). The response is checked: `access_token` present, `token_type`
 * `Bearer` or `DPoP` (any case), `expires_in` a non-negative JSON number. With `idToken`
 * expectations the response must carry an ID Token, validated with `validateIdToken`
 * (signature against the provider's JWKS, `iss`, `aud`/`azp`, `exp`, `iat`, `nonce`,
 * `auth_time` with `maxAge`, `at_hash` against the returned access token).
 *
 * Resolves to a response object: on success the token fields (`accessToken`, `tokenType`,
 * `expiresIn`, `refreshToken`, `idToken`, `scope`, `raw`), `idTokenClaims` and `expiresAt`
 * (ms); on failure `errorMessage`, the server's `error`, `errorDescription` and `errorUri`,
 * `errorType`, `errorCode`,
 * `httpStatus` and the `exception`. An invalid ID Token is a failure with its validation code
 * (e.g. `ERR_JWT_CLAIM_INVALID` for a wrong `nonce`); an ID Token without `idToken`
 * expectations is `ERR_INVALID_RESPONSE`, as is a response without one when `idToken` was given,
 * or whose `scope` contains `openid`, is `ERR_INVALID_RESPONSE`. Bad arguments throw a
 * `ConfigurationError` before anything is sent.
 *
 * @example
 * ```ts
 * const tokens = await requestAuthorizationCodeToken({
 *   address: disco.tokenEndpoint,
 *   clientId: 'spa',
 *   code: callback.searchParams.get('code')!,
 *   redirectUri: 'https://app.example/callback',
 *   codeVerifier: saved.codeVerifier,
 *   idToken: { issuer: 'https://op.example', nonce: saved.nonce },
 * });
 * if (!tokens.isSuccessful) throw tokens.exception;
 * console.log(tokens.idTokenClaims?.sub, tokens.expiresAt);
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.5
 * @see https://openid.net/specs/openid-connect-core-1_0.html#TokenResponseValidation
 */
export async function requestAuthorizationCodeToken(
  request: AuthorizationCodeTokenRequest,
): Promise<AuthorizationCodeTokenResponse> {
  checkArguments(request);
  const now = clockOption(request.now);
  const check = prepareRequestIdTokenCheck(request.idToken, request.clientId, now);
  const sentAt = (now ?? Date.now)();
  return requestGrant<AuthorizationCodeTokenSuccess>(request, {
    grantType: 'authorization_code',
    own: {
      code: request.code,
      redirect_uri: request.redirectUri,
      code_verifier: request.codeVerifier,
      resource: request.resource,
    },
    retry: 'never',
    validatesIdToken: true,
    successFields: CHECKED_TOKEN_FIELDS,
    finish: checkedTokenFinish(check, sentAt),
  });
}
