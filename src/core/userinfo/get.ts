/**
 * The UserInfo request (OpenID Connect Core §5.3).
 *
 * @module
 */

import type { DpopOptions } from '../dpop/handle.js';
import {
  bearerRequest,
  checkBearerToken,
  type ResourceFailure,
  resourceCall,
} from '../endpoint/resource.js';
import type { EndpointOptions } from '../endpoint/transport.js';
import { HttpError, InvalidClaimError } from '../errors.js';
import { pickHttpOptions } from '../http/defaults.js';
import { decodeUtf8, type JsonObject, mediaType, readJsonObject } from '../http/json.js';
import type { HttpResponse } from '../http/request.js';
import { assertOptionalString } from '../lib/assert.js';
import { checkStandardClaims, type UserInfoClaims } from './claims.js';
import { type SignedUserInfoValidation, validateSignedUserInfo } from './signed.js';

/** Arguments of {@link getUserInfo}. */
export interface UserInfoRequest extends EndpointOptions, DpopOptions {
  /** The UserInfo endpoint URL (e.g. `disco.userinfoEndpoint`). */
  address: string;
  /**
   * The access token, sent as `Authorization: Bearer` (RFC 6750 §2.1), or as
   * `Authorization: DPoP` with a proof carrying its hash when `dpop` is given (RFC 9449 §7.1).
   */
  token: string;
  /**
   * The `sub` of the ID token. The response's `sub` must equal it exactly, else the call fails
   * with `ERR_JWT_CLAIM_INVALID` (claim `sub`): OpenID Connect Core §5.3.2 requires this check,
   * since a substituted response could describe another user. Give it whenever you have one.
   */
  expectedSubject?: string;
  /**
   * The issuer (or discovery URL) whose keys sign UserInfo responses. Needed to accept a signed
   * (`application/jwt`) response (without it one fails with `ERR_CONTENT_TYPE`); its `iss` must
   * be the discovered issuer.
   */
  issuer?: string;
  /** The client id: a signed response's `aud` must contain it. Needed to accept a signed response. */
  clientId?: string;
  /**
   * Refuse plain JSON responses (`ERR_CONTENT_TYPE`): for clients registered with
   * `userinfo_signed_response_alg`, so a downgraded, unsigned response is never read. Default
   * `false`.
   */
  requireSigned?: boolean;
  /** How a signed response is validated (algorithms, leeway, clock, cache, discovery policy). */
  validation?: SignedUserInfoValidation;
}

/** A successful UserInfo response. */
export interface UserInfoSuccess {
  /** Always `true` here: the call succeeded, and every success field can be read. */
  readonly isSuccessful: true;
  /**
   * The claims: `sub`, the standard claims of OpenID Connect Core §5.1 typed, and every other
   * claim as sent. A signed response's claims include its `iss`, `aud`, `iat`, `exp`.
   */
  readonly claims: UserInfoClaims;
  /**
   * Standard claims the provider sent with the wrong JSON type (e.g. `"email_verified": "true"`):
   * left out of `claims`, never coerced; `raw` still has them.
   */
  readonly skippedClaims: readonly string[];
  /** The JSON object as sent (for a signed response: the verified JWT payload). */
  readonly raw: JsonObject;
  /** The signed response as received (compact JWS), or `undefined` for a JSON response. */
  readonly jwt: string | undefined;
  /** The HTTP status of the UserInfo response (`200`). */
  readonly httpStatus: number;
}

/** What {@link getUserInfo} resolves to: check `isSuccessful` first. */
export type UserInfoResponse = UserInfoSuccess | ResourceFailure;

const SUCCESS_FIELDS = ['claims', 'skippedClaims', 'raw', 'jwt'] as const;

/**
 * Fetches the End-User's claims from the UserInfo endpoint with the access token as a Bearer
 * token (`GET`, `Accept: application/json, application/jwt`; retried like any GET).
 *
 * A JSON response must be `application/json` with a string `sub`. A signed response
 * (`application/jwt`) is verified with the provider's keys from discovery of `issuer`, and
 * its `iss` must be the issuer, its `aud` must contain `clientId`; encrypted responses are not
 * supported. In both, `sub` must equal `expectedSubject` when given.
 *
 * Resolves to a response object: on success `claims`, `skippedClaims`, `raw`, `jwt`; on failure
 * `errorCode`, `httpStatus` and, for a `WWW-Authenticate` challenge (e.g. 401 `invalid_token`,
 * 403 `insufficient_scope`, RFC 6750 §3), `errorType: 'protocol'`, the challenge's `error`,
 * `errorDescription` and the header itself in `wwwAuthenticate`. Other statuses fail with
 * `ERR_HTTP_STATUS`; a body that is not JSON with `ERR_CONTENT_TYPE` or `ERR_INVALID_JSON`. Bad
 * arguments throw a `ConfigurationError` before any request.
 *
 * @example
 * ```ts
 * const info = await getUserInfo({
 *   address: disco.userinfoEndpoint,
 *   token: tokens.accessToken,
 *   expectedSubject: idTokenClaims.sub,
 * });
 * if (info.isSuccessful) greet(info.claims.name ?? info.claims.sub);
 * else if (info.httpStatus === 401) await refreshTokens();
 * ```
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export async function getUserInfo(request: UserInfoRequest): Promise<UserInfoResponse> {
  const token = checkBearerToken(request.token, 'token');
  const { expectedSubject } = request;
  assertOptionalString(expectedSubject, 'expectedSubject');
  return resourceCall(request, {
    address: request.address,
    path: 'address',
    retry: 'idempotent',
    // With `dpop`, oauth4webapi adds the proof (with `ath`) and uses the DPoP scheme.
    send: (url, options) =>
      bearerRequest(
        token,
        'GET',
        url,
        { accept: 'application/json, application/jwt' },
        null,
        options,
      ),
    successFields: SUCCESS_FIELDS,
    finish: (response) => userInfoSuccess(response, request),
  });
}

async function userInfoSuccess(
  response: HttpResponse,
  request: UserInfoRequest,
): Promise<UserInfoSuccess> {
  let raw: JsonObject;
  let jwt: string | undefined;
  if (mediaType(response) === 'application/jwt') {
    const { issuer, clientId } = request;
    // Like a JWT answer to a plain introspection: a signed answer the caller cannot validate.
    if (typeof issuer !== 'string' || issuer === '' || typeof clientId !== 'string') {
      throw new HttpError(
        'ERR_CONTENT_TYPE',
        `UserInfo response from ${response.url} is signed: give "issuer" and "clientId" to validate it`,
        { url: response.url, httpStatus: response.status },
      );
    }
    jwt = decodeUtf8(response).trim();
    raw = (await validateSignedUserInfo(jwt, {
      issuer,
      clientId,
      validation: request.validation,
      requireHttps: request.requireHttps,
      http: pickHttpOptions(request),
    })) as JsonObject;
  } else {
    if (request.requireSigned) {
      throw new HttpError(
        'ERR_CONTENT_TYPE',
        `UserInfo response from ${response.url} is not signed (${mediaType(response) || 'no content type'}); a signed response is required`,
        { url: response.url, httpStatus: response.status },
      );
    }
    raw = readJsonObject(response);
    if (typeof raw.sub !== 'string' || raw.sub === '') {
      throw new HttpError(
        'ERR_INVALID_RESPONSE',
        `UserInfo response from ${response.url} has no "sub" string`,
        { url: response.url, httpStatus: response.status },
      );
    }
  }
  if (request.expectedSubject !== undefined && raw.sub !== request.expectedSubject) {
    throw new InvalidClaimError('UserInfo "sub" is not the expected subject (the ID token\'s)', {
      claim: 'sub',
    });
  }
  const { claims, skipped } = checkStandardClaims(raw);
  return {
    isSuccessful: true,
    claims,
    skippedClaims: skipped,
    raw,
    jwt,
    httpStatus: response.status,
  };
}
