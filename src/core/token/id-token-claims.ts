/**
 * The claim checks that make a verified JWT an ID Token for this client (OpenID Connect Core
 * §3.1.3.7 steps 3, 10, 13 and the hash checks of §3.1.3.8, §3.3.2.11), run by
 * `validateIdToken` after `validateJwt`'s own checks.
 *
 * @module
 */

import {
  InvalidAudienceError,
  InvalidClaimError,
  InvalidTypeError,
  MissingClaimError,
} from '../errors.js';
import { ALGORITHMS, type JwsAlgorithm } from '../jws/algorithms.js';
import { encodeBase64url } from '../lib/base64url.js';
import { normaliseTyp } from '../validation/config.js';
import type { JwtClaims, JwtHeader } from '../validation/types.js';

/** `typ` values of other JWTs that must never be taken for an ID Token (normalised). */
const OTHER_JWT_TYPES = new Set([
  'at+jwt', // RFC 9068 access token
  'logout+jwt', // OpenID Connect Back-Channel Logout token
  'secevent+jwt', // RFC 8417 security event token
  'dpop+jwt', // RFC 9449 proof
  'token-introspection+jwt', // RFC 9701
]);

/** Refuses JWTs typed for another purpose (an access token, a logout token, …). */
export function checkIdTokenType(header: JwtHeader): void {
  if (typeof header.typ === 'string' && OTHER_JWT_TYPES.has(normaliseTyp(header.typ))) {
    throw new InvalidTypeError(`A JWT of type "${header.typ}" is not an ID Token`);
  }
}

/** Every `aud` value must be trusted: the client itself or a listed audience. */
export function checkTrustedAudiences(claims: JwtClaims, trusted: ReadonlySet<string>): void {
  // validateJwt has checked that `aud` is a string or a non-empty array of strings.
  const list = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
  const untrusted = list.find((aud) => !trusted.has(aud));
  if (untrusted !== undefined) {
    throw new InvalidAudienceError(
      `ID Token audience ${JSON.stringify(untrusted)} is not trusted by the client`,
    );
  }
}

/** `auth_time`: a NumericDate when present; required and not older than `maxAge + leeway` when asked. */
export function checkAuthTime(
  claims: JwtClaims,
  required: boolean,
  maxAge: number | undefined,
  leeway: number,
  nowSeconds: number,
): void {
  if (!Object.hasOwn(claims, 'auth_time')) {
    if (required) {
      throw new MissingClaimError('ID Token has no "auth_time" claim', { claim: 'auth_time' });
    }
    return;
  }
  const authTime = claims.auth_time;
  if (typeof authTime !== 'number' || !Number.isFinite(authTime)) {
    throw new InvalidClaimError('ID Token "auth_time" must be a NumericDate (a JSON number)', {
      claim: 'auth_time',
    });
  }
  if (maxAge !== undefined && nowSeconds - authTime > maxAge + leeway) {
    throw new InvalidClaimError(
      `The end-user authenticated too long ago (auth_time ${authTime}, now ${Math.floor(nowSeconds)}, max_age ${maxAge} s, leeway ${leeway} s)`,
      { claim: 'auth_time' },
    );
  }
}

/**
 * `at_hash` / `c_hash`: a string when present; equal to the hash of `value` when one is given,
 * and required then when `required`.
 */
export async function checkTokenHash(
  claims: JwtClaims,
  header: JwtHeader,
  claim: 'at_hash' | 'c_hash',
  value: string | undefined,
  required: boolean,
): Promise<void> {
  if (!Object.hasOwn(claims, claim)) {
    if (value !== undefined && required) {
      throw new MissingClaimError(`ID Token has no "${claim}" claim`, { claim });
    }
    return;
  }
  const actual = claims[claim];
  if (typeof actual !== 'string') {
    throw new InvalidClaimError(`ID Token "${claim}" must be a string`, { claim });
  }
  if (value === undefined) return;
  // validateJwt has accepted the header's alg, so it is a known algorithm.
  const expected = await leftHalfHash(value, ALGORITHMS[header.alg as JwsAlgorithm].hashBits);
  if (actual !== expected) {
    throw new InvalidClaimError(
      `ID Token "${claim}" does not match the ${claim === 'at_hash' ? 'access token' : 'authorization code'}`,
      { claim },
    );
  }
}

/**
 * `at_hash` / `c_hash` of `value`: base64url of the left-most half of its hash (OpenID Connect
 * Core §3.1.3.6, §3.3.2.11).
 */
export async function leftHalfHash(value: string, bits: 256 | 384 | 512): Promise<string> {
  const digest = await crypto.subtle.digest(`SHA-${bits}`, new TextEncoder().encode(value));
  return encodeBase64url(new Uint8Array(digest, 0, bits / 16));
}
