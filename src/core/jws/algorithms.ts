/**
 * JWS algorithms (RFC 7518 §3, RFC 8037) and how WebCrypto verifies each.
 *
 * @module
 */

/** A JWS `alg` the library can verify. */
export type JwsAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'Ed25519'
  | 'HS256'
  | 'HS384'
  | 'HS512';

/** What a key must look like for an algorithm, and the WebCrypto parameters to verify with it. */
export interface AlgorithmInfo {
  /** The JWK `kty` it needs. */
  kty: 'RSA' | 'EC' | 'OKP' | 'oct';
  /** The JWK `crv` it needs (EC, OKP). */
  crv?: string;
  /** Hash size in bits (also used for `at_hash` / `c_hash`, OIDC Core §3.1.3.6). */
  hashBits: 256 | 384 | 512;
  /** `crypto.subtle.verify` algorithm parameter. */
  verify: AlgorithmIdentifier | RsaPssParams | EcdsaParams;
  /** `crypto.subtle.importKey` algorithm parameter. */
  import: AlgorithmIdentifier | RsaHashedImportParams | EcKeyImportParams | HmacImportParams;
  /** Signature length in bytes when fixed (ECDSA raw r‖s, EdDSA). */
  signatureLength?: number;
}

const rsa = (name: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS', bits: 256 | 384 | 512): AlgorithmInfo => ({
  kty: 'RSA',
  hashBits: bits,
  verify: name === 'RSA-PSS' ? { name, saltLength: bits / 8 } : { name },
  import: { name, hash: `SHA-${bits}` },
});

const ec = (crv: string, bits: 256 | 384 | 512, signatureLength: number): AlgorithmInfo => ({
  kty: 'EC',
  crv,
  hashBits: bits,
  verify: { name: 'ECDSA', hash: `SHA-${bits}` },
  import: { name: 'ECDSA', namedCurve: crv },
  signatureLength,
});

const hmac = (bits: 256 | 384 | 512): AlgorithmInfo => ({
  kty: 'oct',
  hashBits: bits,
  verify: { name: 'HMAC' },
  import: { name: 'HMAC', hash: `SHA-${bits}` },
});

const ed25519: AlgorithmInfo = {
  kty: 'OKP',
  crv: 'Ed25519',
  hashBits: 512,
  verify: { name: 'Ed25519' },
  import: { name: 'Ed25519' },
  signatureLength: 64,
};

/** Every algorithm the library verifies. `none` is absent on purpose. */
export const ALGORITHMS: Readonly<Record<JwsAlgorithm, AlgorithmInfo>> = {
  RS256: rsa('RSASSA-PKCS1-v1_5', 256),
  RS384: rsa('RSASSA-PKCS1-v1_5', 384),
  RS512: rsa('RSASSA-PKCS1-v1_5', 512),
  PS256: rsa('RSA-PSS', 256),
  PS384: rsa('RSA-PSS', 384),
  PS512: rsa('RSA-PSS', 512),
  ES256: ec('P-256', 256, 64),
  ES384: ec('P-384', 384, 96),
  ES512: ec('P-521', 512, 132),
  EdDSA: ed25519,
  Ed25519: ed25519,
  HS256: hmac(256),
  HS384: hmac(384),
  HS512: hmac(512),
};

/** The asymmetric algorithms: the only ones used with keys from a JWK Set or discovery. */
export const ASYMMETRIC_ALGORITHMS: readonly JwsAlgorithm[] = (
  Object.keys(ALGORITHMS) as JwsAlgorithm[]
).filter((alg) => ALGORITHMS[alg].kty !== 'oct');

/** The HMAC algorithms: used only with a symmetric key the caller passes explicitly. */
export const SYMMETRIC_ALGORITHMS: readonly JwsAlgorithm[] = ['HS256', 'HS384', 'HS512'];

/** True when `alg` is an algorithm the library implements (case-sensitive, RFC 7515 §4.1.1). */
export function isKnownAlgorithm(alg: unknown): alg is JwsAlgorithm {
  return typeof alg === 'string' && Object.hasOwn(ALGORITHMS, alg);
}

/**
 * True for `alg` none in any letter case: the unsecured JWS (RFC 7518 §3.6), never accepted.
 * Compares without allocating a lower-cased copy of every other `alg`.
 */
export function isNoneAlgorithm(alg: string): boolean {
  return alg.length === 4 && alg.toLowerCase() === 'none';
}
