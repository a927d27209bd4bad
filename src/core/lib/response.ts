/**
 * Response objects in the seed's style: `isSuccessful`, then either the success fields or
 * `errorMessage` / `errorCode` / `errorType` / `httpStatus` (and the server's OAuth `error`,
 * when it sent one). Reading a success field of a failed response throws.
 *
 * @module
 */

import {
  DpopError,
  type ErrorCode,
  IdentityModelError,
  ProtocolError,
  ResponseAccessError,
} from '../errors.js';

/**
 * Why a call failed, coarsely: `http` (an unexpected status), `network` (timeout, abort,
 * connection), `invalid_response` (not the document the spec asks for), `policy` (refused by the
 * caller's policy, e.g. an issuer mismatch), `protocol` (an OAuth error response).
 */
export type ResponseErrorType = 'http' | 'network' | 'invalid_response' | 'policy' | 'protocol';

/**
 * The failure half of every response object. `error`, `errorDescription` and `errorUri` are what
 * the server sent (RFC 6749 §5.2, RFC 6750 §3), `undefined` when it sent no OAuth error;
 * `errorMessage` is the library's readable message.
 */
export interface FailedResponse {
  /** Always `false` here: the call failed; check it before reading any success field. */
  readonly isSuccessful: false;
  /** The server's OAuth `error` code (e.g. `invalid_grant`), when it sent one. */
  readonly error: string | undefined;
  /** The server's `error_description`, as text (never HTML), when it sent one. */
  readonly errorDescription: string | undefined;
  /** The server's `error_uri`, when it sent one. */
  readonly errorUri: string | undefined;
  /** A readable message (never contains secrets). */
  readonly errorMessage: string;
  /**
   * Why the call failed, coarsely (`http`, `network`, `invalid_response`, `policy`, `protocol`):
   * see {@link ResponseErrorType}.
   */
  readonly errorType: ResponseErrorType;
  /** The stable code of {@link exception}. */
  readonly errorCode: ErrorCode;
  /** The HTTP status, when a response arrived. */
  readonly httpStatus: number | undefined;
  /** The error itself, to rethrow or inspect (`instanceof`, `code`, `cause`). */
  readonly exception: IdentityModelError;
}

const NETWORK_CODES: ReadonlySet<ErrorCode> = new Set([
  'ERR_TIMEOUT',
  'ERR_ABORTED',
  'ERR_NETWORK',
]);
const POLICY_CODES: ReadonlySet<ErrorCode> = new Set([
  'ERR_ENDPOINT_HTTPS_REQUIRED',
  'ERR_DISCOVERY_ISSUER_MISMATCH',
  'ERR_DISCOVERY_HTTPS_REQUIRED',
  'ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED',
]);

/** Maps an error to its {@link ResponseErrorType}. */
export function errorTypeOf(error: IdentityModelError): ResponseErrorType {
  if (error.code === 'ERR_HTTP_STATUS') return 'http';
  // A nonce loop is the server's answer (use_dpop_nonce twice), not a malformed response.
  if (error.code === 'ERR_OAUTH_ERROR' || error.code === 'ERR_DPOP_NONCE_LOOP') return 'protocol';
  if (NETWORK_CODES.has(error.code)) return 'network';
  if (POLICY_CODES.has(error.code)) return 'policy';
  return 'invalid_response';
}

/**
 * Builds a failed response. Each name in `successFields` becomes a getter that throws
 * {@link ResponseAccessError}, as the seed's guarded responses do.
 */
export function failedResponse<F extends object = object>(
  error: IdentityModelError,
  successFields: readonly string[],
  extra?: F,
): FailedResponse & F {
  const status = (error as { httpStatus?: unknown }).httpStatus;
  // The server's OAuth error: a ProtocolError's, or the `use_dpop_nonce` of a DPoP nonce loop.
  const oauth:
    | { error?: string; errorDescription?: string | undefined; errorUri?: string | undefined }
    | undefined = error instanceof ProtocolError || error instanceof DpopError ? error : undefined;
  const response = {
    isSuccessful: false as const,
    error: oauth?.error,
    errorDescription: oauth?.errorDescription,
    errorUri: oauth?.errorUri,
    errorMessage: error.message,
    errorType: errorTypeOf(error),
    errorCode: error.code,
    httpStatus: typeof status === 'number' ? status : undefined,
    exception: error,
    ...extra,
  };
  for (const field of successFields) {
    Object.defineProperty(response, field, {
      enumerable: false,
      get() {
        throw new ResponseAccessError(
          `Cannot read "${field}" of a failed response (${error.code}: ${error.message})`,
          { cause: error },
        );
      },
    });
  }
  return response as FailedResponse & F;
}

/**
 * Runs `work` and turns a library error into a failed response; other errors (bugs, a
 * `ConfigurationError` from bad arguments) propagate.
 */
export async function toResponse<S extends object>(
  work: () => Promise<S>,
  successFields: readonly string[],
): Promise<S | FailedResponse> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof IdentityModelError && error.code !== 'ERR_CONFIGURATION') {
      return failedResponse(error, successFields);
    }
    throw error;
  }
}
