/**
 * Grant types, the values of the token request's `grant_type`. A port of Duende.IdentityModel's
 * `OidcConstants.GrantTypes`.
 *
 * @module
 */

/**
 * `grant_type` values.
 *
 * @example
 * ```ts
 * body.set(TokenRequestParameters.grantType, GrantTypes.deviceCode);
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4 RFC 6749 §4
 * @see https://www.iana.org/assignments/oauth-parameters/oauth-parameters.xhtml#uri IANA "OAuth URI" registry
 */
export const GrantTypes = {
  /** `authorization_code` (RFC 6749 §4.1.3). */
  authorizationCode: 'authorization_code',
  /** `client_credentials` (RFC 6749 §4.4.2). */
  clientCredentials: 'client_credentials',
  /** `refresh_token` (RFC 6749 §6). */
  refreshToken: 'refresh_token',
  /**
   * `password`: the resource owner password credentials grant (RFC 6749 §4.3.2).
   *
   * @deprecated Forbidden by the OAuth 2.0 Security BCP (RFC 9700 §2.4); listed for completeness.
   */
  password: 'password',
  /**
   * `implicit`: only appears in metadata; the implicit flow has no token request (RFC 6749 §4.2).
   *
   * @deprecated Not recommended by the OAuth 2.0 Security BCP (RFC 9700 §2.1.2).
   */
  implicit: 'implicit',
  /** `urn:ietf:params:oauth:grant-type:device_code` (RFC 8628 §3.4). */
  deviceCode: 'urn:ietf:params:oauth:grant-type:device_code',
  /** `urn:ietf:params:oauth:grant-type:token-exchange` (RFC 8693 §2.1). */
  tokenExchange: 'urn:ietf:params:oauth:grant-type:token-exchange',
  /** `urn:ietf:params:oauth:grant-type:jwt-bearer`: a JWT as authorization grant (RFC 7523 §2.1). */
  jwtBearer: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
  /** `urn:ietf:params:oauth:grant-type:saml2-bearer` (RFC 7522 §2.1). */
  saml2Bearer: 'urn:ietf:params:oauth:grant-type:saml2-bearer',
  /** `urn:openid:params:grant-type:ciba` (OpenID CIBA Core §10.1). */
  ciba: 'urn:openid:params:grant-type:ciba',
} as const;

/** A `grant_type` value listed in {@link GrantTypes}. */
export type GrantType = (typeof GrantTypes)[keyof typeof GrantTypes];
