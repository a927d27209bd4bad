/**
 * validateAccessToken against the real provider (demo/provider.js): JWT access tokens for
 * `urn:example:api` from client credentials and from a code flow are accepted; the ID token of
 * the code flow is refused as an access token, and the access token is refused as an ID token.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidTypeError } from '../../../src/core/errors.js';
import { validateIdToken } from '../../../src/core/token/id-token.js';
import { requestClientCredentialsToken } from '../../../src/core/token/index.js';
import {
  isAccessTokenJwt,
  validateAccessToken,
} from '../../../src/core/validation/access-token.js';
import type { TokenValidationConfig } from '../../../src/core/validation/config.js';
import { expectCode } from '../../support/hostile-op.js';
import { DEFAULT_API_RESOURCE, DEMO_CLIENTS, useProvider } from '../../support/provider.js';
import { type CodeFlowTokens, codeFlow } from '../userinfo/code-flow.js';

const REDIRECT_URI = 'http://localhost:5173/callback';
const op = useProvider({ redirectUris: [REDIRECT_URI] });
const API: TokenValidationConfig = { performDisco: true, audience: DEFAULT_API_RESOURCE };

let userTokens: CodeFlowTokens;
beforeAll(async () => {
  userTokens = await codeFlow(op(), {
    clientId: DEMO_CLIENTS.spa.clientId,
    redirectUri: REDIRECT_URI,
    scope: 'openid api:read',
    extra: { resource: DEFAULT_API_RESOURCE },
  });
});

describe('JWT access tokens from oidc-provider', () => {
  it('accepts a client credentials token for urn:example:api', async () => {
    const token = await requestClientCredentialsToken({
      address: `${op().issuer}/token`,
      ...DEMO_CLIENTS.basic,
      scope: 'api:read',
    });
    if (!token.isSuccessful) throw token.exception;
    expect(decodeProtectedHeader(token.accessToken).typ).toBe('at+jwt');
    const claims = await validateAccessToken(token.accessToken, API, op().issuer);
    expect(claims.client_id).toBe(DEMO_CLIENTS.basic.clientId);
    expect(claims.sub).toBe(DEMO_CLIENTS.basic.clientId);
    expect(claims.aud).toBe(DEFAULT_API_RESOURCE);
    expect(claims.scope).toBe('api:read');
    expect(typeof claims.jti).toBe('string');
  });

  it('accepts a user token from a code flow with resource=urn:example:api', async () => {
    const claims = await validateAccessToken(userTokens.access_token, API, op().issuer);
    expect(claims.sub).toBe('alice');
    expect(claims.client_id).toBe(DEMO_CLIENTS.spa.clientId);
  });

  it('refuses the token for another resource server', async () => {
    await expectCode(
      validateAccessToken(
        userTokens.access_token,
        { performDisco: true, audience: 'urn:other:api' },
        op().issuer,
      ),
      'ERR_JWT_AUDIENCE_INVALID',
    );
  });

  it('refuses the ID token of the code flow as an access token', async () => {
    expect(decodeJwt(userTokens.id_token).aud).toBe(DEMO_CLIENTS.spa.clientId);
    const error = await expectCode(
      validateAccessToken(
        userTokens.id_token,
        { performDisco: true, audience: DEMO_CLIENTS.spa.clientId },
        op().issuer,
      ),
      'ERR_JWT_TYPE_INVALID',
    );
    expect(error).toBeInstanceOf(InvalidTypeError);
    expect(isAccessTokenJwt(decodeProtectedHeader(userTokens.id_token))).toBe(false);
  });

  it('the access token is typed as one, and refused where an ID token is expected', async () => {
    expect(isAccessTokenJwt(decodeProtectedHeader(userTokens.access_token))).toBe(true);
    await expectCode(
      validateIdToken(userTokens.access_token, {
        clientId: DEFAULT_API_RESOURCE,
        issuer: op().issuer,
      }),
      'ERR_JWT_TYPE_INVALID',
    );
  });
});
