/**
 * Values of the JOSE `typ` header that tell one kind of JWT from another (explicit typing,
 * RFC 8725 §3.11), and the security event URIs carried in `events`. A port of
 * Duende.IdentityModel's `JwtClaimTypes.JwtTypes` and `OidcConstants.Events`.
 *
 * @module
 */

/**
 * `typ` header values. Compare case-insensitively, and treat a value without `/` as if prefixed
 * with `application/` (RFC 7515 §4.1.9): `at+jwt` and `application/at+jwt` are the same type.
 *
 * @example
 * ```ts
 * await validateToken(accessToken, { ...config, typ: JwtTypes.accessToken });
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-5.1 RFC 7519 §5.1 (`JWT`)
 * @see https://www.rfc-editor.org/rfc/rfc8725#section-3.11 RFC 8725 §3.11 (explicit typing)
 */
export const JwtTypes = {
  /** `JWT`: a JWT with no more specific type (RFC 7519 §5.1). */
  jwt: 'JWT',
  /** `at+jwt`: a JWT access token (RFC 9068 §2.1). */
  accessToken: 'at+jwt',
  /** `application/at+jwt`: the full media type form of `at+jwt` (RFC 9068 §2.1, §7.2). */
  accessTokenMediaType: 'application/at+jwt',
  /** `logout+jwt`: a back-channel logout token (Back-Channel Logout §2.4). */
  logoutToken: 'logout+jwt',
  /** `dpop+jwt`: a DPoP proof (RFC 9449 §4.2). */
  dpopProof: 'dpop+jwt',
  /** `token-introspection+jwt`: a JWT introspection response (RFC 9701 §5). */
  introspectionResponse: 'token-introspection+jwt',
  /** `oauth-authz-req+jwt`: a JWT-secured authorization request object (RFC 9101 §10.8). */
  authorizationRequest: 'oauth-authz-req+jwt',
  /** `secevent+jwt`: a security event token (RFC 8417 §2.3). */
  securityEvent: 'secevent+jwt',
} as const;

/** A `typ` value listed in {@link JwtTypes}. */
export type JwtType = (typeof JwtTypes)[keyof typeof JwtTypes];

/**
 * Security event type URIs: keys of the `events` claim.
 *
 * @see https://openid.net/specs/openid-connect-backchannel-1_0.html#LogoutToken Back-Channel Logout §2.4
 * @see https://www.rfc-editor.org/rfc/rfc8417#section-2.2 RFC 8417 §2.2
 */
export const SecurityEventTypes = {
  /**
   * `http://schemas.openid.net/event/backchannel-logout`: a logout token's `events` claim MUST
   * contain this member, with a JSON object (usually `{}`) as its value.
   */
  backChannelLogout: 'http://schemas.openid.net/event/backchannel-logout',
} as const;

/** An event URI listed in {@link SecurityEventTypes}. */
export type SecurityEventType = (typeof SecurityEventTypes)[keyof typeof SecurityEventTypes];
