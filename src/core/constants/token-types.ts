/**
 * Token types in their several spellings: the names of tokens, the RFC 8693 token type
 * identifiers, the RFC 7009 / RFC 7662 token type hints and the access token types of RFC 6749
 * §7.1. A port of Duende.IdentityModel's `OidcConstants.TokenTypes`, `TokenTypeIdentifiers`
 * and `TokenResponse.BearerTokenType` / `DPoPTokenType`.
 *
 * @module
 */

/**
 * The names of the tokens an authorization server issues.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-1.4 RFC 6749 §1.4 and §1.5
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken OIDC Core §2
 */
export const TokenTypes = {
  /** `access_token`. */
  accessToken: 'access_token',
  /** `refresh_token`. */
  refreshToken: 'refresh_token',
  /** `id_token`. */
  idToken: 'id_token',
} as const;

/** A token name listed in {@link TokenTypes}. */
export type TokenType = (typeof TokenTypes)[keyof typeof TokenTypes];

/**
 * Token type identifiers: the URIs of `subject_token_type`, `actor_token_type`,
 * `requested_token_type` and `issued_token_type` in token exchange.
 *
 * @example
 * ```ts
 * body.set(TokenRequestParameters.subjectTokenType, TokenTypeIdentifiers.accessToken);
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-3 RFC 8693 §3
 */
export const TokenTypeIdentifiers = {
  /** `urn:ietf:params:oauth:token-type:access_token`: an OAuth 2.0 access token. */
  accessToken: 'urn:ietf:params:oauth:token-type:access_token',
  /** `urn:ietf:params:oauth:token-type:refresh_token`: an OAuth 2.0 refresh token. */
  refreshToken: 'urn:ietf:params:oauth:token-type:refresh_token',
  /** `urn:ietf:params:oauth:token-type:id_token`: an OpenID Connect ID Token. */
  idToken: 'urn:ietf:params:oauth:token-type:id_token',
  /** `urn:ietf:params:oauth:token-type:saml1`: a base64url-encoded SAML 1.1 assertion. */
  saml1: 'urn:ietf:params:oauth:token-type:saml1',
  /** `urn:ietf:params:oauth:token-type:saml2`: a base64url-encoded SAML 2.0 assertion. */
  saml2: 'urn:ietf:params:oauth:token-type:saml2',
  /** `urn:ietf:params:oauth:token-type:jwt`: a JWT (RFC 7519). */
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
} as const;

/** A token type identifier listed in {@link TokenTypeIdentifiers}. */
export type TokenTypeIdentifier = (typeof TokenTypeIdentifiers)[keyof typeof TokenTypeIdentifiers];

/**
 * `token_type_hint` values for the revocation and introspection endpoints.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1 RFC 7009 §2.1 and §4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.1 RFC 7662 §2.1
 */
export const TokenTypeHints = {
  /** `access_token`. */
  accessToken: 'access_token',
  /** `refresh_token`. */
  refreshToken: 'refresh_token',
} as const;

/** A `token_type_hint` value listed in {@link TokenTypeHints}. */
export type TokenTypeHint = (typeof TokenTypeHints)[keyof typeof TokenTypeHints];

/**
 * Access token types: the `token_type` of a token response, also the HTTP `Authorization`
 * scheme used to present the token. Compare `token_type` case-insensitively (RFC 6749 §5.1).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-7.1 RFC 6749 §7.1
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-6.1.1 RFC 6750 §6.1.1 (`Bearer`)
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5 RFC 9449 §5 (`DPoP`)
 */
export const AccessTokenTypes = {
  /** `Bearer` (RFC 6750). */
  bearer: 'Bearer',
  /** `DPoP`: a DPoP-bound access token (RFC 9449 §5). */
  dpop: 'DPoP',
  /** `N_A`: the issued token is not an access token (RFC 8693 §2.2.1). */
  notApplicable: 'N_A',
} as const;

/** A `token_type` value listed in {@link AccessTokenTypes}. */
export type AccessTokenType = (typeof AccessTokenTypes)[keyof typeof AccessTokenTypes];
