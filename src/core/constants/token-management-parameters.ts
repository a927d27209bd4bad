/**
 * Parameter names of the token management endpoints: introspection, revocation and back-channel
 * logout. A port of Duende.IdentityModel's `OidcConstants.TokenIntrospectionRequest` and
 * `BackChannelLogoutRequest`, extended with the introspection response members.
 *
 * @module
 */

/**
 * Token introspection request parameters.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.1 RFC 7662 §2.1
 */
export const IntrospectionRequestParameters = {
  /** `token`: the token to introspect. */
  token: 'token',
  /** `token_type_hint`: one of `TokenTypeHints`. */
  tokenTypeHint: 'token_type_hint',
} as const;

/** A parameter name listed in {@link IntrospectionRequestParameters}. */
export type IntrospectionRequestParameter =
  (typeof IntrospectionRequestParameters)[keyof typeof IntrospectionRequestParameters];

/**
 * Token introspection response members. Only `active` is required; a server may add any JWT claim.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2 RFC 7662 §2.2
 */
export const IntrospectionResponseParameters = {
  /** `active`: boolean, the only required member. */
  active: 'active',
  /** `scope`: space-separated scopes. */
  scope: 'scope',
  /** `client_id`. */
  clientId: 'client_id',
  /** `username`: human-readable identifier of the resource owner. */
  userName: 'username',
  /** `token_type`, e.g. `Bearer`. */
  tokenType: 'token_type',
  /** `exp`, NumericDate in seconds. */
  expiration: 'exp',
  /** `iat`, NumericDate in seconds. */
  issuedAt: 'iat',
  /** `nbf`, NumericDate in seconds. */
  notBefore: 'nbf',
  /** `sub`. */
  subject: 'sub',
  /** `aud`. */
  audience: 'aud',
  /** `iss`. */
  issuer: 'iss',
  /** `jti`. */
  jwtId: 'jti',
} as const;

/** A member name listed in {@link IntrospectionResponseParameters}. */
export type IntrospectionResponseParameter =
  (typeof IntrospectionResponseParameters)[keyof typeof IntrospectionResponseParameters];

/**
 * Token revocation request parameters.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1 RFC 7009 §2.1
 */
export const RevocationRequestParameters = {
  /** `token`: the token to revoke. */
  token: 'token',
  /** `token_type_hint`: one of `TokenTypeHints`. */
  tokenTypeHint: 'token_type_hint',
} as const;

/** A parameter name listed in {@link RevocationRequestParameters}. */
export type RevocationRequestParameter =
  (typeof RevocationRequestParameters)[keyof typeof RevocationRequestParameters];

/**
 * Back-channel logout request parameters (form fields the OP posts to the RP).
 *
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html#BCRequest Back-Channel Logout §2.5
 */
export const BackChannelLogoutRequestParameters = {
  /** `logout_token`: a logout token JWT (`typ` `logout+jwt`). */
  logoutToken: 'logout_token',
} as const;

/** A parameter name listed in {@link BackChannelLogoutRequestParameters}. */
export type BackChannelLogoutRequestParameter =
  (typeof BackChannelLogoutRequestParameters)[keyof typeof BackChannelLogoutRequestParameters];
