/**
 * requestAuthorizationCodeToken against a local server acting as token endpoint, discovery and
 * JWKS (ID Tokens signed with jose): the request as sent (ACG-001, ACG-004), error responses
 * (ACG-005), the no-retry rule of a one-time code, hostile token responses and hostile ID Tokens.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  ProtocolError,
  type TokenValidationError,
} from '../../../src/core/errors.js';
import type { FetchLike } from '../../../src/core/http/defaults.js';
import {
  type AuthorizationCodeTokenRequest,
  requestAuthorizationCodeToken,
} from '../../../src/core/token/authorization-code.js';
import {
  cacheAt,
  flipSignatureBit,
  jwks,
  makeKey,
  NOW,
  NOW_S,
  rejectionOf,
  sign,
  testClock,
  unsigned,
  useHostileOp,
} from '../../support/hostile-op.js';
import { expectFailure, expectSuccess } from '../../support/result.js';
import { refusedUrl } from '../../support/server.js';
import { type Answer, onlyRequest, sleepRecorder, TOKEN_BODY, tokenRoute } from './token-server.js';

const op = useHostileOp();
const key = await makeKey('RS256', { kid: 'op-key' });

const CLIENT_ID = 'spa';
const REDIRECT_URI = 'http://localhost:5173/callback';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'; // RFC 7636 Appendix B
const ACCESS_TOKEN = 'at-123';

function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
}

async function idToken(extra: Record<string, unknown> = {}): Promise<string> {
  op().setJwks(jwks(key));
  return sign(key, {
    iss: op().issuer,
    sub: 'alice',
    aud: CLIENT_ID,
    iat: NOW_S - 5,
    exp: NOW_S + 300,
    nonce: 'n-1',
    auth_time: NOW_S - 30,
    at_hash: atHash(ACCESS_TOKEN),
    ...extra,
  });
}

function route(...answers: Answer[]) {
  return tokenRoute(op().server, ...answers);
}

function request(
  address: string,
  extra: Partial<AuthorizationCodeTokenRequest> = {},
): AuthorizationCodeTokenRequest {
  return {
    address,
    clientId: CLIENT_ID,
    code: 'code-1',
    redirectUri: REDIRECT_URI,
    codeVerifier: VERIFIER,
    now: () => NOW,
    ...extra,
  };
}

function oidc(extra: Record<string, unknown> = {}) {
  return {
    idToken: {
      issuer: op().issuer,
      nonce: 'n-1',
      cache: cacheAt(testClock()),
      retries: 0,
      ...extra,
    },
  };
}

describe('the request', () => {
  it('ACG-001 sends a grant_type=authorization_code form POST with code and redirect_uri, and returns a typed response', async () => {
    const r = route();
    const token = expectSuccess(await requestAuthorizationCodeToken(request(r.url)));
    const sent = onlyRequest(r);
    expect(sent.method).toBe('POST');
    expect(sent.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(sent.form.get('grant_type')).toBe('authorization_code');
    expect(sent.form.get('code')).toBe('code-1');
    expect(sent.form.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(token).toMatchObject({
      isSuccessful: true,
      accessToken: 'at-123',
      tokenType: 'Bearer',
      expiresIn: 300,
      scope: 'api:read',
      refreshToken: undefined,
      idToken: undefined,
      idTokenClaims: undefined,
      httpStatus: 200,
      expiresAt: NOW + 300_000,
    });
    expect(token.raw).toEqual(TOKEN_BODY);
  });

  it('ACG-004 sends the code_verifier; a public client sends client_id and no Authorization', async () => {
    const r = route();
    expectSuccess(await requestAuthorizationCodeToken(request(r.url)));
    const sent = onlyRequest(r);
    expect(sent.form.get('code_verifier')).toBe(VERIFIER);
    expect(sent.form.get('client_id')).toBe(CLIENT_ID);
    expect(sent.headers.authorization).toBeUndefined();
  });

  it('a confidential client authenticates with Basic and sends no secret in the form', async () => {
    const r = route();
    expectSuccess(await requestAuthorizationCodeToken(request(r.url, { clientSecret: 's3cret' })));
    const sent = onlyRequest(r);
    expect(sent.headers.authorization).toBe(
      `Basic ${Buffer.from(`${CLIENT_ID}:s3cret`).toString('base64')}`,
    );
    expect(sent.form.has('client_secret')).toBe(false);
    expect(sent.form.get('code_verifier')).toBe(VERIFIER);
  });

  it('the redirect URI is sent exactly as given, unnormalised', async () => {
    const r = route();
    const odd = 'HTTP://LocalHost:5173/a/../callback/?x=1&y=%7e';
    expectSuccess(await requestAuthorizationCodeToken(request(r.url, { redirectUri: odd })));
    expect(onlyRequest(r).form.get('redirect_uri')).toBe(odd);
  });

  it('resource indicators are sent as repeated parameters', async () => {
    const r = route();
    expectSuccess(
      await requestAuthorizationCodeToken(
        request(r.url, { resource: ['urn:example:api', 'https://api.example/'] }),
      ),
    );
    expect(onlyRequest(r).form.getAll('resource')).toEqual([
      'urn:example:api',
      'https://api.example/',
    ]);
  });

  it('extra parameters are sent but cannot replace code, redirect_uri or code_verifier', async () => {
    const r = route();
    expectSuccess(
      await requestAuthorizationCodeToken(request(r.url, { parameters: { acr: 'x' } })),
    );
    expect(onlyRequest(r).form.get('acr')).toBe('x');
    for (const name of ['code', 'redirect_uri', 'code_verifier', 'grant_type']) {
      const error = await rejectionOf(
        requestAuthorizationCodeToken(request(r.url, { parameters: { [name]: 'evil' } })),
      );
      expect(error).toBeInstanceOf(ConfigurationError);
    }
    expect(r.seen()).toHaveLength(1);
  });

  it.each([
    ['an empty code', { code: '' }],
    ['a relative redirect URI', { redirectUri: '/callback' }],
    ['a code verifier of 42 characters', { codeVerifier: 'a'.repeat(42) }],
    ['a code verifier of 129 characters', { codeVerifier: 'a'.repeat(129) }],
    ['a code verifier with a space', { codeVerifier: `${'a'.repeat(43)} ` }],
    ['no code verifier', { codeVerifier: undefined }],
    ['a clock that is not a function', { now: 5 }],
    ['ID Token expectations with a bad leeway', { idToken: { issuer: 'x', leeway: 999 } }],
    ['ID Token expectations without issuer or key', { idToken: { nonce: 'n' } }],
    ['ID Token expectations with a negative maxAge', { idToken: { issuer: 'x', maxAge: -1 } }],
  ])('%s throws ERR_CONFIGURATION before anything is sent', async (_, extra) => {
    const r = route();
    const error = await rejectionOf(
      requestAuthorizationCodeToken(
        request(r.url, extra as Partial<AuthorizationCodeTokenRequest>),
      ),
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).code).toBe('ERR_CONFIGURATION');
    expect(r.seen()).toHaveLength(0);
  });
});

describe('error responses and retries', () => {
  it('ACG-005 an OAuth error response is a typed failure with error, errorDescription and errorUri', async () => {
    const r = route({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'code expired',
        error_uri: 'https://op.example/errors/invalid_grant',
      },
    });
    const token = expectFailure(await requestAuthorizationCodeToken(request(r.url)), {
      code: 'ERR_OAUTH_ERROR',
      errorType: 'protocol',
    });
    expect(token.error).toBe('invalid_grant');
    expect(token.errorDescription).toBe('code expired');
    expect(token.errorUri).toBe('https://op.example/errors/invalid_grant');
    expect(token.httpStatus).toBe(400);
    expect(token.exception).toBeInstanceOf(ProtocolError);
    expect(() => Reflect.get(token, 'idTokenClaims')).toThrow(/failed response/);
    expect(() => Reflect.get(token, 'expiresAt')).toThrow(/failed response/);
  });

  it.each([429, 503])('%i with Retry-After is NOT retried: a code is sent once', async (status) => {
    const r = route(
      { status, headers: { 'retry-after': '1' }, body: { error: 'temporarily_unavailable' } },
      { body: TOKEN_BODY },
    );
    const { delays, sleep } = sleepRecorder();
    const token = expectFailure(await requestAuthorizationCodeToken(request(r.url, { sleep })));
    expect(r.seen()).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(token.httpStatus).toBe(status);
  });

  it('a refused connection is not retried either', async () => {
    const { url } = await refusedUrl();
    const fetchSpy = vi.fn<FetchLike>((input, init) => fetch(input, init));
    const { delays, sleep } = sleepRecorder();
    const token = expectFailure(
      await requestAuthorizationCodeToken(request(`${url}/token`, { fetch: fetchSpy, sleep })),
    );
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(delays).toEqual([]);
    expect(token.errorCode).toBe('ERR_NETWORK');
  });
});

describe('hostile token responses', () => {
  it.each([
    ['token_type mac', { ...TOKEN_BODY, token_type: 'mac' }],
    ['expires_in as a string', { ...TOKEN_BODY, expires_in: '300' }],
    ['a negative expires_in', { ...TOKEN_BODY, expires_in: -1 }],
    ['no access_token', { token_type: 'Bearer', expires_in: 300 }],
    ['no token_type', { access_token: 'at', expires_in: 300 }],
    ['an id_token that is not a string', { ...TOKEN_BODY, id_token: 42 }],
  ])('%s: ERR_INVALID_RESPONSE', async (_, body) => {
    const r = route({ body });
    expectFailure(await requestAuthorizationCodeToken(request(r.url)), {
      code: 'ERR_INVALID_RESPONSE',
      errorType: 'invalid_response',
      httpStatus: 200,
    });
  });

  it.each(['Bearer', 'bearer', 'BEARER', 'DPoP', 'dpop'])(
    'token_type %s is accepted, as sent',
    async (tokenType) => {
      const r = route({ body: { ...TOKEN_BODY, token_type: tokenType } });
      expect(expectSuccess(await requestAuthorizationCodeToken(request(r.url))).tokenType).toBe(
        tokenType,
      );
    },
  );

  it('without expires_in there is no expiresAt', async () => {
    const r = route({ body: { access_token: 'at', token_type: 'Bearer' } });
    const token = expectSuccess(await requestAuthorizationCodeToken(request(r.url)));
    expect(token.expiresIn).toBeUndefined();
    expect(token.expiresAt).toBeUndefined();
  });
});

describe('the ID Token of the response', () => {
  it('is validated; its claims are returned and at_hash binds the access token', async () => {
    const jwt = await idToken();
    const r = route({ body: { ...TOKEN_BODY, scope: 'openid profile', id_token: jwt } });
    const token = expectSuccess(await requestAuthorizationCodeToken(request(r.url, oidc())));
    expect(token.idToken).toBe(jwt);
    expect(token.idTokenClaims).toMatchObject({ sub: 'alice', nonce: 'n-1', aud: CLIENT_ID });
    expect(op().jwksFetches()).toBe(1);
  });

  it('uses the request clock for its time checks', async () => {
    const jwt = await idToken({ exp: NOW_S + 300 });
    const r = route({ body: { ...TOKEN_BODY, id_token: jwt } });
    const later = NOW + 400_000;
    expectFailure(
      await requestAuthorizationCodeToken(request(r.url, { now: () => later, ...oidc() })),
      { code: 'ERR_JWT_EXPIRED' },
    );
  });

  it.each([
    [
      'a bad signature',
      async () => flipSignatureBit(await idToken()),
      'ERR_JWT_SIGNATURE_INVALID',
      undefined,
    ],
    [
      'alg none',
      async () => unsigned({ iss: op().issuer, sub: 'alice', aud: CLIENT_ID }),
      'ERR_JWT_ALG_NOT_ALLOWED',
      'alg',
    ],
    ["another client's azp", () => idToken({ azp: 'other' }), 'ERR_JWT_AUDIENCE_INVALID', 'azp'],
    ['another aud', () => idToken({ aud: 'other' }), 'ERR_JWT_AUDIENCE_INVALID', 'aud'],
    [
      'another iss',
      () => idToken({ iss: 'https://evil.example' }),
      'ERR_JWT_ISSUER_MISMATCH',
      'iss',
    ],
    ['expired', () => idToken({ exp: NOW_S - 61 }), 'ERR_JWT_EXPIRED', 'exp'],
    ['iat in the future', () => idToken({ iat: NOW_S + 61 }), 'ERR_JWT_NOT_YET_VALID', 'iat'],
    ['no sub', () => idToken({ sub: undefined }), 'ERR_JWT_CLAIM_MISSING', 'sub'],
    ['no nonce', () => idToken({ nonce: undefined }), 'ERR_JWT_CLAIM_MISSING', 'nonce'],
  ] as const)('%s: failure %s', async (_, make, code, claim) => {
    const r = route({ body: { ...TOKEN_BODY, id_token: await make() } });
    const token = expectFailure(await requestAuthorizationCodeToken(request(r.url, oidc())), {
      code,
      errorType: 'invalid_response',
    });
    expect((token.exception as TokenValidationError).claim).toBe(claim);
    expect(r.seen()).toHaveLength(1);
  });

  it('no auth_time when max_age was sent: failure ERR_JWT_CLAIM_MISSING (auth_time)', async () => {
    const r = route({ body: { ...TOKEN_BODY, id_token: await idToken({ auth_time: undefined }) } });
    const token = expectFailure(
      await requestAuthorizationCodeToken(request(r.url, oidc({ maxAge: 600 }))),
      { code: 'ERR_JWT_CLAIM_MISSING' },
    );
    expect((token.exception as TokenValidationError).claim).toBe('auth_time');
  });

  it('an at_hash of another access token: failure ERR_JWT_CLAIM_INVALID (at_hash)', async () => {
    const r = route({
      body: { ...TOKEN_BODY, id_token: await idToken({ at_hash: atHash('another-at') }) },
    });
    const token = expectFailure(await requestAuthorizationCodeToken(request(r.url, oidc())), {
      code: 'ERR_JWT_CLAIM_INVALID',
    });
    expect((token.exception as TokenValidationError).claim).toBe('at_hash');
    expect(() => Reflect.get(token, 'accessToken')).toThrow(/failed response/);
  });

  it('a wrong nonce: failure ERR_JWT_CLAIM_INVALID (nonce)', async () => {
    const r = route({ body: { ...TOKEN_BODY, id_token: await idToken({ nonce: 'n-2' }) } });
    const token = expectFailure(await requestAuthorizationCodeToken(request(r.url, oidc())), {
      code: 'ERR_JWT_CLAIM_INVALID',
    });
    expect((token.exception as TokenValidationError).claim).toBe('nonce');
  });

  it('auth_time older than max_age: failure ERR_JWT_CLAIM_INVALID (auth_time)', async () => {
    const r = route({
      body: { ...TOKEN_BODY, id_token: await idToken({ auth_time: NOW_S - 700 }) },
    });
    const token = expectFailure(
      await requestAuthorizationCodeToken(request(r.url, oidc({ maxAge: 600, leeway: 60 }))),
      { code: 'ERR_JWT_CLAIM_INVALID' },
    );
    expect((token.exception as TokenValidationError).claim).toBe('auth_time');
  });

  it('signed by another key: failure ERR_JWT_SIGNATURE_INVALID', async () => {
    const forger = await makeKey('RS256', { kid: 'op-key' });
    const forged = await sign(forger, { iss: op().issuer, sub: 'alice', aud: CLIENT_ID });
    op().setJwks(jwks(key));
    const r = route({ body: { ...TOKEN_BODY, id_token: forged } });
    expectFailure(await requestAuthorizationCodeToken(request(r.url, oidc())), {
      code: 'ERR_JWT_SIGNATURE_INVALID',
    });
  });

  it('an ID Token without expectations is refused: ERR_INVALID_RESPONSE', async () => {
    const r = route({ body: { ...TOKEN_BODY, id_token: await idToken() } });
    const token = expectFailure(await requestAuthorizationCodeToken(request(r.url)), {
      code: 'ERR_INVALID_RESPONSE',
    });
    expect(() => Reflect.get(token, 'idToken')).toThrow(/failed response/);
  });

  it('expectations given but no ID Token: ERR_INVALID_RESPONSE', async () => {
    const r = route();
    const token = expectFailure(await requestAuthorizationCodeToken(request(r.url, oidc())), {
      code: 'ERR_INVALID_RESPONSE',
    });
    expect(token.errorMessage).toMatch(/id_token/);
  });

  it('scope openid granted but no ID Token: ERR_INVALID_RESPONSE', async () => {
    const r = route({ body: { ...TOKEN_BODY, scope: 'openid api:read' } });
    expectFailure(await requestAuthorizationCodeToken(request(r.url)), {
      code: 'ERR_INVALID_RESPONSE',
    });
  });
});
