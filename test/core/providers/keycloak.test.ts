/**
 * Keycloak profile: a recorded realm discovery document (test/fixtures/providers/keycloak.json,
 * sources in test/fixtures/providers/README.md) and Keycloak's token shapes, signed by a test key
 * that the recorded `jwks_uri` serves from loopback.
 */
import { describe, expect, it } from 'vitest';
import { createMetadataCache } from '../../../src/core/cache/metadata-cache.js';
import { getDiscoveryDocument } from '../../../src/core/discovery/get.js';
import { validateIdToken } from '../../../src/core/token/id-token.js';
import { validateToken } from '../../../src/core/validation/index.js';
import { expectCode, NOW, NOW_S } from '../../support/hostile-op.js';
import { providerFixture, useProfileOp } from '../../support/provider-profile.js';
import { expectSuccess } from '../../support/result.js';

const ISSUER = 'https://identity.mafiasi.de/auth/realms/simple_openid_test';
const CLIENT = 'spa-client';
const op = useProfileOp();
const cache = () => createMetadataCache({ now: () => NOW });
const served = () => {
  op().serve(`${ISSUER}/.well-known/openid-configuration`, providerFixture('keycloak'));
  return { fetch: op().fetch, cache: cache(), now: () => NOW };
};

describe('Keycloak', () => {
  it('discovery passes the default policy (PAR, mTLS aliases, HS256 listed)', async () => {
    const disco = expectSuccess(await getDiscoveryDocument({ issuer: ISSUER, ...served() }));
    expect(disco.issuer).toBe(ISSUER);
    expect(disco.pushedAuthorizationRequestEndpoint).toBe(
      `${ISSUER}/protocol/openid-connect/ext/par/request`,
    );
    expect(disco.codeChallengeMethodsSupported).toContain('S256');
    expect(disco.ignoredValues).toEqual([]);
  });

  it('its ID token validates with clientId and the realm issuer', async () => {
    const idToken = await op().sign({
      exp: NOW_S + 300,
      iat: NOW_S - 5,
      auth_time: NOW_S - 20,
      jti: 'b1f0c6d2-4e0c-4f7e-9a43-1f2d3c4b5a69',
      iss: ISSUER,
      aud: CLIENT,
      sub: '3c5f9b8e-0d1a-4c7e-a3b2-9f8e7d6c5b4a',
      typ: 'ID',
      azp: CLIENT,
      nonce: 'n-0S6_WzA2Mj',
      sid: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
      acr: '1',
      email_verified: true,
      preferred_username: 'alice',
    });
    await expect(
      validateIdToken(idToken, {
        clientId: CLIENT,
        issuer: ISSUER,
        nonce: 'n-0S6_WzA2Mj',
        ...served(),
      }),
    ).resolves.toMatchObject({ typ: 'ID', azp: CLIENT });
  });

  it('its access token (aud ["api", "account"], azp the SPA) validates for audience "api"', async () => {
    const config = { performDisco: true, audience: 'api', ...served() };
    const claims = {
      exp: NOW_S + 300,
      iat: NOW_S - 5,
      jti: 'onrtac:6f0c2a52-7a41-4b8e-9d4e-1b3c6f1a2d7e',
      iss: ISSUER,
      aud: ['api', 'account'],
      sub: '3c5f9b8e-0d1a-4c7e-a3b2-9f8e7d6c5b4a',
      typ: 'Bearer',
      azp: CLIENT,
      scope: 'openid profile email',
      realm_access: { roles: ['default-roles-demo', 'offline_access'] },
    };
    await expect(validateToken(await op().sign(claims), config, ISSUER)).resolves.toMatchObject({
      azp: CLIENT,
    });
    await expectCode(
      validateToken(await op().sign({ ...claims, aud: 'account' }), config, ISSUER),
      'ERR_JWT_AUDIENCE_INVALID',
    );
  });
});
