/**
 * The authorization code + PKCE flow and refresh against the real provider (oidc-provider 9,
 * demo/provider.js): the authorization URL is built here with URLSearchParams, the login is
 * driven with plain HTTP, then the library exchanges the code, validates the ID Token and
 * refreshes. Request counts are read at the provider.
 */
import { createHash, randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMetadataCache } from '../../../src/core/cache/metadata-cache.js';
import { getDiscoveryDocument } from '../../../src/core/discovery/get.js';
import { ProtocolError } from '../../../src/core/errors.js';
import {
  type AuthorizationCodeTokenRequest,
  type AuthorizationCodeTokenSuccess,
  requestAuthorizationCodeToken,
} from '../../../src/core/token/authorization-code.js';
import { validateIdToken } from '../../../src/core/token/id-token.js';
import { requestRefreshToken } from '../../../src/core/token/refresh.js';
import { validateToken } from '../../../src/core/validation/validate.js';
import { loginWithDevInteractions } from '../../support/login.js';
import { DEFAULT_API_RESOURCE, DEMO_CLIENTS, useProvider } from '../../support/provider.js';
import { expectFailure, expectSuccess } from '../../support/result.js';

const REDIRECT_URI = 'http://localhost:5173/callback';
const op = useProvider({ redirectUris: [REDIRECT_URI] });

beforeEach(() => op().resetCounts());

interface Authorized {
  code: string;
  verifier: string;
  nonce: string;
}

/** Builds the authorization URL (PKCE S256, state, nonce), logs in, returns the code. */
async function authorize(
  extra: Record<string, string> = {},
  clientId: string = DEMO_CLIENTS.spa.clientId,
): Promise<Authorized> {
  const disco = await getDiscoveryDocument({ issuer: op().issuer, cache: false });
  if (!disco.isSuccessful) throw disco.exception;
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('base64url');
  const nonce = randomBytes(8).toString('base64url');
  const url = new URL(disco.authorizationEndpoint!);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email',
    state,
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
  const callback = new URL(
    await loginWithDevInteractions({ issuer: op().issuer, authorizationUrl: url, login: 'alice' }),
  );
  expect(callback.searchParams.get('state')).toBe(state);
  expect(callback.searchParams.get('iss')).toBe(op().issuer);
  const code = callback.searchParams.get('code');
  expect(code, callback.href).toBeTruthy();
  return { code: code!, verifier, nonce };
}

function exchange(
  { code, verifier, nonce }: Authorized,
  extra: Partial<AuthorizationCodeTokenRequest> = {},
  idToken: Record<string, unknown> = {},
) {
  return requestAuthorizationCodeToken({
    address: `${op().issuer}/token`,
    clientId: DEMO_CLIENTS.spa.clientId,
    code,
    redirectUri: REDIRECT_URI,
    codeVerifier: verifier,
    idToken: { issuer: op().issuer, nonce, cache: createMetadataCache(), ...idToken },
    ...extra,
  });
}

/** A signed-in session: the code exchanged with the SPA client. */
async function signIn(extra: Record<string, string> = {}): Promise<AuthorizationCodeTokenSuccess> {
  return expectSuccess(await exchange(await authorize(extra)));
}

describe('authorization code + PKCE against oidc-provider', () => {
  it('ACG-006 PKCE round trip: the provider accepts the verifier; the ID Token is validated', async () => {
    const before = Date.now();
    const authorized = await authorize();
    const tokens = expectSuccess(await exchange(authorized));
    expect(op().counts['token:authorization_code']).toBe(1);
    expect(tokens.tokenType.toLowerCase()).toBe('bearer');
    expect(tokens.accessToken.length).toBeGreaterThan(0);
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.scope?.split(' ')).toEqual(expect.arrayContaining(['openid', 'profile']));
    expect(tokens.idTokenClaims).toMatchObject({
      iss: op().issuer,
      sub: 'alice',
      aud: DEMO_CLIENTS.spa.clientId,
      nonce: authorized.nonce,
      name: 'alice',
    });
    // oidc-provider sends auth_time only with max_age (or require_auth_time).
    expect(tokens.idTokenClaims?.auth_time).toBeUndefined();
    expect(tokens.expiresAt).toBeGreaterThanOrEqual(before + tokens.expiresIn! * 1000);
    expect(tokens.expiresAt).toBeLessThanOrEqual(Date.now() + tokens.expiresIn! * 1000);
  });

  it('ACG-006 a wrong code_verifier is refused: invalid_grant', async () => {
    const authorized = await authorize();
    const token = expectFailure(
      await exchange({ ...authorized, verifier: randomBytes(32).toString('base64url') }),
      { errorType: 'protocol' },
    );
    expect(token.error).toBe('invalid_grant');
    expect(op().counts['token:authorization_code']).toBe(1);
  });

  it('another redirect URI than the authorization request is refused: invalid_grant', async () => {
    const token = expectFailure(
      await exchange(await authorize(), { redirectUri: `${REDIRECT_URI}/` }),
    );
    expect(token.error).toBe('invalid_grant');
  });

  it('a replayed code fails with invalid_grant; each call is exactly one token request', async () => {
    const authorized = await authorize();
    expectSuccess(await exchange(authorized));
    expect(op().counts['token:authorization_code']).toBe(1);
    const replay = expectFailure(await exchange(authorized), {
      code: 'ERR_OAUTH_ERROR',
      errorType: 'protocol',
    });
    expect(replay.error).toBe('invalid_grant');
    expect(replay.httpStatus).toBe(400);
    expect(replay.exception).toBeInstanceOf(ProtocolError);
    expect(op().counts['token:authorization_code']).toBe(2);
  });

  it('a nonce other than the one sent: ERR_JWT_CLAIM_INVALID, the tokens are not handed out', async () => {
    const authorized = await authorize();
    const token = expectFailure(await exchange({ ...authorized, nonce: 'another-nonce' }), {
      code: 'ERR_JWT_CLAIM_INVALID',
    });
    expect(() => Reflect.get(token, 'accessToken')).toThrow(/failed response/);
  });

  it('without ID Token expectations the openid response is refused: ERR_INVALID_RESPONSE', async () => {
    const { code, verifier } = await authorize();
    expectFailure(
      await requestAuthorizationCodeToken({
        address: `${op().issuer}/token`,
        clientId: DEMO_CLIENTS.spa.clientId,
        code,
        redirectUri: REDIRECT_URI,
        codeVerifier: verifier,
      }),
      { code: 'ERR_INVALID_RESPONSE' },
    );
  });

  it('max_age: auth_time is present and within max_age', async () => {
    const authorized = await authorize({ max_age: '300' });
    const tokens = expectSuccess(await exchange(authorized, {}, { maxAge: 300 }));
    expect(Date.now() / 1000 - tokens.idTokenClaims!.auth_time!).toBeLessThan(300);
  });

  it('a confidential client (client_secret_basic) with PKCE', async () => {
    const authorized = await authorize({}, DEMO_CLIENTS.basic.clientId);
    const tokens = expectSuccess(
      await exchange(
        authorized,
        { clientId: DEMO_CLIENTS.basic.clientId, clientSecret: DEMO_CLIENTS.basic.clientSecret },
        {},
      ),
    );
    expect(tokens.idTokenClaims?.aud).toBe(DEMO_CLIENTS.basic.clientId);
  });

  it('a resource indicator gives a JWT access token for the API; the ID Token still validates', async () => {
    const authorized = await authorize({
      scope: 'openid api:read',
      resource: DEFAULT_API_RESOURCE,
    });
    const tokens = expectSuccess(await exchange(authorized, { resource: DEFAULT_API_RESOURCE }));
    const claims = await validateToken(
      tokens.accessToken,
      {
        performDisco: true,
        audience: DEFAULT_API_RESOURCE,
        typ: 'at+jwt',
        cache: createMetadataCache(),
      },
      op().issuer,
    );
    expect(claims.aud).toBe(DEFAULT_API_RESOURCE);
    expect(claims.sub).toBe('alice');
    expect(claims.scope).toBe('api:read');
    expect(tokens.idTokenClaims?.sub).toBe('alice');
  });
});

describe('refresh against oidc-provider', () => {
  function refresh(
    session: {
      refreshToken: string;
      idTokenClaims: AuthorizationCodeTokenSuccess['idTokenClaims'];
    },
    extra: { scope?: string; resource?: string } = {},
  ) {
    return requestRefreshToken({
      address: `${op().issuer}/token`,
      clientId: DEMO_CLIENTS.spa.clientId,
      refreshToken: session.refreshToken,
      idToken: {
        issuer: op().issuer,
        cache: createMetadataCache(),
        ...(session.idTokenClaims ? { previousClaims: session.idTokenClaims } : {}),
      },
      ...extra,
    });
  }

  it('rotates the refresh token; the refreshed ID Token keeps iss, sub, aud, auth_time', async () => {
    const first = expectSuccess(
      await exchange(await authorize({ max_age: '600' }), {}, { maxAge: 600 }),
    );
    expect(typeof first.idTokenClaims?.auth_time).toBe('number');
    const second = expectSuccess(
      await refresh({ refreshToken: first.refreshToken!, idTokenClaims: first.idTokenClaims }),
    );
    expect(op().counts['token:refresh_token']).toBe(1);
    expect(second.refreshTokenRotated).toBe(true);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.idTokenClaims).toMatchObject({
      iss: first.idTokenClaims!.iss,
      sub: 'alice',
      aud: DEMO_CLIENTS.spa.clientId,
      auth_time: first.idTokenClaims!.auth_time,
    });
    // oidc-provider repeats the original nonce in refreshed ID Tokens.
    expect(second.idTokenClaims?.nonce).toBe(first.idTokenClaims!.nonce);
  });

  it('the rotated-out refresh token then fails with invalid_grant, a typed protocol failure', async () => {
    const first = await signIn();
    const second = expectSuccess(
      await refresh({ refreshToken: first.refreshToken!, idTokenClaims: first.idTokenClaims }),
    );
    const reuse = expectFailure(
      await refresh({ refreshToken: first.refreshToken!, idTokenClaims: first.idTokenClaims }),
      { errorType: 'protocol' },
    );
    expect(reuse.error).toBe('invalid_grant');
    expect(reuse.exception).toBeInstanceOf(ProtocolError);
    // Reuse detection: oidc-provider revokes the whole grant, the new token with it.
    const after = expectFailure(
      await refresh({ refreshToken: second.refreshToken, idTokenClaims: second.idTokenClaims }),
    );
    expect(after.error).toBe('invalid_grant');
    expect(op().counts['token:refresh_token']).toBe(3);
  });

  it('scope narrowing: the new access token has only the scope asked for', async () => {
    const first = await signIn();
    expect(first.scope?.split(' ')).toContain('email');
    const narrowed = expectSuccess(
      await refresh(
        { refreshToken: first.refreshToken!, idTokenClaims: first.idTokenClaims },
        { scope: 'openid profile' },
      ),
    );
    expect(narrowed.scope?.split(' ').sort()).toEqual(['openid', 'profile']);
    expect(narrowed.idTokenClaims?.email).toBeUndefined();
    expect(first.idTokenClaims?.email).toBe('alice@example.com');
  });

  it('a refreshed ID Token checked against another session is refused (sub continuity)', async () => {
    const first = await signIn();
    expectFailure(
      await refresh({
        refreshToken: first.refreshToken!,
        idTokenClaims: { ...first.idTokenClaims!, sub: 'bob' },
      }),
      { code: 'ERR_JWT_CLAIM_INVALID' },
    );
  });

  it('validateIdToken accepts the provider ID Token on its own', async () => {
    const first = await signIn();
    const claims = await validateIdToken(first.idToken!, {
      clientId: DEMO_CLIENTS.spa.clientId,
      issuer: op().issuer,
      accessToken: first.accessToken,
      cache: createMetadataCache(),
    });
    expect(claims.sub).toBe('alice');
  });
});
