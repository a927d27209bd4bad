/**
 * Response objects in the seed's style: `isSuccessful`, then either the success fields or
 * `error` / `errorType` / `httpStatus`. Reading a success field of a failed response throws.
 *
 * @module
 */

import { type ErrorCode, IdentityModelError, ResponseAccessError } from '../errors.js';

/**
 * Why a call failed, coarsely: `http` (an unexpected status), `network` (timeout, abort,
 * connection), `invalid_response` (not the document the spec asks for), `policy` (refused by the
 * caller's policy, e.g. an issuer mismatch), `protocol` (an OAuth error response).
 */
export type ResponseErrorType = 'http' | 'network' | 'invalid_response' | 'policy' | 'protocol';

/** The failure half of every response object. */
export interface FailedResponse {
  readonly isSuccessful: false;
  /** A readable message (never contains secrets). */
  readonly error: string;
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
  // `httpStatus` is the name errors move to (DpopError has it already); `status` the old one.
  const facts = error as { httpStatus?: unknown; status?: unknown };
  const status = facts.httpStatus ?? facts.status;
  const response = {
    isSuccessful: false as const,
    error: error.message,
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
