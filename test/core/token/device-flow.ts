/**
 * Runs the whole device flow against the demo provider (demo/provider.js) with the library:
 * device authorization, then polling with an injected `sleep` that plays the user's part on the
 * provider's pages. Device-flow tokens are opaque (no `resource`), so the introspection and
 * revocation tests use them too.
 */
import { requestDeviceAuthorization } from '../../../src/core/token/device-authorization.js';
import { pollDeviceToken } from '../../../src/core/token/device-poll.js';
import type { DeviceTokenResponse } from '../../../src/core/token/device-token.js';
import { completeDeviceVerification } from '../../support/login.js';
import type { DemoProvider } from '../../support/provider.js';
import { expectSuccess } from '../../support/result.js';

export interface DeviceFlowRun {
  token: DeviceTokenResponse;
  /** The waits pollDeviceToken asked for, in milliseconds. */
  delays: number[];
  /** The HTML of the last verification page the "user" saw. */
  page: string;
}

/**
 * Runs the device flow as `demo-device`. The user step runs during the first wait, so the first
 * poll already finds the grant approved (or, with `abort`, denied).
 */
export async function runDeviceFlow(
  op: DemoProvider,
  options: { scope?: string; login?: string; abort?: boolean; complete?: boolean } = {},
): Promise<DeviceFlowRun> {
  const auth = expectSuccess(
    await requestDeviceAuthorization({
      address: `${op.issuer}/device/auth`,
      clientId: op.clients.device.clientId,
      scope: options.scope ?? 'openid',
    }),
  );
  const delays: number[] = [];
  let page = '';
  const token = await pollDeviceToken({
    address: `${op.issuer}/token`,
    clientId: op.clients.device.clientId,
    deviceCode: auth.deviceCode,
    interval: auth.interval,
    expiresIn: auth.expiresIn,
    // The device flow's ID Token is validated like any other (signature, iss, aud, exp, at_hash).
    idToken: { issuer: op.issuer },
    sleep: async (ms) => {
      delays.push(ms);
      if (delays.length > 1) return;
      page = await completeDeviceVerification({
        issuer: op.issuer,
        verificationUri: options.complete
          ? (auth.verificationUriComplete ?? auth.verificationUri)
          : auth.verificationUri,
        userCode: auth.userCode,
        ...(options.login ? { login: options.login } : {}),
        ...(options.abort ? { abort: true } : {}),
      });
    },
  });
  return { token, delays, page };
}

/** An opaque access token (and its refresh token) of `demo-device`, from the device flow. */
export async function deviceTokens(
  op: DemoProvider,
  login = 'alice',
): Promise<{ accessToken: string; refreshToken: string; scope: string | undefined }> {
  const token = expectSuccess((await runDeviceFlow(op, { login })).token);
  if (token.refreshToken === undefined) throw new Error('the provider issued no refresh token');
  return { accessToken: token.accessToken, refreshToken: token.refreshToken, scope: token.scope };
}
