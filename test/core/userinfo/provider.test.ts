/**
 * getUserInfo against the real provider (demo/provider.js): an opaque access token from a code
 * flow, the expected subject, the provider's challenges, and signed responses (oidc-provider's
 * jwtUserinfo feature with a client registered for `userinfo_signed_response_alg`).
 */
import { decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { getUserInfo } from '../../../src/core/userinfo/index.js';
import { DEMO_CLIENTS, useProvider } from '../../support/provider.js';
import { expectFailure, expectSuccess } from '../../support/result.js';
import { type CodeFlowTokens, codeFlow } from './code-flow.js';

const REDIRECT_URI = 'http://localhost:5173/callback';
const SIGNED_CLIENT = 'signed-userinfo';

const op = useProvider({
  redirectUris: [REDIRECT_URI],
  accounts: { alice: { department: 'Engineering', email_verified: 'yes' } },
  clients: [
    {
      client_id: SIGNED_CLIENT,
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [REDIRECT_URI],
      userinfo_signed_response_alg: 'ES256',
    },
  ],
  config: { features: { jwtUserinfo: { enabled: true } } },
});

let tokens: CodeFlowTokens;
beforeAll(async () => {
  tokens = await codeFlow(op(), { clientId: DEMO_CLIENTS.spa.clientId, redirectUri: REDIRECT_URI });
});

describe('getUserInfo against oidc-provider', () => {
  it('fetches the claims with an opaque access token from a code flow', async () => {
    expect(tokens.access_token.split('.')).toHaveLength(1);
    const info = expectSuccess(
      await getUserInfo({ address: `${op().issuer}/me`, token: tokens.access_token }),
    );
    expect(info.claims.sub).toBe('alice');
    expect(info.claims.email).toBe('alice@example.com');
    expect(info.claims.name).toBe('alice');
    // The account's email_verified is the string "yes": left out of claims, kept in raw.
    expect(info.skippedClaims).toEqual(['email_verified']);
    expect(info.raw.email_verified).toBe('yes');
    expect(info.jwt).toBeUndefined();
  });

  it('passes with the ID token subject and fails with another one', async () => {
    const address = `${op().issuer}/me`;
    const match = expectSuccess(
      await getUserInfo({ address, token: tokens.access_token, expectedSubject: 'alice' }),
    );
    expect(match.claims.sub).toBe('alice');
    expectFailure(
      await getUserInfo({ address, token: tokens.access_token, expectedSubject: 'bob' }),
      { code: 'ERR_JWT_CLAIM_INVALID' },
    );
  });

  it('reports the provider challenge for an unknown token', async () => {
    const info = expectFailure(
      await getUserInfo({ address: `${op().issuer}/me`, token: 'not-a-token' }),
      { httpStatus: 401 },
    );
    expect(info.error).toBe('invalid_token');
    expect(info.wwwAuthenticate).toMatch(/^Bearer realm=/);
  });

  it('verifies a signed response (application/jwt) with the provider keys', async () => {
    const signedTokens = await codeFlow(op(), {
      clientId: SIGNED_CLIENT,
      redirectUri: REDIRECT_URI,
      scope: 'openid email',
    });
    const info = expectSuccess(
      await getUserInfo({
        address: `${op().issuer}/me`,
        token: signedTokens.access_token,
        issuer: op().issuer,
        clientId: SIGNED_CLIENT,
        expectedSubject: 'alice',
        requireSigned: true,
      }),
    );
    expect(decodeProtectedHeader(info.jwt!).alg).toBe('ES256');
    expect(info.claims.email).toBe('alice@example.com');
    expect(info.claims.iss).toBe(op().issuer);
    expect(info.claims.aud).toBe(SIGNED_CLIENT);

    expectFailure(
      await getUserInfo({
        address: `${op().issuer}/me`,
        token: signedTokens.access_token,
        issuer: op().issuer,
        clientId: DEMO_CLIENTS.spa.clientId,
      }),
      { code: 'ERR_JWT_AUDIENCE_INVALID' },
    );
  });
});
