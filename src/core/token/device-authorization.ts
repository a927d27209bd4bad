/**
 * The device authorization request (RFC 8628 §3.1, §3.2): the first step of the device flow.
 *
 * @module
 */

import { readOAuthJson } from '../endpoint/answer.js';
import { callEndpoint } from '../endpoint/call.js';
import type { ClientCredentialsOptions } from '../endpoint/client-auth.js';
import type { EndpointFailure } from '../endpoint/failure.js';
import { endpointForm } from '../endpoint/form.js';
import { postForm } from '../endpoint/post.js';
import type { EndpointOptions } from '../endpoint/transport.js';
import { HttpError } from '../errors.js';
import type { JsonObject } from '../http/json.js';
import { tryParseUrl } from '../lib/url.js';
import { scopeParameter } from './scope.js';

/** Polling interval used when the server sends none: 5 seconds (RFC 8628 §3.2). */
export const DEFAULT_DEVICE_INTERVAL = 5;

/** Arguments of {@link requestDeviceAuthorization}. */
export interface DeviceAuthorizationRequest extends ClientCredentialsOptions, EndpointOptions {
  /** The device authorization endpoint URL (e.g. `disco.deviceAuthorizationEndpoint`). */
  address: string;
  /** Requested scope(s); an array is sent space-delimited (RFC 6749 §3.3). */
  scope?: string | readonly string[];
  /** Resource indicator(s) (RFC 8707); each is sent as its own `resource` parameter. */
  resource?: string | readonly string[];
  /** Extra form parameters; they can never replace the ones the library sets. */
  parameters?: Readonly<Record<string, string>>;
}

/** A successful device authorization response (RFC 8628 §3.2), camelCase. */
export interface DeviceAuthorizationSuccess {
  /** Always `true` here: the call succeeded, and every success field can be read. */
  readonly isSuccessful: true;
  /** `device_code`: what the device polls the token endpoint with. Keep it on the device. */
  readonly deviceCode: string;
  /** `user_code`: what the user types at `verificationUri`. */
  readonly userCode: string;
  /** `verification_uri`: where the user goes (an absolute http(s) URL; others are refused). */
  readonly verificationUri: string;
  /** `verification_uri_complete`: the same, with the user code in it (e.g. for a QR code). */
  readonly verificationUriComplete: string | undefined;
  /** Lifetime of `deviceCode` and `userCode`, in seconds. */
  readonly expiresIn: number;
  /** Seconds to wait between polls: as sent, or {@link DEFAULT_DEVICE_INTERVAL} when absent. */
  readonly interval: number;
  /** The whole JSON response. */
  readonly raw: JsonObject;
  /** The HTTP status of the device authorization response (`200`). */
  readonly httpStatus: number;
}

/** What {@link requestDeviceAuthorization} resolves to: check `isSuccessful` first. */
export type DeviceAuthorizationResponse = DeviceAuthorizationSuccess | EndpointFailure;

const DEVICE_AUTHORIZATION_FIELDS = [
  'deviceCode',
  'userCode',
  'verificationUri',
  'verificationUriComplete',
  'expiresIn',
  'interval',
  'raw',
] as const;

function invalid(url: string, status: number, message: string): HttpError {
  return new HttpError(
    'ERR_INVALID_RESPONSE',
    `Invalid device authorization response from ${url}: ${message}`,
    { url, httpStatus: status },
  );
}

/** A verification URI is shown to (and followed by) the user: only http(s) is acceptable. */
function verificationUri(value: unknown, name: string, url: string, status: number): string {
  const parsed = typeof value === 'string' ? tryParseUrl(value) : undefined;
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw invalid(url, status, `"${name}" must be an absolute http(s) URL`);
  }
  return value as string;
}

/** Reads the response with the checks oauth4webapi leaves lenient (it accepts `"600"`). */
function deviceAuthorizationFields(
  raw: JsonObject,
  status: number,
  url: string,
): DeviceAuthorizationSuccess {
  const { device_code, user_code, expires_in, interval } = raw;
  if (typeof device_code !== 'string' || device_code === '') {
    throw invalid(url, status, '"device_code" is missing');
  }
  if (typeof user_code !== 'string' || user_code === '') {
    throw invalid(url, status, '"user_code" is missing');
  }
  if (typeof expires_in !== 'number' || !Number.isFinite(expires_in) || expires_in <= 0) {
    throw invalid(url, status, '"expires_in" must be a positive number');
  }
  if (
    interval !== undefined &&
    (typeof interval !== 'number' || !Number.isFinite(interval) || interval < 0)
  ) {
    throw invalid(url, status, '"interval" must be a non-negative number');
  }
  return {
    isSuccessful: true,
    deviceCode: device_code,
    userCode: user_code,
    verificationUri: verificationUri(raw.verification_uri, 'verification_uri', url, status),
    verificationUriComplete:
      raw.verification_uri_complete === undefined
        ? undefined
        : verificationUri(raw.verification_uri_complete, 'verification_uri_complete', url, status),
    expiresIn: expires_in,
    interval: interval ?? DEFAULT_DEVICE_INTERVAL,
    raw,
    httpStatus: status,
  };
}

/**
 * Starts the device authorization grant: asks the device authorization endpoint for a device
 * code and a user code. Show the user `verificationUri` and `userCode` (or
 * `verificationUriComplete`, e.g. as a QR code), then poll the token endpoint with
 * {@link pollDeviceToken}.
 *
 * Client authentication as for every token-endpoint call (a public device client uses `none`,
 * the default without a secret or key). Retried only when the server cannot have processed the
 * request. Resolves to a response object; `interval` is 5 seconds when the server sends none.
 * Bad arguments throw a `ConfigurationError` before any request.
 *
 * @example
 * ```ts
 * const auth = await requestDeviceAuthorization({
 *   address: disco.deviceAuthorizationEndpoint,
 *   clientId: 'tv-app',
 *   scope: 'openid profile',
 * });
 * if (!auth.isSuccessful) throw auth.exception;
 * show(`Go to ${auth.verificationUri} and enter ${auth.userCode}`);
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.1
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.2
 */
export async function requestDeviceAuthorization(
  request: DeviceAuthorizationRequest,
): Promise<DeviceAuthorizationResponse> {
  const form = endpointForm(
    { scope: scopeParameter(request.scope), resource: request.resource },
    request.parameters,
  );
  return callEndpoint(request, {
    retry: 'unprocessed',
    endpoint: 'device_authorization_endpoint',
    successFields: DEVICE_AUTHORIZATION_FIELDS,
    send: (as, client, auth, options) => {
      const body = new URLSearchParams(form);
      body.set('client_id', client.client_id);
      return postForm(as, client, auth, options, {
        endpoint: 'device_authorization_endpoint',
        body,
        accept: 'application/json',
      });
    },
    finish: (response, url) =>
      deviceAuthorizationFields(readOAuthJson(response, url), response.status, url),
  });
}
