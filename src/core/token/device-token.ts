/**
 * The device access token request (RFC 8628 §3.4, §3.5): one poll of the token endpoint.
 *
 * @module
 */

import { GrantTypes } from '../constants/grant-types.js';
import type { EndpointFailure } from '../endpoint/failure.js';
import { assertString } from '../lib/assert.js';
import { clockOption } from './expiry.js';
import { requestGrant, type TokenEndpointRequest } from './grant.js';
import {
  CHECKED_TOKEN_FIELDS,
  type CheckedTokenFields,
  checkedTokenFinish,
  type IdTokenRequestExpectations,
  prepareRequestIdTokenCheck,
} from './id-token-response.js';

/** Arguments of {@link requestDeviceToken}. */
export interface DeviceTokenRequest extends TokenEndpointRequest {
  /** `device_code` from {@link requestDeviceAuthorization}. */
  deviceCode: string;
  /**
   * How to validate the ID Token when `openid` was requested (as for the code exchange: no
   * `nonce` exists in this flow). Without it, a response carrying an ID Token is refused
   * (`ERR_INVALID_RESPONSE`): an ID Token the library cannot validate is never handed out.
   */
  idToken?: Omit<IdTokenRequestExpectations, 'nonce'>;
  /** Clock in milliseconds since the epoch (`expiresAt`, ID Token time checks). Default `Date.now`. */
  now?: () => number;
}

/** A successful device token response: the token fields, `expiresAt` and the validated ID Token's claims. */
export type DeviceTokenSuccess = CheckedTokenFields & {
  /** Always `true` here: the call succeeded, and every success field can be read. */
  readonly isSuccessful: true;
};

/** What {@link requestDeviceToken} resolves to: check `isSuccessful` first. */
export type DeviceTokenResponse = DeviceTokenSuccess | EndpointFailure;

/** @internal Throws `ConfigurationError` unless `deviceCode` is a non-empty string. */
export function checkDeviceCode(deviceCode: unknown): void {
  assertString(deviceCode, 'deviceCode');
}

/**
 * Polls the token endpoint once with a device code. While the user has not finished, the result
 * is a failed response with `errorType: 'protocol'` and `error` `authorization_pending` (keep
 * polling) or `slow_down` (keep polling, 5 seconds slower); `expired_token` and `access_denied`
 * end the flow. {@link pollDeviceToken} does all of that for you.
 *
 * On success: `accessToken`, `tokenType`, `expiresIn`, `expiresAt`, `refreshToken`, `scope`,
 * `raw`, and `idTokenClaims`: an ID Token is validated with `idToken` (signature, `iss`, `aud`,
 * `exp`, `iat`, `at_hash`); one that arrives without `idToken` expectations is refused
 * (`ERR_INVALID_RESPONSE`).
 *
 * @example
 * ```ts
 * const token = await requestDeviceToken({
 *   address: disco.tokenEndpoint,
 *   clientId: 'tv-app',
 *   deviceCode: auth.deviceCode,
 * });
 * if (!token.isSuccessful && token.error === 'authorization_pending') retryLater();
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.4
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.5
 */
export async function requestDeviceToken(
  request: DeviceTokenRequest,
): Promise<DeviceTokenResponse> {
  checkDeviceCode(request.deviceCode);
  const now = clockOption(request.now);
  const check = prepareRequestIdTokenCheck(request.idToken, request.clientId, now);
  const sentAt = (now ?? Date.now)();
  return requestGrant<DeviceTokenSuccess>(request, {
    grantType: GrantTypes.deviceCode,
    own: { device_code: request.deviceCode },
    retry: 'unprocessed',
    validatesIdToken: true,
    successFields: CHECKED_TOKEN_FIELDS,
    finish: checkedTokenFinish(check, sentAt),
  });
}
