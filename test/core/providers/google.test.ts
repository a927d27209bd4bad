/**
 * Google profile: the recorded discovery document of https://accounts.google.com (sources in
 * test/fixtures/providers/README.md). Google's endpoints live on four hosts, its ID tokens may
 * name the issuer with or without `https://`, its access tokens are opaque, and it issues refresh
 * tokens only to authorization requests with `access_type=offline`.
 */
import { describe, expect, it } from 'vitest';
import { createAuthorizeUrl } from '../../../src/core/authorize/url.js';
import { createMetadataCache } from '../../../src/core/cache/metadata-cache.js';
import { getDiscoveryDocument } from '../../../src/core/discovery/get.js';
import type { DiscoveryPolicy } from '../../../src/core/discovery/policy.js';
import { validateIdToken } from '../../../src/core/token/id-token.js';
import { validateToken } from '../../../src/core/validation/index.js';
import { expectCode, NOW, NOW_S } from '../../support/hostile-op.js';
import { providerFixture, useProfileOp } from '../../support/provider-profile.js';
import { expectFailure, expectSuccess } from '../../support/result.js';

const ISSUER = 'https://accounts.google.com';
const CLIENT = '1234987819200.apps.googleusercontent.com';
/** The documented option: Google's token, userinfo and key hosts are not the issuer's. */
const GOOGLE_POLICY: DiscoveryPolicy = {
  additionalEndpointBaseAddresses: [
    'https://oauth2.googleapis.com/',
    'https://openidconnect.googleapis.com/',
    'https://www.googleapis.com/oauth2/',
  ],
};
const op = useProfileOp();
const served = () => {
  op().serve(`${ISSUER}/.well-known/openid-configuration`, providerFixture('google'));
  return { fetch: op().fetch, cache: createMetadataCache({ now: () => NOW }), now: () => NOW };
};

function idToken(extra: Record<string, unknown> = {}) {
  return op().sign({
    iss: ISSUER,
    azp: CLIENT,
    aud: CLIENT,
    sub: '110169484474386276334',
    email: 'alice@example.com',
    email_verified: true,
    at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q',
    nonce: 'n-0S6_WzA2Mj',
    name: 'Alice',
    iat: NOW_S - 5,
    exp: NOW_S + 3600,
    ...extra,
  });
}

describe('Google', () => {
  it('discovery is refused by the default policy: endpoints on other hosts', async () => {
    expectFailure(await getDiscoveryDocument({ issuer: ISSUER, ...served() }), {
      code: 'ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED',
    });
  });

  it('discovery passes with its hosts in additionalEndpointBaseAddresses', async () => {
    const disco = expectSuccess(
      await getDiscoveryDocument({ issuer: ISSUER, discoveryPolicy: GOOGLE_POLICY, ...served() }),
    );
    expect(disco.tokenEndpoint).toBe('https://oauth2.googleapis.com/token');
    expect(disco.jwksUri).toBe('https://www.googleapis.com/oauth2/v3/certs');
    expect(disco.endSessionEndpoint).toBeUndefined();
  });

  it('its ID token validates with clientId, issuer and that policy', async () => {
    await expect(
      validateIdToken(await idToken(), {
        clientId: CLIENT,
        issuer: ISSUER,
        nonce: 'n-0S6_WzA2Mj',
        discoveryPolicy: GOOGLE_POLICY,
        ...served(),
      }),
    ).resolves.toMatchObject({ email: 'alice@example.com' });
    expect(op().count('https://www.googleapis.com/oauth2/v3/certs')).toBeGreaterThan(0);
  });

  it('an ID token with iss "accounts.google.com" validates with allowedIssuers', async () => {
    const token = await idToken({ iss: 'accounts.google.com' });
    const config = {
      performDisco: true,
      audience: CLIENT,
      authorizedParty: CLIENT,
      discoveryPolicy: GOOGLE_POLICY,
      ...served(),
    };
    await expectCode(validateToken(token, config, ISSUER), 'ERR_JWT_ISSUER_MISMATCH');
    await expect(
      validateToken(token, { ...config, allowedIssuers: ['accounts.google.com'] }, ISSUER),
    ).resolves.toMatchObject({ iss: 'accounts.google.com' });
  });

  it('its opaque access token is not a JWT: ERR_JWT_MALFORMED', async () => {
    const opaque = 'ya29.a0AfB_byC3example-opaque-access-token';
    await expectCode(
      validateToken(
        opaque,
        { performDisco: true, discoveryPolicy: GOOGLE_POLICY, ...served() },
        ISSUER,
      ),
      'ERR_JWT_MALFORMED',
    );
  });

  it('refresh tokens need access_type=offline: an extra authorization parameter', () => {
    const url = new URL(
      createAuthorizeUrl({
        address: 'https://accounts.google.com/o/oauth2/v2/auth',
        clientId: CLIENT,
        redirectUri: 'https://app.example/callback',
        scope: 'openid email',
        state: 'state-1',
        codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        prompt: 'consent',
        parameters: { access_type: 'offline' },
      }),
    );
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.get('prompt')).toBe('consent');
  });
});
