/**
 * ZITADEL profile: a discovery document of a ZITADEL Cloud instance (sources and reconstructed
 * members in test/fixtures/providers/README.md). With the application's "Auth Token Type" set to
 * JWT its access tokens are JWTs whose `aud` lists the project and the client; its ID tokens
 * carry the project id as a second audience, which OpenID Connect Core §3.1.3.7 lets a client
 * accept only when it trusts that audience.
 */
import { describe, expect, it } from 'vitest';
import { createMetadataCache } from '../../../src/core/cache/metadata-cache.js';
import { getDiscoveryDocument } from '../../../src/core/discovery/get.js';
import { validateIdToken } from '../../../src/core/token/id-token.js';
import { validateToken } from '../../../src/core/validation/index.js';
import { expectCode, NOW, NOW_S } from '../../support/hostile-op.js';
import { providerFixture, useProfileOp } from '../../support/provider-profile.js';
import { expectSuccess } from '../../support/result.js';

const ISSUER = 'https://example-a1b2c3.zitadel.cloud';
const CLIENT = '243870216733859843@demo';
const PROJECT = '243870121598656515';
const op = useProfileOp();
const served = () => {
  op().serve(`${ISSUER}/.well-known/openid-configuration`, providerFixture('zitadel'));
  return { fetch: op().fetch, cache: createMetadataCache({ now: () => NOW }), now: () => NOW };
};

describe('ZITADEL', () => {
  it('discovery passes the default policy', async () => {
    const disco = expectSuccess(await getDiscoveryDocument({ issuer: ISSUER, ...served() }));
    expect(disco.jwksUri).toBe(`${ISSUER}/oauth/v2/keys`);
    expect(disco.endSessionEndpoint).toBe(`${ISSUER}/oidc/v1/end_session`);
  });

  it('its ID token (aud client and project) validates when the project is trusted', async () => {
    const idToken = await op().sign({
      amr: ['pwd'],
      at_hash: 'T7Hb1vNqB8cMTIJAKHbOcQ',
      aud: [CLIENT, PROJECT],
      auth_time: NOW_S - 20,
      azp: CLIENT,
      client_id: CLIENT,
      exp: NOW_S + 43200,
      iat: NOW_S - 5,
      iss: ISSUER,
      nonce: 'n-0S6_WzA2Mj',
      sid: 'V1_243870417456447491',
      sub: '243870300880289795',
    });
    const expectations = { clientId: CLIENT, issuer: ISSUER, nonce: 'n-0S6_WzA2Mj' };
    await expectCode(
      validateIdToken(idToken, { ...expectations, ...served() }),
      'ERR_JWT_AUDIENCE_INVALID',
    );
    await expect(
      validateIdToken(idToken, { ...expectations, trustedAudiences: [PROJECT], ...served() }),
    ).resolves.toMatchObject({ azp: CLIENT });
  });

  it('its JWT access token validates with the project id as audience', async () => {
    const token = await op().sign({
      aud: [PROJECT, CLIENT],
      client_id: CLIENT,
      exp: NOW_S + 43200,
      iat: NOW_S - 5,
      iss: ISSUER,
      jti: 'V2_243870417456447491-at_243870417456513027',
      nbf: NOW_S - 5,
      sub: '243870300880289795',
      'urn:zitadel:iam:user:resourceowner:id': '243870121598394371',
    });
    await expect(
      validateToken(token, { performDisco: true, audience: PROJECT, ...served() }, ISSUER),
    ).resolves.toMatchObject({ client_id: CLIENT });
  });
});
