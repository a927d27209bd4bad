/**
 * Protected-header checks that come before any key is touched (RFC 7515 §4.1, RFC 8725 §3.1).
 *
 * @module
 */

import { AlgorithmNotAllowedError, CriticalHeaderError, InvalidTypeError } from '../errors.js';
import { isKnownAlgorithm, isNoneAlgorithm, type JwsAlgorithm } from '../jws/algorithms.js';
import { normaliseTyp } from './config.js';
import type { JwtHeader } from './types.js';

/**
 * Checks, in order: `alg` is not `none` (refused whatever the allowlist says); `crit` (no
 * extension is understood, so any `crit` is refused); the required `typ`; `alg` is in `allowed`. `jku`, `x5u`,
 * `jwk` and `x5c` are never read: keys come only from the configuration or discovery.
 */
export function checkHeader(
  header: JwtHeader,
  allowed: readonly string[],
  typ: readonly string[] | undefined,
): JwsAlgorithm {
  const { alg } = header;
  // An unsigned token is named as such first, whatever else its header says.
  if (isNoneAlgorithm(alg)) {
    throw new AlgorithmNotAllowedError('JWT "alg" none is never accepted: the token is unsigned');
  }
  if (header.crit !== undefined) {
    throw new CriticalHeaderError(
      `JWT header "crit" names extensions this library does not process (${JSON.stringify(header.crit)})`,
    );
  }
  if (typ !== undefined) {
    const actual = header.typ;
    // `typ` holds normalised values (lower case, no `application/`): a header value already in
    // that form, the usual case, is found without building a normalised copy of it.
    const found =
      actual !== undefined &&
      ((!actual.startsWith('application/') && typ.includes(actual)) ||
        typ.includes(normaliseTyp(actual)));
    if (!found) {
      throw new InvalidTypeError(
        `JWT "typ" ${header.typ === undefined ? 'is missing' : `"${header.typ}"`}; expected ${typ.join(' or ')}`,
      );
    }
  }
  if (!isKnownAlgorithm(alg) || !allowed.includes(alg)) {
    throw new AlgorithmNotAllowedError(
      `JWT "alg" ${JSON.stringify(alg)} is not allowed (allowed: ${allowed.join(', ') || 'none'})`,
    );
  }
  return alg;
}
