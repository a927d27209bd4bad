/**
 * Checking a JWK Set: one bad key is skipped and reported, never fatal.
 *
 * @module
 */

import { JwksError } from '../errors.js';
import type { JsonObject } from '../http/json.js';
import { deepFreeze } from '../lib/freeze.js';
import { checkJwk, type VerificationKey } from './key.js';

/** Most keys accepted in one set; a larger set is refused (`ERR_JWKS_TOO_MANY_KEYS`). */
export const MAX_JWKS_KEYS = 100;

/** A key the library will not use, and why. */
export interface SkippedKey {
  /** Position in the set's `keys` array. */
  readonly index: number;
  /** The key's `kid`, when it has one. */
  readonly kid: string | undefined;
  /** Why it cannot verify, in words (e.g. wrong `use`, private members, RSA under 2048 bits). */
  readonly reason: string;
}

/** A checked key set: plain data, safe to cache and to store. */
export interface KeySet {
  /** Usable verification keys, in the set's order. */
  readonly keys: readonly VerificationKey[];
  /** Keys left out, with the reason. */
  readonly skipped: readonly SkippedKey[];
  /** The set as sent. */
  readonly raw: JsonObject;
}

/**
 * Checks every key of `raw`. Throws {@link JwksError}: `ERR_JWKS_INVALID` when `raw` is not
 * `{ "keys": [...] }`, `ERR_JWKS_TOO_MANY_KEYS` over {@link MAX_JWKS_KEYS}, and
 * `ERR_JWKS_NO_USABLE_KEYS` when no key can verify signatures.
 */
export function parseKeySet(raw: JsonObject, source = 'the JWK Set'): KeySet {
  const list = raw.keys;
  if (!Array.isArray(list)) {
    throw new JwksError('ERR_JWKS_INVALID', `${source} has no "keys" array`);
  }
  if (list.length > MAX_JWKS_KEYS) {
    throw new JwksError(
      'ERR_JWKS_TOO_MANY_KEYS',
      `${source} has ${list.length} keys; at most ${MAX_JWKS_KEYS} are accepted`,
    );
  }
  const keys: VerificationKey[] = [];
  const skipped: SkippedKey[] = [];
  list.forEach((value, index) => {
    const result = checkJwk(value);
    if ('key' in result) keys.push(result.key);
    else {
      const kid = (value as { kid?: unknown } | null)?.kid;
      skipped.push({
        index,
        kid: typeof kid === 'string' ? kid : undefined,
        reason: result.reason,
      });
    }
  });
  if (keys.length === 0) {
    const why = skipped.map((s) => `#${s.index}${s.kid ? ` (${s.kid})` : ''}: ${s.reason}`);
    throw new JwksError(
      'ERR_JWKS_NO_USABLE_KEYS',
      `${source} has no usable signature key${why.length ? ` (${why.join('; ')})` : ' (it is empty)'}`,
    );
  }
  // Shared by every caller of the cache: frozen so no caller can change what another verifies with.
  return deepFreeze({ keys, skipped, raw });
}
