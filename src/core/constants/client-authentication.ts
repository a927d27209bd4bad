/**
 * Client authentication at the token endpoint family: the method names and the client assertion
 * types. A port of Duende.IdentityModel's `OidcConstants.EndpointAuthenticationMethods` and
 * `ClientAssertionTypes`.
 *
 * @module
 */

/**
 * Client authentication methods: values of `token_endpoint_auth_method` (client metadata) and
 * of `token_endpoint_auth_methods_supported` (discovery).
 *
 * @see https://www.iana.org/assignments/oauth-parameters/oauth-parameters.xhtml#token-endpoint-auth-method IANA "OAuth Token Endpoint Authentication Methods"
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication OIDC Core §9
 */
export const ClientAuthenticationMethods = {
  /** `client_secret_basic`: HTTP Basic with the client id and secret (RFC 6749 §2.3.1). */
  clientSecretBasic: 'client_secret_basic',
  /** `client_secret_post`: id and secret in the form body (RFC 6749 §2.3.1). */
  clientSecretPost: 'client_secret_post',
  /** `client_secret_jwt`: a JWT signed with HMAC over the secret (OIDC Core §9, RFC 7523 §2.2). */
  clientSecretJwt: 'client_secret_jwt',
  /** `private_key_jwt`: a JWT signed with the client's private key (OIDC Core §9, RFC 7523 §2.2). */
  privateKeyJwt: 'private_key_jwt',
  /** `tls_client_auth`: mutual TLS with a PKI certificate (RFC 8705 §2.1). */
  tlsClientAuth: 'tls_client_auth',
  /** `self_signed_tls_client_auth`: mutual TLS with a self-signed certificate (RFC 8705 §2.2). */
  selfSignedTlsClientAuth: 'self_signed_tls_client_auth',
  /** `none`: a public client, no authentication (RFC 7591 §2). */
  none: 'none',
} as const;

/** A client authentication method listed in {@link ClientAuthenticationMethods}. */
export type ClientAuthenticationMethod =
  (typeof ClientAuthenticationMethods)[keyof typeof ClientAuthenticationMethods];

/**
 * `client_assertion_type` values.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2 RFC 7523 §2.2 (JWT)
 * @see https://www.rfc-editor.org/rfc/rfc7522#section-2.2 RFC 7522 §2.2 (SAML 2.0)
 */
export const ClientAssertionTypes = {
  /** `urn:ietf:params:oauth:client-assertion-type:jwt-bearer`. */
  jwtBearer: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  /** `urn:ietf:params:oauth:client-assertion-type:saml2-bearer`. */
  saml2Bearer: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer',
} as const;

/** A `client_assertion_type` value listed in {@link ClientAssertionTypes}. */
export type ClientAssertionType = (typeof ClientAssertionTypes)[keyof typeof ClientAssertionTypes];
