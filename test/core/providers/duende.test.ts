/**
 * Duende IdentityServer profile (the seed's reference provider): a discovery document in the
 * shape of https://demo.duendesoftware.com (sources and reconstructed members in
 * test/fixtures/providers/README.md). Its access tokens are `at+jwt` with `client_id` and `jti`,
 * but `scope` is a JSON array unless `EmitScopesAsSpaceDelimitedStringInJwt` is set, and RFC 9068
 * (§2.2.3) wants a space-delimited string.
 */
import { describe, expect, it } from 'vitest';
import { createMetadataCache } from '../../../src/core/cache/metadata-cache.js';
import { getDiscoveryDocument } from '../../../src/core/discovery/get.js';
import { validateIdToken } from '../../../src/core/token/id-token.js';
import { validateAccessToken } from '../../../src/core/validation/access-token.js';
import { validateToken } from '../../../src/core/validation/index.js';
import { expectCode, NOW, NOW_S } from '../../support/hostile-op.js';
import { providerFixture, useProfileOp } from '../../support/provider-profile.js';
import { expectSuccess } from '../../support/result.js';

const ISSUER = 'https://demo.duendesoftware.com';
const CLIENT = 'interactive.public';
const op = useProfileOp();
const served = () => {
  op().serve(`${ISSUER}/.well-known/openid-configuration`, providerFixture('duende'));
  return { fetch: op().fetch, cache: createMetadataCache({ now: () => NOW }), now: () => NOW };
};

function accessToken(scope: unknown) {
  return op().sign(
    {
      iss: ISSUER,
      nbf: NOW_S - 5,
      iat: NOW_S - 5,
      exp: NOW_S + 3600,
      aud: 'api',
      scope,
      amr: ['pwd'],
      client_id: CLIENT,
      sub: '2',
      auth_time: NOW_S - 20,
      idp: 'local',
      sid: 'F3E5A6B1C2D4E7F8',
      jti: '8C9F1A2B3D4E5F60718293A4B5C6D7E8',
    },
    { typ: 'at+jwt' },
  );
}

describe('Duende IdentityServer', () => {
  it('discovery passes the default policy (PAR, DPoP and RFC 9207 advertised)', async () => {
    const disco = expectSuccess(await getDiscoveryDocument({ issuer: ISSUER, ...served() }));
    expect(disco.pushedAuthorizationRequestEndpoint).toBe(`${ISSUER}/connect/par`);
    expect(disco.dpopSigningAlgValuesSupported).toContain('ES256');
    expect(disco.authorizationResponseIssParameterSupported).toBe(true);
  });

  it('its ID token validates with clientId and the issuer', async () => {
    const idToken = await op().sign({
      iss: ISSUER,
      nbf: NOW_S - 5,
      iat: NOW_S - 5,
      exp: NOW_S + 300,
      aud: CLIENT,
      amr: ['pwd'],
      nonce: 'n-0S6_WzA2Mj',
      at_hash: 'T7Hb1vNqB8cMTIJAKHbOcQ',
      sid: 'F3E5A6B1C2D4E7F8',
      sub: '2',
      auth_time: NOW_S - 20,
      idp: 'local',
    });
    await expect(
      validateIdToken(idToken, {
        clientId: CLIENT,
        issuer: ISSUER,
        nonce: 'n-0S6_WzA2Mj',
        ...served(),
      }),
    ).resolves.toMatchObject({ idp: 'local' });
  });

  it('its default at+jwt (scope an array) validates with validateToken and typ at+jwt', async () => {
    const token = await accessToken(['openid', 'profile', 'api', 'offline_access']);
    const config = { performDisco: true, audience: 'api', typ: 'at+jwt', ...served() };
    await expect(validateToken(token, config, ISSUER)).resolves.toMatchObject({
      client_id: CLIENT,
    });
    // RFC 9068 §2.2.3: scope is a space-delimited string; the array is refused by the profile.
    await expectCode(validateAccessToken(token, config, ISSUER), 'ERR_JWT_CLAIM_INVALID');
  });

  it('with EmitScopesAsSpaceDelimitedStringInJwt it validates as an RFC 9068 token', async () => {
    const token = await accessToken('openid profile api offline_access');
    await expect(
      validateAccessToken(token, { performDisco: true, audience: 'api', ...served() }, ISSUER),
    ).resolves.toMatchObject({ scope: 'openid profile api offline_access' });
  });
});
