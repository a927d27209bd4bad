/**
 * Signed introspection responses (RFC 9701) from a scriptable local provider: the request asks
 * for `application/token-introspection+jwt`; the JWT is verified with the provider's published
 * keys, and every RFC 9701 §5 rule (signature, `typ`, `iss`, `aud` = client_id, `iat`, the
 * `token_introspection` claim) is checked, with typed errors. Clocks are injected.
 */
import { describe, expect, it } from 'vitest';
import { introspectToken, TOKEN_INTROSPECTION_JWT } from '../../../src/core/introspection/index.js';
import {
  cacheAt,
  flipSignatureBit,
  jwks,
  makeKey,
  NOW_S,
  sign,
  testClock,
  unsigned,
  useHostileOp,
} from '../../support/hostile-op.js';
import { expectFailure, expectSuccess } from '../../support/result.js';

const op = useHostileOp();
const [rsa, ec, other] = await Promise.all([
  makeKey('RS256', { kid: 'rs' }),
  makeKey('ES256', { kid: 'ec' }),
  makeKey('RS256', { kid: 'rs' }),
]);
const rsaKey = rsa!;
const ecKey = ec!;
const impostor = other!; // same kid as rsaKey, another key

const CLIENT_ID = 'resource-server';
const PATH = '/token/introspection';
const ACTIVE = Object.freeze({
  active: true,
  scope: 'api:read',
  client_id: 'spa',
  sub: 'alice',
  exp: NOW_S + 600,
  iss: 'ignored-here',
});

type Json = Record<string, unknown>;

/** JWT claims of a good signed response for the current provider. */
function claims(extra: Json = {}): Json {
  return {
    iss: op().issuer,
    aud: CLIENT_ID,
    iat: NOW_S,
    token_introspection: ACTIVE,
    ...extra,
  };
}

const TYP = { typ: 'token-introspection+jwt' };

/** Publishes the keys and the endpoint, and answers introspection with `body` (a JWT by default). */
function serve(
  body: string,
  options: { contentType?: string; status?: number; algs?: string[] | null } = {},
) {
  const { server } = op();
  op().setJwks(jwks(rsaKey, ecKey));
  op().setDiscovery({
    introspection_endpoint: `${op().issuer}${PATH}`,
    introspection_signing_alg_values_supported:
      options.algs === null ? undefined : (options.algs ?? ['RS256', 'ES256']),
  });
  server.route('POST', PATH, (_req, res) => {
    res
      .writeHead(options.status ?? 200, {
        'content-type': options.contentType ?? `${TOKEN_INTROSPECTION_JWT}; charset=utf-8`,
      })
      .end(body);
  });
}

function introspect(extra: { algorithms?: string[]; clientId?: string } = {}) {
  const clock = testClock();
  return introspectToken({
    address: `${op().issuer}${PATH}`,
    clientId: extra.clientId ?? CLIENT_ID,
    clientSecret: 'secret',
    token: 'opaque-token',
    signedResponse: {
      issuer: op().issuer,
      now: clock.now,
      cache: cacheAt(clock),
      ...(extra.algorithms ? { algorithms: extra.algorithms } : {}),
    },
  });
}

describe('signed introspection responses (RFC 9701)', () => {
  it('asks for a JWT and returns the verified token_introspection members', async () => {
    const jwt = await sign(rsaKey, claims(), { header: TYP });
    serve(jwt);
    const result = expectSuccess(await introspect());
    const request = op().server.requests.find((r) => r.path === PATH)!;
    expect(request.headers.accept).toBe(TOKEN_INTROSPECTION_JWT);
    expect(new URLSearchParams(request.body).get('token')).toBe('opaque-token');
    expect(result.active).toBe(true);
    expect(result.scope).toBe('api:read');
    expect(result.clientId).toBe('spa');
    expect(result.sub).toBe('alice');
    expect(result.claims).toEqual(ACTIVE);
    expect(result.raw.iss).toBe(op().issuer);
    expect(result.raw.aud).toBe(CLIENT_ID);
    expect(result.jwt).toBe(jwt);
    // Discovery and keys are fetched once, shared by the issuer lookup and the verification.
    expect(op().discoveryFetches()).toBe(1);
    expect(op().jwksFetches()).toBe(1);
  });

  it('accepts an ES256 response when the provider publishes ES256, and an aud array with the client', async () => {
    serve(await sign(ecKey, claims({ aud: ['other', CLIENT_ID] }), { header: TYP }));
    expect(expectSuccess(await introspect()).active).toBe(true);
  });

  it('accepts application/token-introspection+jwt as typ, and an inactive token', async () => {
    const typ = { typ: 'application/token-introspection+jwt' };
    serve(await sign(rsaKey, claims({ token_introspection: { active: false } }), { header: typ }));
    const result = expectSuccess(await introspect());
    expect(result.active).toBe(false);
    expect(result.scope).toBeUndefined();
  });

  it.each([
    ['a signature that does not verify', 'ERR_JWT_SIGNATURE_INVALID'],
    ['a key the provider does not publish', 'ERR_JWT_SIGNATURE_INVALID'],
  ] as const)('refuses %s', async (name, code) => {
    const good = await sign(rsaKey, claims(), { header: TYP });
    serve(
      name.startsWith('a signature')
        ? flipSignatureBit(good)
        : await sign(impostor, claims(), { header: TYP }),
    );
    const failure = expectFailure(await introspect(), {
      code,
      errorType: 'invalid_response',
    });
    expect(() => Reflect.get(failure, 'active')).toThrow(/failed response/);
  });

  it('refuses a response for another audience (aud must be the client_id)', async () => {
    serve(await sign(rsaKey, claims({ aud: 'another-client' }), { header: TYP }));
    expectFailure(await introspect(), { code: 'ERR_JWT_AUDIENCE_INVALID' });
  });

  it('refuses a response without aud', async () => {
    serve(await sign(rsaKey, claims({ aud: undefined }), { header: TYP }));
    const failure = expectFailure(await introspect());
    expect(failure.errorCode).toMatch(/^ERR_JWT_(CLAIM_MISSING|AUDIENCE_INVALID)$/);
  });

  it('refuses a response from another issuer', async () => {
    serve(await sign(rsaKey, claims({ iss: 'https://evil.example' }), { header: TYP }));
    expect(expectFailure(await introspect()).errorCode).toBe('ERR_JWT_ISSUER_MISMATCH');
  });

  it.each([
    ['a missing typ', { typ: undefined }],
    ['typ JWT', { typ: 'JWT' }],
    ['typ at+jwt (an access token passed off as a response)', { typ: 'at+jwt' }],
  ])('refuses %s', async (_, header) => {
    serve(await sign(rsaKey, claims(), { header }));
    expect(expectFailure(await introspect()).errorCode).toBe('ERR_JWT_TYPE_INVALID');
  });

  it('refuses a response without iat', async () => {
    serve(await sign(rsaKey, claims({ iat: undefined }), { header: TYP }));
    expectFailure(await introspect(), { code: 'ERR_JWT_CLAIM_MISSING' });
  });

  it('refuses an expired response', async () => {
    serve(await sign(rsaKey, claims({ exp: NOW_S - 3600 }), { header: TYP }));
    expect(expectFailure(await introspect()).errorCode).toBe('ERR_JWT_EXPIRED');
  });

  it.each([
    ['no token_introspection claim', { token_introspection: undefined }, 'ERR_INVALID_RESPONSE'],
    [
      'token_introspection as a string',
      { token_introspection: '{"active":true}' },
      'ERR_INVALID_RESPONSE',
    ],
    [
      'active "true" inside token_introspection',
      { token_introspection: { active: 'true' } },
      'ERR_INVALID_RESPONSE',
    ],
  ] as const)('refuses %s', async (_, extra, code) => {
    serve(await sign(rsaKey, claims(extra), { header: TYP }));
    const failure = expectFailure(await introspect(), { code });
    expect(failure.errorMessage).toMatch(/token_introspection|active/);
  });

  it('refuses an unsigned (alg none) response', async () => {
    serve(unsigned(claims()));
    expect(expectFailure(await introspect()).errorCode).toBe('ERR_JWT_ALG_NOT_ALLOWED');
  });

  it('refuses an HMAC response keyed with the public key (key confusion)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(rsaKey.jwk));
    serve(await sign({ secret, kid: 'rs' }, claims(), { header: TYP }));
    expect(expectFailure(await introspect()).errorCode).toBe('ERR_JWT_ALG_NOT_ALLOWED');
  });

  it('allows only RS256 when the provider publishes no introspection algorithms', async () => {
    serve(await sign(ecKey, claims(), { header: TYP }), { algs: null });
    expect(expectFailure(await introspect()).errorCode).toBe('ERR_JWT_ALG_NOT_ALLOWED');
    serve(await sign(rsaKey, claims(), { header: TYP }), { algs: null });
    expectSuccess(await introspect());
  });

  it('follows the algorithms option over the published list', async () => {
    serve(await sign(rsaKey, claims(), { header: TYP }));
    expect(expectFailure(await introspect({ algorithms: ['ES256'] })).errorCode).toBe(
      'ERR_JWT_ALG_NOT_ALLOWED',
    );
  });

  it('refuses a plain JSON answer when a signed one was asked for (no downgrade)', async () => {
    serve(JSON.stringify(ACTIVE), { contentType: 'application/json' });
    expectFailure(await introspect(), { code: 'ERR_CONTENT_TYPE', httpStatus: 200 });
  });

  it('still surfaces OAuth error responses', async () => {
    serve(JSON.stringify({ error: 'invalid_client' }), {
      status: 401,
      contentType: 'application/json',
    });
    const failure = expectFailure(await introspect());
    expect([failure.errorType, failure.error, failure.httpStatus]).toEqual([
      'protocol',
      'invalid_client',
      401,
    ]);
  });

  it('reports an unreachable discovery document as a failed response', async () => {
    serve(await sign(rsaKey, claims(), { header: TYP }));
    op().server.route('GET', '/.well-known/openid-configuration', (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('down');
    });
    expectFailure(await introspect(), { code: 'ERR_HTTP_STATUS' });
  });
});
