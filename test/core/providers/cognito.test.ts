/**
 * Amazon Cognito profile: a recorded user-pool discovery document (sources in
 * test/fixtures/providers/README.md). Its issuer is on `cognito-idp.<region>.amazonaws.com`
 * while the authorization, token and userinfo endpoints are on the pool's domain, and it has no
 * `end_session_endpoint`. Access tokens carry `client_id` and `token_use: "access"` and no `aud`;
 * AWS's "Verifying a JSON Web Token" says to check `client_id` (access tokens) or `aud` (ID
 * tokens) and `token_use`.
 */
import { describe, expect, it } from 'vitest';
import { createMetadataCache } from '../../../src/core/cache/metadata-cache.js';
import { getDiscoveryDocument } from '../../../src/core/discovery/get.js';
import type { DiscoveryPolicy } from '../../../src/core/discovery/policy.js';
import { validateIdToken } from '../../../src/core/token/id-token.js';
import { validateAccessToken } from '../../../src/core/validation/access-token.js';
import {
  type ClaimsValidator,
  type TokenValidationConfig,
  validateToken,
} from '../../../src/core/validation/index.js';
import { expectCode, NOW, NOW_S } from '../../support/hostile-op.js';
import { providerFixture, useProfileOp } from '../../support/provider-profile.js';
import { expectFailure, expectSuccess } from '../../support/result.js';

const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_4OqDoWVrZ';
const DOMAIN = 'https://auth-groovycalamari.auth.us-east-1.amazoncognito.com';
const CLIENT = '3vbuqdb4pbvid3l4ve9o4dvn1a';
/** The documented option: the pool's domain hosts the OAuth endpoints. */
const COGNITO_POLICY: DiscoveryPolicy = { additionalEndpointBaseAddresses: [`${DOMAIN}/`] };
const op = useProfileOp();
const served = () => {
  op().serve(`${ISSUER}/.well-known/openid-configuration`, providerFixture('cognito'));
  return { fetch: op().fetch, cache: createMetadataCache({ now: () => NOW }), now: () => NOW };
};

/** Cognito's access-token checks (no `aud` to compare): the app client and the token use. */
const cognitoAccessToken: ClaimsValidator = (claims) => {
  if (claims.token_use !== 'access') throw new Error('not a Cognito access token');
  if (claims.client_id !== CLIENT) throw new Error('issued to another app client');
};

function accessToken(extra: Record<string, unknown> = {}) {
  return op().sign({
    sub: 'aaaaaaaa-bbbb-cccc-dddd-example',
    'cognito:groups': ['admin'],
    iss: ISSUER,
    version: 2,
    client_id: CLIENT,
    origin_jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    event_id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    token_use: 'access',
    scope: 'openid profile https://api.example.com/read',
    auth_time: NOW_S - 30,
    exp: NOW_S + 3600,
    iat: NOW_S - 30,
    jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    username: 'alice',
    ...extra,
  });
}

describe('Amazon Cognito', () => {
  it('discovery is refused by the default policy: the endpoints are on the pool domain', async () => {
    expectFailure(await getDiscoveryDocument({ issuer: ISSUER, ...served() }), {
      code: 'ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED',
    });
  });

  it('discovery passes with the pool domain allowed; it has no end_session_endpoint', async () => {
    const disco = expectSuccess(
      await getDiscoveryDocument({ issuer: ISSUER, discoveryPolicy: COGNITO_POLICY, ...served() }),
    );
    expect(disco.tokenEndpoint).toBe(`${DOMAIN}/oauth2/token`);
    expect(disco.endSessionEndpoint).toBeUndefined();
    expect(disco.revocationEndpoint).toBeUndefined();
  });

  it('its access token (client_id, no aud) validates with a claims validator', async () => {
    const config: TokenValidationConfig = {
      performDisco: true,
      discoveryPolicy: COGNITO_POLICY,
      claimsValidator: cognitoAccessToken,
      ...served(),
    };
    await expect(validateToken(await accessToken(), config, ISSUER)).resolves.toMatchObject({
      client_id: CLIENT,
    });
    await expectCode(
      validateToken(await accessToken({ client_id: 'another-app-client' }), config, ISSUER),
      'ERR_JWT_CLAIM_INVALID',
    );
    await expectCode(
      validateToken(await accessToken({ token_use: 'id' }), config, ISSUER),
      'ERR_JWT_CLAIM_INVALID',
    );
  });

  it('an audience cannot be required of it, nor the RFC 9068 profile', async () => {
    const base = { performDisco: true, discoveryPolicy: COGNITO_POLICY, ...served() };
    const token = await accessToken();
    await expectCode(
      validateToken(token, { ...base, audience: CLIENT }, ISSUER),
      'ERR_JWT_CLAIM_MISSING',
    );
    await expectCode(
      validateAccessToken(token, { ...base, audience: CLIENT }, ISSUER),
      'ERR_JWT_TYPE_INVALID',
    );
  });

  it('its ID token (aud the app client) validates with clientId and that policy', async () => {
    const idToken = await op().sign({
      at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q',
      sub: 'aaaaaaaa-bbbb-cccc-dddd-example',
      'cognito:groups': ['admin'],
      email_verified: true,
      iss: ISSUER,
      'cognito:username': 'alice',
      origin_jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      aud: CLIENT,
      event_id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      token_use: 'id',
      auth_time: NOW_S - 30,
      nonce: 'n-0S6_WzA2Mj',
      exp: NOW_S + 3600,
      iat: NOW_S - 30,
      jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      email: 'alice@example.com',
    });
    await expect(
      validateIdToken(idToken, {
        clientId: CLIENT,
        issuer: ISSUER,
        nonce: 'n-0S6_WzA2Mj',
        discoveryPolicy: COGNITO_POLICY,
        claimsValidator: (claims) => {
          if (claims.token_use !== 'id') throw new Error('not a Cognito ID token');
        },
        ...served(),
      }),
    ).resolves.toMatchObject({ token_use: 'id' });
  });
});
