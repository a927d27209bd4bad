/**
 * validateLogoutToken against the hostile OP (discovery + JWKS on the local server): each rule of
 * Back-Channel Logout 1.0 §2.4 / §2.6 refuses its hostile token with its documented code, and the
 * well-formed token passes (controls).
 */
import { describe, expect, it } from 'vitest';
import { TokenValidationError } from '../../../src/core/errors.js';
import {
  DEFAULT_LOGOUT_TOKEN_MAX_AGE,
  type LogoutTokenValidationOptions,
  validateLogoutToken,
} from '../../../src/core/logout/backchannel.js';
import {
  cacheAt,
  expectCode,
  flipSignatureBit,
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
const [opKey, otherKey, attackerKey] = await Promise.all([
  makeKey('RS256', { kid: 'op-key' }),
  makeKey('ES256', { kid: 'op-key-2' }),
  makeKey('RS256', { kid: 'attacker' }),
]);
const CLIENT_ID = 'rp-1';
const EVENT = 'http://schemas.openid.net/event/backchannel-logout';

function logoutClaims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: op().issuer,
    aud: CLIENT_ID,
    iat: NOW_S - 5,
    exp: NOW_S + 115,
    jti: 'jti-1',
    sub: 'alice',
    sid: 'sid-1',
    events: { [EVENT]: {} },
    ...extra,
  };
}

const LOGOUT_TYP = { typ: 'logout+jwt' };

function options(extra: Partial<LogoutTokenValidationOptions> = {}): LogoutTokenValidationOptions {
  op().setJwks(jwks(opKey, otherKey));
  return {
    issuer: op().issuer,
    clientId: CLIENT_ID,
    now: () => NOW,
    cache: cacheAt(testClock()),
    ...extra,
  };
}

async function token(
  extra: Record<string, unknown> = {},
  header: Record<string, unknown> = LOGOUT_TYP,
) {
  return sign(opKey, logoutClaims(extra), { header });
}

describe('well-formed logout tokens (controls)', () => {
  it('accepts a typed token and returns its claims', async () => {
    const claims = await validateLogoutToken(await token(), options());
    expect(claims).toMatchObject({ iss: op().issuer, sub: 'alice', sid: 'sid-1', jti: 'jti-1' });
    expect(claims.events[EVENT]).toEqual({});
    expect(op().jwksFetches()).toBe(1);
  });

  it.each([
    ['without typ', { typ: undefined }],
    ['with typ application/logout+jwt', { typ: 'application/logout+jwt' }],
    ['with typ LOGOUT+JWT', { typ: 'LOGOUT+JWT' }],
  ])('accepts a token %s', async (_, header) => {
    await expect(validateLogoutToken(await token({}, header), options())).resolves.toHaveProperty(
      'sid',
      'sid-1',
    );
  });

  it('accepts sid alone, sub alone, other events and an ES256 key', async () => {
    await validateLogoutToken(await token({ sub: undefined }), options());
    await validateLogoutToken(await token({ sid: undefined }), options());
    await validateLogoutToken(
      await token({ events: { [EVENT]: { reason: 'x' }, 'urn:other': {} } }),
      options(),
    );
    const es = await sign(otherKey, logoutClaims(), { header: LOGOUT_TYP });
    expect((await validateLogoutToken(es, options())).sub).toBe('alice');
  });
});

describe('hostile logout tokens', () => {
  it.each<[string, () => Promise<string>, string, string | undefined]>([
    ['alg none', async () => unsigned(logoutClaims()), 'ERR_JWT_ALG_NOT_ALLOWED', 'alg'],
    ['a wrong audience', () => token({ aud: 'other-rp' }), 'ERR_JWT_AUDIENCE_INVALID', 'aud'],
    [
      'a wrong issuer',
      () => token({ iss: 'https://evil.example' }),
      'ERR_JWT_ISSUER_MISMATCH',
      'iss',
    ],
    ['no events', () => token({ events: undefined }), 'ERR_JWT_CLAIM_MISSING', 'events'],
    ['events as an array', () => token({ events: [EVENT] }), 'ERR_JWT_CLAIM_INVALID', 'events'],
    ['events as a string', () => token({ events: EVENT }), 'ERR_JWT_CLAIM_INVALID', 'events'],
    [
      'events without the logout event',
      () => token({ events: { 'urn:other': {} } }),
      'ERR_JWT_CLAIM_INVALID',
      'events',
    ],
    [
      'a logout event that is not an object',
      () => token({ events: { [EVENT]: true } }),
      'ERR_JWT_CLAIM_INVALID',
      'events',
    ],
    ['a nonce', () => token({ nonce: 'n-1' }), 'ERR_JWT_CLAIM_INVALID', 'nonce'],
    [
      'neither sid nor sub',
      () => token({ sid: undefined, sub: undefined }),
      'ERR_JWT_CLAIM_MISSING',
      'sid',
    ],
    ['a numeric sid', () => token({ sid: 42 }), 'ERR_JWT_CLAIM_INVALID', 'sid'],
    ['a typ JWT (an ID token)', () => token({}, { typ: 'JWT' }), 'ERR_JWT_TYPE_INVALID', 'typ'],
    ['a typ at+jwt', () => token({}, { typ: 'at+jwt' }), 'ERR_JWT_TYPE_INVALID', 'typ'],
    ['no iat', () => token({ iat: undefined }), 'ERR_JWT_CLAIM_MISSING', 'iat'],
    ['no jti', () => token({ jti: undefined }), 'ERR_JWT_CLAIM_MISSING', 'jti'],
    ['no exp', () => token({ exp: undefined }), 'ERR_JWT_CLAIM_MISSING', 'exp'],
    [
      'an expired exp',
      () => token({ iat: NOW_S - 200, exp: NOW_S - 100 }),
      'ERR_JWT_EXPIRED',
      'exp',
    ],
    ['an iat older than maxAge', () => token({ iat: NOW_S - 400 }), 'ERR_JWT_EXPIRED', 'iat'],
    ['an iat in the future', () => token({ iat: NOW_S + 600 }), 'ERR_JWT_NOT_YET_VALID', 'iat'],
    [
      'a key the provider does not publish',
      () => sign(attackerKey, logoutClaims(), { header: LOGOUT_TYP }),
      'ERR_JWT_NO_MATCHING_KEY',
      'kid',
    ],
    [
      'a flipped signature bit',
      async () => flipSignatureBit(await token()),
      'ERR_JWT_SIGNATURE_INVALID',
      undefined,
    ],
  ])('refuses %s', async (_, make, code, claim) => {
    const error = await expectCode<TokenValidationError>(
      validateLogoutToken(await make(), options()),
      code as never,
    );
    expect(error).toBeInstanceOf(TokenValidationError);
    expect(error.claim).toBe(claim);
  });

  it('refuses an ID token presented as a logout token', async () => {
    const idToken = await sign(opKey, {
      iss: op().issuer,
      aud: CLIENT_ID,
      sub: 'alice',
      iat: NOW_S - 5,
      exp: NOW_S + 3600,
      nonce: 'n-1',
      sid: 'sid-1',
      jti: 'j',
    });
    await expectCode(validateLogoutToken(idToken, options()), 'ERR_JWT_CLAIM_MISSING');
  });

  it('maxAge bounds iat with the leeway, and Infinity turns it off', async () => {
    expect(DEFAULT_LOGOUT_TOKEN_MAX_AGE).toBe(300);
    const old = await token({ iat: NOW_S - 350 }); // 300 s + 60 s leeway: still fine
    await validateLogoutToken(old, options());
    await expectCode(validateLogoutToken(old, options({ leeway: 0 })), 'ERR_JWT_EXPIRED');
    const ancient = await token({ iat: NOW_S - 86_400 });
    await validateLogoutToken(ancient, options({ maxAge: Number.POSITIVE_INFINITY }));
  });

  it('requireExp: false accepts a pre-final-draft token without exp', async () => {
    const claims = await validateLogoutToken(
      await token({ exp: undefined }),
      options({ requireExp: false }),
    );
    expect(claims.exp).toBeUndefined();
  });

  it('runs claimsValidator last, e.g. to refuse a replayed jti', async () => {
    const seen = new Set<string>();
    const replayCheck: LogoutTokenValidationOptions['claimsValidator'] = (claims) => {
      if (seen.has(claims.jti!)) throw new Error('replayed jti');
      seen.add(claims.jti!);
    };
    const jwt = await token();
    await validateLogoutToken(jwt, options({ claimsValidator: replayCheck }));
    const error = await expectCode(
      validateLogoutToken(jwt, options({ claimsValidator: replayCheck })),
      'ERR_JWT_CLAIM_INVALID',
    );
    expect(error.message).toMatch(/replayed jti/);
    // A hostile token never reaches the custom check.
    await expectCode(
      validateLogoutToken(
        await token({ nonce: 'x', jti: 'jti-2' }),
        options({ claimsValidator: replayCheck }),
      ),
      'ERR_JWT_CLAIM_INVALID',
    );
    expect(seen).toEqual(new Set(['jti-1']));
  });

  it.each([
    ['no issuer', { issuer: '' }],
    ['no client id', { clientId: undefined as never }],
    ['a negative maxAge', { maxAge: -1 }],
  ])('refuses options with %s before any request', async (_, bad) => {
    await expectCode(validateLogoutToken(await token(), options(bad)), 'ERR_CONFIGURATION');
    expect(op().discoveryFetches()).toBe(0);
  });
});
