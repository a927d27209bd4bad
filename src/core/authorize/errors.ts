/**
 * Errors of the authorization response (the redirect back to the client).
 *
 * TODO(lead): move to errors.ts — add the four codes below to `ErrorCode`, export
 * `AuthorizationResponseError` from there, and drop the cast in the constructor.
 *
 * @module
 */

import { type ErrorCode, IdentityModelError, type IdentityModelErrorOptions } from '../errors.js';

/**
 * Codes of the {@link AuthorizationResponseError} family:
 * - `ERR_STATE_MISMATCH`: `state` is missing or is not the one sent (RFC 6749 §10.12).
 * - `ERR_STATE_REUSED`: the same expectation was already used by an earlier callback.
 * - `ERR_ISSUER_MISMATCH`: `iss` is not the expected issuer, or is missing although the
 *   provider advertises `authorization_response_iss_parameter_supported` (RFC 9207 §2.4).
 * - `ERR_CALLBACK_INVALID`: the callback breaks the protocol: `error` and `code` together, no
 *   `code`, a response in the wrong part of the URL (query vs fragment), a duplicated
 *   parameter, an unexpected redirect URI, or an implicit/hybrid/JARM response.
 */
// TODO(lead): move to errors.ts
export type AuthorizationResponseErrorCode =
  | 'ERR_STATE_MISMATCH'
  | 'ERR_STATE_REUSED'
  | 'ERR_ISSUER_MISMATCH'
  | 'ERR_CALLBACK_INVALID';

/** Extra facts carried by an {@link AuthorizationResponseError}. */
export interface AuthorizationResponseErrorOptions extends IdentityModelErrorOptions {
  /** The response parameter at fault (`state`, `iss`, `code`, …), when there is one. */
  parameter?: string | undefined;
}

/**
 * The authorization response (the callback URL or `form_post` body) cannot be accepted. An OAuth
 * error sent by the server (`?error=access_denied`) is a `ProtocolError` instead.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
 */
// TODO(lead): move to errors.ts
export class AuthorizationResponseError extends IdentityModelError {
  override name = 'AuthorizationResponseError';
  // `code` keeps the base type ErrorCode; it is one of AuthorizationResponseErrorCode.
  /** The response parameter at fault (`state`, `iss`, `code`, …), when there is one. */
  readonly parameter: string | undefined;
  constructor(
    code: AuthorizationResponseErrorCode,
    message: string,
    options?: AuthorizationResponseErrorOptions,
  ) {
    // TODO(lead): the cast goes once the codes are in ErrorCode.
    super(code as unknown as ErrorCode, message, options);
    this.parameter = options?.parameter;
  }
}
