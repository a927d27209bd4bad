/**
 * Client authentication failures against the real provider (demo/provider.js): a confidential
 * client that does not authenticate (`none`) is refused with a typed `invalid_client` failure. Successes per method are in
 * test/integration/core-flow.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { requestClientCredentialsToken } from '../../../src/core/token/index.js';
import { DEMO_CLIENTS, useProvider } from '../../support/provider.js';
import { expectFailure } from '../../support/result.js';

const op = useProvider();

describe('client authentication refused by oidc-provider', () => {
  it.each([
    ['client_secret_basic', DEMO_CLIENTS.basic.clientId],
    ['client_secret_post', DEMO_CLIENTS.post.clientId],
    ['private_key_jwt', DEMO_CLIENTS.privateKeyJwt.clientId],
  ])('CC-004 none for a confidential client (%s) is invalid_client', async (_, clientId) => {
    const token = expectFailure(
      await requestClientCredentialsToken({
        address: `${op().issuer}/token`,
        clientId,
        authMethod: 'none',
        scope: 'api:read',
      }),
      { code: 'ERR_OAUTH_ERROR', errorType: 'protocol' },
    );
    expect(token.error).toBe('invalid_client');
    expect(token.httpStatus).toBe(401);
    expect(() => Reflect.get(token, 'accessToken')).toThrow(/failed response/);
  });

  it('CC-002 the registered method with the right secret succeeds (control)', async () => {
    const token = await requestClientCredentialsToken({
      address: `${op().issuer}/token`,
      ...DEMO_CLIENTS.basic,
    });
    if (!token.isSuccessful) throw token.exception;
    expect(token.tokenType.toLowerCase()).toBe('bearer');
    expect(token.accessToken.length).toBeGreaterThan(0);
  });
});
