/**
 * Real providers' access-token shapes validate as resource-server tokens (issue 9): `azp` names
 * the client an access token was issued to, so it is never compared with `audience`; the ID-token
 * `azp` rules (several audiences need `azp`, equal to the client) still hold for ID tokens.
 *
 * The tokens are made with jose and signed by a local key; only their shape (header and claim
 * names, types and typical values) comes from the providers:
 * - Keycloak: an access token of a public client `spa-client` in realm `demo` with an audience
 *   mapper adding `api` (Keycloak's server administration guide, "Audience support"; a default
 *   Keycloak 2x token carries `typ: "Bearer"`, `azp`, `aud` with `account`, `realm_access`,
 *   `resource_access`, `scope`, `sid`, and header `typ: "JWT"`).
 * - Microsoft Entra ID: a v2.0 access token for an API, as in Microsoft's "Access token claims
 *   reference" (learn.microsoft.com/entra/identity-platform/access-token-claims-reference):
 *   header `typ: "JWT"`; `aud` the API's application ID, `iss`
 *   `https://login.microsoftonline.com/{tid}/v2.0`, `azp` the client's application ID, `azpacr`,
 *   `scp`, `oid`, `tid`, `uti`, `ver: "2.0"`, no `jti`.
 */
import { describe, expect, it } from 'vitest';
import type { TokenValidationError } from '../../../src/core/errors.js';
import { type IdTokenExpectations, validateIdToken } from '../../../src/core/token/id-token.js';
import { validateAccessToken } from '../../../src/core/validation/access-token.js';
import { type TokenValidationConfig, validateToken } from '../../../src/core/validation/index.js';
import { expectCode, makeKey, NOW, NOW_S, sign } from '../../support/hostile-op.js';

const key = await makeKey('RS256', { kid: 'kc-rsa' });

const KEYCLOAK_ISSUER = 'https://keycloak.example/realms/demo';
/** Keycloak's shape: the API and Keycloak's own `account` client as audiences, `azp` the SPA. */
function keycloakAccessToken(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    exp: NOW_S + 300,
    iat: NOW_S - 10,
    auth_time: NOW_S - 20,
    jti: 'onrtac:6f0c2a52-7a41-4b8e-9d4e-1b3c6f1a2d7e',
    iss: KEYCLOAK_ISSUER,
    aud: ['api', 'account'],
    sub: '3c5f9b8e-0d1a-4c7e-a3b2-9f8e7d6c5b4a',
    typ: 'Bearer',
    azp: 'spa-client',
    sid: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    acr: '1',
    'allowed-origins': ['https://app.example'],
    realm_access: { roles: ['default-roles-demo', 'offline_access', 'uma_authorization'] },
    resource_access: { account: { roles: ['manage-account', 'view-profile'] } },
    scope: 'openid profile email',
    email_verified: true,
    preferred_username: 'alice',
    ...extra,
  };
}

const TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const ENTRA_ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const ENTRA_API = '6e74172b-be56-4843-9ff4-e66a39bb12e3';
const ENTRA_CLIENT = 'a5e2f4c1-3b7d-4e8a-9c6f-2d1b0a9e8f7c';
/** Entra's v2.0 access-token shape for an API registered as `ENTRA_API`. */
function entraAccessToken(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    aud: ENTRA_API,
    iss: ENTRA_ISSUER,
    iat: NOW_S - 10,
    nbf: NOW_S - 10,
    exp: NOW_S + 3600,
    aio: 'AWQAm/8TAAAA',
    azp: ENTRA_CLIENT,
    azpacr: '0',
    name: 'Alice',
    oid: '690222be-ff1a-4d56-abd1-7e4f7d38e474',
    preferred_username: 'alice@contoso.example',
    rh: '0.AAAA',
    scp: 'access_as_user',
    sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
    tid: TENANT,
    uti: 'fqiBqXLPj0eQa82S-IYFAA',
    ver: '2.0',
    ...extra,
  };
}

const at = () => NOW;

describe('Keycloak access token (aud ["api", "account"], azp "spa-client")', () => {
  const config: TokenValidationConfig = {
    key: key.jwk,
    issuer: KEYCLOAK_ISSUER,
    audience: 'api',
    now: at,
  };

  it('validateToken accepts it for audience "api" (refused with ERR_JWT_AUDIENCE_INVALID before)', async () => {
    const jwt = await sign(key, keycloakAccessToken(), { header: { typ: 'JWT' } });
    await expect(validateToken(jwt, config)).resolves.toMatchObject({
      aud: ['api', 'account'],
      azp: 'spa-client',
    });
  });

  it('validateAccessToken accepts it when typed at+jwt with client_id (the RFC 9068 form)', async () => {
    // Keycloak does not type its tokens at+jwt nor add client_id by default; RFC 9068 requires
    // both, so this is the same shape with what the profile adds.
    const jwt = await sign(key, keycloakAccessToken({ client_id: 'spa-client' }), {
      header: { typ: 'at+jwt' },
    });
    await expect(validateAccessToken(jwt, { ...config })).resolves.toMatchObject({
      azp: 'spa-client',
      client_id: 'spa-client',
    });
  });

  it('the audience is still checked: a token for another API is refused', async () => {
    const jwt = await sign(key, keycloakAccessToken({ aud: ['other-api', 'account'] }));
    await expectCode(validateToken(jwt, config), 'ERR_JWT_AUDIENCE_INVALID');
  });

  it('with authorizedParty set, azp must equal it', async () => {
    const jwt = await sign(key, keycloakAccessToken());
    await expect(
      validateToken(jwt, { ...config, authorizedParty: 'spa-client' }),
    ).resolves.toBeDefined();
    const error = await expectCode<TokenValidationError>(
      validateToken(jwt, { ...config, authorizedParty: 'other-client' }),
      'ERR_JWT_AUDIENCE_INVALID',
    );
    expect(error.claim).toBe('azp');
  });
});

describe('Microsoft Entra ID v2.0 access token (aud the API, azp the client)', () => {
  it('validateToken accepts it for the API audience and the tenant issuer', async () => {
    const jwt = await sign(key, entraAccessToken(), { header: { typ: 'JWT' } });
    await expect(
      validateToken(jwt, { key: key.jwk, issuer: ENTRA_ISSUER, audience: ENTRA_API, now: at }),
    ).resolves.toMatchObject({ azp: ENTRA_CLIENT, tid: TENANT });
  });

  it('validateToken accepts it with the API and the client as expected audiences', async () => {
    const jwt = await sign(key, entraAccessToken({ aud: [ENTRA_API, 'api://contoso-api'] }));
    await expect(
      validateToken(jwt, { key: key.jwk, issuer: ENTRA_ISSUER, audience: ENTRA_API, now: at }),
    ).resolves.toMatchObject({ azp: ENTRA_CLIENT });
  });
});

describe('ID tokens keep the azp rules', () => {
  const CLIENT = 'spa-client';
  const expectations: IdTokenExpectations = {
    clientId: CLIENT,
    key: key.jwk,
    issuer: KEYCLOAK_ISSUER,
    trustedAudiences: ['api'],
    now: at,
  };
  const idToken = (extra: Record<string, unknown>) =>
    sign(key, {
      iss: KEYCLOAK_ISSUER,
      sub: 'alice',
      aud: [CLIENT, 'api'],
      iat: NOW_S - 10,
      exp: NOW_S + 300,
      ...extra,
    });

  it('several audiences: azp equal to the client is accepted', async () => {
    await expect(
      validateIdToken(await idToken({ azp: CLIENT }), expectations),
    ).resolves.toMatchObject({ azp: CLIENT });
  });

  it('several audiences without azp: ERR_JWT_CLAIM_MISSING (azp)', async () => {
    const error = await expectCode<TokenValidationError>(
      validateIdToken(await idToken({}), expectations),
      'ERR_JWT_CLAIM_MISSING',
    );
    expect(error.claim).toBe('azp');
  });

  it('several audiences, azp another party (even an audience): ERR_JWT_AUDIENCE_INVALID', async () => {
    for (const azp of ['api', 'other-client']) {
      const error = await expectCode<TokenValidationError>(
        validateIdToken(await idToken({ azp }), expectations),
        'ERR_JWT_AUDIENCE_INVALID',
      );
      expect(error.claim).toBe('azp');
    }
  });
});
