/**
 * Revocation errors from oidc-provider: a JWT access token cannot be revoked (nor introspected)
 * there, which gives a real `unsupported_token_type` (REV-003); and the demo's policy refusing
 * one confidential client's revocation of another client's token.
 */
import { describe, expect, it } from 'vitest';
import { introspectToken } from '../../../src/core/introspection/index.js';
import { revokeToken } from '../../../src/core/revocation/index.js';
import { requestClientCredentialsToken } from '../../../src/core/token/index.js';
import { DEMO_CLIENTS, useProvider } from '../../support/provider.js';
import { expectFailure, expectSuccess } from '../../support/result.js';
import { deviceTokens } from '../token/device-flow.js';

const op = useProvider();

/** A JWT access token for the demo API (client credentials default to that resource). */
async function jwtAccessToken(): Promise<string> {
  const token = expectSuccess(
    await requestClientCredentialsToken({
      address: `${op().issuer}/token`,
      ...DEMO_CLIENTS.basic,
      scope: 'api:read',
    }),
  );
  expect(token.accessToken.split('.')).toHaveLength(3);
  return token.accessToken;
}

describe('revocation errors from oidc-provider', () => {
  it('REV-003 surfaces unsupported_token_type for a JWT access token', async () => {
    const failure = expectFailure(
      await revokeToken({
        address: `${op().issuer}/token/revocation`,
        ...DEMO_CLIENTS.basic,
        token: await jwtAccessToken(),
        tokenTypeHint: 'access_token',
      }),
      { errorType: 'protocol' },
    );
    expect(failure.error).toBe('unsupported_token_type');
    expect(failure.errorDescription).toMatch(/cannot be revoked/);
    expect(failure.httpStatus).toBe(400);
  });

  it('introspection of a JWT access token is refused the same way by oidc-provider', async () => {
    const failure = expectFailure(
      await introspectToken({
        address: `${op().issuer}/token/introspection`,
        ...DEMO_CLIENTS.basic,
        token: await jwtAccessToken(),
      }),
    );
    expect([failure.errorType, failure.error, failure.httpStatus]).toEqual([
      'protocol',
      'unsupported_token_type',
      400,
    ]);
  });

  it("refuses one confidential client's revocation of another client's token (demo policy)", async () => {
    const tokens = await deviceTokens(op());
    const failure = expectFailure(
      await revokeToken({
        address: `${op().issuer}/token/revocation`,
        ...DEMO_CLIENTS.basic,
        token: tokens.accessToken,
      }),
    );
    expect([failure.errorType, failure.error, failure.httpStatus]).toEqual([
      'protocol',
      'invalid_request',
      400,
    ]);
  });
});
