/**
 * The seed's validation conformance cases (JWT-001…JWT-013), transcribed from its
 * `conformance/validation.json`. Time claims are durations relative to `options.now`; the seed's
 * canonical error names map to our codes (`claim_validation` + `exp` → `ERR_JWT_EXPIRED`, …).
 *
 * Every vector runs twice: with the key given in the configuration (`config.key`), and with
 * discovery (keys resolved by `kid` from the provider's JWK Set). With discovery an issuer is
 * always checked (the provider's, or `config.issuer`): the stricter rule, so those runs expect
 * `https://issuer.example.com`. The signing key and JWK Set are copies of the seed's fixtures
 * under test/fixtures/validation/. JWT-010 (a key set that changes between fetches) is in
 * discovery.test.ts.
 */
import { importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../src/core/errors.js';
import { type TokenValidationConfig, validateToken } from '../../../src/core/validation/index.js';
import {
  cacheAt,
  expectCode,
  type HostileOp,
  jsonFixture,
  makeKey,
  readFixture,
  sign,
  startHostileOp,
  type TestKey,
  testClock,
} from '../../support/hostile-op.js';

const SEED_NOW = Date.parse('2023-11-14T22:13:20Z');
const SEED_ISSUER = 'https://issuer.example.com';

/** A seed duration ("1h", "-1m", "-30s") as seconds. */
function seconds(duration: string): number {
  const match = /^(-?\d+)([smh])$/.exec(duration);
  if (!match) throw new Error(`bad duration ${duration}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'];
}

interface Vector {
  name?: string;
  token:
    | { static: string }
    | { signingKey: 'fixture' | 'ephemeral'; claims: Record<string, string | string[]> };
  options: {
    expectedIssuer?: string;
    expectedAudience?: string;
    expectedNonce?: string;
    clockSkew?: string;
    requiredClaims?: string[];
  };
  expect:
    | { outcome: 'accept'; claims: Record<string, unknown> }
    | { outcome: 'reject'; error: string; claim?: string; code: ErrorCode };
}

const base = {
  iss: SEED_ISSUER,
  sub: 'user-123',
  aud: 'test-client',
  exp: '1h',
  nbf: '-1m',
  iat: '-1m',
};
const fixtureToken = (claims: Record<string, string | string[]>) => ({
  signingKey: 'fixture' as const,
  claims,
});

const CASES: [id: string, title: string, vectors: Vector[]][] = [
  [
    'JWT-001',
    'verifies the signature with the kid-resolved key',
    [
      {
        token: fixtureToken(base),
        options: {},
        expect: {
          outcome: 'accept',
          claims: { iss: SEED_ISSUER, sub: 'user-123', aud: 'test-client' },
        },
      },
    ],
  ],
  [
    'JWT-002',
    'checks registered claims against the expected issuer and audience',
    [
      {
        token: fixtureToken(base),
        options: { expectedIssuer: SEED_ISSUER, expectedAudience: 'test-client' },
        expect: {
          outcome: 'accept',
          claims: { iss: SEED_ISSUER, sub: 'user-123', aud: 'test-client' },
        },
      },
    ],
  ],
  [
    'JWT-003',
    'rejects alg none unconditionally',
    [
      {
        token: { static: 'validation/alg-none-token.txt' },
        options: {},
        expect: { outcome: 'reject', error: 'alg_none', code: 'ERR_JWT_ALG_NOT_ALLOWED' },
      },
    ],
  ],
  [
    'JWT-004',
    'validates the nonce when expected',
    [
      {
        name: 'matching nonce passes',
        token: fixtureToken({ ...base, nonce: 'n-abc123' }),
        options: { expectedNonce: 'n-abc123' },
        expect: { outcome: 'accept', claims: { nonce: 'n-abc123' } },
      },
      {
        name: 'nonce mismatch is rejected',
        token: fixtureToken({ ...base, nonce: 'n-abc123' }),
        options: { expectedNonce: 'n-different' },
        expect: {
          outcome: 'reject',
          error: 'claim_validation',
          claim: 'nonce',
          code: 'ERR_JWT_CLAIM_INVALID',
        },
      },
    ],
  ],
  [
    'JWT-005',
    'rejects an expired token',
    [
      {
        token: fixtureToken({ ...base, exp: '-1h', nbf: '-2h', iat: '-2h' }),
        options: {},
        expect: {
          outcome: 'reject',
          error: 'claim_validation',
          claim: 'exp',
          code: 'ERR_JWT_EXPIRED',
        },
      },
    ],
  ],
  [
    'JWT-006',
    'rejects a not-yet-valid token',
    [
      {
        token: fixtureToken({ ...base, exp: '2h', nbf: '1h', iat: '-1m' }),
        options: {},
        expect: {
          outcome: 'reject',
          error: 'claim_validation',
          claim: 'nbf',
          code: 'ERR_JWT_NOT_YET_VALID',
        },
      },
    ],
  ],
  [
    'JWT-007',
    'rejects a wrong issuer',
    [
      {
        token: fixtureToken({ ...base, iss: 'https://attacker.example.com' }),
        options: { expectedIssuer: SEED_ISSUER },
        expect: {
          outcome: 'reject',
          error: 'claim_validation',
          claim: 'iss',
          code: 'ERR_JWT_ISSUER_MISMATCH',
        },
      },
    ],
  ],
  [
    'JWT-008',
    'rejects a wrong or absent audience',
    [
      {
        name: 'wrong audience',
        token: fixtureToken({ ...base, aud: 'some-other-client' }),
        options: { expectedAudience: 'test-client' },
        expect: {
          outcome: 'reject',
          error: 'claim_validation',
          claim: 'aud',
          code: 'ERR_JWT_AUDIENCE_INVALID',
        },
      },
      {
        // Not a seed vector: the title's "absent" case. Our code names it as missing.
        name: 'absent audience',
        token: fixtureToken({ iss: SEED_ISSUER, sub: 'user-123', exp: '1h', iat: '-1m' }),
        options: { expectedAudience: 'test-client' },
        expect: {
          outcome: 'reject',
          error: 'claim_validation',
          claim: 'aud',
          code: 'ERR_JWT_CLAIM_MISSING',
        },
      },
    ],
  ],
  [
    'JWT-009',
    'rejects a bad signature',
    [
      {
        token: { signingKey: 'ephemeral', claims: base },
        options: {},
        expect: { outcome: 'reject', error: 'signature', code: 'ERR_JWT_SIGNATURE_INVALID' },
      },
    ],
  ],
  [
    'JWT-011',
    'tolerates clock skew',
    [
      {
        token: fixtureToken({ ...base, exp: '-30s' }),
        options: { clockSkew: '60s' },
        expect: { outcome: 'accept', claims: { iss: SEED_ISSUER, sub: 'user-123' } },
      },
      {
        // Not a seed vector: without the skew the same token is expired.
        name: 'the same token with no skew',
        token: fixtureToken({ ...base, exp: '-30s' }),
        options: { clockSkew: '0s' },
        expect: {
          outcome: 'reject',
          error: 'claim_validation',
          claim: 'exp',
          code: 'ERR_JWT_EXPIRED',
        },
      },
    ],
  ],
  [
    'JWT-012',
    'enforces custom required claims',
    [
      {
        token: fixtureToken(base),
        options: { requiredClaims: ['email'] },
        expect: {
          outcome: 'reject',
          error: 'claim_validation',
          claim: 'email',
          code: 'ERR_JWT_CLAIM_MISSING',
        },
      },
    ],
  ],
  [
    'JWT-013',
    'rejects a token without iat',
    [
      {
        token: fixtureToken({
          iss: SEED_ISSUER,
          sub: 'user-123',
          aud: 'test-client',
          exp: '1h',
          nbf: '-1m',
        }),
        options: {},
        expect: {
          outcome: 'reject',
          error: 'claim_validation',
          claim: 'iat',
          code: 'ERR_JWT_CLAIM_MISSING',
        },
      },
    ],
  ],
];

const fixtureJwks = jsonFixture<{ keys: JsonWebKey[] }>('validation/jwks.json');
const privateJwk = jsonFixture<JsonWebKey & { kid: string }>('validation/signing-key.jwk.json');
const fixtureKey: TestKey = {
  alg: 'RS256',
  kid: privateJwk.kid,
  privateKey: (await importJWK(privateJwk, 'RS256')) as CryptoKey,
  publicKey: (await importJWK(fixtureJwks.keys[0]!, 'RS256')) as CryptoKey,
  jwk: fixtureJwks.keys[0]!,
};
// The seed's "ephemeral" key: another key under the fixture's kid.
const ephemeralKey = await makeKey('RS256', { kid: 'test-key-1' });

async function tokenFor(vector: Vector): Promise<string> {
  if ('static' in vector.token) return readFixture(vector.token.static).trim();
  const nowS = SEED_NOW / 1000;
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(vector.token.claims)) {
    claims[name] = ['exp', 'nbf', 'iat'].includes(name) ? nowS + seconds(value as string) : value;
  }
  return sign(vector.token.signingKey === 'fixture' ? fixtureKey : ephemeralKey, claims);
}

function configFor(vector: Vector): TokenValidationConfig {
  const { options } = vector;
  return {
    now: () => SEED_NOW,
    ...(options.expectedIssuer ? { issuer: options.expectedIssuer } : {}),
    ...(options.expectedAudience ? { audience: options.expectedAudience } : {}),
    ...(options.expectedNonce ? { nonce: options.expectedNonce } : {}),
    ...(options.clockSkew ? { leeway: seconds(options.clockSkew) } : {}),
    ...(options.requiredClaims ? { requiredClaims: options.requiredClaims } : {}),
  };
}

let op: HostileOp;
beforeAll(async () => {
  op = await startHostileOp(fixtureJwks);
});
afterAll(async () => {
  await op.close();
});

const modes = {
  /** The fixture's public JWK as `config.key`. */
  key: (vector: Vector, jwt: string) =>
    validateToken(jwt, { ...configFor(vector), key: fixtureJwks.keys[0]! }),
  /** Discovery: the key resolved by kid from the provider's JWK Set. */
  jwks: (vector: Vector, jwt: string) =>
    validateToken(
      jwt,
      {
        issuer: SEED_ISSUER,
        ...configFor(vector),
        performDisco: true,
        cache: cacheAt(testClock(SEED_NOW)),
      },
      op.issuer,
    ),
};

for (const [id, title, vectors] of CASES) {
  describe(`${id} ${title}`, () => {
    for (const vector of vectors) {
      for (const mode of ['key', 'jwks'] as const) {
        const what =
          vector.expect.outcome === 'accept'
            ? 'accepts'
            : `rejects with ${vector.expect.code} (seed: ${vector.expect.error}${vector.expect.claim ? `/${vector.expect.claim}` : ''})`;
        it(`${id} ${vector.name ? `${vector.name}: ` : ''}${what}, ${mode === 'key' ? 'configured key' : 'key set from discovery'}`, async () => {
          const jwt = await tokenFor(vector);
          const fetchesBefore = op.jwksFetches();
          const outcome = modes[mode](vector, jwt);
          if (vector.expect.outcome === 'accept') {
            await expect(outcome).resolves.toMatchObject(vector.expect.claims);
            return;
          }
          const error = await expectCode(outcome, vector.expect.code);
          if (vector.expect.claim) expect(error).toMatchObject({ claim: vector.expect.claim });
          if (vector.expect.error === 'alg_none' && mode === 'jwks') {
            // Refused before any signature step: the key set is not even fetched.
            expect(op.jwksFetches()).toBe(fetchesBefore);
          }
        });
      }
    }
  });
}
