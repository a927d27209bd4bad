/**
 * The hostile suite: hostile key sets and hostile tokens against `validateToken` with discovery
 * from a local provider. Each case yields its documented error code; nothing crashes, hangs or
 * leaks a non-library error (`expectCode` fails on anything that is not an IdentityModelError).
 */
import { base64url, exportJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { TokenValidationError } from '../../../src/core/errors.js';
import { getJwks } from '../../../src/core/jwks/get.js';
import {
  MAX_KEY_CANDIDATES,
  type TokenValidationConfig,
  validateToken,
} from '../../../src/core/validation/index.js';
import {
  cacheAt,
  claimsAt,
  expectCode,
  flipSignatureBit,
  jwks,
  makeKey,
  makeWeakRsaKey,
  NOW,
  publicPem,
  segment,
  sign,
  signRs256WithSubtle,
  type TestKey,
  testClock,
  unsigned,
  useHostileOp,
} from '../../support/hostile-op.js';

const op = useHostileOp();

const [rsaA, rsaB, esA, es384Key, edKey, attackerKey] = await Promise.all([
  makeKey('RS256', { kid: 'rsa-a' }),
  makeKey('RS256', { kid: 'rsa-b' }),
  makeKey('ES256', { kid: 'es-a' }),
  makeKey('ES384', { kid: 'es-384' }),
  makeKey('EdDSA', { kid: 'ed' }),
  makeKey('RS256', { kid: 'rsa-a' }), // the attacker reuses the victim's kid
]);
const good = rsaA!;
const attacker = attackerKey!;

function config(extra: Partial<TokenValidationConfig> = {}): TokenValidationConfig {
  return {
    performDisco: true,
    audience: 'api',
    cache: cacheAt(testClock()),
    retries: 0,
    ...extra,
  };
}

/** Validates with discovery against the provider, on a fresh cache unless `cfg` has one. */
function validate(jwt: string, cfg: TokenValidationConfig = config()) {
  return validateToken(jwt, cfg, op().issuer);
}

function payload(extra: Record<string, unknown> = {}) {
  return claimsAt(op().issuer, extra);
}

describe('hostile key sets', () => {
  it('a bad key beside a good one: the good one validates, the bad one is listed with a reason', async () => {
    const weak = await makeWeakRsaKey(1024, { kid: 'weak' });
    op().setJwks(jwks(weak, good));
    await expect(validate(await sign(good, payload()))).resolves.toMatchObject({ sub: 'user-1' });
    const listed = await getJwks({ address: op().jwksUri, cache: false });
    expect(listed.isSuccessful && listed.skipped).toEqual([
      { index: 0, kid: 'weak', reason: 'RSA modulus of 1024 bits is under 2048' },
    ]);
  });

  it('duplicate kids: both keys are tried; a third key under that kid still fails', async () => {
    const twin = { ...rsaB!, kid: 'rsa-a', jwk: { ...rsaB!.jwk, kid: 'rsa-a' } };
    op().setJwks(jwks(good, twin));
    await expect(validate(await sign(twin, payload()))).resolves.toBeDefined();
    await expect(validate(await sign(good, payload()))).resolves.toBeDefined();
    await expectCode(validate(await sign(attacker, payload())), 'ERR_JWT_SIGNATURE_INVALID');
  });

  it('a key with use "enc" is never used: ERR_JWT_NO_MATCHING_KEY', async () => {
    op().setJwks(jwks(good, { ...esA!.jwk, use: 'enc' }));
    await expectCode(validate(await sign(esA!, payload())), 'ERR_JWT_NO_MATCHING_KEY');
  });

  it('a key whose key_ops lack verify is never used', async () => {
    op().setJwks(jwks(good, { ...esA!.jwk, key_ops: ['encrypt'] }));
    await expectCode(validate(await sign(esA!, payload())), 'ERR_JWT_NO_MATCHING_KEY');
  });

  it('an RSA 1024-bit key is never used; alone it makes the set unusable', async () => {
    const weak = await makeWeakRsaKey(1024, { kid: 'weak' });
    const jwt = await signRs256WithSubtle(weak, payload());
    op().setJwks(jwks(good, weak));
    await expectCode(validate(jwt), 'ERR_JWT_NO_MATCHING_KEY');
    op().setJwks(jwks(weak));
    await expectCode(validate(jwt), 'ERR_JWKS_NO_USABLE_KEYS');
  });

  it('a published private key (with d) is never used; alone it makes the set unusable', async () => {
    const leaked = await makeKey('ES256', { kid: 'leaked' });
    const privateJwk = { ...(await exportJWK(leaked.privateKey)), kid: 'leaked', use: 'sig' };
    expect(privateJwk.d).toBeDefined();
    const jwt = await sign(leaked, payload());
    op().setJwks(jwks(good, privateJwk));
    await expectCode(validate(jwt), 'ERR_JWT_NO_MATCHING_KEY');
    op().setJwks(jwks(privateJwk));
    await expectCode(validate(jwt), 'ERR_JWKS_NO_USABLE_KEYS');
  });

  it('a key set over 512 KiB: ERR_BODY_TOO_LARGE', async () => {
    op().setJwks(jwks({ ...good.jwk, x5c: ['A'.repeat(512 * 1024)] }));
    await expectCode(validate(await sign(good, payload())), 'ERR_BODY_TOO_LARGE');
  });

  it('a key set of 101 keys: ERR_JWKS_TOO_MANY_KEYS', async () => {
    op().setJwks({ keys: Array.from({ length: 101 }, (_, i) => ({ ...good.jwk, kid: `k${i}` })) });
    await expectCode(validate(await sign(good, payload())), 'ERR_JWKS_TOO_MANY_KEYS');
  });

  it('an empty key set: ERR_JWKS_NO_USABLE_KEYS', async () => {
    op().setJwks({ keys: [] });
    await expectCode(validate(await sign(good, payload())), 'ERR_JWKS_NO_USABLE_KEYS');
  });

  it('a key set that is not JSON: ERR_INVALID_JSON', async () => {
    op().setJwks('{"keys":[{"kty":"RSA",');
    await expectCode(validate(await sign(good, payload())), 'ERR_INVALID_JSON');
  });

  it('an ES256 token whose kid names a P-384 key: ERR_JWT_NO_MATCHING_KEY', async () => {
    op().setJwks(jwks(good, { ...es384Key!.jwk, kid: 'es-a' }));
    await expectCode(validate(await sign(esA!, payload())), 'ERR_JWT_NO_MATCHING_KEY');
  });

  it('an RS256 token whose key says alg PS256: ERR_JWT_NO_MATCHING_KEY', async () => {
    op().setJwks(jwks({ ...good.jwk, alg: 'PS256' }));
    await expectCode(validate(await sign(good, payload())), 'ERR_JWT_NO_MATCHING_KEY');
    // The same key without alg may verify RS256.
    op().setJwks(jwks({ ...good.jwk, alg: undefined }));
    await expect(validate(await sign(good, payload()))).resolves.toBeDefined();
  });

  it('EdDSA and Ed25519 tokens validate with an Ed25519 key', async () => {
    op().setJwks(jwks(good, edKey!));
    const cfg = config();
    await expect(validate(await sign(edKey!, payload()), cfg)).resolves.toBeDefined();
    await expect(
      validate(await sign(edKey!, payload(), { alg: 'Ed25519' }), cfg),
    ).resolves.toBeDefined();
  });
});

describe('tokens without kid', () => {
  it('one key: validates', async () => {
    op().setJwks(jwks(good));
    const jwt = await sign(good, payload(), { header: { kid: undefined } });
    await expect(validate(jwt)).resolves.toBeDefined();
  });

  it('several keys: each key that fits alg is tried; the right one validates', async () => {
    op().setJwks(jwks(esA!, rsaB!, edKey!, good));
    const jwt = await sign(good, payload(), { header: { kid: undefined } });
    await expect(validate(jwt)).resolves.toBeDefined();
  });

  it(`the keys tried are bounded (${MAX_KEY_CANDIDATES}): a right key beyond that fails`, async () => {
    const decoys = await Promise.all(
      Array.from({ length: MAX_KEY_CANDIDATES }, () => makeKey('ES256', { kid: null })),
    );
    const right = await makeKey('ES256', { kid: null });
    const jwt = await sign(right, payload());
    op().setJwks(jwks(...decoys, right));
    await expectCode(validate(jwt), 'ERR_JWT_SIGNATURE_INVALID');
    op().setJwks(jwks(...decoys.slice(1), right));
    await expect(validate(jwt)).resolves.toBeDefined();
  });

  it('no key of the right type: ERR_JWT_NO_MATCHING_KEY', async () => {
    op().setJwks(jwks(good));
    const jwt = await sign(esA!, payload(), { header: { kid: undefined } });
    await expectCode(validate(jwt), 'ERR_JWT_NO_MATCHING_KEY');
  });

  it('a kid of a key missing from the set, even "toString" or "__proto__": ERR_JWT_NO_MATCHING_KEY', async () => {
    op().setJwks(jwks(good));
    for (const kid of ['unknown', 'toString', '__proto__', '']) {
      const jwt = await sign(good, payload(), { header: { kid } });
      await expectCode(validate(jwt), 'ERR_JWT_NO_MATCHING_KEY');
    }
  });
});

describe('algorithm attacks', () => {
  it.each(['none', 'None', 'NONE', 'nOnE'])(
    'alg %s: ERR_JWT_ALG_NOT_ALLOWED, before the key set is fetched',
    async (alg) => {
      op().setJwks(jwks(good));
      await expectCode(validate(unsigned(payload(), alg)), 'ERR_JWT_ALG_NOT_ALLOWED');
      // With a (bogus) signature segment too.
      const withSignature = `${unsigned(payload(), alg)}${base64url.encode('sig')}`;
      await expectCode(validate(withSignature), 'ERR_JWT_ALG_NOT_ALLOWED');
      expect(op().jwksFetches()).toBe(0);
    },
  );

  it('HS256 signed with the RSA public key (PEM or JWK text) as secret: ERR_JWT_ALG_NOT_ALLOWED', async () => {
    op().setJwks(jwks(good)); // the provider even advertises HS256
    const secrets = [await publicPem(good), JSON.stringify(good.jwk), good.jwk.n!];
    for (const text of secrets) {
      const jwt = await sign({ secret: new TextEncoder().encode(text), kid: 'rsa-a' }, payload());
      await expectCode(validate(jwt), 'ERR_JWT_ALG_NOT_ALLOWED');
      await expectCode(
        validate(jwt, config({ algorithms: ['HS256', 'RS256'] })),
        'ERR_JWT_ALG_NOT_ALLOWED',
      );
    }
    expect(op().jwksFetches()).toBe(0);
  });

  it.each(['RS1', 'ES256K', 'rs256', 'HS512', 'PS256 ', ''])(
    'an unsupported or miscased alg %j: ERR_JWT_ALG_NOT_ALLOWED',
    async (alg) => {
      op().setJwks(jwks(good));
      const jwt = `${segment({ alg, kid: 'rsa-a' })}.${segment(payload())}.${base64url.encode('x')}`;
      await expectCode(validate(jwt), 'ERR_JWT_ALG_NOT_ALLOWED');
    },
  );

  it('a flipped signature bit: ERR_JWT_SIGNATURE_INVALID', async () => {
    op().setJwks(jwks(good, esA!, edKey!));
    for (const key of [good, esA!, edKey!]) {
      await expectCode(
        validate(flipSignatureBit(await sign(key, payload()))),
        'ERR_JWT_SIGNATURE_INVALID',
      );
    }
  });

  it('a truncated, extended or transplanted signature: ERR_JWT_SIGNATURE_INVALID', async () => {
    op().setJwks(jwks(good, esA!));
    const jwt = await sign(esA!, payload());
    const other = await sign(esA!, payload({ sub: 'admin' }));
    const [h, p, s] = jwt.split('.') as [string, string, string];
    const otherSignature = other.split('.')[2]!;
    for (const forged of [
      `${h}.${p}.${s.slice(0, -4)}`,
      `${h}.${p}.${s}AAAA`,
      `${h}.${p}.${otherSignature}`,
    ]) {
      await expectCode(validate(forged), 'ERR_JWT_SIGNATURE_INVALID');
    }
    const cfg = config();
    await expectCode(
      validate(`${h}.${segment(payload({ sub: 'admin' }))}.${s}`, cfg),
      'ERR_JWT_SIGNATURE_INVALID',
    );
  });
});

describe('header attacks', () => {
  it.each([[['exp']], [['b64']], [[]], ['urn:x']])(
    'crit %j: ERR_JWT_CRIT_UNSUPPORTED',
    async (crit) => {
      op().setJwks(jwks(good));
      const extra = Array.isArray(crit) && crit.length > 0 ? { [crit[0]!]: false } : {};
      const jwt = `${segment({ alg: 'RS256', kid: 'rsa-a', crit, ...extra })}.${segment(payload())}.${base64url.encode('sig')}`;
      await expectCode(validate(jwt), 'ERR_JWT_CRIT_UNSUPPORTED');
    },
  );

  it('crit on a properly signed token: ERR_JWT_CRIT_UNSUPPORTED', async () => {
    op().setJwks(jwks(good));
    const jwt = await sign(good, payload(), {
      header: { crit: ['urn:example:ext'], 'urn:example:ext': 1 },
    });
    await expectCode(validate(jwt), 'ERR_JWT_CRIT_UNSUPPORTED');
  });

  it('jku, x5u, jwk and x5c pointing to attacker keys are ignored', async () => {
    op().setJwks(jwks(good));
    op().server.json('/attacker/jwks', jwks(attacker));
    const attackerUrl = `${op().issuer}/attacker/jwks`;
    const x5c = [base64url.encode(new Uint8Array(64)).replace(/-/g, '+').replace(/_/g, '/')];
    const headers: Record<string, unknown>[] = [
      { jku: attackerUrl },
      { x5u: attackerUrl },
      { jwk: attacker.jwk },
      { x5c },
      { jku: attackerUrl, x5u: attackerUrl, jwk: attacker.jwk, x5c },
    ];
    for (const header of headers) {
      const jwt = await sign(attacker, payload(), { header });
      await expectCode(validate(jwt), 'ERR_JWT_SIGNATURE_INVALID');
      // Without a kid, the embedded key still picks nothing: the provider's keys are tried.
      const noKid = await sign(attacker, payload(), { header: { ...header, kid: undefined } });
      await expectCode(validate(noKid), 'ERR_JWT_SIGNATURE_INVALID');
    }
    // An embedded key with its own kid is simply unknown.
    const own = await makeKey('ES256', { kid: 'attacker-own' });
    await expectCode(
      validate(await sign(own, payload(), { header: { jwk: own.jwk } })),
      'ERR_JWT_NO_MATCHING_KEY',
    );
    expect(op().server.count('/attacker/jwks')).toBe(0);
  });

  it('typ: at+jwt required; application/at+jwt and any case match, JWT does not', async () => {
    op().setJwks(jwks(good));
    const cfg = config({ typ: 'at+jwt' });
    for (const typ of ['at+jwt', 'application/at+jwt', 'AT+JWT', 'application/AT+JWT']) {
      await expect(
        validate(await sign(good, payload(), { header: { typ } }), cfg),
      ).resolves.toBeDefined();
    }
    for (const typ of ['JWT', 'jwt', 'at+jwt+x', 'application/jwt', undefined]) {
      await expectCode(
        validate(await sign(good, payload(), { header: { typ } }), cfg),
        'ERR_JWT_TYPE_INVALID',
      );
    }
  });

  it('"__proto__" in the header is plain data: it cannot smuggle crit or alg', async () => {
    op().setJwks(jwks(good));
    const header = JSON.parse('{"__proto__":{"crit":["x"],"alg":"none","typ":"evil"}}');
    const jwt = await sign(good, payload(), { header });
    expect(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).toMatch(/"__proto__":\{"crit"/);
    await expect(validate(jwt, config({ typ: 'jwt' }))).rejects.toMatchObject({
      code: 'ERR_JWT_TYPE_INVALID',
    });
    await expect(validate(jwt)).resolves.toBeDefined();
    expect(({} as Record<string, unknown>).crit).toBeUndefined();
  });
});

describe('malformed tokens: ERR_JWT_MALFORMED', () => {
  const h = segment({ alg: 'RS256', kid: 'rsa-a' });
  const p = segment({ sub: 'x' });
  const s = base64url.encode('signature');

  it.each([
    ['2 segments', `${h}.${p}`],
    ['4 segments', `${h}.${p}.${s}.${s}`],
    ['1 segment', h],
    ['an empty string', ''],
    ['only dots', '..'],
    ['an empty header', `.${p}.${s}`],
    ['an empty payload', `${h}..${s}`],
    ['an empty signature', `${h}.${p}.`],
    ['base64 "+" in the payload', `${h}.${p}+.${s}`],
    ['base64 padding', `${h}.${p}=.${s}`],
    ['whitespace', `${h}. ${p}.${s}`],
    ['an impossible base64url length', `${h}.${p}A.${s}`.replace(/A\./, 'AAAAA.')],
    ['a non-JSON payload', `${h}.${segment('not json')}.${s}`],
    ['a JSON array payload', `${h}.${segment('[1,2]')}.${s}`],
    ['a JSON string payload', `${h}.${segment('"claims"')}.${s}`],
    ['a JSON number payload', `${h}.${segment('42')}.${s}`],
    ['a null payload', `${h}.${segment('null')}.${s}`],
    ['a non-JSON header', `${segment('{alg:RS256}')}.${p}.${s}`],
    ['a header array', `${segment('["RS256"]')}.${p}.${s}`],
    ['a header without alg', `${segment({ kid: 'rsa-a' })}.${p}.${s}`],
    ['alg not a string', `${segment({ alg: ['RS256'] })}.${p}.${s}`],
    ['kid not a string', `${segment({ alg: 'RS256', kid: 1 })}.${p}.${s}`],
    [
      'invalid UTF-8 in the payload',
      `${h}.${base64url.encode(new Uint8Array([0x7b, 0xff, 0x7d]))}.${s}`,
    ],
  ])('%s', async (_, jwt) => {
    op().setJwks(jwks(good));
    await expectCode(validate(jwt), 'ERR_JWT_MALFORMED');
  });

  it('5 segments (a JWE) is refused as encrypted', async () => {
    const error = await expectCode(validate(`${h}.${s}.${s}.${p}.${s}`), 'ERR_JWT_MALFORMED');
    expect(error.message).toMatch(/encrypted \(JWE\)/);
  });

  it.each([undefined, null, 42, {}, ['a.b.c']])(
    'a token that is not a string (%j)',
    async (jwt) => {
      await expectCode(validate(jwt as unknown as string), 'ERR_JWT_MALFORMED');
    },
  );
});

describe('claims of the wrong JSON type, signed by the right key', () => {
  it.each([
    ['exp as the string "9999999999"', () => ({ exp: '9999999999' })],
    ['aud as a number', () => ({ aud: 123 })],
    ['iss as an array', () => ({ iss: [op().issuer] })],
    ['sub as an object', () => ({ sub: { id: 1 } })],
  ])('%s: ERR_JWT_CLAIM_INVALID', async (_, extra) => {
    op().setJwks(jwks(good));
    await expectCode(validate(await sign(good, payload(extra()))), 'ERR_JWT_CLAIM_INVALID');
  });

  it('"__proto__" claims: no pollution, returned as a plain own property', async () => {
    op().setJwks(jwks(good));
    const text = JSON.stringify(payload()).replace(
      '{',
      '{"__proto__":{"polluted":true,"admin":true},',
    );
    const claims = await validate(await sign(good, text));
    expect(Object.getPrototypeOf(claims)).toBe(Object.prototype);
    expect(Object.hasOwn(claims, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(claims, '__proto__')?.value).toEqual({
      polluted: true,
      admin: true,
    });
    expect((claims as Record<string, unknown>).admin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('size limit', () => {
  /** An ES256 token of exactly `length` characters (the pad claim is adjusted to fit). */
  async function tokenOfLength(key: TestKey, length: number): Promise<string> {
    const headerLength = segment({ alg: key.alg, kid: key.kid }).length;
    const b64 = (bytes: number) => Math.ceil((bytes * 4) / 3);
    for (let pad = 0; pad < length; pad++) {
      for (const extra of ['', 'x', 'xx']) {
        const body = JSON.stringify(payload({ pad: 'p'.repeat(pad), q: extra }));
        if (headerLength + 1 + b64(body.length) + 1 + 86 === length) {
          const jwt = await sign(key, body);
          expect(jwt.length).toBe(length);
          return jwt;
        }
      }
    }
    throw new Error(`no token of ${length} characters`);
  }

  it('a 17 KiB token: ERR_JWT_TOO_LARGE, refused before anything is fetched', async () => {
    op().setJwks(jwks(esA!));
    await expectCode(validate(await tokenOfLength(esA!, 17 * 1024)), 'ERR_JWT_TOO_LARGE');
    await expectCode(validate(`${'a'.repeat(17 * 1024)}`), 'ERR_JWT_TOO_LARGE');
    expect(op().server.requests).toHaveLength(0);
  });

  it('16 KiB exactly validates; one character more does not', async () => {
    op().setJwks(jwks(esA!));
    const cfg = config();
    await expect(validate(await tokenOfLength(esA!, 16 * 1024), cfg)).resolves.toBeDefined();
    await expectCode(validate(await tokenOfLength(esA!, 16 * 1024 + 1), cfg), 'ERR_JWT_TOO_LARGE');
  });

  it('maxTokenSize lowers the limit', async () => {
    op().setJwks(jwks(esA!));
    const jwt = await sign(esA!, payload());
    await expectCode(validate(jwt, config({ maxTokenSize: jwt.length - 1 })), 'ERR_JWT_TOO_LARGE');
    await expect(validate(jwt, config({ maxTokenSize: jwt.length }))).resolves.toBeDefined();
  });
});

describe('custom validator and refused configurations', () => {
  it('a claimsValidator that throws, or an async one that rejects: ERR_JWT_CLAIM_INVALID', async () => {
    op().setJwks(jwks(good));
    const jwt = await sign(good, payload());
    await expectCode(
      validate(
        jwt,
        config({
          claimsValidator: () => {
            throw new RangeError('boom');
          },
        }),
      ),
      'ERR_JWT_CLAIM_INVALID',
    );
    await expectCode(
      validate(jwt, config({ claimsValidator: () => Promise.reject(new Error('async boom')) })),
      'ERR_JWT_CLAIM_INVALID',
    );
  });

  it.each([
    ['verifySignature false', { options: { verifySignature: false } }],
    ['verifyExp false', { options: { verifyExp: false } }],
    ['algorithms containing none', { algorithms: ['RS256', 'none'] }],
  ])('%s: ERR_CONFIGURATION, before any request', async (_, extra) => {
    op().setJwks(jwks(good));
    await expectCode(validate(await sign(good, payload()), config(extra)), 'ERR_CONFIGURATION');
    expect(op().server.requests).toHaveLength(0);
  });
});

describe('robustness', () => {
  /** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
  function random(seed: number) {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it('300 mutated tokens: each validates or fails with a TokenValidationError, never anything else', async () => {
    op().setJwks(jwks(good, esA!));
    const cfg = config();
    const originals = [
      await sign(good, payload()),
      await sign(esA!, payload({ aud: ['api', 'x'], azp: 'api' })),
    ];
    const next = random(0x5eed);
    const alphabet = 'Aa0-_.=+/ é\u0000{}"';
    let rejected = 0;
    for (let i = 0; i < 300; i++) {
      const jwt = originals[i % 2]!;
      const at = Math.floor(next() * jwt.length);
      const char = alphabet[Math.floor(next() * alphabet.length)]!;
      const mutated = [
        jwt.slice(0, at) + char + jwt.slice(at + 1),
        jwt.slice(0, at) + jwt.slice(at + 1),
        jwt.slice(0, at) + char + jwt.slice(at),
        jwt.slice(0, at),
      ][i % 4]!;
      try {
        await validate(mutated, cfg);
      } catch (error) {
        if (!(error instanceof TokenValidationError)) {
          throw new Error(`mutation ${i} leaked ${String(error)}`, { cause: error });
        }
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(250);
    // Bad signatures reload the key set at most once per cooldown: the clock never moved.
    expect(op().jwksFetches()).toBe(1);
  });

  it('deeply nested claims (depth 5000) validate without exhausting the stack', async () => {
    op().setJwks(jwks(esA!));
    const depth = 5000;
    const text = JSON.stringify(payload()).replace(
      '{',
      `{"deep":${'['.repeat(depth)}${']'.repeat(depth)},`,
    );
    const jwt = await sign(esA!, text);
    await expect(validate(jwt)).resolves.toHaveProperty('deep');
    await expect(validate(jwt, config({ verifiedTokenCache: true }))).resolves.toHaveProperty(
      'deep',
    );
  });

  it('time is read from the injected clock only', async () => {
    op().setJwks(jwks(good));
    const jwt = await sign(good, claimsAt(op().issuer, {}, NOW / 1000 - 7200));
    await expectCode(validate(jwt), 'ERR_JWT_EXPIRED');
    const past = testClock(NOW - 7200_000);
    await expect(validate(jwt, config({ cache: cacheAt(past) }))).resolves.toBeDefined();
  });
});
