/**
 * validateAccessToken (RFC 9068) against the hostile OP: the profile's `typ`, required claims,
 * audience and issuer rules, each hostile token refused with its documented code; configuration
 * that would skip a mandatory check refused; isAccessTokenJwt.
 */
import { describe, expect, it } from 'vitest';
import { TokenValidationError } from '../../../src/core/errors.js';
import {
  ACCESS_TOKEN_TYPES,
  isAccessTokenJwt,
  validateAccessToken,
} from '../../../src/core/validation/access-token.js';
import type { TokenValidationConfig } from '../../../src/core/validation/config.js';
import {
  cacheAt,
  expectCode,
  jwks,
  makeKey,
  NOW,
  NOW_S,
  sign,
  testClock,
  unsigned,
  useHostileOp,
} from '../../support/hostile-op.js';

const op = useHostileOp();
const [opKey, attackerKey] = await Promise.all([
  makeKey('ES256', { kid: 'op-key' }),
  makeKey('ES256', { kid: 'attacker' }),
]);
const API = 'urn:example:api';
const AT = { typ: 'at+jwt' };

function atClaims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: op().issuer,
    sub: 'alice',
    aud: API,
    exp: NOW_S + 300,
    iat: NOW_S - 10,
    jti: 'jti-1',
    client_id: 'spa',
    scope: 'api:read',
    ...extra,
  };
}

function config(extra: Partial<TokenValidationConfig> = {}): TokenValidationConfig {
  op().setJwks(jwks(opKey));
  return {
    performDisco: true,
    audience: API,
    now: () => NOW,
    cache: cacheAt(testClock()),
    ...extra,
  };
}

const token = (extra: Record<string, unknown> = {}, header: Record<string, unknown> = AT) =>
  sign(opKey, atClaims(extra), { header });

describe('valid JWT access tokens (controls)', () => {
  it.each(['at+jwt', 'application/at+jwt', 'AT+JWT'])('accepts typ %s', async (typ) => {
    const claims = await validateAccessToken(await token({}, { typ }), config(), op().issuer);
    expect(claims).toMatchObject({
      sub: 'alice',
      client_id: 'spa',
      scope: 'api:read',
      jti: 'jti-1',
    });
  });

  it('accepts a configured key and issuer without discovery', async () => {
    const claims = await validateAccessToken(await token(), {
      key: opKey.jwk,
      issuer: op().issuer,
      audience: API,
      now: () => NOW,
    });
    expect(claims.iss).toBe(op().issuer);
    expect(op().discoveryFetches()).toBe(0);
  });

  it('derives the profile once per config: repeated calls reuse discovery and keys', async () => {
    const shared = config({ verifiedTokenCache: true });
    const jwt = await token();
    for (let i = 0; i < 3; i++) await validateAccessToken(jwt, shared, op().issuer);
    expect(op().discoveryFetches()).toBe(1);
    expect(op().jwksFetches()).toBe(1);
    // The original config is not changed.
    expect(shared.typ).toBeUndefined();
    expect(shared.requiredClaims).toBeUndefined();
  });

  it('runs a custom claimsValidator after the profile checks', async () => {
    const seen: unknown[] = [];
    const custom = config({
      claimsValidator: (claims) => {
        seen.push(claims.client_id);
        if (claims.scope !== 'api:write') throw new Error('needs api:write');
      },
    });
    await expectCode(
      validateAccessToken(await token(), custom, op().issuer),
      'ERR_JWT_CLAIM_INVALID',
    );
    await expectCode(
      validateAccessToken(await token({ client_id: 7 }), custom, op().issuer),
      'ERR_JWT_CLAIM_INVALID',
    );
    expect(seen).toEqual(['spa']);
  });
});

describe('hostile JWT access tokens', () => {
  it.each<[string, () => Promise<string>, string, string | undefined]>([
    ['typ JWT (an ID token)', () => token({}, { typ: 'JWT' }), 'ERR_JWT_TYPE_INVALID', 'typ'],
    ['no typ', () => token({}, { typ: undefined }), 'ERR_JWT_TYPE_INVALID', 'typ'],
    ['typ logout+jwt', () => token({}, { typ: 'logout+jwt' }), 'ERR_JWT_TYPE_INVALID', 'typ'],
    [
      'typ application/jwt',
      () => token({}, { typ: 'application/jwt' }),
      'ERR_JWT_TYPE_INVALID',
      'typ',
    ],
    ['no client_id', () => token({ client_id: undefined }), 'ERR_JWT_CLAIM_MISSING', 'client_id'],
    ['a numeric client_id', () => token({ client_id: 42 }), 'ERR_JWT_CLAIM_INVALID', 'client_id'],
    ['scope as an array', () => token({ scope: ['api:read'] }), 'ERR_JWT_CLAIM_INVALID', 'scope'],
    ['no jti', () => token({ jti: undefined }), 'ERR_JWT_CLAIM_MISSING', 'jti'],
    ['no sub', () => token({ sub: undefined }), 'ERR_JWT_CLAIM_MISSING', 'sub'],
    ['no iat', () => token({ iat: undefined }), 'ERR_JWT_CLAIM_MISSING', 'iat'],
    ['no exp', () => token({ exp: undefined }), 'ERR_JWT_CLAIM_MISSING', 'exp'],
    ['no aud', () => token({ aud: undefined }), 'ERR_JWT_CLAIM_MISSING', 'aud'],
    ['no iss', () => token({ iss: undefined }), 'ERR_JWT_CLAIM_MISSING', 'iss'],
    ['another audience', () => token({ aud: 'urn:other:api' }), 'ERR_JWT_AUDIENCE_INVALID', 'aud'],
    [
      'another issuer',
      () => token({ iss: 'https://evil.example' }),
      'ERR_JWT_ISSUER_MISMATCH',
      'iss',
    ],
    ['an expired exp', () => token({ exp: NOW_S - 120 }), 'ERR_JWT_EXPIRED', 'exp'],
    ['alg none', async () => unsigned(atClaims(), 'none'), 'ERR_JWT_ALG_NOT_ALLOWED', 'alg'],
    [
      'an unknown key',
      () => sign(attackerKey, atClaims(), { header: AT }),
      'ERR_JWT_NO_MATCHING_KEY',
      'kid',
    ],
  ])('refuses %s', async (_, make, code, claim) => {
    const error = await expectCode<TokenValidationError>(
      validateAccessToken(await make(), config(), op().issuer),
      code as never,
    );
    expect(error).toBeInstanceOf(TokenValidationError);
    expect(error.claim).toBe(claim);
  });
});

describe('configuration', () => {
  it.each<
    [string, { [K in keyof TokenValidationConfig]?: TokenValidationConfig[K] | undefined }, RegExp]
  >([
    ['no audience', { audience: undefined }, /config\.audience/],
    ['requireJti: false', { options: { requireJti: false } }, /requireJti/],
    ['requireSub: false', { options: { requireSub: false } }, /requireSub/],
    ['verifyAud: false', { options: { verifyAud: false } }, /verifyAud/],
    ['verifyIss: false', { options: { verifyIss: false } }, /verifyIss/],
    ['typ JWT', { typ: 'JWT' }, /config\.typ/],
    ['a key without an issuer', { performDisco: false, key: opKey.jwk }, /config\.issuer/],
  ])('refuses %s before any request', async (_, extra, message) => {
    const error = await expectCode(
      validateAccessToken(
        await token(),
        config(extra as Partial<TokenValidationConfig>),
        op().issuer,
      ),
      'ERR_CONFIGURATION',
    );
    expect(error.message).toMatch(message);
    expect(op().discoveryFetches()).toBe(0);
  });

  it('accepts a config that repeats the profile (typ at+jwt, requireJti: true)', async () => {
    const repeated = config({ typ: 'application/at+jwt', options: { requireJti: true } });
    await validateAccessToken(await token(), repeated, op().issuer);
  });
});

describe('isAccessTokenJwt', () => {
  it.each([
    [{ typ: 'at+jwt' }, true],
    [{ typ: 'AT+JWT' }, true],
    [{ typ: 'application/at+jwt' }, true],
    [{ typ: 'JWT' }, false],
    [{ typ: 'application/jwt' }, false],
    [{ typ: 'x-at+jwt' }, false],
    [{ typ: 'logout+jwt' }, false],
    [{}, false],
  ])('%o → %s', (header, expected) => {
    expect(isAccessTokenJwt(header)).toBe(expected);
  });

  it('lists both typ forms', () => {
    expect(ACCESS_TOKEN_TYPES).toEqual(['at+jwt', 'application/at+jwt']);
  });
});
