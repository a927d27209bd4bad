/**
 * Parameter names of the front-channel requests and responses: authorization (incl. pushed
 * authorization requests) and RP-initiated logout. A port of Duende.IdentityModel's
 * `OidcConstants.AuthorizeRequest`, `AuthorizeResponse`, `PushedAuthorizationRequestResponse`
 * and `EndSessionRequest`.
 *
 * @module
 */

/**
 * Authorization request parameters. The same names are sent to the PAR endpoint (RFC 9126 §2.1)
 * and carried in request objects (RFC 9101 §4).
 *
 * @example
 * ```ts
 * url.searchParams.set(AuthorizeRequestParameters.codeChallengeMethod, CodeChallengeMethods.s256);
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1 RFC 6749 §4.1.1
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest OIDC Core §3.1.2.1
 */
export const AuthorizeRequestParameters = {
  /** `response_type` (RFC 6749 §3.1.1). */
  responseType: 'response_type',
  /** `client_id` (RFC 6749 §2.2). */
  clientId: 'client_id',
  /** `redirect_uri` (RFC 6749 §3.1.2). */
  redirectUri: 'redirect_uri',
  /** `scope` (RFC 6749 §3.3). */
  scope: 'scope',
  /** `state` (RFC 6749 §4.1.1). */
  state: 'state',
  /** `response_mode` (OAuth 2.0 Multiple Response Type Encoding Practices §2.1). */
  responseMode: 'response_mode',
  /** `nonce` (OIDC Core §3.1.2.1). */
  nonce: 'nonce',
  /** `display` (OIDC Core §3.1.2.1). */
  display: 'display',
  /** `prompt` (OIDC Core §3.1.2.1). */
  prompt: 'prompt',
  /** `max_age`, in seconds (OIDC Core §3.1.2.1). */
  maxAge: 'max_age',
  /** `ui_locales` (OIDC Core §3.1.2.1). */
  uiLocales: 'ui_locales',
  /** `claims_locales` (OIDC Core §5.2). */
  claimsLocales: 'claims_locales',
  /** `id_token_hint` (OIDC Core §3.1.2.1). */
  idTokenHint: 'id_token_hint',
  /** `login_hint` (OIDC Core §3.1.2.1). */
  loginHint: 'login_hint',
  /** `acr_values` (OIDC Core §3.1.2.1). */
  acrValues: 'acr_values',
  /** `claims` (OIDC Core §5.5). */
  claims: 'claims',
  /** `code_challenge` (RFC 7636 §4.3). */
  codeChallenge: 'code_challenge',
  /** `code_challenge_method` (RFC 7636 §4.3). */
  codeChallengeMethod: 'code_challenge_method',
  /** `request`: a request object JWT (RFC 9101 §5.1). */
  request: 'request',
  /** `request_uri`: a request object reference or PAR handle (RFC 9101 §5.2, RFC 9126 §4). */
  requestUri: 'request_uri',
  /** `resource` (RFC 8707 §2). */
  resource: 'resource',
  /** `dpop_jkt`: thumbprint of the DPoP key to bind the code to (RFC 9449 §10). */
  dpopKeyThumbprint: 'dpop_jkt',
  /** `authorization_details` (RFC 9396 §2). */
  authorizationDetails: 'authorization_details',
} as const;

/** A parameter name listed in {@link AuthorizeRequestParameters}. */
export type AuthorizeRequestParameter =
  (typeof AuthorizeRequestParameters)[keyof typeof AuthorizeRequestParameters];

/**
 * Authorization response parameters (success and error), as found in the redirect URI's query or
 * fragment, or in a `form_post` body.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 RFC 6749 §4.1.2 and §4.1.2.1
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2 RFC 9207 §2 (`iss`)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthResponse OIDC Core §3.1.2.5
 */
export const AuthorizeResponseParameters = {
  /** `code` (RFC 6749 §4.1.2). */
  code: 'code',
  /** `state`, echoed from the request (RFC 6749 §4.1.2). */
  state: 'state',
  /** `iss`: the authorization server's issuer identifier (RFC 9207 §2). */
  issuer: 'iss',
  /** `id_token` (OIDC Core §3.2.2.5, hybrid and implicit flows). */
  idToken: 'id_token',
  /** `access_token` (implicit flow, RFC 6749 §4.2.2). */
  accessToken: 'access_token',
  /** `token_type` (RFC 6749 §4.2.2). */
  tokenType: 'token_type',
  /** `expires_in`, in seconds (RFC 6749 §4.2.2). */
  expiresIn: 'expires_in',
  /** `scope` (RFC 6749 §4.2.2). */
  scope: 'scope',
  /** `session_state` (OIDC Session Management §2). */
  sessionState: 'session_state',
  /** `response`: a JWT-secured authorization response (JARM §2). */
  response: 'response',
  /** `error` (RFC 6749 §4.1.2.1). */
  error: 'error',
  /** `error_description` (RFC 6749 §4.1.2.1). */
  errorDescription: 'error_description',
  /** `error_uri` (RFC 6749 §4.1.2.1). */
  errorUri: 'error_uri',
} as const;

/** A parameter name listed in {@link AuthorizeResponseParameters}. */
export type AuthorizeResponseParameter =
  (typeof AuthorizeResponseParameters)[keyof typeof AuthorizeResponseParameters];

/**
 * Members of a pushed authorization request (PAR) response. The request itself uses
 * {@link AuthorizeRequestParameters}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-2.2 RFC 9126 §2.2
 */
export const PushedAuthorizationResponseParameters = {
  /** `request_uri`: the handle to send to the authorization endpoint. */
  requestUri: 'request_uri',
  /** `expires_in`: lifetime of the handle, in seconds. */
  expiresIn: 'expires_in',
} as const;

/** A member name listed in {@link PushedAuthorizationResponseParameters}. */
export type PushedAuthorizationResponseParameter =
  (typeof PushedAuthorizationResponseParameters)[keyof typeof PushedAuthorizationResponseParameters];

/**
 * RP-initiated logout (end-session endpoint) request parameters.
 *
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout RP-Initiated Logout §2
 */
export const EndSessionRequestParameters = {
  /** `id_token_hint`: the ID Token previously issued to the client. */
  idTokenHint: 'id_token_hint',
  /** `logout_hint`: hint about the end-user who is logging out. */
  logoutHint: 'logout_hint',
  /** `client_id`. */
  clientId: 'client_id',
  /** `post_logout_redirect_uri`: where to return after logout; must be registered. */
  postLogoutRedirectUri: 'post_logout_redirect_uri',
  /** `state`: echoed to the post-logout redirect URI. */
  state: 'state',
  /** `ui_locales`. */
  uiLocales: 'ui_locales',
} as const;

/** A parameter name listed in {@link EndSessionRequestParameters}. */
export type EndSessionRequestParameter =
  (typeof EndSessionRequestParameters)[keyof typeof EndSessionRequestParameters];
