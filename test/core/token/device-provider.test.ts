/**
 * The device flow (RFC 8628) against oidc-provider: discovery, device authorization, polling
 * while the "user" enters the code, logs in and consents on the provider's pages (plain HTTP),
 * and the user's refusal.
 */
import { describe, expect, it } from 'vitest';
import { getDiscoveryDocument } from '../../../src/core/discovery/get.js';
import { requestDeviceAuthorization } from '../../../src/core/token/device-authorization.js';
import { requestDeviceToken } from '../../../src/core/token/device-token.js';
import { completeDeviceVerification } from '../../support/login.js';
import { useProvider } from '../../support/provider.js';
import { expectFailure, expectSuccess } from '../../support/result.js';
import { runDeviceFlow } from './device-flow.js';

const op = useProvider();

describe('device flow against oidc-provider', () => {
  it('discovers the endpoint and gets a device code; polling before the user acts is pending', async () => {
    const disco = expectSuccess(await getDiscoveryDocument({ issuer: op().issuer, cache: false }));
    expect(disco.deviceAuthorizationEndpoint).toBe(`${op().issuer}/device/auth`);
    const auth = expectSuccess(
      await requestDeviceAuthorization({
        address: disco.deviceAuthorizationEndpoint!,
        clientId: op().clients.device.clientId,
        scope: ['openid', 'profile'],
      }),
    );
    expect(auth.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(auth.verificationUri).toBe(`${op().issuer}/device`);
    expect(auth.verificationUriComplete).toBe(
      `${op().issuer}/device?user_code=${encodeURIComponent(auth.userCode)}`,
    );
    expect(auth.expiresIn).toBe(600);
    // oidc-provider sends no `interval`: the RFC 8628 default applies.
    expect(auth.raw.interval).toBeUndefined();
    expect(auth.interval).toBe(5);

    const pending = expectFailure(
      await requestDeviceToken({
        address: disco.tokenEndpoint,
        clientId: op().clients.device.clientId,
        deviceCode: auth.deviceCode,
      }),
      { errorType: 'protocol' },
    );
    expect(pending.error).toBe('authorization_pending');
    expect(pending.httpStatus).toBe(400);
  });

  it('polls until the user has entered the code, logged in and consented', async () => {
    op().resetCounts();
    const run = await runDeviceFlow(op(), { login: 'bob' });
    expect(run.page).toContain('Sign-in Success');
    const token = expectSuccess(run.token);
    expect(token.tokenType.toLowerCase()).toBe('bearer');
    expect(token.accessToken.length).toBeGreaterThan(20);
    // No `resource`: an opaque token, not a JWT.
    expect(token.accessToken.split('.')).toHaveLength(1);
    expect(token.refreshToken).toBeTypeOf('string');
    expect(token.scope).toBe('openid');
    expect(token.idTokenClaims).toMatchObject({ sub: 'bob', iss: op().issuer, aud: 'demo-device' });
    expect(run.delays).toEqual([5000]);
    expect(op().counts['token:urn:ietf:params:oauth:grant-type:device_code']).toBe(1);
  });

  it('works with verification_uri_complete (the code already in the link)', async () => {
    const run = await runDeviceFlow(op(), { complete: true });
    expect(run.page).toContain('Sign-in Success');
    expectSuccess(run.token);
  });

  it('refuses an ID Token it was given no expectations to validate (ERR_INVALID_RESPONSE)', async () => {
    const auth = expectSuccess(
      await requestDeviceAuthorization({
        address: `${op().issuer}/device/auth`,
        clientId: op().clients.device.clientId,
        scope: 'openid',
      }),
    );
    await completeDeviceVerification({
      issuer: op().issuer,
      verificationUri: auth.verificationUri,
      userCode: auth.userCode,
    });
    expectFailure(
      await requestDeviceToken({
        address: `${op().issuer}/token`,
        clientId: op().clients.device.clientId,
        deviceCode: auth.deviceCode,
      }),
      { code: 'ERR_INVALID_RESPONSE' },
    );
  });

  it('stops with access_denied when the user aborts on the confirmation page', async () => {
    const run = await runDeviceFlow(op(), { abort: true });
    expect(run.page).toContain('interrupted');
    const failure = expectFailure(run.token, { errorType: 'protocol' });
    expect(failure.error).toBe('access_denied');
    expect(failure.httpStatus).toBe(400);
    expect(run.delays).toEqual([5000]);
  });
});
