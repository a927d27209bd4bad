/**
 * DPoP key pairs (RFC 9449 §4.1): generated with WebCrypto, the private key non-extractable by
 * default, and the choice of algorithm from what the provider advertises.
 *
 * @module
 */

import { ConfigurationError } from '../errors.js';
import { ALGORITHMS } from '../jws/algorithms.js';

/** The JWS algorithms a DPoP key pair can be generated for (asymmetric only, RFC 9449 §4.1). */
export type DpopAlgorithm =
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'Ed25519';

/** Every {@link DpopAlgorithm}, in order of preference (ES256 first: small, fast proofs). */
export const DPOP_ALGORITHMS: readonly DpopAlgorithm[] = Object.freeze([
  'ES256',
  'ES384',
  'ES512',
  'Ed25519',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
]);

/** Options of {@link generateDpopKeyPair}. */
export interface DpopKeyPairOptions {
  /**
   * Whether the private key may be exported. Default `false`: the key can sign while the code
   * holding it runs, and can never be copied out (the point of storing it as a `CryptoKey`).
   * The public key is always extractable (its JWK goes into every proof).
   */
  extractable?: boolean;
  /** RSA algorithms only: the modulus length in bits. Default `2048` (the minimum accepted). */
  modulusLength?: number;
}

/**
 * Generates a DPoP key pair for `alg` (default `ES256`) with WebCrypto. The private key is
 * non-extractable unless `extractable: true`. An algorithm outside {@link DPOP_ALGORITHMS}
 * (e.g. `HS256`, `none`) is a `ConfigurationError`.
 *
 * @example
 * ```ts
 * const keyPair = await generateDpopKeyPair(chooseDpopAlgorithm(disco.dpopSigningAlgValuesSupported));
 * const dpop = createDpopHandle(keyPair);
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.1 RFC 9449 §4.1
 */
export async function generateDpopKeyPair(
  alg: DpopAlgorithm = 'ES256',
  options: DpopKeyPairOptions = {},
): Promise<CryptoKeyPair> {
  if (!DPOP_ALGORITHMS.includes(alg)) {
    throw new ConfigurationError(
      `"alg" must be one of ${DPOP_ALGORITHMS.join(', ')} (asymmetric signatures), got ${JSON.stringify(alg)}`,
    );
  }
  const { extractable = false, modulusLength = 2048 } = options;
  if (!Number.isSafeInteger(modulusLength) || modulusLength < 2048) {
    throw new ConfigurationError('"options.modulusLength" must be an integer of at least 2048');
  }
  // The verification table's import parameters are the generation parameters too (plus an RSA
  // modulus); the worker bundle then carries one table of algorithms, not two.
  const params = ALGORITHMS[alg].import as RsaHashedImportParams | EcKeyGenParams;
  const algorithm: RsaHashedKeyGenParams | EcKeyGenParams = params.name.startsWith('RSA')
    ? {
        ...(params as RsaHashedImportParams),
        modulusLength,
        publicExponent: new Uint8Array([1, 0, 1]),
      }
    : (params as EcKeyGenParams);
  return crypto.subtle.generateKey(algorithm, extractable, [
    'sign',
    'verify',
  ]) as Promise<CryptoKeyPair>;
}

/**
 * The algorithm to generate a DPoP key for, given the provider's
 * `dpop_signing_alg_values_supported`: `ES256` when it is offered or the list is absent or
 * empty, else the first of {@link DPOP_ALGORITHMS} the provider offers. `undefined` when the
 * provider offers none the library can generate (unknown values are ignored).
 *
 * @example
 * ```ts
 * chooseDpopAlgorithm(['RS256', 'PS256']); // 'PS256' (ES256 not offered)
 * chooseDpopAlgorithm(disco.dpopSigningAlgValuesSupported); // 'ES256' when offered
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5.1 RFC 9449 §5.1
 */
export function chooseDpopAlgorithm(
  supported: readonly string[] | undefined,
): DpopAlgorithm | undefined {
  if (supported === undefined || supported.length === 0) return 'ES256';
  return DPOP_ALGORITHMS.find((alg) => supported.includes(alg));
}
