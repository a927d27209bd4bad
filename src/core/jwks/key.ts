/**
 * Checking one JSON Web Key before it may verify anything (RFC 7517 §4, RFC 7518 §6, RFC 8037).
 *
 * @module
 */

import { ALGORITHMS, isKnownAlgorithm, type JwsAlgorithm } from '../jws/algorithms.js';
import { decodeBase64url } from '../lib/base64url.js';

/** A JSON Web Key with the members WebCrypto's `JsonWebKey` type leaves out (RFC 7517 §4). */
export type Jwk = JsonWebKey & {
  /** Key ID (RFC 7517 §4.5): matched against a token's `kid` header. */
  kid?: string;
  /** Intended use (RFC 7517 §4.2): only `sig` keys verify. */
  use?: string;
  /** X.509 certificate chain (RFC 7517 §4.7); kept as published, never used to find a key. */
  x5c?: string[];
};

/** A public signature-verification key that passed every check. Plain data (cloneable). */
export interface VerificationKey {
  readonly kid: string | undefined;
  readonly kty: 'RSA' | 'EC' | 'OKP';
  /** The key's own `alg`, when it names one: tokens must then use exactly that algorithm. */
  readonly alg: JwsAlgorithm | undefined;
  readonly crv: string | undefined;
  /** Only the public members WebCrypto needs (no `alg`/`use`/`key_ops`/`ext`). */
  readonly publicJwk: Readonly<JsonWebKey>;
}

/** Result of {@link checkJwk}: the usable key, or why it was skipped. */
export type JwkCheck = { key: VerificationKey } | { reason: string };

/** Smallest RSA modulus accepted, in bits (RFC 7518 §3.3, NIST SP 800-131A). */
export const MIN_RSA_BITS = 2048;

const EC_COORDINATE_BYTES: Readonly<Record<string, number>> = {
  'P-256': 32,
  'P-384': 48,
  'P-521': 66,
};
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;
function b64(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return decodeBase64url(value);
}

function rsaBits(modulus: Uint8Array): number {
  let i = 0;
  while (i < modulus.length && modulus[i] === 0) i++;
  if (i === modulus.length) return 0;
  return (modulus.length - i) * 8 - Math.clz32(modulus[i]!) + 24;
}

/**
 * Checks a JWK from a JWK Set. A key is usable to verify only when: its `kty` is RSA (`n`, `e`,
 * modulus ≥ 2048 bits), EC (`crv` P-256/P-384/P-521 with `x`, `y` of the right length) or OKP
 * (`crv` Ed25519 with `x`); it has no private members; `use`, when present, is `sig`;
 * `key_ops`, when present, includes `verify`; `alg`, when present, is a signature algorithm
 * that fits the key type and curve; `kid`, when present, is a string. Symmetric (`oct`) keys
 * are never taken from a key set.
 */
export function checkJwk(value: unknown): JwkCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { reason: 'not a JSON object' };
  }
  const jwk = value as Record<string, unknown>;
  const { kty, kid, use, alg } = jwk;
  const keyOps = jwk.key_ops;
  if (typeof kty !== 'string') return { reason: '"kty" is missing or not a string' };
  if (kid !== undefined && typeof kid !== 'string') return { reason: '"kid" is not a string' };
  if (kty === 'oct') return { reason: 'symmetric keys are never taken from a key set' };
  if (PRIVATE_MEMBERS.some((member) => Object.hasOwn(jwk, member))) {
    return { reason: 'contains private key members' };
  }
  if (use !== undefined && use !== 'sig')
    return { reason: `"use" is ${JSON.stringify(use)}, not "sig"` };
  if (keyOps !== undefined) {
    if (!Array.isArray(keyOps) || keyOps.some((op) => typeof op !== 'string')) {
      return { reason: '"key_ops" is not an array of strings' };
    }
    if (!keyOps.includes('verify')) return { reason: '"key_ops" does not include "verify"' };
  }
  if (alg !== undefined && (!isKnownAlgorithm(alg) || ALGORITHMS[alg].kty === 'oct')) {
    return { reason: `"alg" ${JSON.stringify(alg)} is not a supported signature algorithm` };
  }
  const keyAlg = alg as JwsAlgorithm | undefined;
  if (keyAlg !== undefined && ALGORITHMS[keyAlg].kty !== kty) {
    return { reason: `"alg" ${keyAlg} does not fit "kty" ${kty}` };
  }
  const base = { kid: kid as string | undefined, alg: keyAlg };

  if (kty === 'RSA') {
    const n = b64(jwk.n);
    const e = b64(jwk.e);
    if (!n || !e) return { reason: 'RSA key needs base64url "n" and "e"' };
    const bits = rsaBits(n);
    if (bits < MIN_RSA_BITS)
      return { reason: `RSA modulus of ${bits} bits is under ${MIN_RSA_BITS}` };
    return {
      key: {
        ...base,
        kty,
        crv: undefined,
        publicJwk: { kty, n: jwk.n as string, e: jwk.e as string },
      },
    };
  }
  if (kty === 'EC') {
    const crv = jwk.crv;
    const size = typeof crv === 'string' ? EC_COORDINATE_BYTES[crv] : undefined;
    if (size === undefined) return { reason: `EC curve ${JSON.stringify(crv)} is not supported` };
    if (b64(jwk.x)?.length !== size || b64(jwk.y)?.length !== size) {
      return { reason: `EC key needs base64url "x" and "y" of ${size} bytes` };
    }
    if (keyAlg !== undefined && ALGORITHMS[keyAlg].crv !== crv) {
      return { reason: `"alg" ${keyAlg} does not fit curve ${crv as string}` };
    }
    return {
      key: {
        ...base,
        kty,
        crv: crv as string,
        publicJwk: { kty, crv: crv as string, x: jwk.x as string, y: jwk.y as string },
      },
    };
  }
  if (kty === 'OKP') {
    if (jwk.crv !== 'Ed25519')
      return { reason: `OKP curve ${JSON.stringify(jwk.crv)} is not supported` };
    if (b64(jwk.x)?.length !== 32)
      return { reason: 'Ed25519 key needs a base64url "x" of 32 bytes' };
    return {
      key: { ...base, kty, crv: 'Ed25519', publicJwk: { kty, crv: 'Ed25519', x: jwk.x as string } },
    };
  }
  return { reason: `"kty" ${JSON.stringify(kty)} is not supported` };
}

/** True when `key` may verify a token signed with `alg` (type, curve and the key's own `alg`). */
export function keyFitsAlgorithm(key: VerificationKey, alg: JwsAlgorithm): boolean {
  const info = ALGORITHMS[alg];
  if (info.kty !== key.kty) return false;
  if (info.crv !== undefined && info.crv !== key.crv) return false;
  if (key.alg === undefined) return true;
  // EdDSA and Ed25519 name the same algorithm on an Ed25519 key (RFC 8037, RFC 9864).
  return key.alg === alg || (key.crv === 'Ed25519' && ALGORITHMS[key.alg].crv === 'Ed25519');
}
