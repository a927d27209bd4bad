/**
 * Polling the token endpoint until the user has finished the device flow (RFC 8628 §3.4, §3.5).
 *
 * @module
 */

import { endpointFailure } from '../endpoint/failure.js';
import { HttpError, ProtocolError } from '../errors.js';
import { resolveHttpOptions } from '../http/defaults.js';
import { assertFunction, assertNumber, assertOptionalNumber } from '../lib/assert.js';
import { parseEndpoint } from '../lib/endpoint.js';
import { DEFAULT_DEVICE_INTERVAL } from './device-authorization.js';
import {
  checkDeviceCode,
  type DeviceTokenRequest,
  type DeviceTokenResponse,
  requestDeviceToken,
} from './device-token.js';
import { TOKEN_FIELDS } from './response.js';

/** Shortest wait between polls, in seconds, whatever the server says: 1. */
export const MIN_DEVICE_POLL_INTERVAL = 1;

/** Seconds added to the interval on each `slow_down` (RFC 8628 §3.5). */
export const SLOW_DOWN_INCREMENT = 5;

/** Arguments of {@link pollDeviceToken}. */
export interface DeviceTokenPollRequest extends DeviceTokenRequest {
  /**
   * Seconds to wait before each poll (`interval` of the device authorization response).
   * Default `5`. At least {@link MIN_DEVICE_POLL_INTERVAL} is waited, even when the server
   * asks for less.
   */
  interval?: number;
  /**
   * Lifetime of the device code in seconds (`expiresIn` of the device authorization response),
   * counted from the call. No poll is sent at or after that moment. Default: no
   * limit (then stop it with `signal`, or wait for the server's `expired_token`).
   */
  expiresIn?: number;
  /** Clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

/**
 * Polls the token endpoint with a device code until the user approves, denies, or the code
 * expires (RFC 8628 §3.4, §3.5), waiting `interval` seconds before each poll with `sleep` (from
 * the options, so tests inject a recorder and never wait):
 * - `authorization_pending`: polls again after `interval`;
 * - `slow_down`: adds 5 seconds to `interval` for this and every later poll;
 * - a timed-out poll (`ERR_TIMEOUT`): doubles `interval`, as §3.5 asks, and polls again;
 * - success: resolves with the token response;
 * - `expired_token`, `access_denied` or any other failure: resolves with that failed response;
 * - the next poll would start at or after `expiresIn`: resolves with a failed response `error`
 *   `expired_token` (`errorType: 'protocol'`, `httpStatus` undefined) without sending it;
 * - `signal` aborts (while waiting or during a poll): resolves at once with a failed response,
 *   `errorCode` `ERR_ABORTED`.
 *
 * Bad arguments throw a `ConfigurationError` before any wait or request.
 *
 * @example
 * ```ts
 * const auth = await requestDeviceAuthorization({ address: disco.deviceAuthorizationEndpoint, clientId: 'tv-app' });
 * if (!auth.isSuccessful) throw auth.exception;
 * show(auth.verificationUri, auth.userCode);
 * const token = await pollDeviceToken({
 *   address: disco.tokenEndpoint,
 *   clientId: 'tv-app',
 *   deviceCode: auth.deviceCode,
 *   interval: auth.interval,
 *   expiresIn: auth.expiresIn,
 *   signal: cancelButton.signal,
 * });
 * if (token.isSuccessful) signIn(token.accessToken);
 * else if (token.error === 'access_denied') showDenied();
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.5
 */
export async function pollDeviceToken(
  request: DeviceTokenPollRequest,
): Promise<DeviceTokenResponse> {
  const { interval = DEFAULT_DEVICE_INTERVAL, expiresIn, now = Date.now, ...poll } = request;
  assertNumber(interval, 'interval', { min: 0, unit: 'seconds' });
  assertOptionalNumber(expiresIn, 'expiresIn', { min: 0, unit: 'seconds' });
  assertFunction(now, 'now');
  checkDeviceCode(poll.deviceCode);
  const url = parseEndpoint(poll.address, 'address').href;
  const { sleep, signal } = resolveHttpOptions(poll);

  const aborted = () =>
    endpointFailure(
      new HttpError('ERR_ABORTED', `Polling ${url} was aborted`, { url, cause: signal?.reason }),
      TOKEN_FIELDS,
    );
  const deadline = expiresIn === undefined ? Number.POSITIVE_INFINITY : now() + expiresIn * 1000;
  let seconds = Math.max(interval, MIN_DEVICE_POLL_INTERVAL);

  for (;;) {
    if (signal?.aborted) return aborted();
    if (now() + seconds * 1000 >= deadline) {
      return endpointFailure(
        new ProtocolError(`The device code expired before the user finished (polling ${url})`, {
          error: 'expired_token',
          errorDescription: 'the device code expired before authorization completed',
        }),
        TOKEN_FIELDS,
      );
    }
    try {
      await sleep(seconds * 1000, signal);
    } catch (error) {
      if (signal?.aborted) return aborted();
      throw error;
    }
    // An injected sleep may ignore the signal.
    if (signal?.aborted) return aborted();

    const response = await requestDeviceToken({ ...poll, now });
    if (response.isSuccessful) return response;
    if (response.errorType === 'protocol' && response.error === 'authorization_pending') continue;
    if (response.errorType === 'protocol' && response.error === 'slow_down') {
      seconds += SLOW_DOWN_INCREMENT;
      continue;
    }
    if (response.errorCode === 'ERR_TIMEOUT') {
      seconds *= 2;
      continue;
    }
    return response;
  }
}
