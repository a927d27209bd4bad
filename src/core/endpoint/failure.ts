/**
 * The failure half of endpoint responses.
 *
 * @module
 */

import { IdentityModelError } from '../errors.js';
import { type FailedResponse, failedResponse } from '../lib/response.js';

/**
 * The failure half of endpoint responses: a {@link FailedResponse} (every failed response carries
 * the server's OAuth `error`, `errorDescription` and `errorUri`).
 */
export type EndpointFailure = FailedResponse;

/** Builds the failed response for an endpoint call. */
export function endpointFailure(
  error: IdentityModelError,
  successFields: readonly string[],
): EndpointFailure {
  return failedResponse(error, successFields);
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
