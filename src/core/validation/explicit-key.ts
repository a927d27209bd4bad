/**
 * A verification key given in the configuration (`config.key`): a JWK or a `CryptoKey`.
 *
 * @module
 */

import { ValidationConfigurationError } from '../errors.js';
import { importVerificationKey } from '../jwks/import.js';
import { checkJwk, keyFitsAlgorithm, MIN_RSA_BITS } from '../jwks/key.js';
import {
  ALGORITHMS,
  ASYMMETRIC_ALGORITHMS,
  isKnownAlgorithm,
  type JwsAlgorithm,
  SYMMETRIC_ALGORITHMS,
} from '../jws/algorithms.js';
import { decodeBase64url } from '../lib/base64url.js';

/** A configured key, ready to verify the algorithms it fits. */
export interface ExplicitKey {
  /** The algorithms this key may verify (before intersecting with `config.algorithms`). */
  readonly algorithms: readonly JwsAlgorithm[];
  /** The `CryptoKey` for `alg` (one of {@link algorithms}). */
  cryptoKey(alg: JwsAlgorithm): Promise<CryptoKey>;
}

const prepared = new WeakMap<object, ExplicitKey>();

const HASH_OF: Readonly<Record<string, 256 | 384 | 512>> = {
  'SHA-256': 256,
  'SHA-384': 384,
  'SHA-512': 512,
};

function fromCryptoKey(key: CryptoKey): ExplicitKey {
  if (!key.usages.includes('verify')) {
    throw new ValidationConfigurationError(
      '"config.key" is a CryptoKey without the "verify" usage',
    );
  }
  const algorithm = key.algorithm as KeyAlgorithm & {
    hash?: { name: string };
    namedCurve?: string;
    modulusLength?: number;
    length?: number;
  };
  const bits = algorithm.hash ? HASH_OF[algorithm.hash.name] : undefined;
  // The floors a JWK must meet hold for a CryptoKey too.
  if (algorithm.modulusLength !== undefined && algorithm.modulusLength < MIN_RSA_BITS) {
    throw new ValidationConfigurationError(
      `"config.key" is an RSA CryptoKey of ${algorithm.modulusLength} bits, under ${MIN_RSA_BITS}`,
    );
  }
  if (algorithm.name === 'HMAC' && bits !== undefined && (algorithm.length ?? 0) < bits) {
    throw new ValidationConfigurationError(
      '"config.key" is an HMAC CryptoKey shorter than its hash output (RFC 7518 §3.2)',
    );
  }
  const fits = (Object.keys(ALGORITHMS) as JwsAlgorithm[]).filter((alg) => {
    const info = ALGORITHMS[alg];
    const name = (info.import as { name: string }).name;
    if (name !== algorithm.name) return false;
    if (algorithm.hash) return info.hashBits === bits;
    if (algorithm.namedCurve) return info.crv === algorithm.namedCurve;
    return true;
  });
  if (fits.length === 0) {
    throw new ValidationConfigurationError(
      `"config.key" is a ${algorithm.name} CryptoKey, which verifies no supported JWS algorithm`,
    );
  }
  return { algorithms: fits, cryptoKey: async () => key };
}

function fromSymmetricJwk(jwk: JsonWebKey): ExplicitKey {
  const secret = typeof jwk.k === 'string' ? decodeBase64url(jwk.k) : undefined;
  if (!secret || secret.length === 0) {
    throw new ValidationConfigurationError('"config.key.k" must be base64url');
  }
  const algorithms = SYMMETRIC_ALGORITHMS.filter(
    // RFC 7518 §3.2: the key must be at least as long as the hash output.
    (alg) =>
      (jwk.alg === undefined || jwk.alg === alg) && secret.length * 8 >= ALGORITHMS[alg].hashBits,
  );
  if (algorithms.length === 0) {
    throw new ValidationConfigurationError(
      '"config.key" is a symmetric key too short for its algorithm (RFC 7518 §3.2)',
    );
  }
  const keys = new Map<JwsAlgorithm, Promise<CryptoKey>>();
  return {
    algorithms,
    cryptoKey(alg) {
      let key = keys.get(alg);
      if (!key) {
        key = crypto.subtle.importKey(
          'raw',
          secret as Uint8Array<ArrayBuffer>,
          ALGORITHMS[alg].import,
          false,
          ['verify'],
        );
        keys.set(alg, key);
      }
      return key;
    },
  };
}

/**
 * Prepares `config.key` once per key object. HMAC is possible only here, with an `oct` JWK or
 * an HMAC `CryptoKey` (no shorter than its hash output; an `oct` JWK's `use`/`key_ops`, when
 * present, must allow verifying); an asymmetric JWK goes through the same checks as keys from a
 * JWK Set (no private members, RSA ≥ 2048 bits, `use`/`key_ops`/`alg` consistent); a
 * `CryptoKey` needs the `verify` usage and, for RSA, 2048 bits or more.
 */
export function prepareExplicitKey(key: JsonWebKey | CryptoKey): ExplicitKey {
  const known = prepared.get(key);
  if (known) return known;
  let result: ExplicitKey;
  if (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey) {
    result = fromCryptoKey(key);
  } else {
    const jwk = key as JsonWebKey;
    if (jwk.kty === 'oct') {
      if (jwk.alg !== undefined && !SYMMETRIC_ALGORITHMS.includes(jwk.alg as JwsAlgorithm)) {
        throw new ValidationConfigurationError(
          `"config.key.alg" ${jwk.alg} is not an HMAC algorithm`,
        );
      }
      if (jwk.use !== undefined && jwk.use !== 'sig') {
        throw new ValidationConfigurationError(
          `"config.key.use" is ${JSON.stringify(jwk.use)}, not "sig"`,
        );
      }
      if (
        jwk.key_ops !== undefined &&
        !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))
      ) {
        throw new ValidationConfigurationError('"config.key.key_ops" does not include "verify"');
      }
      result = fromSymmetricJwk(jwk);
    } else {
      const checked = checkJwk(jwk);
      if (!('key' in checked)) {
        throw new ValidationConfigurationError(`"config.key" cannot verify: ${checked.reason}`);
      }
      const verificationKey = checked.key;
      const algorithms = ASYMMETRIC_ALGORITHMS.filter(
        (alg) => isKnownAlgorithm(alg) && keyFitsAlgorithm(verificationKey, alg),
      );
      result = {
        algorithms,
        cryptoKey: (alg) => importVerificationKey(verificationKey, alg),
      };
    }
  }
  prepared.set(key, result);
  return result;
}
