/**
 * DPoP key pairs (RFC 9449 §4.1): generation per algorithm, non-extractable private keys, and
 * the choice of algorithm from `dpop_signing_alg_values_supported`.
 */
import { describe, expect, it } from 'vitest';
import {
  chooseDpopAlgorithm,
  createDpopHandle,
  generateDpopKeyPair,
} from '../../../src/core/dpop/index.js';
import { ConfigurationError } from '../../../src/core/errors.js';

describe('generateDpopKeyPair', () => {
  it('DPOP-007 ES256 gives an EC P-256 key pair whose private key cannot be exported', async () => {
    const { privateKey, publicKey } = await generateDpopKeyPair();
    expect(privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', privateKey)).rejects.toThrow();
    expect(publicKey.extractable).toBe(true);
    expect(privateKey.usages).toEqual(['sign']);
  });

  it('DPOP-007 RS256 gives an RSA key pair with a modulus of at least 2048 bits', async () => {
    const { privateKey } = await generateDpopKeyPair('RS256');
    const algorithm = privateKey.algorithm as RsaHashedKeyAlgorithm;
    expect(algorithm.name).toBe('RSASSA-PKCS1-v1_5');
    expect(algorithm.hash.name).toBe('SHA-256');
    expect(algorithm.modulusLength).toBeGreaterThanOrEqual(2048);
    await expect(generateDpopKeyPair('RS256', { modulusLength: 1024 })).rejects.toThrow(
      ConfigurationError,
    );
  });

  it('DPOP-007 an unsupported or symmetric algorithm is rejected with an error', async () => {
    for (const alg of ['HS256', 'none', 'ES256K', '']) {
      await expect(generateDpopKeyPair(alg as 'ES256')).rejects.toThrow(ConfigurationError);
    }
  });

  it('extractable: true is possible when the caller asks for it', async () => {
    const { privateKey } = await generateDpopKeyPair('ES256', { extractable: true });
    expect((await crypto.subtle.exportKey('jwk', privateKey)).d).toBeTruthy();
  });

  it('the handle signs with a non-extractable key and gives its thumbprint', async () => {
    const handle = createDpopHandle(await generateDpopKeyPair('ES384'));
    expect(await handle.thumbprint()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(() => createDpopHandle({} as CryptoKeyPair)).toThrow(ConfigurationError);
  });
});

describe('chooseDpopAlgorithm', () => {
  it('ES256 when offered or when the provider says nothing', () => {
    expect(chooseDpopAlgorithm(undefined)).toBe('ES256');
    expect(chooseDpopAlgorithm([])).toBe('ES256');
    expect(chooseDpopAlgorithm(['RS256', 'ES256'])).toBe('ES256');
  });

  it('another offered algorithm when ES256 is not; unknown values are ignored', () => {
    expect(chooseDpopAlgorithm(['XYZ', 'RS256'])).toBe('RS256');
    expect(chooseDpopAlgorithm(['PS256', 'ES384'])).toBe('ES384');
    expect(chooseDpopAlgorithm(['HS256', 'XYZ'])).toBeUndefined();
  });
});
