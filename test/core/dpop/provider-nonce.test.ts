/**
 * DPoP nonces at the real provider (oidc-provider 9 with `features.dPoP.requireNonce`): the
 * first request of a handle is answered `use_dpop_nonce` and retried once; later requests carry
 * the remembered nonce and go out once.
 */
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDpopHandle, generateDpopKeyPair } from '../../../src/core/dpop/index.js';
import { requestClientCredentialsToken } from '../../../src/core/token/index.js';
import { DEFAULT_API_RESOURCE, DEMO_CLIENTS, useProvider } from '../../support/provider.js';

const op = useProvider({
  config: {
    features: {
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
    },
  },
});

beforeEach(() => op().resetCounts());

function clientCredentials(dpop: ReturnType<typeof createDpopHandle>) {
  return requestClientCredentialsToken({
    address: `${op().issuer}/token`,
    ...DEMO_CLIENTS.basic,
    resource: DEFAULT_API_RESOURCE,
    scope: 'api:read',
    dpop,
  });
}

describe('DPoP nonces required by oidc-provider', () => {
  it('DPOP-004 use_dpop_nonce at the token endpoint: one retry with the nonce, then the nonce is reused', async () => {
    const dpop = createDpopHandle(await generateDpopKeyPair());
    const first = await clientCredentials(dpop);
    if (!first.isSuccessful) throw first.exception;
    expect(first.tokenType).toBe('DPoP');
    expect(op().counts['/token']).toBe(2);

    const second = await clientCredentials(dpop);
    if (!second.isSuccessful) throw second.exception;
    expect(op().counts['/token']).toBe(3);
  });

  it('without a DPoP handle no nonce applies: one request, a Bearer token', async () => {
    const token = await requestClientCredentialsToken({
      address: `${op().issuer}/token`,
      ...DEMO_CLIENTS.basic,
      resource: DEFAULT_API_RESOURCE,
      scope: 'api:read',
    });
    // No DPoP at all: a Bearer token (nonces concern proofs only).
    if (!token.isSuccessful) throw token.exception;
    expect(token.tokenType).toBe('Bearer');
    expect(op().counts['/token']).toBe(1);
  });
});
