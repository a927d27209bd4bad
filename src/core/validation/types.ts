/**
 * @module
 */

/**
 * Verified JWT claims (RFC 7519 §4). Registered claims are typed as the library has checked
 * them; other claims are `unknown` until you check them.
 */
export interface JwtClaims {
  /** Issuer (RFC 7519 §4.1.1): who issued the token, compared as an exact string. */
  readonly iss?: string;
  /** Subject (RFC 7519 §4.1.2): whom the token is about, unique within its issuer. */
  readonly sub?: string;
  /** Audience (RFC 7519 §4.1.3): who the token is for; one string or an array of them. */
  readonly aud?: string | readonly string[];
  /** Expiration time (RFC 7519 §4.1.4), in seconds since the epoch. */
  readonly exp?: number;
  /** Not before (RFC 7519 §4.1.5), in seconds since the epoch. */
  readonly nbf?: number;
  /** Issued at (RFC 7519 §4.1.6), in seconds since the epoch. */
  readonly iat?: number;
  /** JWT ID (RFC 7519 §4.1.7): the token's unique identifier, for replay detection. */
  readonly jti?: string;
  readonly [claim: string]: unknown;
}

/** A JWS protected header (RFC 7515 §4). */
export interface JwtHeader {
  /**
   * The signing algorithm (RFC 7515 §4.1.1), e.g. `RS256`; checked against the allowlist, never
   * `none`.
   */
  readonly alg: string;
  /** Key ID (RFC 7515 §4.1.4): which key of the issuer's JWK Set signed the token. */
  readonly kid?: string;
  /**
   * Media type of the whole JWS (RFC 7515 §4.1.9), e.g. `at+jwt` (RFC 9068), `logout+jwt`,
   * `dpop+jwt`.
   */
  readonly typ?: string;
  readonly [parameter: string]: unknown;
}
