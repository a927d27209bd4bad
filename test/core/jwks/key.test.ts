/**
 * One JWK at a time (RFC 7517 §4, RFC 7518 §6, RFC 8037), then whole sets (RFC 7517 §5): what
 * may verify, what is skipped and why. Keys are made with jose.
 */
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { JwksError } from '../../../src/core/errors.js';
import { importedKey, importVerificationKey } from '../../../src/core/jwks/import.js';
import {
  checkJwk,
  type JwkCheck,
  keyFitsAlgorithm,
  MIN_RSA_BITS,
  type VerificationKey,
} from '../../../src/core/jwks/key.js';
import { MAX_JWKS_KEYS, parseKeySet } from '../../../src/core/jwks/parse.js';
import { makeKey, makeWeakRsaKey } from '../../support/hostile-op.js';

const rsa = await makeKey('RS256', { kid: 'rsa' });
const p256 = await makeKey('ES256', { kid: 'p256' });
const p384 = await makeKey('ES384', { kid: 'p384' });
const p521 = await makeKey('ES512', { kid: 'p521' });
const ed = await makeKey('EdDSA', { kid: 'ed' });
const weak = await makeWeakRsaKey(1024, { kid: 'weak' });

function usable(check: JwkCheck): VerificationKey {
  if (!('key' in check)) throw new Error(`expected a usable key, skipped: ${check.reason}`);
  return check.key;
}

function reason(check: JwkCheck): string {
  if ('key' in check) throw new Error('expected the key to be skipped');
  return check.reason;
}

/** An RSA modulus of `bytes` bytes whose first byte is `top` (the rest 0xff). */
function modulus(top: number, bytes: number, leadingZeros = 0): string {
  const n = new Uint8Array(leadingZeros + bytes).fill(0xff);
  n.fill(0, 0, leadingZeros);
  n[leadingZeros] = top;
  return base64url.encode(n);
}

describe('checkJwk: key types', () => {
  it('JWKS-002 accepts an RSA key and keeps only n and e for WebCrypto', () => {
    const key = usable(checkJwk({ ...rsa.jwk, x5t: 'ignored', ext: true }));
    expect(key).toMatchObject({ kty: 'RSA', kid: 'rsa', alg: 'RS256', crv: undefined });
    expect(key.publicJwk).toEqual({ kty: 'RSA', n: rsa.jwk.n, e: rsa.jwk.e });
  });

  it.each([
    ['P-256', p256],
    ['P-384', p384],
    ['P-521', p521],
  ])('JWKS-002 accepts an EC key on %s and keeps crv, x and y', (crv, ec) => {
    const key = usable(checkJwk(ec.jwk));
    expect(key).toMatchObject({ kty: 'EC', crv, alg: ec.alg });
    expect(key.publicJwk).toEqual({ kty: 'EC', crv, x: ec.jwk.x, y: ec.jwk.y });
  });

  it('accepts an Ed25519 OKP key with alg EdDSA or Ed25519', () => {
    const key = usable(checkJwk(ed.jwk));
    expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(key.publicJwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: ed.jwk.x });
    expect(usable(checkJwk({ ...ed.jwk, alg: 'Ed25519' })).alg).toBe('Ed25519');
  });

  it('never takes a symmetric (oct) key from a key set', () => {
    expect(reason(checkJwk({ kty: 'oct', k: base64url.encode(new Uint8Array(32)) }))).toMatch(
      /symmetric/,
    );
  });

  it.each([
    ['no kty', { n: rsa.jwk.n, e: rsa.jwk.e }, /"kty" is missing/],
    ['kty not a string', { kty: 1 }, /"kty" is missing or not a string/],
    ['unknown kty', { kty: 'AKP', pub: 'AAAA' }, /"kty" "AKP" is not supported/],
    ['not an object', 'RSA', /not a JSON object/],
    ['null', null, /not a JSON object/],
    ['an array', [rsa.jwk], /not a JSON object/],
    ['kid not a string', { ...rsa.jwk, kid: 7 }, /"kid" is not a string/],
  ])('skips a key with %s', (_, jwk, why) => {
    expect(reason(checkJwk(jwk))).toMatch(why);
  });
});

describe('checkJwk: RSA', () => {
  it(`skips an RSA key under ${MIN_RSA_BITS} bits (a real 1024-bit key)`, () => {
    expect(reason(checkJwk(weak.jwk))).toBe('RSA modulus of 1024 bits is under 2048');
  });

  it('counts modulus bits exactly: 2048 passes, 2047 does not, leading zero bytes do not count', () => {
    const e = 'AQAB';
    expect(usable(checkJwk({ kty: 'RSA', n: modulus(0x80, 256), e })).kty).toBe('RSA');
    expect(reason(checkJwk({ kty: 'RSA', n: modulus(0x7f, 256), e }))).toMatch(/2047 bits/);
    expect(reason(checkJwk({ kty: 'RSA', n: modulus(0x7f, 256, 1), e }))).toMatch(/2047 bits/);
    expect(usable(checkJwk({ kty: 'RSA', n: modulus(0x80, 256, 2), e })).kty).toBe('RSA');
    expect(reason(checkJwk({ kty: 'RSA', n: 'AAAA', e }))).toMatch(/0 bits/);
  });

  it.each([
    ['without n', { kty: 'RSA', e: 'AQAB' }],
    ['without e', { kty: 'RSA', n: rsa.jwk.n }],
    ['with n in base64 (not base64url)', { kty: 'RSA', n: `${rsa.jwk.n}+/`, e: 'AQAB' }],
    ['with padded n', { kty: 'RSA', n: `${rsa.jwk.n}=`, e: 'AQAB' }],
    ['with n as a number', { kty: 'RSA', n: 12345, e: 'AQAB' }],
    ['with an impossible base64url length', { kty: 'RSA', n: 'AAAAA', e: 'AQAB' }],
  ])('skips an RSA key %s', (_, jwk) => {
    expect(reason(checkJwk(jwk))).toMatch(/RSA key needs base64url "n" and "e"/);
  });
});

describe('checkJwk: EC and OKP', () => {
  it('skips an EC key whose coordinates do not fit its curve', () => {
    // P-256 coordinates (32 bytes) under a P-384 label.
    expect(reason(checkJwk({ ...p256.jwk, crv: 'P-384', alg: undefined }))).toMatch(
      /"x" and "y" of 48 bytes/,
    );
    expect(reason(checkJwk({ kty: 'EC', crv: 'P-256', x: p256.jwk.x }))).toMatch(/"y"/);
  });

  it.each(['secp256k1', 'P-192', undefined])('skips an EC key on curve %s', (crv) => {
    expect(reason(checkJwk({ ...p256.jwk, crv, alg: undefined }))).toMatch(/EC curve/);
  });

  it.each(['X25519', 'Ed448', undefined])('skips an OKP key on curve %s', (crv) => {
    expect(reason(checkJwk({ ...ed.jwk, crv, alg: undefined }))).toMatch(/OKP curve/);
  });

  it('skips an Ed25519 key whose x is not 32 bytes', () => {
    const x = base64url.encode(new Uint8Array(31));
    expect(reason(checkJwk({ kty: 'OKP', crv: 'Ed25519', x }))).toMatch(/32 bytes/);
  });
});

describe('checkJwk: private members, use, key_ops, alg', () => {
  it.each(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'])(
    'skips a key carrying the private member %s (it is never used to verify)',
    (member) => {
      expect(reason(checkJwk({ ...rsa.jwk, [member]: 'AQAB' }))).toBe(
        'contains private key members',
      );
    },
  );

  it('skips EC and OKP keys with a private "d"', () => {
    expect(reason(checkJwk({ ...p256.jwk, d: 'AAAA' }))).toMatch(/private/);
    expect(reason(checkJwk({ ...ed.jwk, d: 'AAAA' }))).toMatch(/private/);
  });

  it('accepts use "sig" or no use; skips "enc" and any other value', () => {
    expect(usable(checkJwk({ ...rsa.jwk, use: 'sig' })).kid).toBe('rsa');
    expect(usable(checkJwk({ ...rsa.jwk, use: undefined })).kid).toBe('rsa');
    expect(reason(checkJwk({ ...rsa.jwk, use: 'enc' }))).toBe('"use" is "enc", not "sig"');
    expect(reason(checkJwk({ ...rsa.jwk, use: 'SIG' }))).toMatch(/not "sig"/);
    expect(reason(checkJwk({ ...rsa.jwk, use: ['sig'] }))).toMatch(/not "sig"/);
  });

  it('accepts key_ops that include "verify"; skips any other key_ops', () => {
    expect(usable(checkJwk({ ...rsa.jwk, key_ops: ['verify'] })).kid).toBe('rsa');
    expect(reason(checkJwk({ ...rsa.jwk, key_ops: ['encrypt', 'wrapKey'] }))).toMatch(
      /does not include "verify"/,
    );
    expect(reason(checkJwk({ ...rsa.jwk, key_ops: [] }))).toMatch(/does not include "verify"/);
    expect(reason(checkJwk({ ...rsa.jwk, key_ops: 'verify' }))).toMatch(/not an array/);
    expect(reason(checkJwk({ ...rsa.jwk, key_ops: ['verify', 1] }))).toMatch(/not an array/);
  });

  it.each([
    ['none', rsa, /not a supported signature algorithm/],
    ['HS256', rsa, /not a supported signature algorithm/],
    ['RSA-OAEP', rsa, /not a supported signature algorithm/],
    ['rs256', rsa, /not a supported signature algorithm/],
    ['ES256', rsa, /does not fit "kty" RSA/],
    ['RS256', p256, /does not fit "kty" EC/],
    ['ES384', p256, /does not fit curve P-256/],
    ['ES256', p521, /does not fit curve P-521/],
    ['ES256', ed, /does not fit "kty" OKP/],
  ])('skips a key whose alg %s does not fit it', (alg, key, why) => {
    expect(reason(checkJwk({ ...key.jwk, alg }))).toMatch(why);
  });

  it('keeps a fitting alg, and no alg at all', () => {
    expect(usable(checkJwk({ ...rsa.jwk, alg: 'PS512' })).alg).toBe('PS512');
    expect(usable(checkJwk({ ...rsa.jwk, alg: undefined })).alg).toBeUndefined();
  });
});

describe('keyFitsAlgorithm', () => {
  const rsaAny = usable(checkJwk({ ...rsa.jwk, alg: undefined }));
  const rsaPss = usable(checkJwk({ ...rsa.jwk, alg: 'PS256' }));
  const ec384 = usable(checkJwk({ ...p384.jwk, alg: undefined }));
  const edKey = usable(checkJwk(ed.jwk));
  const edNoAlg = usable(checkJwk({ ...ed.jwk, alg: undefined }));

  it('an RSA key without alg fits every RSA algorithm and nothing else', () => {
    for (const alg of ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const) {
      expect(keyFitsAlgorithm(rsaAny, alg)).toBe(true);
    }
    for (const alg of ['ES256', 'EdDSA', 'HS256'] as const) {
      expect(keyFitsAlgorithm(rsaAny, alg)).toBe(false);
    }
  });

  it("a key's own alg is binding: PS256 does not verify RS256", () => {
    expect(keyFitsAlgorithm(rsaPss, 'PS256')).toBe(true);
    expect(keyFitsAlgorithm(rsaPss, 'RS256')).toBe(false);
    expect(keyFitsAlgorithm(rsaPss, 'PS384')).toBe(false);
  });

  it('an EC key fits only the algorithm of its curve', () => {
    expect(keyFitsAlgorithm(ec384, 'ES384')).toBe(true);
    expect(keyFitsAlgorithm(ec384, 'ES256')).toBe(false);
    expect(keyFitsAlgorithm(ec384, 'ES512')).toBe(false);
  });

  it('EdDSA and Ed25519 name the same algorithm on an Ed25519 key', () => {
    expect(keyFitsAlgorithm(edKey, 'EdDSA')).toBe(true);
    expect(keyFitsAlgorithm(edKey, 'Ed25519')).toBe(true);
    expect(keyFitsAlgorithm(edNoAlg, 'Ed25519')).toBe(true);
    expect(keyFitsAlgorithm(edKey, 'ES256')).toBe(false);
  });
});

describe('parseKeySet', () => {
  it('skips a bad key beside a good one and says why', () => {
    const set = parseKeySet({
      keys: [weak.jwk, rsa.jwk, { ...p256.jwk, use: 'enc' }, { kty: 'oct', k: 'AAAA' }],
    } as never);
    expect(set.keys.map((key) => key.kid)).toEqual(['rsa']);
    expect(set.skipped).toEqual([
      { index: 0, kid: 'weak', reason: 'RSA modulus of 1024 bits is under 2048' },
      { index: 2, kid: 'p256', reason: '"use" is "enc", not "sig"' },
      { index: 3, kid: undefined, reason: 'symmetric keys are never taken from a key set' },
    ]);
  });

  it('keeps keys that share a kid (both are candidates)', () => {
    const set = parseKeySet({ keys: [rsa.jwk, { ...p256.jwk, kid: 'rsa' }] } as never);
    expect(set.keys.map((key) => [key.kid, key.kty])).toEqual([
      ['rsa', 'RSA'],
      ['rsa', 'EC'],
    ]);
  });

  it(`accepts ${MAX_JWKS_KEYS} keys and refuses ${MAX_JWKS_KEYS + 1} (ERR_JWKS_TOO_MANY_KEYS)`, () => {
    const many = (n: number) => ({
      keys: Array.from({ length: n }, (_, i) => ({ ...rsa.jwk, kid: `k${i}` })),
    });
    expect(parseKeySet(many(MAX_JWKS_KEYS) as never).keys).toHaveLength(MAX_JWKS_KEYS);
    expect(() => parseKeySet(many(MAX_JWKS_KEYS + 1) as never)).toThrow(
      expect.objectContaining({ code: 'ERR_JWKS_TOO_MANY_KEYS' }),
    );
  });

  it.each([
    ['no keys member', {}],
    ['keys as an object', { keys: { 0: {} } }],
    ['keys as a string', { keys: 'none' }],
  ])('refuses a set with %s (ERR_JWKS_INVALID)', (_, raw) => {
    expect(() => parseKeySet(raw as never)).toThrow(
      expect.objectContaining({ code: 'ERR_JWKS_INVALID', name: 'JwksError' }),
    );
  });

  it('JWKS-007 refuses an empty set (ERR_JWKS_NO_USABLE_KEYS)', () => {
    let error: unknown;
    try {
      parseKeySet({ keys: [] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JwksError);
    expect(error).toMatchObject({ code: 'ERR_JWKS_NO_USABLE_KEYS' });
    expect((error as Error).message).toMatch(/empty/);
  });

  it('refuses a set whose every key is unusable, listing each reason', () => {
    expect(() => parseKeySet({ keys: [weak.jwk, { ...rsa.jwk, d: 'AAAA' }] } as never)).toThrow(
      /#0 \(weak\): RSA modulus of 1024 bits.*#1 \(rsa\): contains private key members/,
    );
  });

  it('treats "__proto__" in a key as plain data: no pollution, no inherited members', () => {
    const raw = JSON.parse(
      `{"keys":[{"__proto__":{"kty":"RSA","polluted":true},"n":"${rsa.jwk.n}","e":"AQAB"},${JSON.stringify(rsa.jwk)}]}`,
    );
    const set = parseKeySet(raw);
    expect(set.skipped).toEqual([
      { index: 0, kid: undefined, reason: expect.stringMatching(/kty/) },
    ]);
    expect(set.keys).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).kty).toBeUndefined();
  });
});

describe('importVerificationKey', () => {
  it('imports once per key and algorithm: a non-extractable, verify-only CryptoKey', async () => {
    const key = usable(checkJwk(rsa.jwk));
    expect(importedKey(key, 'RS256')).toBeUndefined();
    const first = importVerificationKey(key, 'RS256');
    expect(importVerificationKey(key, 'RS256')).toBe(first);
    const cryptoKey = await first;
    expect(cryptoKey.extractable).toBe(false);
    expect(cryptoKey.usages).toEqual(['verify']);
    expect(cryptoKey.type).toBe('public');
    expect(importedKey(key, 'RS256')).toBe(cryptoKey);
    expect(importedKey(key, 'PS256')).toBeUndefined();
  });

  it('does not cache a failed import (a later attempt imports again)', async () => {
    // Passes the shape checks, but (0, 0) is not a point on P-256: WebCrypto refuses it.
    const zero = base64url.encode(new Uint8Array(32));
    const key = usable(checkJwk({ kty: 'EC', crv: 'P-256', x: zero, y: zero }));
    const first = importVerificationKey(key, 'ES256');
    await expect(first).rejects.toThrow();
    const second = importVerificationKey(key, 'ES256');
    expect(second).not.toBe(first);
    await expect(second).rejects.toThrow();
    expect(importedKey(key, 'ES256')).toBeUndefined();
  });
});
