/**
 * validateIdToken: OpenID Connect Core §3.1.3.7 against a local provider (discovery + JWKS),
 * ID Tokens signed with jose. Each hostile token yields its documented code, and the claim at
 * fault is named. Hashes are computed here with node:crypto, not with the library.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenValidationError } from '../../../src/core/errors.js';
import {
  type IdTokenExpectations,
  leftHalfHash,
  validateIdToken,
} from '../../../src/core/token/id-token.js';
import {
  cacheAt,
  expectCode,
  flipSignatureBit,
  jwks,
  makeKey,
  NOW_S,
  sign,
  type TestKey,
  testClock,
  unsigned,
  useHostileOp,
} from '../../support/hostile-op.js';

const op = useHostileOp();

const [rsa, es384, ed, other] = await Promise.all([
  makeKey('RS256', { kid: 'rsa' }),
  makeKey('ES384', { kid: 'es384' }),
  makeKey('EdDSA', { kid: 'ed' }),
  makeKey('RS256', { kid: 'other' }),
]);
const key = rsa!;

const CLIENT = 'client-1';
const ACCESS_TOKEN = 'access-token-value';
const CODE = 'authorization-code-value';

/** at_hash / c_hash computed independently: left half of SHA-n, base64url. */
function half(value: string, hash: 'sha256' | 'sha384' | 'sha512'): string {
  const digest = createHash(hash).update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

function idClaims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: op().issuer,
    sub: 'user-1',
    aud: CLIENT,
    iat: NOW_S - 10,
    exp: NOW_S + 300,
    ...extra,
  };
}

function expect_(extra: Partial<IdTokenExpectations> = {}): IdTokenExpectations {
  return {
    clientId: CLIENT,
    issuer: op().issuer,
    cache: cacheAt(testClock()),
    retries: 0,
    ...extra,
  };
}

async function token(extra: Record<string, unknown> = {}, signer: TestKey = key, header = {}) {
  op().setJwks(jwks(key, es384!, ed!));
  return sign(signer, idClaims(extra), { header });
}

async function refused(jwt: string, code: string, claim?: string, extra = {}) {
  const error = await expectCode<TokenValidationError>(
    validateIdToken(jwt, expect_(extra)),
    code as never,
  );
  expect(error).toBeInstanceOf(TokenValidationError);
  if (claim !== undefined) expect(error.claim).toBe(claim);
  return error;
}

describe('a valid ID Token', () => {
  it('returns its claims; the keys come from discovery', async () => {
    const claims = await validateIdToken(await token({ name: 'Alice' }), expect_());
    expect(claims).toMatchObject({ iss: op().issuer, sub: 'user-1', aud: CLIENT, name: 'Alice' });
    expect(op().discoveryFetches()).toBe(1);
    expect(op().jwksFetches()).toBe(1);
  });

  it('with issuer and key instead of discovery: nothing is fetched', async () => {
    const jwt = await token();
    const claims = await validateIdToken(jwt, {
      clientId: CLIENT,
      expectedIssuer: op().issuer,
      key: key.jwk as JsonWebKey,
      now: testClock().now,
    });
    expect(claims.sub).toBe('user-1');
    expect(op().server.requests).toHaveLength(0);
    await expectCode(
      validateIdToken(jwt, {
        clientId: CLIENT,
        expectedIssuer: 'https://other.example',
        key: key.jwk as JsonWebKey,
        now: testClock().now,
      }),
      'ERR_JWT_ISSUER_MISMATCH',
    );
  });

  it.each([
    ['RS256', () => key, 'sha256'],
    ['ES384', () => es384!, 'sha384'],
    ['EdDSA (SHA-512)', () => ed!, 'sha512'],
  ] as const)('%s: at_hash and c_hash use the alg hash', async (_, signer, hash) => {
    const jwt = await token(
      { at_hash: half(ACCESS_TOKEN, hash), c_hash: half(CODE, hash) },
      signer(),
    );
    const claims = await validateIdToken(jwt, expect_({ accessToken: ACCESS_TOKEN, code: CODE }));
    expect(claims.at_hash).toBe(half(ACCESS_TOKEN, hash));
  });

  it('Ed25519 as alg name also hashes with SHA-512', async () => {
    op().setJwks(jwks(ed!));
    const jwt = await sign(ed!, idClaims({ at_hash: half(ACCESS_TOKEN, 'sha512') }), {
      alg: 'Ed25519',
    });
    await expect(
      validateIdToken(jwt, expect_({ accessToken: ACCESS_TOKEN })),
    ).resolves.toBeDefined();
  });

  it('leftHalfHash matches the OpenID Connect example value', async () => {
    // OpenID Connect Core A.3: access token and at_hash of the example (RS256).
    expect(await leftHalfHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 256)).toBe(
      '77QmUPtjPfzWtF2AnpK9RQ',
    );
  });

  it('at_hash is not required without requireAtHash, nor checked without an access token', async () => {
    await expect(
      validateIdToken(await token(), expect_({ accessToken: ACCESS_TOKEN })),
    ).resolves.toBeDefined();
    await expect(
      validateIdToken(await token({ at_hash: 'whatever' }), expect_()),
    ).resolves.toBeDefined();
  });

  it('several audiences with azp = client and the others trusted', async () => {
    const jwt = await token({ aud: [CLIENT, 'api'], azp: CLIENT });
    await expect(
      validateIdToken(jwt, expect_({ trustedAudiences: ['api'] })),
    ).resolves.toBeDefined();
  });

  it('auth_time within max_age + leeway', async () => {
    const jwt = await token({ auth_time: NOW_S - 300 - 60 });
    await expect(validateIdToken(jwt, expect_({ maxAge: 300, leeway: 60 }))).resolves.toMatchObject(
      {
        auth_time: NOW_S - 360,
      },
    );
  });
});

describe('hostile ID Tokens', () => {
  it('a bad signature: ERR_JWT_SIGNATURE_INVALID', async () => {
    await refused(flipSignatureBit(await token()), 'ERR_JWT_SIGNATURE_INVALID');
  });

  it('signed by a key the provider does not publish (same kid): ERR_JWT_SIGNATURE_INVALID', async () => {
    const forged = await sign({ ...other!, kid: 'rsa' }, idClaims());
    op().setJwks(jwks(key));
    await refused(forged, 'ERR_JWT_SIGNATURE_INVALID');
  });

  it.each(['none', 'None'])('alg %s: ERR_JWT_ALG_NOT_ALLOWED', async (alg) => {
    await refused(unsigned(idClaims(), alg), 'ERR_JWT_ALG_NOT_ALLOWED', 'alg');
  });

  it('HS256 signed with the public key as secret: ERR_JWT_ALG_NOT_ALLOWED', async () => {
    op().setJwks(jwks(key));
    const secret = new TextEncoder().encode(JSON.stringify(key.jwk));
    await refused(await sign({ secret, kid: 'rsa' }, idClaims()), 'ERR_JWT_ALG_NOT_ALLOWED');
  });

  it('a wrong nonce: ERR_JWT_CLAIM_INVALID (nonce)', async () => {
    await refused(await token({ nonce: 'n-other' }), 'ERR_JWT_CLAIM_INVALID', 'nonce', {
      nonce: 'n-1',
    });
  });

  it('no nonce when one was sent: ERR_JWT_CLAIM_MISSING (nonce)', async () => {
    await refused(await token(), 'ERR_JWT_CLAIM_MISSING', 'nonce', { nonce: 'n-1' });
  });

  it('a wrong at_hash: ERR_JWT_CLAIM_INVALID (at_hash)', async () => {
    const jwt = await token({ at_hash: half('another-access-token', 'sha256') });
    await refused(jwt, 'ERR_JWT_CLAIM_INVALID', 'at_hash', { accessToken: ACCESS_TOKEN });
  });

  it('at_hash with the full hash, or SHA-512 for RS256: ERR_JWT_CLAIM_INVALID', async () => {
    const full = createHash('sha256').update(ACCESS_TOKEN).digest('base64url');
    for (const value of [full, half(ACCESS_TOKEN, 'sha512')]) {
      await refused(await token({ at_hash: value }), 'ERR_JWT_CLAIM_INVALID', 'at_hash', {
        accessToken: ACCESS_TOKEN,
      });
    }
  });

  it('at_hash that is not a string: ERR_JWT_CLAIM_INVALID', async () => {
    await refused(await token({ at_hash: 42 }), 'ERR_JWT_CLAIM_INVALID', 'at_hash', {
      accessToken: ACCESS_TOKEN,
    });
  });

  it('no at_hash with requireAtHash: ERR_JWT_CLAIM_MISSING (at_hash)', async () => {
    await refused(await token(), 'ERR_JWT_CLAIM_MISSING', 'at_hash', {
      accessToken: ACCESS_TOKEN,
      requireAtHash: true,
    });
  });

  it('no c_hash when a code is given: ERR_JWT_CLAIM_MISSING (c_hash)', async () => {
    await refused(await token(), 'ERR_JWT_CLAIM_MISSING', 'c_hash', { code: CODE });
  });

  it('a wrong c_hash: ERR_JWT_CLAIM_INVALID (c_hash)', async () => {
    const jwt = await token({ c_hash: half('another-code', 'sha256') });
    await refused(jwt, 'ERR_JWT_CLAIM_INVALID', 'c_hash', { code: CODE });
  });

  it('azp of another client: ERR_JWT_AUDIENCE_INVALID (azp)', async () => {
    await refused(await token({ azp: 'client-2' }), 'ERR_JWT_AUDIENCE_INVALID', 'azp');
  });

  it('several audiences without azp: ERR_JWT_CLAIM_MISSING (azp)', async () => {
    await refused(await token({ aud: [CLIENT, 'api'] }), 'ERR_JWT_CLAIM_MISSING', 'azp', {
      trustedAudiences: ['api'],
    });
  });

  it('an audience the client does not trust: ERR_JWT_AUDIENCE_INVALID (aud)', async () => {
    await refused(
      await token({ aud: [CLIENT, 'evil'], azp: CLIENT }),
      'ERR_JWT_AUDIENCE_INVALID',
      'aud',
    );
  });

  it('the wrong aud: ERR_JWT_AUDIENCE_INVALID (aud)', async () => {
    await refused(await token({ aud: 'client-2' }), 'ERR_JWT_AUDIENCE_INVALID', 'aud');
  });

  it('no aud: ERR_JWT_CLAIM_MISSING (aud)', async () => {
    await refused(await token({ aud: undefined }), 'ERR_JWT_CLAIM_MISSING', 'aud');
  });

  it('another issuer: ERR_JWT_ISSUER_MISMATCH', async () => {
    await refused(await token({ iss: 'https://evil.example' }), 'ERR_JWT_ISSUER_MISMATCH', 'iss');
  });

  it('expired beyond the leeway: ERR_JWT_EXPIRED', async () => {
    await refused(await token({ exp: NOW_S - 61 }), 'ERR_JWT_EXPIRED', 'exp');
    await expect(
      validateIdToken(await token({ exp: NOW_S - 59 }), expect_()),
    ).resolves.toBeDefined();
  });

  it('iat in the future beyond the leeway: ERR_JWT_NOT_YET_VALID (iat)', async () => {
    await refused(await token({ iat: NOW_S + 61 }), 'ERR_JWT_NOT_YET_VALID', 'iat');
  });

  it.each(['iat', 'exp', 'sub'])('no %s: ERR_JWT_CLAIM_MISSING', async (claim) => {
    await refused(await token({ [claim]: undefined }), 'ERR_JWT_CLAIM_MISSING', claim);
  });

  it('another subject than expected: ERR_JWT_CLAIM_INVALID (sub)', async () => {
    await refused(await token(), 'ERR_JWT_CLAIM_INVALID', 'sub', { expectedSubject: 'user-2' });
  });

  it('auth_time older than max_age + leeway: ERR_JWT_CLAIM_INVALID (auth_time)', async () => {
    await refused(await token({ auth_time: NOW_S - 361 }), 'ERR_JWT_CLAIM_INVALID', 'auth_time', {
      maxAge: 300,
      leeway: 60,
    });
  });

  it('no auth_time with maxAge or requireAuthTime: ERR_JWT_CLAIM_MISSING (auth_time)', async () => {
    await refused(await token(), 'ERR_JWT_CLAIM_MISSING', 'auth_time', { maxAge: 3600 });
    await refused(await token(), 'ERR_JWT_CLAIM_MISSING', 'auth_time', { requireAuthTime: true });
  });

  it('auth_time as a string: ERR_JWT_CLAIM_INVALID (auth_time)', async () => {
    await refused(await token({ auth_time: String(NOW_S) }), 'ERR_JWT_CLAIM_INVALID', 'auth_time');
  });

  it.each(['at+jwt', 'application/at+jwt', 'logout+jwt'])(
    'a JWT typed %s is not an ID Token: ERR_JWT_TYPE_INVALID',
    async (typ) => {
      await refused(await token({}, key, { typ }), 'ERR_JWT_TYPE_INVALID', 'typ');
    },
  );

  it('a custom claimsValidator runs last and its failure is ERR_JWT_CLAIM_INVALID', async () => {
    await refused(await token({ acr: 'weak' }), 'ERR_JWT_CLAIM_INVALID', undefined, {
      claimsValidator: (claims: Record<string, unknown>) => {
        if (claims.acr !== 'strong') throw new Error('acr too weak');
      },
    });
  });
});

describe('bad expectations', () => {
  it.each([
    ['no clientId', { clientId: '' }],
    ['neither issuer nor key', { issuer: undefined }],
    ['key without issuer', { issuer: undefined, key: { kty: 'oct', k: 'c2VjcmV0' } }],
    ['a negative maxAge', { maxAge: -1 }],
    ['a fractional maxAge', { maxAge: 1.5 }],
    ['a leeway over 300 s', { leeway: 301 }],
    ['a nonce that is not a string', { nonce: 7 }],
  ])('%s: ERR_CONFIGURATION before any request', async (_, extra) => {
    await expectCode(
      validateIdToken('a.b.c', expect_(extra as Partial<IdTokenExpectations>)),
      'ERR_CONFIGURATION',
    );
    expect(op().server.requests).toHaveLength(0);
  });
});
