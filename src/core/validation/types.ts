/**
 * @module
 */

/**
 * Verified JWT claims (RFC 7519 §4). Registered claims are typed as the library has checked
 * them; other claims are `unknown` until you check them.
 */
export interface JwtClaims {
  readonly iss?: string;
  readonly sub?: string;
  readonly aud?: string | readonly string[];
  readonly exp?: number;
  readonly nbf?: number;
  readonly iat?: number;
  readonly jti?: string;
  readonly [claim: string]: unknown;
}

/** A JWS protected header (RFC 7515 §4). */
export interface JwtHeader {
  readonly alg: string;
  readonly kid?: string;
  readonly typ?: string;
  readonly [parameter: string]: unknown;
}
