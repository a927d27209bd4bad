/**
 * Errors thrown (or carried in failed response objects) by identity-model-web.
 *
 * Every error is an {@link IdentityModelError} with a stable {@link ErrorCode} in `code`;
 * switch on `code`, not on messages or class names (bundlers may rename classes).
 * Each failure family has one subclass; token validation has one subclass per check. Every code,
 * with its family and what it means, is listed once in `error-codes.ts`.
 *
 * @example
 * ```ts
 * try {
 *   await validateToken(jwt, { performDisco: true, audience: 'api' }, 'https://op.example');
 * } catch (e) {
 *   if (e instanceof IdentityModelError && e.code === 'ERR_JWT_EXPIRED') promptLogin();
 *   else throw e;
 * }
 * ```
 *
 * @module
 */

import type { ErrorCode, ErrorCodeOf } from './error-codes.js';

export type { ErrorCode, ErrorCodeOf, ErrorFamily } from './error-codes.js';

/** Options accepted by every error constructor. */
export interface IdentityModelErrorOptions {
  /** The underlying error, if any (kept for debugging; never shown to end users by the library). */
  cause?: unknown;
}

/**
 * Base class of every error the library throws.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2 for the server errors carried by {@link ProtocolError}
 */
export class IdentityModelError extends Error {
  // Fields here and in the subclasses are `declare`d and set by the constructors: a field
  // declaration would first define each as `undefined`, the same object with more code (the
  // stand-alone worker's size budget, DESIGN.md §4).
  /** Stable, documented error code. */
  declare readonly code: ErrorCode;
  /**
   * The class's name, for logs and stack traces. Match on `code` (stable) or `instanceof`, not on
   * this: a minifier may rename classes, but this string does not change.
   */
  override name = 'IdentityModelError';

  constructor(code: ErrorCode, message: string, options?: IdentityModelErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/**
 * A bad argument or option, token validation configurations included: found before any request
 * is made (or, for a validation that needs keys the discovered provider does not publish, after
 * discovery). Always thrown, never carried in a failed response object. The message quotes the
 * path of the offending value, e.g. `"options.leeway" must be a number between 0 and 300`.
 */
export class ConfigurationError extends IdentityModelError {
  override name = 'ConfigurationError';
  constructor(message: string, options?: IdentityModelErrorOptions) {
    super('ERR_CONFIGURATION', message, options);
  }
}

/** Codes of the {@link HttpError} family. */
export type HttpErrorCode = ErrorCodeOf<'HttpError'>;

/** Extra facts carried by an {@link HttpError}. */
export interface HttpErrorOptions extends IdentityModelErrorOptions {
  /** The request URL. */
  url?: string | undefined;
  /** The HTTP status, when a response arrived. */
  httpStatus?: number | undefined;
}

/**
 * A transport failure or a response the library refuses to read: timeout, abort, network error,
 * an unexpected HTTP status, a redirect (never followed), a body over the size cap, a wrong
 * content type, a body that is not JSON, or JSON that breaks the protocol (`ERR_INVALID_RESPONSE`:
 * e.g. a token response without `access_token`, `expires_in` as a string, or an ID Token the call
 * cannot validate). Also `ERR_ENDPOINT_HTTPS_REQUIRED`: an endpoint the library refuses to call
 * at all, `http` off loopback while `requireHttps` is on (nothing is sent; a policy failure in
 * response objects).
 */
export class HttpError extends IdentityModelError {
  override name = 'HttpError';
  declare readonly code: HttpErrorCode;
  /** The request URL. */
  declare readonly url: string | undefined;
  /** The HTTP status, when a response arrived. */
  declare readonly httpStatus: number | undefined;
  constructor(code: HttpErrorCode, message: string, options?: HttpErrorOptions) {
    super(code, message, options);
    this.url = options?.url;
    this.httpStatus = options?.httpStatus;
  }
}

/** Codes of the {@link DiscoveryError} family. */
export type DiscoveryErrorCode = ErrorCodeOf<'DiscoveryError'>;

/**
 * The discovery document (or its address) breaks OpenID Connect Discovery 1.0 / RFC 8414, or the
 * {@link DiscoveryPolicy}. `member` names the offending metadata member when there is one.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export class DiscoveryError extends IdentityModelError {
  override name = 'DiscoveryError';
  declare readonly code: DiscoveryErrorCode;
  /** The metadata member at fault, e.g. `jwks_uri`. */
  declare readonly member: string | undefined;
  constructor(
    code: DiscoveryErrorCode,
    message: string,
    options?: IdentityModelErrorOptions & { member?: string | undefined },
  ) {
    super(code, message, options);
    this.member = options?.member;
  }
}

/** Codes of the {@link JwksError} family. */
export type JwksErrorCode = ErrorCodeOf<'JwksError'>;

/**
 * The JWK Set cannot be used at all: not a `{ "keys": [...] }` object, too many keys, or no key
 * that can verify signatures. (A single unusable key is skipped and reported, not thrown.)
 *
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export class JwksError extends IdentityModelError {
  override name = 'JwksError';
  declare readonly code: JwksErrorCode;
  constructor(code: JwksErrorCode, message: string, options?: IdentityModelErrorOptions) {
    super(code, message, options);
  }
}

/** Codes of the {@link TokenValidationError} family. */
export type TokenValidationErrorCode = ErrorCodeOf<'TokenValidationError'>;

/** Extra facts carried by a {@link TokenValidationError}. */
export interface TokenValidationErrorOptions extends IdentityModelErrorOptions {
  /** The claim or header parameter at fault, e.g. `exp`, `aud`, `typ`. */
  claim?: string | undefined;
}

/**
 * A JWT failed validation. Each check has its own subclass and code; `claim` names the claim or
 * header parameter at fault when there is one.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-7.2
 */
export class TokenValidationError extends IdentityModelError {
  override name = 'TokenValidationError';
  declare readonly code: TokenValidationErrorCode;
  /** The claim or header parameter at fault, e.g. `exp`, `aud`, `typ`. */
  declare readonly claim: string | undefined;
  constructor(
    code: TokenValidationErrorCode,
    message: string,
    options?: TokenValidationErrorOptions,
  ) {
    super(code, message, options);
    this.claim = options?.claim;
  }
}

/** Not a compact JWS with three base64url parts, a JSON object header and payload. */
export class JwtMalformedError extends TokenValidationError {
  override name = 'JwtMalformedError';
  constructor(message: string, options?: TokenValidationErrorOptions) {
    super('ERR_JWT_MALFORMED', message, options);
  }
}

/** Larger than the size limit (16 KiB by default); refused before decoding. */
export class JwtTooLargeError extends TokenValidationError {
  override name = 'JwtTooLargeError';
  constructor(message: string, options?: TokenValidationErrorOptions) {
    super('ERR_JWT_TOO_LARGE', message, options);
  }
}

/** The `alg` header is not in the allowlist (`none` never is). RFC 8725 §3.1. */
export class AlgorithmNotAllowedError extends TokenValidationError {
  override name = 'AlgorithmNotAllowedError';
  constructor(message: string, options?: TokenValidationErrorOptions) {
    super('ERR_JWT_ALG_NOT_ALLOWED', message, { claim: 'alg', ...options });
  }
}

/** A `crit` header names an extension the library does not understand. RFC 7515 §4.1.11. */
export class CriticalHeaderError extends TokenValidationError {
  override name = 'CriticalHeaderError';
  constructor(message: string, options?: TokenValidationErrorOptions) {
    super('ERR_JWT_CRIT_UNSUPPORTED', message, { claim: 'crit', ...options });
  }
}

/** The `typ` header is not the required one (e.g. `at+jwt`, RFC 9068 §2.1). */
export class InvalidTypeError extends TokenValidationError {
  override name = 'InvalidTypeError';
  constructor(message: string, options?: TokenValidationErrorOptions) {
    super('ERR_JWT_TYPE_INVALID', message, { claim: 'typ', ...options });
  }
}

/** No key in the key set (after one refresh) can verify this token. */
export class NoMatchingKeyError extends TokenValidationError {
  override name = 'NoMatchingKeyError';
  constructor(message: string, options?: TokenValidationErrorOptions) {
    super('ERR_JWT_NO_MATCHING_KEY', message, { claim: 'kid', ...options });
  }
}

/** The signature does not verify. RFC 7515 §5.2. */
export class SignatureInvalidError extends TokenValidationError {
  override name = 'SignatureInvalidError';
  constructor(message: string, options?: TokenValidationErrorOptions) {
    super('ERR_JWT_SIGNATURE_INVALID', message, options);
  }
}

/** `exp` is in the past beyond the leeway. RFC 7519 §4.1.4. */
export class TokenExpiredError extends TokenValidationError {
  override name = 'TokenExpiredError';
  constructor(message: string, options?: TokenValidationErrorOptions) {
    super('ERR_JWT_EXPIRED', message, { claim: 'exp', ...options });
  }
}

/** `nbf` (or `iat`) is in the future beyond the leeway. RFC 7519 §4.1.5, §4.1.6. */
export class TokenNotYetValidError extends TokenValidationError {
  override name = 'TokenNotYetValidError';
  constructor(message: string, options?: TokenValidationErrorOptions) {
    super('ERR_JWT_NOT_YET_VALID', message, { claim: 'nbf', ...options });
  }
}

/** `iss` is not the expected issuer. RFC 7519 §4.1.1. */
export class InvalidIssuerError extends TokenValidationError {
  override name = 'InvalidIssuerError';
  constructor(message: string, options?: TokenValidationErrorOptions) {
    super('ERR_JWT_ISSUER_MISMATCH', message, { claim: 'iss', ...options });
  }
}

/** `aud` does not contain the expected audience (or `azp` does not fit). RFC 7519 §4.1.3. */
export class InvalidAudienceError extends TokenValidationError {
  override name = 'InvalidAudienceError';
  constructor(message: string, options?: TokenValidationErrorOptions) {
    super('ERR_JWT_AUDIENCE_INVALID', message, { claim: 'aud', ...options });
  }
}

/** A required claim is absent. */
export class MissingClaimError extends TokenValidationError {
  override name = 'MissingClaimError';
  constructor(message: string, options?: TokenValidationErrorOptions) {
    super('ERR_JWT_CLAIM_MISSING', message, options);
  }
}

/**
 * A claim has the wrong JSON type or value (never coerced): e.g. `exp` as a string, a `nonce` or
 * `sub` mismatch, or a custom `claimsValidator` that threw.
 */
export class InvalidClaimError extends TokenValidationError {
  override name = 'InvalidClaimError';
  constructor(message: string, options?: TokenValidationErrorOptions) {
    super('ERR_JWT_CLAIM_INVALID', message, options);
  }
}

/** The facts of an OAuth 2.0 error response. */
export interface ProtocolErrorOptions extends IdentityModelErrorOptions {
  /** The `error` code sent by the server, e.g. `invalid_grant`. */
  error: string;
  /** `error_description`, as text. Never interpret it as HTML. */
  errorDescription?: string | undefined;
  /** `error_uri`. */
  errorUri?: string | undefined;
  /** The HTTP status, when the error came in an HTTP response. */
  httpStatus?: number | undefined;
  /** The `WWW-Authenticate` header, when there was one (RFC 6750 §3). */
  wwwAuthenticate?: string | undefined;
}

/**
 * The authorization server (or resource server) answered with an OAuth 2.0 error.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class ProtocolError extends IdentityModelError {
  override name = 'ProtocolError';
  declare readonly code: ErrorCodeOf<'ProtocolError'>;
  /** The `error` code sent by the server, e.g. `invalid_grant`. */
  declare readonly error: string;
  /** `error_description`, as text. */
  declare readonly errorDescription: string | undefined;
  /** `error_uri`. */
  declare readonly errorUri: string | undefined;
  /** The HTTP status. */
  declare readonly httpStatus: number | undefined;
  /** The `WWW-Authenticate` header, when there was one. */
  declare readonly wwwAuthenticate: string | undefined;
  constructor(message: string, options: ProtocolErrorOptions) {
    super('ERR_OAUTH_ERROR', message, options);
    this.error = options.error;
    this.errorDescription = options.errorDescription;
    this.errorUri = options.errorUri;
    this.httpStatus = options.httpStatus;
    this.wwwAuthenticate = options.wwwAuthenticate;
  }
}

/** Codes of the {@link AuthorizationResponseError} family. */
export type AuthorizationResponseErrorCode = ErrorCodeOf<'AuthorizationResponseError'>;

/** Extra facts carried by an {@link AuthorizationResponseError}. */
export interface AuthorizationResponseErrorOptions extends IdentityModelErrorOptions {
  /** The response parameter at fault (`state`, `iss`, `code`, …), when there is one. */
  parameter?: string | undefined;
}

/**
 * The authorization response (the callback URL or `form_post` body) cannot be accepted:
 * `ERR_STATE_MISMATCH` (`state` missing or not the one sent, or no sign-in waiting for it),
 * `ERR_STATE_REUSED` (the expectation was already used), `ERR_CALLBACK_ISSUER_MISMATCH` (`iss`
 * wrong, or missing although advertised, RFC 9207 §2.4), `ERR_CALLBACK_INVALID` (`error` with
 * `code`, no `code`, the wrong response mode, a duplicated parameter, another redirect URI, an
 * implicit or hybrid response), `ERR_RESPONSE_MODE_REFUSED` (the service worker got a response
 * in a fragment or a form POST, which it never asks for). An OAuth error sent by the server (`?error=access_denied`) is a
 * {@link ProtocolError} instead.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export class AuthorizationResponseError extends IdentityModelError {
  override name = 'AuthorizationResponseError';
  declare readonly code: AuthorizationResponseErrorCode;
  /** The response parameter at fault, when there is one. */
  declare readonly parameter: string | undefined;
  constructor(
    code: AuthorizationResponseErrorCode,
    message: string,
    options?: AuthorizationResponseErrorOptions,
  ) {
    super(code, message, options);
    this.parameter = options?.parameter;
  }
}

/** Codes of the {@link DpopError} family. */
export type DpopErrorCode = ErrorCodeOf<'DpopError'>;

/** Extra facts carried by a {@link DpopError}. */
export interface DpopErrorOptions extends IdentityModelErrorOptions {
  /** The proof's claim or header member at fault (`htm`, `htu`, `iat`, `jti`, `ath`, …). */
  claim?: string | undefined;
  /** The HTTP status of the answer, for `ERR_DPOP_NONCE_LOOP`. */
  httpStatus?: number | undefined;
}

/**
 * DPoP (RFC 9449) failed. On the client: `ERR_DPOP_NONCE_LOOP`, the server answered
 * `use_dpop_nonce` again to the request retried with the nonce it had just given (§8, §9).
 * At a resource server (`validateDpopRequest`): one code per check of §4.3 and §7.1.
 * `error` is the OAuth error a resource server answers with in its `WWW-Authenticate: DPoP`
 * challenge: `use_dpop_nonce` for `ERR_DPOP_NONCE_INVALID` (send a fresh `DPoP-Nonce` with it),
 * `invalid_token` for `ERR_DPOP_KEY_MISMATCH`, else `invalid_dpop_proof`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3 RFC 9449 §4.3
 */
export class DpopError extends IdentityModelError {
  override name = 'DpopError';
  declare readonly code: DpopErrorCode;
  /** The claim or header member at fault, when there is one. */
  declare readonly claim: string | undefined;
  /** The OAuth error code for the challenge (RFC 9449 §7.1, §9). */
  declare readonly error: 'invalid_dpop_proof' | 'use_dpop_nonce' | 'invalid_token';
  /** The HTTP status of the answer, for `ERR_DPOP_NONCE_LOOP`. */
  declare readonly httpStatus: number | undefined;
  constructor(code: DpopErrorCode, message: string, options?: DpopErrorOptions) {
    super(code, message, options);
    this.claim = options?.claim;
    this.httpStatus = options?.httpStatus;
    this.error =
      code === 'ERR_DPOP_NONCE_INVALID' || code === 'ERR_DPOP_NONCE_LOOP'
        ? 'use_dpop_nonce'
        : code === 'ERR_DPOP_KEY_MISMATCH'
          ? 'invalid_token'
          : 'invalid_dpop_proof';
  }
}

/**
 * A success-only field was read on a failed response object (check `isSuccessful` first).
 */
export class ResponseAccessError extends IdentityModelError {
  override name = 'ResponseAccessError';
  constructor(message: string, options?: IdentityModelErrorOptions) {
    super('ERR_RESPONSE_NOT_SUCCESSFUL', message, options);
  }
}

/** Codes of the {@link WorkerError} family. */
export type WorkerErrorCode = ErrorCodeOf<'WorkerError'>;

/** True when `value` is an {@link IdentityModelError} (optionally with the given code). */
export function isIdentityModelError(
  value: unknown,
  code?: ErrorCode,
): value is IdentityModelError {
  return value instanceof IdentityModelError && (code === undefined || value.code === code);
}
