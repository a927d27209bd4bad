/**
 * Okta profile: a recorded discovery document of an Okta org's `default` custom authorization
 * server (sources in test/fixtures/providers/README.md). Its access tokens are JWTs with
 * `aud: "api://default"`, the client in `cid` (not `client_id`), `scp` as an array and no `typ`
 * header, so they validate as plain JWTs, not under RFC 9068.
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

const ISSUER = 'https://trial-3652397.okta.com/oauth2/default';
const CLIENT = '0oac5s46zwh5crGiH356';
const op = useProfileOp();
const served = () => {
  op().serve(`${ISSUER}/.well-known/openid-configuration`, providerFixture('okta'));
  return { fetch: op().fetch, cache: createMetadataCache({ now: () => NOW }), now: () => NOW };
};

function accessToken(extra: Record<string, unknown> = {}) {
  return op().sign(
    {
      ver: 1,
      jti: 'AT.QUe7C5mLNagOLUSuHIwrdPW7iO8uQDGiMRiKmwdAYq4',
      iss: ISSUER,
      aud: 'api://default',
      iat: NOW_S - 5,
      exp: NOW_S + 3600,
      cid: CLIENT,
      uid: '00uc5sopceb89h5Sk356',
      scp: ['openid', 'profile', 'email'],
      auth_time: NOW_S - 20,
      sub: 'alice@example.com',
      ...extra,
    },
    { typ: undefined },
  );
}

describe('Okta', () => {
  it('discovery passes the default policy (PAR and PKCE S256 advertised)', async () => {
    const disco = expectSuccess(await getDiscoveryDocument({ issuer: ISSUER, ...served() }));
    expect(disco.pushedAuthorizationRequestEndpoint).toBe(`${ISSUER}/v1/par`);
    expect(disco.codeChallengeMethodsSupported).toEqual(['S256']);
    expect(disco.registrationEndpoint).toBe('https://trial-3652397.okta.com/oauth2/v1/clients');
  });

  it('its ID token validates with clientId and the authorization server issuer', async () => {
    const idToken = await op().sign({
      ver: 1,
      sub: '00uc5sopceb89h5Sk356',
      iss: ISSUER,
      aud: CLIENT,
      iat: NOW_S - 5,
      exp: NOW_S + 3600,
      jti: 'ID.4eAWJOCMB3SX8XewDfVR7BbkMMgf5gRfqNI8uHQXSnE',
      amr: ['pwd'],
      idp: '00ok1u7AsAkrwdZL3z0g3',
      nonce: 'n-0S6_WzA2Mj',
      auth_time: NOW_S - 20,
      at_hash: 'T7Hb1vNqB8cMTIJAKHbOcQ',
    });
    await expect(
      validateIdToken(idToken, {
        clientId: CLIENT,
        issuer: ISSUER,
        nonce: 'n-0S6_WzA2Mj',
        ...served(),
      }),
    ).resolves.toMatchObject({ ver: 1 });
  });

  it('its access token validates for api://default; the client is checked through cid', async () => {
    const config = {
      performDisco: true,
      audience: 'api://default',
      claimsValidator: (claims: Record<string, unknown>) => {
        if (claims.cid !== CLIENT) throw new Error('issued to another client');
      },
      ...served(),
    };
    await expect(validateToken(await accessToken(), config, ISSUER)).resolves.toMatchObject({
      cid: CLIENT,
    });
    await expectCode(
      validateToken(await accessToken({ cid: '0oaOTHER' }), config, ISSUER),
      'ERR_JWT_CLAIM_INVALID',
    );
    // Not an RFC 9068 token: no typ at+jwt, no client_id.
    await expectCode(
      validateAccessToken(await accessToken(), config, ISSUER),
      'ERR_JWT_TYPE_INVALID',
    );
  });
});
