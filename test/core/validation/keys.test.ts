/**
 * Validation with a configured key (`config.key`: a JWK or a CryptoKey): which algorithms each
 * key may verify, HMAC only with an explicit symmetric key, and the configurations refused
 * before any token is looked at.
 */
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../src/core/errors.js';
import { type TokenValidationConfig, validateToken } from '../../../src/core/validation/index.js';
import {
  claimsAt,
  expectCode,
  makeKey,
  makeWeakRsaKey,
  NOW,
  publicPem,
  sign,
  signRs256WithSubtle,
  type TestAlg,
  unsigned,
} from '../../support/hostile-op.js';

const ISSUER = 'https://op.example';
const payload = claimsAt(ISSUER);
const now = () => NOW;

const [rs256, ps256, es256, es384, es512, eddsa] = await Promise.all(
  (['RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA'] as TestAlg[]).map((alg) =>
    makeKey(alg, { kid: alg.toLowerCase() }),
  ),
);
const rsa = rs256!;
const secret = crypto.getRandomValues(new Uint8Array(32));
const octJwk = { kty: 'oct', k: base64url.encode(secret) };
const { alg: _rsaAlg, ...rsaNoAlg } = rsa.jwk;

function config(key: JsonWebKey | CryptoKey, extra: Partial<TokenValidationConfig> = {}) {
  return { key, now, ...extra };
}

describe('asymmetric keys', () => {
  it.each([
    ['RS256', rs256!],
    ['PS256', ps256!],
    ['ES256', es256!],
    ['ES384', es384!],
    ['ES512', es512!],
    ['EdDSA', eddsa!],
  ])('a %s token validates with its public JWK and its CryptoKey', async (_, key) => {
    const jwt = await sign(key, payload);
    await expect(validateToken(jwt, config(key.jwk))).resolves.toEqual(payload);
    await expect(validateToken(jwt, config(key.publicKey))).resolves.toEqual(payload);
  });

  it('an Ed25519 key verifies both EdDSA and Ed25519 (RFC 9864) tokens', async () => {
    const edKey = eddsa!;
    const asEd25519 = await sign(edKey, payload, { alg: 'Ed25519' });
    await expect(validateToken(asEd25519, config(edKey.jwk))).resolves.toEqual(payload);
    await expect(validateToken(asEd25519, config(edKey.publicKey))).resolves.toEqual(payload);
  });

  it('an ES256 token with a P-384 key: ERR_JWT_ALG_NOT_ALLOWED', async () => {
    const jwt = await sign(es256!, payload);
    await expectCode(validateToken(jwt, config(es384!.jwk)), 'ERR_JWT_ALG_NOT_ALLOWED');
    await expectCode(validateToken(jwt, config(es384!.publicKey)), 'ERR_JWT_ALG_NOT_ALLOWED');
  });

  it('an RS256 token with a key whose alg is PS256: ERR_JWT_ALG_NOT_ALLOWED', async () => {
    const jwt = await sign(rsa, payload);
    await expectCode(
      validateToken(jwt, config({ ...rsa.jwk, alg: 'PS256' })),
      'ERR_JWT_ALG_NOT_ALLOWED',
    );
  });

  it('a key without alg verifies the algorithms of its type that the allowlist keeps', async () => {
    const key = ps256!;
    const { alg: _alg, ...keyNoAlg } = key.jwk;
    const jwt = await sign(key, payload);
    await expect(validateToken(jwt, config(keyNoAlg))).resolves.toEqual(payload);
    await expectCode(
      validateToken(jwt, config(keyNoAlg, { algorithms: ['RS256'] })),
      'ERR_JWT_ALG_NOT_ALLOWED',
    );
  });

  it('a signature by another key of the same type: ERR_JWT_SIGNATURE_INVALID', async () => {
    const other = await makeKey('ES256', { kid: 'es256' });
    const jwt = await sign(other, payload);
    await expectCode(validateToken(jwt, config(es256!.jwk)), 'ERR_JWT_SIGNATURE_INVALID');
  });
});

describe('unusable keys are configuration errors', () => {
  it.each([
    ['a private JWK (d)', async () => ({ ...rsa.jwk, d: 'AQAB' })],
    ['an enc JWK', async () => ({ ...rsa.jwk, use: 'enc' })],
    ['a JWK without verify in key_ops', async () => ({ ...rsa.jwk, key_ops: ['encrypt'] })],
    ['a 1024-bit RSA JWK', async () => (await makeWeakRsaKey(1024)).jwk],
    ['a 1024-bit RSA CryptoKey', async () => (await makeWeakRsaKey(1024)).publicKey],
    ['a private CryptoKey', async () => rsa.privateKey],
    ['an EC JWK on an unsupported curve', async () => ({ ...es256!.jwk, crv: 'secp256k1' })],
    ['a key that is not an object', async () => 'secret' as unknown as JsonWebKey],
    ['an oct JWK shorter than the hash', async () => ({ kty: 'oct', k: 'c2hvcnQ' })],
    ['an oct JWK with an empty k', async () => ({ kty: 'oct', k: '' })],
    ['an oct JWK with alg RS256', async () => ({ ...octJwk, alg: 'RS256' })],
    ['an oct JWK with use enc', async () => ({ ...octJwk, use: 'enc' })],
    ['an oct JWK without verify in key_ops', async () => ({ ...octJwk, key_ops: ['sign'] })],
    [
      'an HMAC CryptoKey shorter than its hash',
      async () =>
        crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 64 }, false, ['verify']),
    ],
  ])('%s: ERR_CONFIGURATION', async (_, makeBadKey) => {
    const key = (await makeBadKey()) as JsonWebKey | CryptoKey;
    const error = await expectCode(
      validateToken(await sign(rsa, payload), config(key)),
      'ERR_CONFIGURATION',
    );
    expect(error).toBeInstanceOf(ConfigurationError);
  });

  it('a token signed by a 1024-bit key never validates, whatever key is configured', async () => {
    const weak = await makeWeakRsaKey(1024, { kid: 'weak' });
    const jwt = await signRs256WithSubtle(weak, payload);
    await expectCode(validateToken(jwt, config(weak.jwk)), 'ERR_CONFIGURATION');
    await expectCode(validateToken(jwt, config(rsa.jwk)), 'ERR_JWT_SIGNATURE_INVALID');
  });
});

describe('HMAC: only with an explicit symmetric key', () => {
  it('HS256 validates with an oct JWK and with an HMAC CryptoKey', async () => {
    const jwt = await sign({ secret }, payload);
    await expect(validateToken(jwt, config(octJwk))).resolves.toEqual(payload);
    const cryptoKey = await crypto.subtle.importKey(
      'raw',
      secret,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    await expect(validateToken(jwt, config(cryptoKey))).resolves.toEqual(payload);
  });

  it('a 256-bit secret verifies HS256 only (RFC 7518 §3.2: HS384 needs 384 bits)', async () => {
    const jwt = await sign({ secret }, payload, { alg: 'HS384' });
    await expectCode(validateToken(jwt, config(octJwk)), 'ERR_JWT_ALG_NOT_ALLOWED');
  });

  it('key confusion: HS256 signed with the RSA public key text never validates', async () => {
    const pem = new TextEncoder().encode(await publicPem(rsa));
    const jwkText = new TextEncoder().encode(JSON.stringify(rsa.jwk));
    for (const attackerSecret of [pem, jwkText]) {
      const jwt = await sign({ secret: attackerSecret, kid: rsa.kid! }, payload);
      await expectCode(validateToken(jwt, config(rsa.jwk)), 'ERR_JWT_ALG_NOT_ALLOWED');
      await expectCode(validateToken(jwt, config(rsa.publicKey)), 'ERR_JWT_ALG_NOT_ALLOWED');
      // Even when the allowlist names HS256, an RSA key never verifies HMAC.
      await expectCode(
        validateToken(jwt, config(rsaNoAlg, { algorithms: ['HS256', 'RS256'] })),
        'ERR_JWT_ALG_NOT_ALLOWED',
      );
    }
  });

  it('an asymmetric token with a symmetric key: ERR_JWT_ALG_NOT_ALLOWED', async () => {
    await expectCode(
      validateToken(await sign(rsa, payload), config(octJwk)),
      'ERR_JWT_ALG_NOT_ALLOWED',
    );
  });

  it('alg none is refused with a symmetric key too', async () => {
    await expectCode(validateToken(unsigned(payload), config(octJwk)), 'ERR_JWT_ALG_NOT_ALLOWED');
  });
});

describe('configurations refused before the token is read (ERR_CONFIGURATION)', () => {
  const garbage = 'not-a-token';

  it.each([
    ['verifySignature false', { options: { verifySignature: false } }],
    ['verifyExp false', { options: { verifyExp: false } }],
    ['verifyNbf false', { options: { verifyNbf: false } }],
    ['verifyIat false', { options: { verifyIat: false } }],
    ['algorithms with none', { algorithms: ['RS256', 'none'] }],
    ['algorithms with NONE', { algorithms: ['NONE'] }],
    ['algorithms with None', { algorithms: ['None', 'ES256'] }],
    ['an empty algorithms list', { algorithms: [] }],
    ['algorithms naming nothing supported', { algorithms: ['RS1', 'foo'] }],
    ['no key and no discovery', { key: undefined }],
    ['performDisco not a boolean', { performDisco: 'yes' as unknown as boolean }],
    ['maxTokenSize 0', { maxTokenSize: 0 }],
    ['now not a function', { now: NOW as unknown as () => number }],
    ['audience an empty string', { audience: '' }],
    ['typ an empty list', { typ: [] }],
    ['options not an object', { options: 'strict' as unknown as object }],
  ])('%s', async (_, extra) => {
    const error = await expectCode(
      validateToken(garbage, { key: rsa.jwk, now, ...extra } as TokenValidationConfig),
      'ERR_CONFIGURATION',
    );
    expect(error).toBeInstanceOf(ConfigurationError);
  });

  it('performDisco without a discovery address', async () => {
    const jwt = await sign(rsa, payload);
    await expectCode(validateToken(jwt, { performDisco: true, now }), 'ERR_CONFIGURATION');
    await expectCode(validateToken(jwt, { performDisco: true, now }, ''), 'ERR_CONFIGURATION');
  });

  it('a config that is not an object', async () => {
    await expectCode(
      validateToken(garbage, null as unknown as TokenValidationConfig),
      'ERR_CONFIGURATION',
    );
  });

  it('verifySignature and verifyExp set to true are accepted', async () => {
    const jwt = await sign(rsa, payload);
    await expect(
      validateToken(jwt, config(rsa.jwk, { options: { verifySignature: true, verifyExp: true } })),
    ).resolves.toEqual(payload);
  });
});
