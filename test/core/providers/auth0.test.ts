/**
 * Auth0 profile: the discovery document of Auth0's documentation (sources in
 * test/fixtures/providers/README.md). Auth0's issuer ends with `/`, tokens name it with the
 * slash, and an API's token is asked for with the `audience` parameter instead of RFC 8707's
 * `resource`; with the "RFC 9068" token dialect the access token is `at+jwt`.
 */
import { describe, expect, it } from 'vitest';
import { createAuthorizeUrl } from '../../../src/core/authorize/url.js';
import { createMetadataCache } from '../../../src/core/cache/metadata-cache.js';
import { getDiscoveryDocument } from '../../../src/core/discovery/get.js';
import { validateIdToken } from '../../../src/core/token/id-token.js';
import { validateAccessToken } from '../../../src/core/validation/access-token.js';
import { validateToken } from '../../../src/core/validation/index.js';
import { expectCode, NOW, NOW_S } from '../../support/hostile-op.js';
import { providerFixture, useProfileOp } from '../../support/provider-profile.js';
import { expectSuccess } from '../../support/result.js';

const DOMAIN = 'https://dev-example.us.auth0.com';
const ISSUER = `${DOMAIN}/`;
const CLIENT = 'tO7Cq9sAfS3iH2Ux1vE6pLkMZ8dJbRnY';
const API = 'https://api.example.com';
const op = useProfileOp();
const served = () => {
  op().serve(`${DOMAIN}/.well-known/openid-configuration`, providerFixture('auth0'));
  return { fetch: op().fetch, cache: createMetadataCache({ now: () => NOW }), now: () => NOW };
};

function accessToken(extra: Record<string, unknown> = {}, header: Record<string, unknown> = {}) {
  return op().sign(
    {
      iss: ISSUER,
      sub: 'auth0|5f7c8ec7c33c6c004bbafe82',
      aud: [API, `${DOMAIN}/userinfo`],
      iat: NOW_S - 5,
      exp: NOW_S + 86400,
      scope: 'openid profile read:messages',
      azp: CLIENT,
      ...extra,
    },
    { typ: 'JWT', ...header },
  );
}

describe('Auth0', () => {
  it('discovery passes the default policy; the issuer keeps its trailing slash', async () => {
    for (const issuer of [DOMAIN, ISSUER]) {
      const disco = expectSuccess(await getDiscoveryDocument({ issuer, ...served() }));
      expect(disco.issuer).toBe(ISSUER);
      expect(disco.revocationEndpoint).toBe(`${DOMAIN}/oauth/revoke`);
    }
  });

  it('its ID token (iss with the slash) validates with clientId and the domain', async () => {
    const idToken = await op().sign({
      iss: ISSUER,
      aud: CLIENT,
      sub: 'auth0|5f7c8ec7c33c6c004bbafe82',
      iat: NOW_S - 5,
      exp: NOW_S + 36000,
      sid: 'Rm8nUq3oYlXhbDk2',
      nonce: 'n-0S6_WzA2Mj',
      email: 'alice@example.com',
    });
    await expect(
      validateIdToken(idToken, {
        clientId: CLIENT,
        issuer: DOMAIN,
        nonce: 'n-0S6_WzA2Mj',
        ...served(),
      }),
    ).resolves.toMatchObject({ iss: ISSUER });
  });

  it('its API access token validates with the API identifier as audience', async () => {
    const config = { performDisco: true, audience: API, ...served() };
    await expect(validateToken(await accessToken(), config, DOMAIN)).resolves.toMatchObject({
      azp: CLIENT,
    });
    // `iss` is compared exactly: the slash is part of Auth0's issuer.
    await expectCode(
      validateToken(await accessToken({ iss: DOMAIN }), config, DOMAIN),
      'ERR_JWT_ISSUER_MISMATCH',
    );
  });

  it('with the RFC 9068 token dialect it validates as a JWT access token', async () => {
    const token = await accessToken(
      { aud: API, client_id: CLIENT, jti: 'b2d3f4a5c6e7', azp: undefined },
      { typ: 'at+jwt' },
    );
    await expect(
      validateAccessToken(token, { performDisco: true, audience: API, ...served() }, DOMAIN),
    ).resolves.toMatchObject({ client_id: CLIENT });
  });

  it('the API is named with the audience parameter, not resource', () => {
    const url = new URL(
      createAuthorizeUrl({
        address: `${DOMAIN}/authorize`,
        clientId: CLIENT,
        redirectUri: 'https://app.example/callback',
        scope: 'openid offline_access read:messages',
        state: 'state-1',
        codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        parameters: { audience: API },
      }),
    );
    expect(url.searchParams.get('audience')).toBe(API);
    expect(url.searchParams.has('resource')).toBe(false);
  });
});
