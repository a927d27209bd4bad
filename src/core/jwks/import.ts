/**
 * Turning checked JWKs into `CryptoKey`s, once per key and algorithm.
 *
 * @module
 */

import { ALGORITHMS, type JwsAlgorithm } from '../jws/algorithms.js';
import type { VerificationKey } from './key.js';

// Keyed by the cached key object: entries go when the key set leaves the cache. Settled keys
// are kept apart from pending imports so the hot path can read them without awaiting.
const pending = new WeakMap<VerificationKey, Map<JwsAlgorithm, Promise<CryptoKey>>>();
const ready = new WeakMap<VerificationKey, Map<JwsAlgorithm, CryptoKey>>();

/** The imported key when it is ready, without waiting. */
export function importedKey(key: VerificationKey, alg: JwsAlgorithm): CryptoKey | undefined {
  return ready.get(key)?.get(alg);
}

/**
 * The `CryptoKey` that verifies `alg` signatures with `key` (non-extractable, `verify` only),
 * imported on first use and cached.
 */
export function importVerificationKey(key: VerificationKey, alg: JwsAlgorithm): Promise<CryptoKey> {
  let byAlg = pending.get(key);
  if (!byAlg) {
    byAlg = new Map();
    pending.set(key, byAlg);
  }
  let promise = byAlg.get(alg);
  if (!promise) {
    const requests = byAlg;
    promise = crypto.subtle
      .importKey('jwk', key.publicJwk, ALGORITHMS[alg].import, false, ['verify'])
      .then(
        (cryptoKey) => {
          let settled = ready.get(key);
          if (!settled) {
            settled = new Map();
            ready.set(key, settled);
          }
          settled.set(alg, cryptoKey);
          return cryptoKey;
        },
        (error: unknown) => {
          // Not cached: the next attempt may come with a refreshed key set.
          requests.delete(alg);
          throw error;
        },
      );
    byAlg.set(alg, promise);
  }
  return promise;
}
