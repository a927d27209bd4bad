/**
 * The core against a real OpenID provider: discovery → JWKS → client credentials (every client
 * authentication method) → validation of the JWT access token with discovery.
 */
import { describe, expect, it } from 'vitest';
import {
  createMetadataCache,
  getDiscoveryDocument,
  getJwks,
  requestClientCredentialsToken,
  validateToken,
} from '../../src/core/index.js';
import { DEFAULT_API_RESOURCE, DEMO_CLIENTS, useProvider } from '../support/provider.js';

const op = useProvider();

async function tokenEndpoint(): Promise<string> {
  const disco = await getDiscoveryDocument({ issuer: op().issuer, cache: false });
  if (!disco.isSuccessful) throw disco.exception;
  return disco.tokenEndpoint;
}

describe('core against oidc-provider', () => {
  it('DISC-001 fetches and validates the discovery document of a real provider', async () => {
    const disco = await getDiscoveryDocument({ issuer: op().issuer, cache: false });
    expect(disco.isSuccessful).toBe(true);
    if (!disco.isSuccessful) return;
    expect(disco.issuer).toBe(op().issuer);
    expect(disco.jwksUri).toBe(`${op().issuer}/jwks`);
    expect(disco.tokenEndpoint).toBe(`${op().issuer}/token`);
    expect(disco.raw.issuer).toBe(op().issuer);
  });

  it('JWKS-001 fetches the provider key set', async () => {
    const jwks = await getJwks({ address: `${op().issuer}/jwks`, cache: false });
    expect(jwks.isSuccessful).toBe(true);
    if (!jwks.isSuccessful) return;
    const kids = op()
      .keys.publicJwks.keys.map((key) => key.kid)
      .sort();
    expect(jwks.keys.map((key) => key.kid).sort()).toEqual(kids);
    expect(jwks.skipped).toEqual([]);
  });

  it.each([
    ['client_secret_basic', { ...DEMO_CLIENTS.basic, authMethod: 'client_secret_basic' as const }],
    ['client_secret_post', { ...DEMO_CLIENTS.post, authMethod: 'client_secret_post' as const }],
  ])(
    'CC-001 client credentials with %s gives a JWT that validates with discovery',
    async (_, client) => {
      const token = await requestClientCredentialsToken({
        address: await tokenEndpoint(),
        ...client,
        scope: ['api:read'],
        resource: DEFAULT_API_RESOURCE,
      });
      if (!token.isSuccessful) throw token.exception;
      expect(token.tokenType.toLowerCase()).toBe('bearer');
      expect(token.expiresIn).toBeGreaterThan(0);
      expect(token.scope).toBe('api:read');
      const cache = createMetadataCache();
      const claims = await validateToken(
        token.accessToken,
        { performDisco: true, audience: DEFAULT_API_RESOURCE, typ: 'at+jwt', cache },
        op().issuer,
      );
      expect(claims.iss).toBe(op().issuer);
      expect(claims.aud).toBe(DEFAULT_API_RESOURCE);
      expect(claims.client_id).toBe(client.clientId);
    },
  );

  it('CC-001 client credentials with private_key_jwt', async () => {
    const { clientId, privateJwk } = op().clients.privateKeyJwt;
    const token = await requestClientCredentialsToken({
      address: await tokenEndpoint(),
      clientId,
      authMethod: 'private_key_jwt',
      privateKey: privateJwk as JsonWebKey,
      resource: DEFAULT_API_RESOURCE,
    });
    if (!token.isSuccessful) throw token.exception;
    const claims = await validateToken(
      token.accessToken,
      { performDisco: true, audience: DEFAULT_API_RESOURCE, cache: createMetadataCache() },
      op().issuer,
    );
    expect(claims.client_id).toBe(clientId);
  });

  it('CC-004 a wrong secret gives a typed protocol error', async () => {
    const token = await requestClientCredentialsToken({
      address: await tokenEndpoint(),
      clientId: DEMO_CLIENTS.basic.clientId,
      clientSecret: 'wrong',
    });
    expect(token.isSuccessful).toBe(false);
    if (token.isSuccessful) return;
    expect(token.errorType).toBe('protocol');
    expect(token.error).toBe('invalid_client');
    expect(token.httpStatus).toBe(401);
    expect(() => (token as unknown as { accessToken: string }).accessToken).toThrow(
      /failed response/,
    );
  });
});
