/**
 * HTTP header names of the OAuth protocols beyond `Authorization`. A port of py-identity-model's
 * `HttpHeaders` (Duende.IdentityModel's `OidcConstants.HttpHeaders`).
 *
 * @module
 */

/**
 * Header names. (HTTP header names are case-insensitive; these are the spellings the RFCs use.)
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.1 RFC 9449 §4.1 (`DPoP`) and §8.1 (`DPoP-Nonce`)
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3 RFC 6750 §3 (`WWW-Authenticate`)
 */
export const HttpHeaders = {
  /** `Authorization`: `Bearer <token>` or `DPoP <token>` (RFC 6750 §2.1, RFC 9449 §7.1). */
  authorization: 'Authorization',
  /** `DPoP`: the DPoP proof JWT (RFC 9449 §4.1). */
  dpop: 'DPoP',
  /** `DPoP-Nonce`: a server-provided nonce for the next proof (RFC 9449 §8.1, §9). */
  dpopNonce: 'DPoP-Nonce',
  /** `WWW-Authenticate`: a resource server's challenge (RFC 6750 §3, RFC 9449 §7.1). */
  wwwAuthenticate: 'WWW-Authenticate',
} as const;

/** A header name listed in {@link HttpHeaders}. */
export type HttpHeader = (typeof HttpHeaders)[keyof typeof HttpHeaders];
