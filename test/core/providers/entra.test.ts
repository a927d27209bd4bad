/**
 * Microsoft Entra ID profile: the recorded discovery documents of the `common` v2.0 endpoint (its
 * issuer is the template `https://login.microsoftonline.com/{tenantid}/v2.0`), of one tenant's
 * v2.0 endpoint and of its v1.0 endpoint (issuer `https://sts.windows.net/{tenant}/`); sources in
 * test/fixtures/providers/README.md. Token shapes follow Microsoft's ID token and access token
 * claims references (v1.0 and v2.0).
 */
import { describe, expect, it } from 'vitest';
import { createMetadataCache } from '../../../src/core/cache/metadata-cache.js';
import { getDiscoveryDocument } from '../../../src/core/discovery/get.js';
import type { DiscoveryPolicy } from '../../../src/core/discovery/policy.js';
import { validateIdToken } from '../../../src/core/token/id-token.js';
import { type TokenValidationConfig, validateToken } from '../../../src/core/validation/index.js';
import { expectCode, NOW, NOW_S } from '../../support/hostile-op.js';
import { providerFixture, useProfileOp } from '../../support/provider-profile.js';
import { expectFailure, expectSuccess } from '../../support/result.js';

const HOST = 'https://login.microsoftonline.com';
const COMMON = `${HOST}/common/v2.0`;
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const TENANT_V2 = `${HOST}/${TENANT}/v2.0`;
const TENANT_V1 = `${HOST}/${TENANT}`;
const V2_TEMPLATE = `${HOST}/{tenantid}/v2.0`;
const V1_TEMPLATE = 'https://sts.windows.net/{tenantid}/';
const CLIENT = 'a5e2f4c1-3b7d-4e8a-9c6f-2d1b0a9e8f7c';
const API = '6e74172b-be56-4843-9ff4-e66a39bb12e3';
/** userinfo is Microsoft Graph's: another host than the issuer's. */
const GRAPH = { additionalEndpointBaseAddresses: ['https://graph.microsoft.com/oidc/'] };
const MULTI_TENANT: DiscoveryPolicy = { ...GRAPH, issuerTemplate: V2_TEMPLATE };

const op = useProfileOp();
const served = () => {
  op().serve(`${COMMON}/.well-known/openid-configuration`, providerFixture('entra-common'));
  op().serve(`${TENANT_V2}/.well-known/openid-configuration`, providerFixture('entra-tenant-v2'));
  op().serve(`${TENANT_V1}/.well-known/openid-configuration`, providerFixture('entra-tenant-v1'));
  return { fetch: op().fetch, cache: createMetadataCache({ now: () => NOW }), now: () => NOW };
};

function v2Token(claims: Record<string, unknown>, tenant = TENANT) {
  return op().sign(
    {
      iss: `${HOST}/${tenant}/v2.0`,
      iat: NOW_S - 10,
      nbf: NOW_S - 10,
      exp: NOW_S + 3600,
      aio: 'AWQAm/8TAAAA',
      name: 'Alice',
      oid: '690222be-ff1a-4d56-abd1-7e4f7d38e474',
      preferred_username: 'alice@contoso.example',
      rh: '0.AAAA',
      sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
      tid: tenant,
      uti: 'fqiBqXLPj0eQa82S-IYFAA',
      ver: '2.0',
      ...claims,
    },
    { typ: 'JWT' },
  );
}

describe('Microsoft Entra ID: discovery', () => {
  it('a tenant v2.0 document passes with graph.microsoft.com allowed for userinfo', async () => {
    expectFailure(await getDiscoveryDocument({ issuer: TENANT_V2, ...served() }), {
      code: 'ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED',
    });
    const disco = expectSuccess(
      await getDiscoveryDocument({ issuer: TENANT_V2, discoveryPolicy: GRAPH, ...served() }),
    );
    expect(disco.issuer).toBe(TENANT_V2);
  });

  it('the common document (issuer {tenantid}) passes only with the issuer template', async () => {
    expectFailure(
      await getDiscoveryDocument({ issuer: COMMON, discoveryPolicy: GRAPH, ...served() }),
      {
        code: 'ERR_DISCOVERY_ISSUER_MISMATCH',
      },
    );
    const disco = expectSuccess(
      await getDiscoveryDocument({ issuer: COMMON, discoveryPolicy: MULTI_TENANT, ...served() }),
    );
    expect(disco.issuer).toBe(V2_TEMPLATE);
    expect(disco.subjectTypesSupported).toEqual(['pairwise']);
  });

  it('another template than the document names is still a mismatch', async () => {
    const policy = { ...GRAPH, issuerTemplate: `${HOST}/{tenantid}/v2.0/` };
    expectFailure(
      await getDiscoveryDocument({ issuer: COMMON, discoveryPolicy: policy, ...served() }),
      {
        code: 'ERR_DISCOVERY_ISSUER_MISMATCH',
      },
    );
  });

  it('a v1.0 document (issuer sts.windows.net) passes with its issuer and host named', async () => {
    const disco = expectSuccess(
      await getDiscoveryDocument({
        issuer: TENANT_V1,
        discoveryPolicy: {
          issuer: `https://sts.windows.net/${TENANT}/`,
          additionalEndpointBaseAddresses: [`${HOST}/`],
        },
        ...served(),
      }),
    );
    expect(disco.issuer).toBe(`https://sts.windows.net/${TENANT}/`);
  });
});

describe('Microsoft Entra ID: tokens', () => {
  const multiTenant: TokenValidationConfig = {
    performDisco: true,
    audience: API,
    discoveryPolicy: MULTI_TENANT,
  };

  it('a v2.0 ID token validates through the common endpoint with the template', async () => {
    const idToken = await v2Token({ aud: CLIENT, nonce: 'n-0S6_WzA2Mj' });
    await expect(
      validateIdToken(idToken, {
        clientId: CLIENT,
        issuer: COMMON,
        nonce: 'n-0S6_WzA2Mj',
        discoveryPolicy: MULTI_TENANT,
        ...served(),
      }),
    ).resolves.toMatchObject({ tid: TENANT });
  });

  it('a v2.0 access token validates through the common endpoint, any tenant', async () => {
    for (const tenant of [TENANT, OTHER_TENANT]) {
      const token = await v2Token(
        { aud: API, azp: CLIENT, azpacr: '0', scp: 'access_as_user' },
        tenant,
      );
      await expect(
        validateToken(token, { ...multiTenant, ...served() }, COMMON),
      ).resolves.toMatchObject({
        tid: tenant,
      });
    }
  });

  it('an access token whose iss names another tenant than tid is refused', async () => {
    const token = await v2Token({ aud: API, tid: OTHER_TENANT });
    await expectCode(
      validateToken(token, { ...multiTenant, ...served() }, COMMON),
      'ERR_JWT_ISSUER_MISMATCH',
    );
  });

  it('without the template, the common issuer never matches a token', async () => {
    const token = await v2Token({ aud: API, iss: V2_TEMPLATE });
    const literal = {
      ...multiTenant,
      discoveryPolicy: { ...GRAPH, validateIssuer: false },
      ...served(),
    };
    await expectCode(validateToken(token, literal, COMMON), 'ERR_JWT_ISSUER_MISMATCH');
  });

  it('a single-tenant API validates v2.0 tokens through its tenant endpoint', async () => {
    const token = await v2Token({ aud: API, azp: CLIENT, scp: 'access_as_user' });
    const config = { performDisco: true, audience: API, discoveryPolicy: GRAPH, ...served() };
    await expect(validateToken(token, config, TENANT_V2)).resolves.toMatchObject({ ver: '2.0' });
    const foreign = await v2Token({ aud: API }, OTHER_TENANT);
    await expectCode(validateToken(foreign, config, TENANT_V2), 'ERR_JWT_ISSUER_MISMATCH');
  });

  it('a v1.0 access token (iss sts.windows.net) validates with both templates', async () => {
    const v1 = await op().sign(
      {
        aud: 'api://contoso-api',
        iss: `https://sts.windows.net/${TENANT}/`,
        iat: NOW_S - 10,
        nbf: NOW_S - 10,
        exp: NOW_S + 3600,
        acr: '1',
        aio: 'E2ZgYJ',
        amr: ['pwd'],
        appid: CLIENT,
        appidacr: '0',
        name: 'Alice',
        oid: '690222be-ff1a-4d56-abd1-7e4f7d38e474',
        scp: 'access_as_user',
        sub: 'l3_roISQU222bULS9yi2k0XpqpOiMz5H3ZACo1GeXA',
        tid: TENANT,
        unique_name: 'alice@contoso.example',
        upn: 'alice@contoso.example',
        uti: 'fqiBqXLPj0eQa82S-IYFAA',
        ver: '1.0',
      },
      { typ: 'JWT' },
    );
    const config = { ...multiTenant, audience: 'api://contoso-api', ...served() };
    await expectCode(validateToken(v1, config, COMMON), 'ERR_JWT_ISSUER_MISMATCH');
    await expect(
      validateToken(v1, { ...config, issuerTemplate: [V2_TEMPLATE, V1_TEMPLATE] }, COMMON),
    ).resolves.toMatchObject({ ver: '1.0', appid: CLIENT });
  });
});
