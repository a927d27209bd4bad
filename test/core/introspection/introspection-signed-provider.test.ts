/**
 * Signed introspection responses (RFC 9701) from oidc-provider with `jwtIntrospection` enabled
 * and a resource-server client registered with `introspection_signed_response_alg`, verified
 * with the provider's published keys.
 */

import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createMetadataCache } from '../../../src/core/cache/metadata-cache.js';
import { introspectToken } from '../../../src/core/introspection/index.js';
import { useProvider } from '../../support/provider.js';
import { expectFailure, expectSuccess } from '../../support/result.js';
import { deviceTokens } from '../token/device-flow.js';

const RESOURCE_SERVER = { clientId: 'signed-rs', clientSecret: 'signed-rs-secret' } as const;

const op = useProvider({
  config: { features: { jwtIntrospection: { enabled: true } } },
  clients: [
    {
      client_id: RESOURCE_SERVER.clientId,
      client_secret: RESOURCE_SERVER.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: [],
      response_types: [],
      redirect_uris: [],
      introspection_signed_response_alg: 'ES256',
    },
  ],
});

describe('signed introspection against oidc-provider', () => {
  it('verifies the provider-signed JWT and returns the introspection members', async () => {
    const tokens = await deviceTokens(op(), 'dave');
    const result = expectSuccess(
      await introspectToken({
        address: `${op().issuer}/token/introspection`,
        ...RESOURCE_SERVER,
        token: tokens.accessToken,
        signedResponse: { issuer: op().issuer, cache: createMetadataCache() },
      }),
    );
    expect(result.jwt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const header = decodeProtectedHeader(result.jwt!);
    expect(header.typ).toBe('token-introspection+jwt');
    expect(header.alg).toBe('ES256');
    expect(result.raw.iss).toBe(op().issuer);
    expect(result.raw.aud).toBe(RESOURCE_SERVER.clientId);
    expect(result.active).toBe(true);
    expect(result.sub).toBe('dave');
    expect(result.clientId).toBe('demo-device');
    expect(result.claims.active).toBe(true);
  });

  it('verifies a signed inactive answer for an unknown token', async () => {
    const result = expectSuccess(
      await introspectToken({
        address: `${op().issuer}/token/introspection`,
        ...RESOURCE_SERVER,
        token: 'unknown-token-0123456789',
        signedResponse: { issuer: op().issuer, cache: createMetadataCache() },
      }),
    );
    expect(result.jwt).toBeTypeOf('string');
    expect(result.active).toBe(false);
  });

  it('refuses the signed answer when only RS256 is allowed', async () => {
    expectFailure(
      await introspectToken({
        address: `${op().issuer}/token/introspection`,
        ...RESOURCE_SERVER,
        token: 'unknown-token-0123456789',
        signedResponse: {
          issuer: op().issuer,
          algorithms: ['RS256'],
          cache: createMetadataCache(),
        },
      }),
      { code: 'ERR_JWT_ALG_NOT_ALLOWED' },
    );
  });
});
