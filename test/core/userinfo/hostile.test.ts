/**
 * Hostile UserInfo responses from a local provider (discovery + JWKS from the hostile OP, the
 * UserInfo route on the same server): another subject, signed responses with a bad signature,
 * wrong audience or issuer, unknown keys, alg none; malformed JSON, redirects, the https rule.
 */
import { describe, expect, it } from 'vitest';
import { ConfigurationError, ProtocolError } from '../../../src/core/errors.js';
import type { FetchLike } from '../../../src/core/http/defaults.js';
import { getUserInfo, type UserInfoRequest } from '../../../src/core/userinfo/index.js';
import {
  cacheAt,
  claimsAt,
  flipSignatureBit,
  jwks,
  makeKey,
  NOW,
  sign,
  testClock,
  unsigned,
  useHostileOp,
} from '../../support/hostile-op.js';
import { expectFailure, expectSuccess } from '../../support/result.js';
import { route } from './support.js';

const op = useHostileOp();
const [esKey, rsaKey, strangerKey] = await Promise.all([
  makeKey('ES256', { kid: 'es-1' }),
  makeKey('RS256', { kid: 'rsa-1' }),
  makeKey('ES256', { kid: 'es-1' }),
]);
const CLIENT_ID = 'client-1';
const TOKEN = 'at-1';

/** A signed-response request for the hostile OP, on a fresh cache and a fixed clock. */
function signedRequest(address: string, extra: Partial<UserInfoRequest> = {}): UserInfoRequest {
  return {
    address,
    token: TOKEN,
    issuer: op().issuer,
    clientId: CLIENT_ID,
    validation: { now: () => NOW, cache: cacheAt(testClock()) },
    ...extra,
  };
}

/** Serves `jwt` as a signed UserInfo response. */
function jwtRoute(jwt: string) {
  return route(op().server, 'GET', {
    headers: { 'content-type': 'application/jwt; charset=utf-8' },
    body: jwt,
  });
}

const userClaims = (extra: Record<string, unknown> = {}) =>
  claimsAt(op().issuer, { aud: CLIENT_ID, sub: 'alice', email: 'alice@example.com', ...extra });

describe('signed UserInfo responses (application/jwt)', () => {
  it('verifies the signature with the provider keys and returns the payload as claims', async () => {
    op().setJwks(jwks(esKey, rsaKey));
    const jwt = await sign(esKey, userClaims());
    const endpoint = jwtRoute(jwt);
    const info = expectSuccess(
      await getUserInfo(signedRequest(endpoint.url, { expectedSubject: 'alice' })),
    );
    expect(info.jwt).toBe(jwt);
    expect(info.claims.email).toBe('alice@example.com');
    expect(info.raw.iss).toBe(op().issuer);
    expect(endpoint.seen()[0]!.headers.accept).toMatch(/application\/jwt/);
    expect(op().discoveryFetches()).toBe(1);
    expect(op().jwksFetches()).toBe(1);
  });

  it('refuses a bad signature', async () => {
    op().setJwks(jwks(esKey));
    const endpoint = jwtRoute(flipSignatureBit(await sign(esKey, userClaims())));
    expectFailure(await getUserInfo(signedRequest(endpoint.url)), {
      code: 'ERR_JWT_SIGNATURE_INVALID',
      httpStatus: undefined,
    });
  });

  it('refuses a response signed by a key the provider does not publish (same kid)', async () => {
    op().setJwks(jwks(esKey));
    const endpoint = jwtRoute(await sign(strangerKey, userClaims()));
    expect(expectFailure(await getUserInfo(signedRequest(endpoint.url))).errorCode).toBe(
      'ERR_JWT_SIGNATURE_INVALID',
    );
  });

  it('refuses a response for another client (aud)', async () => {
    op().setJwks(jwks(esKey));
    const endpoint = jwtRoute(await sign(esKey, userClaims({ aud: 'other-client' })));
    expect(expectFailure(await getUserInfo(signedRequest(endpoint.url))).errorCode).toBe(
      'ERR_JWT_AUDIENCE_INVALID',
    );
  });

  it('refuses a response without aud or iss (it could be meant for anyone)', async () => {
    op().setJwks(jwks(esKey));
    const noAud = jwtRoute(await sign(esKey, userClaims({ aud: undefined })));
    expect(expectFailure(await getUserInfo(signedRequest(noAud.url))).errorCode).toBe(
      'ERR_JWT_CLAIM_MISSING',
    );
    const noIss = jwtRoute(await sign(esKey, userClaims({ iss: undefined })));
    const info = expectFailure(await getUserInfo(signedRequest(noIss.url)), {
      code: 'ERR_JWT_CLAIM_MISSING',
    });
    expect(info.errorMessage).toMatch(/"iss"/);
  });

  it('refuses another issuer', async () => {
    op().setJwks(jwks(esKey));
    const endpoint = jwtRoute(await sign(esKey, userClaims({ iss: 'https://evil.example' })));
    expect(expectFailure(await getUserInfo(signedRequest(endpoint.url))).errorCode).toBe(
      'ERR_JWT_ISSUER_MISMATCH',
    );
  });

  it('refuses another subject than the expected one', async () => {
    op().setJwks(jwks(esKey));
    const endpoint = jwtRoute(await sign(esKey, userClaims({ sub: 'mallory' })));
    expectFailure(await getUserInfo(signedRequest(endpoint.url, { expectedSubject: 'alice' })), {
      code: 'ERR_JWT_CLAIM_INVALID',
    });
  });

  it('refuses alg none and an expired response', async () => {
    op().setJwks(jwks(esKey));
    const none = jwtRoute(unsigned(userClaims()));
    expect(expectFailure(await getUserInfo(signedRequest(none.url))).errorCode).toBe(
      'ERR_JWT_ALG_NOT_ALLOWED',
    );
    const expired = jwtRoute(await sign(esKey, userClaims({ exp: NOW / 1000 - 3600 })));
    expect(expectFailure(await getUserInfo(signedRequest(expired.url))).errorCode).toBe(
      'ERR_JWT_EXPIRED',
    );
  });

  it('accepts only the algorithms the provider advertises for UserInfo', async () => {
    op().setJwks(jwks(esKey, rsaKey));
    op().setDiscovery({ userinfo_signing_alg_values_supported: ['none', 'RS256'] });
    const es = jwtRoute(await sign(esKey, userClaims()));
    expect(expectFailure(await getUserInfo(signedRequest(es.url))).errorCode).toBe(
      'ERR_JWT_ALG_NOT_ALLOWED',
    );
    const rs = jwtRoute(await sign(rsaKey, userClaims()));
    expect(expectSuccess(await getUserInfo(signedRequest(rs.url))).claims.sub).toBe('alice');
  });

  it('needs issuer and clientId to accept a signed response', async () => {
    op().setJwks(jwks(esKey));
    const endpoint = jwtRoute(await sign(esKey, userClaims()));
    expectFailure(await getUserInfo({ address: endpoint.url, token: TOKEN }), {
      code: 'ERR_CONTENT_TYPE',
    });
    expect(op().discoveryFetches()).toBe(0);
  });

  it('requireSigned refuses a plain JSON response', async () => {
    const endpoint = route(op().server, 'GET', { body: { sub: 'alice' } });
    expectFailure(await getUserInfo(signedRequest(endpoint.url, { requireSigned: true })), {
      code: 'ERR_CONTENT_TYPE',
      httpStatus: 200,
    });
  });
});

describe('hostile JSON responses', () => {
  it.each([
    ['no sub', { name: 'x' }, 'ERR_INVALID_RESPONSE'],
    ['a numeric sub', { sub: 42 }, 'ERR_INVALID_RESPONSE'],
    ['an empty sub', { sub: '' }, 'ERR_INVALID_RESPONSE'],
    ['an array', '[{"sub":"a"}]', 'ERR_INVALID_JSON'],
    ['broken JSON', '{"sub":', 'ERR_INVALID_JSON'],
  ])('refuses %s', async (_, body, code) => {
    const endpoint = route(op().server, 'GET', { body });
    expect(
      expectFailure(await getUserInfo({ address: endpoint.url, token: TOKEN })).errorCode,
    ).toBe(code);
  });

  it('leaves out standard claims of the wrong type, keeps them in raw, never coerces', async () => {
    const endpoint = route(op().server, 'GET', {
      body: {
        sub: 'alice',
        email_verified: 'true',
        updated_at: '1700000000',
        address: { locality: 7 },
        name: 'Alice',
      },
    });
    const info = expectSuccess(await getUserInfo({ address: endpoint.url, token: TOKEN }));
    expect(info.skippedClaims).toEqual(['email_verified', 'address', 'updated_at']);
    expect(info.claims.email_verified).toBeUndefined();
    expect('updated_at' in info.claims).toBe(false);
    expect(info.claims.name).toBe('Alice');
    expect(info.raw.email_verified).toBe('true');
  });

  it('keeps a "__proto__" claim as plain data', async () => {
    const endpoint = route(op().server, 'GET', {
      body: '{"sub":"alice","email_verified":"yes","__proto__":{"polluted":true}}',
    });
    const info = expectSuccess(await getUserInfo({ address: endpoint.url, token: TOKEN }));
    expect(Object.getPrototypeOf(info.claims)).toBe(Object.prototype);
    expect(Object.hasOwn(info.claims, '__proto__')).toBe(true);
    expect((info.claims as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads an OAuth error body sent without a challenge', async () => {
    const endpoint = route(op().server, 'GET', {
      status: 401,
      body: { error: 'invalid_token', error_description: 'expired' },
    });
    const info = expectFailure(await getUserInfo({ address: endpoint.url, token: TOKEN }));
    expect(info.error).toBe('invalid_token');
    expect(info.errorDescription).toBe('expired');
    expect(info.httpStatus).toBe(401);
    expect(info.exception).toBeInstanceOf(ProtocolError);
  });

  it('never follows a redirect (the token would go along)', async () => {
    const target = route(op().server, 'GET', { body: { sub: 'alice' } });
    const endpoint = route(op().server, 'GET', { status: 302, headers: { location: target.url } });
    expectFailure(await getUserInfo({ address: endpoint.url, token: TOKEN }), {
      code: 'ERR_HTTP_REDIRECT',
    });
    expect(target.seen()).toHaveLength(0);
  });

  it('retries a 503 like any GET', async () => {
    const endpoint = route(
      op().server,
      'GET',
      { status: 503, headers: { 'retry-after': '0' }, body: '' },
      { body: { sub: 'alice' } },
    );
    const info = expectSuccess(
      await getUserInfo({ address: endpoint.url, token: TOKEN, sleep: async () => {} }),
    );
    expect(info.claims.sub).toBe('alice');
    expect(endpoint.seen()).toHaveLength(2);
  });
});

describe('arguments and the https rule', () => {
  it('sends nothing to an http endpoint off loopback', async () => {
    const calls: string[] = [];
    const fetch: FetchLike = async (input) => {
      calls.push(input);
      return new Response('{}');
    };
    expectFailure(
      await getUserInfo({ address: 'http://op.example/userinfo', token: TOKEN, fetch }),
      { errorType: 'policy' },
    );
    expect(calls).toEqual([]);
  });

  it.each([
    ['an empty token', { token: '' }],
    ['a token with a line break', { token: 'a\r\nx-injected: 1' }],
    ['a relative address', { address: '/userinfo' }],
    ['an empty expected subject', { expectedSubject: '' }],
  ])('throws a ConfigurationError for %s', async (_, bad) => {
    await expect(
      getUserInfo({ address: 'https://op.example/userinfo', token: TOKEN, ...bad }),
    ).rejects.toBeInstanceOf(ConfigurationError);
  });
});
