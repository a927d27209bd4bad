/**
 * requestRefreshToken against a local server acting as token endpoint, discovery and JWKS:
 * the request as sent, rotation, the retry rule, and refreshed ID Tokens that break continuity
 * with the previous one (OpenID Connect Core §12.2).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, TokenValidationError } from '../../../src/core/errors.js';
import { type RefreshTokenRequest, requestRefreshToken } from '../../../src/core/token/refresh.js';
import {
  cacheAt,
  jwks,
  makeKey,
  NOW,
  NOW_S,
  rejectionOf,
  sign,
  testClock,
  useHostileOp,
} from '../../support/hostile-op.js';
import { expectFailure, expectSuccess } from '../../support/result.js';
import { type Answer, onlyRequest, sleepRecorder, TOKEN_BODY, tokenRoute } from './token-server.js';

const op = useHostileOp();
const key = await makeKey('ES256', { kid: 'op-key' });

const CLIENT_ID = 'spa';
const OLD_RT = 'rt-old';

function previous(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: op().issuer,
    sub: 'alice',
    aud: CLIENT_ID,
    iat: NOW_S - 3600,
    exp: NOW_S - 60,
    auth_time: NOW_S - 3700,
    nonce: 'n-1',
    ...extra,
  };
}

/** A refreshed ID Token: the previous claims, re-issued now, with `extra` applied. */
async function refreshedIdToken(extra: Record<string, unknown> = {}): Promise<string> {
  op().setJwks(jwks(key));
  const at = createHash('sha256').update('at-123').digest().subarray(0, 16).toString('base64url');
  return sign(key, { ...previous(), iat: NOW_S - 1, exp: NOW_S + 300, at_hash: at, ...extra });
}

function route(...answers: Answer[]) {
  return tokenRoute(op().server, ...answers);
}

function request(address: string, extra: Partial<RefreshTokenRequest> = {}): RefreshTokenRequest {
  return { address, clientId: CLIENT_ID, refreshToken: OLD_RT, now: () => NOW, ...extra };
}

function oidc(previousClaims: Record<string, unknown> | undefined = previous(), extra = {}) {
  return {
    idToken: {
      issuer: op().issuer,
      cache: cacheAt(testClock()),
      retries: 0,
      ...(previousClaims ? { previousClaims } : {}),
      ...extra,
    },
  };
}

describe('the request and rotation', () => {
  it('sends grant_type=refresh_token with the refresh token, client_id and the narrower scope', async () => {
    const r = route();
    expectSuccess(await requestRefreshToken(request(r.url, { scope: ['openid', 'api:read'] })));
    const sent = onlyRequest(r);
    expect(sent.form.get('grant_type')).toBe('refresh_token');
    expect(sent.form.get('refresh_token')).toBe(OLD_RT);
    expect(sent.form.get('client_id')).toBe(CLIENT_ID);
    expect(sent.form.get('scope')).toBe('openid api:read');
  });

  it('without scope, none is sent (the original scope applies)', async () => {
    const r = route();
    expectSuccess(await requestRefreshToken(request(r.url)));
    expect(onlyRequest(r).form.has('scope')).toBe(false);
  });

  it('a new refresh token: refreshToken is the new one, refreshTokenRotated true', async () => {
    const r = route({ body: { ...TOKEN_BODY, refresh_token: 'rt-new' } });
    const token = expectSuccess(await requestRefreshToken(request(r.url)));
    expect(token.refreshToken).toBe('rt-new');
    expect(token.refreshTokenRotated).toBe(true);
    expect(token.expiresAt).toBe(NOW + 300_000);
  });

  it('no refresh token in the response: the old one is kept, refreshTokenRotated false', async () => {
    const r = route();
    const token = expectSuccess(await requestRefreshToken(request(r.url)));
    expect(token.refreshToken).toBe(OLD_RT);
    expect(token.refreshTokenRotated).toBe(false);
    expect(token.raw.refresh_token).toBeUndefined();
  });

  it('the same refresh token sent back: not rotated', async () => {
    const r = route({ body: { ...TOKEN_BODY, refresh_token: OLD_RT } });
    const token = expectSuccess(await requestRefreshToken(request(r.url)));
    expect(token.refreshTokenRotated).toBe(false);
  });

  it('503 with Retry-After is retried once (the server did not process it)', async () => {
    const r = route(
      { status: 503, headers: { 'retry-after': '1' } },
      { body: { ...TOKEN_BODY, refresh_token: 'rt-new' } },
    );
    const { delays, sleep } = sleepRecorder();
    const token = expectSuccess(await requestRefreshToken(request(r.url, { sleep })));
    expect(r.seen()).toHaveLength(2);
    expect(r.seen()[1]!.body).toBe(r.seen()[0]!.body);
    expect(delays).toEqual([1000]);
    expect(token.refreshToken).toBe('rt-new');
  });

  it('500 is not retried: the server may have rotated the token', async () => {
    const r = route({ status: 500, body: { error: 'server_error' } }, { body: TOKEN_BODY });
    const { sleep } = sleepRecorder();
    expectFailure(await requestRefreshToken(request(r.url, { sleep })));
    expect(r.seen()).toHaveLength(1);
  });

  it('invalid_grant is a typed protocol failure', async () => {
    const r = route({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'grant request is invalid' },
    });
    const token = expectFailure(await requestRefreshToken(request(r.url)), {
      errorType: 'protocol',
    });
    expect(token.error).toBe('invalid_grant');
    expect(token.errorDescription).toBe('grant request is invalid');
    expect(() => Reflect.get(token, 'refreshTokenRotated')).toThrow(/failed response/);
  });

  it.each([
    ['an empty refresh token', { refreshToken: '' }],
    ['previousClaims without sub', { idToken: { issuer: 'x', previousClaims: { iss: 'x' } } }],
    ['ID Token expectations with a bad leeway', { idToken: { issuer: 'x', leeway: -1 } }],
    ['a scope that is not a string', { scope: 5 }],
  ])('%s throws ERR_CONFIGURATION before anything is sent', async (_, extra) => {
    const r = route();
    const error = await rejectionOf(
      requestRefreshToken(request(r.url, extra as Partial<RefreshTokenRequest>)),
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(r.seen()).toHaveLength(0);
  });
});

describe('hostile token responses', () => {
  it.each([
    ['token_type mac', { ...TOKEN_BODY, token_type: 'mac' }],
    ['expires_in "300"', { ...TOKEN_BODY, expires_in: '300' }],
    ['no access_token', { token_type: 'Bearer' }],
    ['a refresh_token that is not a string', { ...TOKEN_BODY, refresh_token: 7 }],
  ])('%s: ERR_INVALID_RESPONSE', async (_, body) => {
    expectFailure(await requestRefreshToken(request(route({ body }).url)), {
      code: 'ERR_INVALID_RESPONSE',
    });
  });
});

describe('the refreshed ID Token', () => {
  async function refreshWith(idToken: string, previousClaims?: Record<string, unknown>) {
    const r = route({ body: { ...TOKEN_BODY, refresh_token: 'rt-new', id_token: idToken } });
    return requestRefreshToken(request(r.url, oidc(previousClaims)));
  }

  async function refused(idToken: string, code: string, claim: string, prev = previous()) {
    const token = expectFailure(await refreshWith(idToken, prev));
    expect(token.errorCode, token.errorMessage).toBe(code);
    expect(token.exception).toBeInstanceOf(TokenValidationError);
    expect((token.exception as TokenValidationError).claim).toBe(claim);
    expect(() => Reflect.get(token, 'refreshToken')).toThrow(/failed response/);
  }

  it('the same iss, sub, aud, auth_time and nonce: validated, claims returned', async () => {
    const token = expectSuccess(await refreshWith(await refreshedIdToken()));
    expect(token.idTokenClaims).toMatchObject({ sub: 'alice', nonce: 'n-1' });
    expect(token.refreshTokenRotated).toBe(true);
  });

  it('no nonce in the refreshed ID Token is fine (none is expected)', async () => {
    const token = expectSuccess(await refreshWith(await refreshedIdToken({ nonce: undefined })));
    expect(token.idTokenClaims?.nonce).toBeUndefined();
  });

  it('without previousClaims it is still validated in full', async () => {
    expectFailure(await refreshWith(await refreshedIdToken({ aud: 'another-client' }), undefined), {
      code: 'ERR_JWT_AUDIENCE_INVALID',
    });
  });

  it('another sub: ERR_JWT_CLAIM_INVALID (sub)', async () => {
    await refused(await refreshedIdToken({ sub: 'mallory' }), 'ERR_JWT_CLAIM_INVALID', 'sub');
  });

  it('another iss than the previous ID Token: ERR_JWT_ISSUER_MISMATCH', async () => {
    // The new token is the provider's own; the session's ID Token came from elsewhere.
    await refused(
      await refreshedIdToken(),
      'ERR_JWT_ISSUER_MISMATCH',
      'iss',
      previous({ iss: 'https://other-op.example' }),
    );
  });

  it('an iss that is not the provider: ERR_JWT_ISSUER_MISMATCH', async () => {
    await refused(
      await refreshedIdToken({ iss: 'https://evil.example' }),
      'ERR_JWT_ISSUER_MISMATCH',
      'iss',
    );
  });

  it('another aud than the previous ID Token: ERR_JWT_AUDIENCE_INVALID (aud)', async () => {
    await refused(
      await refreshedIdToken(),
      'ERR_JWT_AUDIENCE_INVALID',
      'aud',
      previous({ aud: [CLIENT_ID, 'api'], azp: CLIENT_ID }),
    );
  });

  it('the same audiences in another order: accepted', async () => {
    const r = route({
      body: {
        ...TOKEN_BODY,
        id_token: await refreshedIdToken({ aud: ['api', CLIENT_ID], azp: CLIENT_ID }),
      },
    });
    const token = await requestRefreshToken(
      request(
        r.url,
        oidc(previous({ aud: [CLIENT_ID, 'api'], azp: CLIENT_ID }), {
          trustedAudiences: ['api'],
        }),
      ),
    );
    expect(expectSuccess(token).idTokenClaims?.aud).toEqual(['api', CLIENT_ID]);
  });

  it('an azp that was not there before: ERR_JWT_AUDIENCE_INVALID (azp)', async () => {
    await refused(await refreshedIdToken({ azp: CLIENT_ID }), 'ERR_JWT_AUDIENCE_INVALID', 'azp');
  });

  it('an azp dropped: ERR_JWT_AUDIENCE_INVALID (azp)', async () => {
    await refused(
      await refreshedIdToken(),
      'ERR_JWT_AUDIENCE_INVALID',
      'azp',
      previous({ azp: CLIENT_ID }),
    );
  });

  it('another auth_time: ERR_JWT_CLAIM_INVALID (auth_time)', async () => {
    await refused(
      await refreshedIdToken({ auth_time: NOW_S - 10 }),
      'ERR_JWT_CLAIM_INVALID',
      'auth_time',
    );
  });

  it('a nonce other than the original: ERR_JWT_CLAIM_INVALID (nonce)', async () => {
    await refused(await refreshedIdToken({ nonce: 'n-2' }), 'ERR_JWT_CLAIM_INVALID', 'nonce');
    await refused(
      await refreshedIdToken({ nonce: 'n-1' }),
      'ERR_JWT_CLAIM_INVALID',
      'nonce',
      previous({ nonce: undefined }),
    );
  });

  it('issued before the previous ID Token: ERR_JWT_CLAIM_INVALID (iat)', async () => {
    await refused(await refreshedIdToken({ iat: NOW_S - 7200 }), 'ERR_JWT_CLAIM_INVALID', 'iat');
  });

  it('a wrong at_hash for the new access token: ERR_JWT_CLAIM_INVALID (at_hash)', async () => {
    await refused(
      await refreshedIdToken({ at_hash: 'AAAAAAAAAAAAAAAAAAAAAA' }),
      'ERR_JWT_CLAIM_INVALID',
      'at_hash',
    );
  });

  it('an ID Token without expectations: ERR_INVALID_RESPONSE', async () => {
    const r = route({ body: { ...TOKEN_BODY, id_token: await refreshedIdToken() } });
    expectFailure(await requestRefreshToken(request(r.url)), { code: 'ERR_INVALID_RESPONSE' });
  });

  it('no ID Token in a refresh response is fine, even with expectations', async () => {
    const r = route({ body: { ...TOKEN_BODY, scope: 'openid' } });
    const token = expectSuccess(await requestRefreshToken(request(r.url, oidc())));
    expect(token.idTokenClaims).toBeUndefined();
  });
});
