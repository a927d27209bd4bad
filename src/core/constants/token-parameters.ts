/**
 * Parameter names of the token endpoint family: token requests and responses (every grant,
 * token exchange included), device authorization and CIBA. A port of Duende.IdentityModel's
 * `OidcConstants.TokenRequest`, `TokenResponse`, `DeviceAuthorizationResponse`,
 * `BackchannelAuthenticationRequest` and `BackchannelAuthenticationResponse`.
 *
 * @module
 */

/**
 * Token request parameters (form fields of a `POST` to the token endpoint), for every grant type
 * in `GrantTypes` and for client authentication.
 *
 * @example
 * ```ts
 * const body = new URLSearchParams({
 *   [TokenRequestParameters.grantType]: GrantTypes.tokenExchange,
 *   [TokenRequestParameters.subjectToken]: token,
 *   [TokenRequestParameters.subjectTokenType]: TokenTypeIdentifiers.accessToken,
 * });
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 RFC 6749 §4.1.3, §4.3.2, §4.4.2, §6
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1 RFC 8693 §2.1 (token exchange)
 */
export const TokenRequestParameters = {
  /** `grant_type` (RFC 6749 §4.1.3). */
  grantType: 'grant_type',
  /** `code` (RFC 6749 §4.1.3). */
  code: 'code',
  /** `redirect_uri` (RFC 6749 §4.1.3). */
  redirectUri: 'redirect_uri',
  /** `code_verifier` (RFC 7636 §4.5). */
  codeVerifier: 'code_verifier',
  /** `client_id` (RFC 6749 §2.3.1, §4.1.3). */
  clientId: 'client_id',
  /** `client_secret` (RFC 6749 §2.3.1, `client_secret_post`). */
  clientSecret: 'client_secret',
  /** `client_assertion` (RFC 7521 §4.2). */
  clientAssertion: 'client_assertion',
  /** `client_assertion_type` (RFC 7521 §4.2). */
  clientAssertionType: 'client_assertion_type',
  /** `refresh_token` (RFC 6749 §6). */
  refreshToken: 'refresh_token',
  /** `scope` (RFC 6749 §3.3). */
  scope: 'scope',
  /** `username` (RFC 6749 §4.3.2, resource owner password grant). */
  userName: 'username',
  /** `password` (RFC 6749 §4.3.2, resource owner password grant). */
  password: 'password',
  /** `assertion` (RFC 7521 §4.1, JWT and SAML bearer grants). */
  assertion: 'assertion',
  /** `device_code` (RFC 8628 §3.4). */
  deviceCode: 'device_code',
  /** `auth_req_id` (OpenID CIBA Core §10.1). */
  authenticationRequestId: 'auth_req_id',
  /** `resource` (RFC 8707 §2, RFC 8693 §2.1). */
  resource: 'resource',
  /** `audience` (RFC 8693 §2.1). */
  audience: 'audience',
  /** `requested_token_type` (RFC 8693 §2.1). */
  requestedTokenType: 'requested_token_type',
  /** `subject_token` (RFC 8693 §2.1). */
  subjectToken: 'subject_token',
  /** `subject_token_type` (RFC 8693 §2.1). */
  subjectTokenType: 'subject_token_type',
  /** `actor_token` (RFC 8693 §2.1). */
  actorToken: 'actor_token',
  /** `actor_token_type` (RFC 8693 §2.1). */
  actorTokenType: 'actor_token_type',
  /** `authorization_details` (RFC 9396 §6). */
  authorizationDetails: 'authorization_details',
} as const;

/** A parameter name listed in {@link TokenRequestParameters}. */
export type TokenRequestParameter =
  (typeof TokenRequestParameters)[keyof typeof TokenRequestParameters];

/**
 * Token response members (success and error).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1 RFC 6749 §5.1 and §5.2
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.2.1 RFC 8693 §2.2.1 (`issued_token_type`)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#TokenResponse OIDC Core §3.1.3.3
 */
export const TokenResponseParameters = {
  /** `access_token` (RFC 6749 §5.1). */
  accessToken: 'access_token',
  /** `token_type`, e.g. `Bearer` or `DPoP` (RFC 6749 §5.1, §7.1). */
  tokenType: 'token_type',
  /** `expires_in`, in seconds (RFC 6749 §5.1). */
  expiresIn: 'expires_in',
  /** `refresh_token` (RFC 6749 §5.1). */
  refreshToken: 'refresh_token',
  /** `scope` (RFC 6749 §5.1). */
  scope: 'scope',
  /** `id_token` (OIDC Core §3.1.3.3). */
  idToken: 'id_token',
  /** `issued_token_type` (RFC 8693 §2.2.1). */
  issuedTokenType: 'issued_token_type',
  /** `authorization_details` (RFC 9396 §7). */
  authorizationDetails: 'authorization_details',
  /** `error` (RFC 6749 §5.2). */
  error: 'error',
  /** `error_description` (RFC 6749 §5.2). */
  errorDescription: 'error_description',
  /** `error_uri` (RFC 6749 §5.2). */
  errorUri: 'error_uri',
} as const;

/** A member name listed in {@link TokenResponseParameters}. */
export type TokenResponseParameter =
  (typeof TokenResponseParameters)[keyof typeof TokenResponseParameters];

/**
 * Device authorization request parameters and response members. The token request that follows
 * uses `GrantTypes.deviceCode` and {@link TokenRequestParameters}`.deviceCode`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.1 RFC 8628 §3.1 (request) and §3.2 (response)
 */
export const DeviceAuthorizationParameters = {
  /** `client_id` (request, §3.1). */
  clientId: 'client_id',
  /** `scope` (request, §3.1). */
  scope: 'scope',
  /** `device_code` (response, §3.2). */
  deviceCode: 'device_code',
  /** `user_code` (response, §3.2). */
  userCode: 'user_code',
  /** `verification_uri` (response, §3.2). */
  verificationUri: 'verification_uri',
  /** `verification_uri_complete` (response, §3.2). */
  verificationUriComplete: 'verification_uri_complete',
  /** `expires_in`, in seconds (response, §3.2). */
  expiresIn: 'expires_in',
  /** `interval`: minimum polling interval, in seconds; default 5 (response, §3.2). */
  interval: 'interval',
} as const;

/** A name listed in {@link DeviceAuthorizationParameters}. */
export type DeviceAuthorizationParameter =
  (typeof DeviceAuthorizationParameters)[keyof typeof DeviceAuthorizationParameters];

/**
 * Client-initiated backchannel authentication (CIBA) request parameters and response members.
 *
 * @see https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html#auth_request CIBA Core §7.1 (request) and §7.3 (response)
 */
export const BackchannelAuthenticationParameters = {
  /** `scope` (request). */
  scope: 'scope',
  /** `client_notification_token` (request, ping and push modes). */
  clientNotificationToken: 'client_notification_token',
  /** `acr_values` (request). */
  acrValues: 'acr_values',
  /** `login_hint_token` (request). */
  loginHintToken: 'login_hint_token',
  /** `id_token_hint` (request). */
  idTokenHint: 'id_token_hint',
  /** `login_hint` (request). */
  loginHint: 'login_hint',
  /** `binding_message` (request). */
  bindingMessage: 'binding_message',
  /** `user_code` (request). */
  userCode: 'user_code',
  /** `requested_expiry`, in seconds (request). */
  requestedExpiry: 'requested_expiry',
  /** `request`: a signed authentication request (request, §7.1.1). */
  request: 'request',
  /** `resource` (request, RFC 8707). */
  resource: 'resource',
  /** `dpop_jkt` (request, RFC 9449 §10). */
  dpopKeyThumbprint: 'dpop_jkt',
  /** `auth_req_id` (response). */
  authenticationRequestId: 'auth_req_id',
  /** `expires_in`, in seconds (response). */
  expiresIn: 'expires_in',
  /** `interval`, in seconds (response, poll mode). */
  interval: 'interval',
} as const;

/** A name listed in {@link BackchannelAuthenticationParameters}. */
export type BackchannelAuthenticationParameter =
  (typeof BackchannelAuthenticationParameters)[keyof typeof BackchannelAuthenticationParameters];
