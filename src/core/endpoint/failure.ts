/**
 * The failure half of endpoint responses: a failed response object with the server's OAuth error
 * fields (RFC 6749 §5.2).
 *
 * @module
 */

import { IdentityModelError, ProtocolError } from '../errors.js';
import { type FailedResponse, failedResponse } from '../lib/response.js';

/** The failure half of endpoint responses: adds the server's OAuth error fields. */
export interface EndpointFailure extends FailedResponse {
  /** For `errorType: 'protocol'`: the server's `error` code (e.g. `invalid_client`); else the message. */
  readonly error: string;
  /** The server's `error_description`, as text. */
  readonly errorDescription: string | undefined;
  /** The server's `error_uri`. */
  readonly errorUri: string | undefined;
}

/** Builds the failed response for an endpoint call, with the OAuth error fields when present. */
export function endpointFailure(
  error: IdentityModelError,
  successFields: readonly string[],
): EndpointFailure {
  if (error instanceof ProtocolError) {
    return failedResponse(error, successFields, {
      error: error.error,
      errorDescription: error.errorDescription,
      errorUri: error.errorUri,
    });
  }
  return failedResponse(error, successFields, { errorDescription: undefined, errorUri: undefined });
}

/**
 * Runs an endpoint call; library errors become a failed response. Configuration errors and bugs
 * propagate.
 */
export async function endpointCall<S extends object>(
  successFields: readonly string[],
  work: () => Promise<S>,
): Promise<S | EndpointFailure> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof IdentityModelError && error.code !== 'ERR_CONFIGURATION') {
      return endpointFailure(error, successFields);
    }
    throw error;
  }
}
