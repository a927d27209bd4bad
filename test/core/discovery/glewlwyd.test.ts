/**
 * A Glewlwyd 2.7 discovery document (Debian's `glewlwyd` 2.7.5, an OpenID-certified server):
 * it lists `refresh_token` and `client_credentials` in `response_types_supported`, which are
 * grant types, not response types. The library used to refuse the whole document
 * (`ERR_DISCOVERY_INVALID_MEMBER`); an unknown value is now ignored and reported, and only what
 * is unsafe is refused.
 *
 * test/fixtures/discovery/glewlwyd-2.7.json is Glewlwyd-like: written after the document Glewlwyd
 * 2.7.5 serves at `/api/oidc/.well-known/openid-configuration` with the OIDC plugin's defaults
 * (its issuer is a path; see DESIGN.md §5), with the host replaced by the local server's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDiscoveryDocument } from '../../../src/core/discovery/get.js';
import { readFixture } from '../../support/hostile-op.js';
import { expectFailure, expectSuccess } from '../../support/result.js';
import { startServer, type TestServer } from '../../support/server.js';

const RECORDED_BASE = 'http://glewlwyd.test:4593';
const PATH = '/api/oidc/.well-known/openid-configuration';

let server: TestServer;
let issuer: string;

/** The recorded document with the local server as its host, edited by `tamper`. */
function glewlwyd(tamper: (doc: Record<string, unknown>) => void = () => {}) {
  const doc = JSON.parse(
    readFixture('discovery/glewlwyd-2.7.json').replaceAll(RECORDED_BASE, server.url),
  ) as Record<string, unknown>;
  tamper(doc);
  server.json(PATH, doc);
}

beforeAll(async () => {
  server = await startServer();
  issuer = `${server.url}/api/oidc`;
});
afterAll(() => server.close());

const discover = () => getDiscoveryDocument({ issuer, cache: false });

describe('Glewlwyd 2.7 discovery', () => {
  it('is accepted; refresh_token and client_credentials are ignored and reported', async () => {
    glewlwyd();
    const disco = expectSuccess(await discover());
    expect(disco.issuer).toBe(issuer);
    expect(disco.tokenEndpoint).toBe(`${issuer}/token`);
    expect(disco.jwksUri).toBe(`${issuer}/jwks`);
    expect(disco.responseTypesSupported).toEqual([
      'code',
      'id_token',
      'token id_token',
      'code id_token',
      'code token id_token',
      'none',
    ]);
    expect(disco.ignoredValues).toEqual([
      { member: 'response_types_supported', value: 'refresh_token' },
      { member: 'response_types_supported', value: 'client_credentials' },
    ]);
    expect(disco.raw.response_types_supported).toContain('refresh_token');
  });

  it('an issuer mismatch is still refused', async () => {
    glewlwyd((doc) => {
      doc.issuer = `${server.url}/api/other`;
    });
    expectFailure(await discover(), { code: 'ERR_DISCOVERY_ISSUER_MISMATCH' });
  });

  it('an endpoint off the policy is still refused', async () => {
    glewlwyd((doc) => {
      doc.token_endpoint = 'https://evil.test/token';
    });
    expectFailure(await discover(), { code: 'ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED' });
  });

  it('a missing jwks_uri is still refused', async () => {
    glewlwyd((doc) => {
      delete doc.jwks_uri;
    });
    expectFailure(await discover(), { code: 'ERR_DISCOVERY_MISSING_MEMBER' });
  });

  it('a list of the wrong JSON type is still refused', async () => {
    glewlwyd((doc) => {
      doc.response_types_supported = 'code refresh_token';
    });
    expectFailure(await discover(), { code: 'ERR_DISCOVERY_INVALID_MEMBER' });
  });
});
