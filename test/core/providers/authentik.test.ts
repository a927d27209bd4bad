/**
 * authentik profile: the discovery document authentik's `ProviderInfoView` builds for an
 * application `spa` (sources in test/fixtures/providers/README.md). The issuer is per
 * application and ends with `/`; the authorization, token and userinfo endpoints are shared by
 * all applications, the key set and end-session endpoint are per application. authentik signs
 * access tokens as JWTs for the client (`aud` the client id).
 */
import { describe, expect, it } from 'vitest';
import { createMetadataCache } from '../../../src/core/cache/metadata-cache.js';
import { getDiscoveryDocument } from '../../../src/core/discovery/get.js';
import { validateIdToken } from '../../../src/core/token/id-token.js';
import { validateToken } from '../../../src/core/validation/index.js';
import { NOW, NOW_S } from '../../support/hostile-op.js';
import { providerFixture, useProfileOp } from '../../support/provider-profile.js';
import { expectSuccess } from '../../support/result.js';

const ISSUER = 'https://authentik.company/application/o/spa/';
const CLIENT = 'Vx1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvWxYz';
const op = useProfileOp();
const served = () => {
  op().serve(`${ISSUER}.well-known/openid-configuration`, providerFixture('authentik'));
  return { fetch: op().fetch, cache: createMetadataCache({ now: () => NOW }), now: () => NOW };
};

function claims(extra: Record<string, unknown> = {}) {
  return {
    iss: ISSUER,
    sub: 'c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3',
    aud: CLIENT,
    exp: NOW_S + 300,
    iat: NOW_S - 5,
    auth_time: NOW_S - 20,
    acr: 'goauthentik.io/providers/oauth2/default',
    email: 'alice@example.com',
    preferred_username: 'alice',
    ...extra,
  };
}

describe('authentik', () => {
  it('discovery passes the default policy; the issuer keeps its trailing slash', async () => {
    const disco = expectSuccess(await getDiscoveryDocument({ issuer: ISSUER, ...served() }));
    expect(disco.issuer).toBe(ISSUER);
    expect(disco.tokenEndpoint).toBe('https://authentik.company/application/o/token/');
    expect(disco.jwksUri).toBe(`${ISSUER}jwks/`);
  });

  it('its ID token validates with clientId and the application issuer', async () => {
    const idToken = await op().sign(
      claims({ nonce: 'n-0S6_WzA2Mj', at_hash: 'T7Hb1vNqB8cMTIJAKHbOcQ' }),
    );
    await expect(
      validateIdToken(idToken, {
        clientId: CLIENT,
        issuer: ISSUER,
        nonce: 'n-0S6_WzA2Mj',
        ...served(),
      }),
    ).resolves.toMatchObject({ aud: CLIENT });
  });

  it('its access token validates with the client id as audience', async () => {
    const token = await op().sign(
      claims({ azp: CLIENT, uid: 'k3Yx1Z0a9B8c7D6e5F4g3H2i1J0', scope: 'openid email profile' }),
    );
    await expect(
      validateToken(token, { performDisco: true, audience: CLIENT, ...served() }, ISSUER),
    ).resolves.toMatchObject({ azp: CLIENT });
  });
});
