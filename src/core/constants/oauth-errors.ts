/**
 * OAuth 2.0 and OpenID Connect error codes: the `error` values servers return from the
 * authorization, token, device, registration and revocation endpoints and in resource servers'
 * `WWW-Authenticate` challenges. A port of Duende.IdentityModel's `OidcConstants.AuthorizeErrors`,
 * `TokenErrors`, `ProtectedResourceErrors` and `BackchannelAuthenticationRequestErrors`, merged
 * into one flat group because several codes appear at several endpoints.
 *
 * @module
 */

/**
 * `error` codes, camelCase key → wire value. `ProtocolError.error` holds one of these (or another
 * string: servers may define their own).
 *
 * @example
 * ```ts
 * if (e instanceof ProtocolError && e.error === OAuthErrorCodes.authorizationPending) await wait();
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 RFC 6749 §4.1.2.1 (authorization)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2 RFC 6749 §5.2 (token)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError OIDC Core §3.1.2.6
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.5 RFC 8628 §3.5 (device)
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1 RFC 6750 §3.1 (resource servers)
 * @see https://www.iana.org/assignments/oauth-parameters/oauth-parameters.xhtml#extensions-error IANA "OAuth Extensions Error" registry
 */
export const OAuthErrorCodes = {
  // RFC 6749 §4.1.2.1 and §5.2
  /** `invalid_request`: a parameter is missing, repeated or malformed (RFC 6749, RFC 6750). */
  invalidRequest: 'invalid_request',
  /** `invalid_client`: client authentication failed (RFC 6749 §5.2). */
  invalidClient: 'invalid_client',
  /** `invalid_grant`: the code, refresh token or other grant is invalid, expired or revoked. */
  invalidGrant: 'invalid_grant',
  /** `unauthorized_client`: the client may not use this grant or response type. */
  unauthorizedClient: 'unauthorized_client',
  /** `unsupported_grant_type` (RFC 6749 §5.2). */
  unsupportedGrantType: 'unsupported_grant_type',
  /** `unsupported_response_type` (RFC 6749 §4.1.2.1). */
  unsupportedResponseType: 'unsupported_response_type',
  /** `invalid_scope` (RFC 6749 §4.1.2.1, §5.2). */
  invalidScope: 'invalid_scope',
  /** `access_denied`: the resource owner or server denied the request (RFC 6749, RFC 8628). */
  accessDenied: 'access_denied',
  /** `server_error` (RFC 6749 §4.1.2.1). */
  serverError: 'server_error',
  /** `temporarily_unavailable` (RFC 6749 §4.1.2.1). */
  temporarilyUnavailable: 'temporarily_unavailable',

  // OIDC Core §3.1.2.6
  /** `interaction_required`: `prompt=none` but the OP needs some interaction. */
  interactionRequired: 'interaction_required',
  /** `login_required`: `prompt=none` but the end-user must log in. */
  loginRequired: 'login_required',
  /** `account_selection_required`: `prompt=none` but the end-user must choose an account. */
  accountSelectionRequired: 'account_selection_required',
  /** `consent_required`: `prompt=none` but the end-user must consent. */
  consentRequired: 'consent_required',
  /** `invalid_request_uri`: the `request_uri` is invalid or expired. */
  invalidRequestUri: 'invalid_request_uri',
  /** `invalid_request_object`: the request object is invalid. */
  invalidRequestObject: 'invalid_request_object',
  /** `request_not_supported`: the `request` parameter is not supported. */
  requestNotSupported: 'request_not_supported',
  /** `request_uri_not_supported`: the `request_uri` parameter is not supported. */
  requestUriNotSupported: 'request_uri_not_supported',
  /** `registration_not_supported`: the `registration` parameter is not supported. */
  registrationNotSupported: 'registration_not_supported',
  /** `unmet_authentication_requirements` (OpenID Connect Core Unmet Authentication Requirements 1.0). */
  unmetAuthenticationRequirements: 'unmet_authentication_requirements',

  // RFC 8628 §3.5: device authorization grant
  /** `authorization_pending`: keep polling at the current interval. */
  authorizationPending: 'authorization_pending',
  /** `slow_down`: keep polling, with the interval increased by 5 seconds. */
  slowDown: 'slow_down',
  /** `expired_token`: the device code expired; start over. */
  expiredToken: 'expired_token',

  // RFC 6750 §3.1 and RFC 9470: resource server challenges
  /** `invalid_token`: the access token is expired, revoked, malformed or invalid (RFC 6750 §3.1). */
  invalidToken: 'invalid_token',
  /** `insufficient_scope`: the token lacks the scope the resource needs (RFC 6750 §3.1). */
  insufficientScope: 'insufficient_scope',
  /** `insufficient_user_authentication`: step-up authentication needed (RFC 9470 §3). */
  insufficientUserAuthentication: 'insufficient_user_authentication',

  // RFC 9449: DPoP
  /** `invalid_dpop_proof`: the DPoP proof is invalid (RFC 9449 §5, §7.1). */
  invalidDpopProof: 'invalid_dpop_proof',
  /** `use_dpop_nonce`: retry with the nonce from the `DPoP-Nonce` header (RFC 9449 §8, §9). */
  useDpopNonce: 'use_dpop_nonce',

  // Other extensions
  /** `invalid_target`: the `resource` is invalid or unknown (RFC 8707 §2). */
  invalidTarget: 'invalid_target',
  /** `unsupported_token_type`: the server cannot revoke this token type (RFC 7009 §2.2.1). */
  unsupportedTokenType: 'unsupported_token_type',
  /** `invalid_authorization_details` (RFC 9396 §5). */
  invalidAuthorizationDetails: 'invalid_authorization_details',
  /** `invalid_redirect_uri` (RFC 7591 §3.2.2). */
  invalidRedirectUri: 'invalid_redirect_uri',
  /** `invalid_client_metadata` (RFC 7591 §3.2.2). */
  invalidClientMetadata: 'invalid_client_metadata',
  /** `invalid_software_statement` (RFC 7591 §3.2.2). */
  invalidSoftwareStatement: 'invalid_software_statement',
  /** `unapproved_software_statement` (RFC 7591 §3.2.2). */
  unapprovedSoftwareStatement: 'unapproved_software_statement',

  // OpenID CIBA Core §13
  /** `expired_login_hint_token` (CIBA Core §13). */
  expiredLoginHintToken: 'expired_login_hint_token',
  /** `unknown_user_id` (CIBA Core §13). */
  unknownUserId: 'unknown_user_id',
  /** `missing_user_code` (CIBA Core §13). */
  missingUserCode: 'missing_user_code',
  /** `invalid_user_code` (CIBA Core §13). */
  invalidUserCode: 'invalid_user_code',
  /** `invalid_binding_message` (CIBA Core §13). */
  invalidBindingMessage: 'invalid_binding_message',
} as const;

/** An `error` code listed in {@link OAuthErrorCodes}. */
export type OAuthErrorCode = (typeof OAuthErrorCodes)[keyof typeof OAuthErrorCodes];
