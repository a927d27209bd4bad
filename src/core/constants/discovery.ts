/**
 * Discovery (authorization server metadata) member names, the well-known paths and the members
 * OpenID Connect Discovery requires. A port of Duende.IdentityModel's `OidcConstants.Discovery`,
 * extended to every member of the specifications listed below.
 *
 * @module
 */

/**
 * Discovery document member names, camelCase key → wire name. The camelCase keys are the names of
 * the typed fields of a successful discovery response.
 *
 * @example
 * ```ts
 * const endpoint = raw[DiscoveryMembers.pushedAuthorizationRequestEndpoint];
 * ```
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata OIDC Discovery 1.0 §3
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2 RFC 8414 §2
 * @see https://www.iana.org/assignments/oauth-parameters/oauth-parameters.xhtml#authorization-server-metadata IANA "OAuth Authorization Server Metadata" registry
 */
export const DiscoveryMembers = {
  // OIDC Discovery 1.0 §3 and RFC 8414 §2
  /** `issuer`: REQUIRED; must equal the issuer the document was fetched for (OIDC Discovery §4.3). */
  issuer: 'issuer',
  /** `authorization_endpoint`: REQUIRED by OIDC Discovery §3. */
  authorizationEndpoint: 'authorization_endpoint',
  /** `token_endpoint`: REQUIRED by OIDC Discovery §3 unless only the implicit flow is used. */
  tokenEndpoint: 'token_endpoint',
  /** `userinfo_endpoint` (OIDC Discovery §3, OIDC Core §5.3). */
  userInfoEndpoint: 'userinfo_endpoint',
  /** `jwks_uri`: REQUIRED by OIDC Discovery §3. */
  jwksUri: 'jwks_uri',
  /** `registration_endpoint` (OIDC Discovery §3, RFC 7591). */
  registrationEndpoint: 'registration_endpoint',
  /** `scopes_supported`. */
  scopesSupported: 'scopes_supported',
  /** `response_types_supported`: REQUIRED by OIDC Discovery §3 and RFC 8414 §2. */
  responseTypesSupported: 'response_types_supported',
  /** `response_modes_supported`. */
  responseModesSupported: 'response_modes_supported',
  /** `grant_types_supported`; default `["authorization_code", "implicit"]`. */
  grantTypesSupported: 'grant_types_supported',
  /** `acr_values_supported`. */
  acrValuesSupported: 'acr_values_supported',
  /** `subject_types_supported`: REQUIRED by OIDC Discovery §3 (`public`, `pairwise`). */
  subjectTypesSupported: 'subject_types_supported',
  /** `id_token_signing_alg_values_supported`: REQUIRED by OIDC Discovery §3. */
  idTokenSigningAlgValuesSupported: 'id_token_signing_alg_values_supported',
  /** `id_token_encryption_alg_values_supported`. */
  idTokenEncryptionAlgValuesSupported: 'id_token_encryption_alg_values_supported',
  /** `id_token_encryption_enc_values_supported`. */
  idTokenEncryptionEncValuesSupported: 'id_token_encryption_enc_values_supported',
  /** `userinfo_signing_alg_values_supported`. */
  userInfoSigningAlgValuesSupported: 'userinfo_signing_alg_values_supported',
  /** `userinfo_encryption_alg_values_supported`. */
  userInfoEncryptionAlgValuesSupported: 'userinfo_encryption_alg_values_supported',
  /** `userinfo_encryption_enc_values_supported`. */
  userInfoEncryptionEncValuesSupported: 'userinfo_encryption_enc_values_supported',
  /** `request_object_signing_alg_values_supported`. */
  requestObjectSigningAlgValuesSupported: 'request_object_signing_alg_values_supported',
  /** `request_object_encryption_alg_values_supported`. */
  requestObjectEncryptionAlgValuesSupported: 'request_object_encryption_alg_values_supported',
  /** `request_object_encryption_enc_values_supported`. */
  requestObjectEncryptionEncValuesSupported: 'request_object_encryption_enc_values_supported',
  /** `token_endpoint_auth_methods_supported`; default `["client_secret_basic"]`. */
  tokenEndpointAuthMethodsSupported: 'token_endpoint_auth_methods_supported',
  /** `token_endpoint_auth_signing_alg_values_supported`. */
  tokenEndpointAuthSigningAlgValuesSupported: 'token_endpoint_auth_signing_alg_values_supported',
  /** `display_values_supported`. */
  displayValuesSupported: 'display_values_supported',
  /** `claim_types_supported` (`normal`, `aggregated`, `distributed`). */
  claimTypesSupported: 'claim_types_supported',
  /** `claims_supported`. */
  claimsSupported: 'claims_supported',
  /** `service_documentation`. */
  serviceDocumentation: 'service_documentation',
  /** `claims_locales_supported`. */
  claimsLocalesSupported: 'claims_locales_supported',
  /** `ui_locales_supported`. */
  uiLocalesSupported: 'ui_locales_supported',
  /** `claims_parameter_supported`; default `false`. */
  claimsParameterSupported: 'claims_parameter_supported',
  /** `request_parameter_supported`; default `false`. */
  requestParameterSupported: 'request_parameter_supported',
  /** `request_uri_parameter_supported`; default `true`. */
  requestUriParameterSupported: 'request_uri_parameter_supported',
  /** `require_request_uri_registration`; default `false`. */
  requireRequestUriRegistration: 'require_request_uri_registration',
  /** `op_policy_uri`. */
  opPolicyUri: 'op_policy_uri',
  /** `op_tos_uri`. */
  opTosUri: 'op_tos_uri',

  // RFC 8414 §2 additions
  /** `revocation_endpoint` (RFC 8414 §2, RFC 7009). */
  revocationEndpoint: 'revocation_endpoint',
  /** `revocation_endpoint_auth_methods_supported` (RFC 8414 §2). */
  revocationEndpointAuthMethodsSupported: 'revocation_endpoint_auth_methods_supported',
  /** `revocation_endpoint_auth_signing_alg_values_supported` (RFC 8414 §2). */
  revocationEndpointAuthSigningAlgValuesSupported:
    'revocation_endpoint_auth_signing_alg_values_supported',
  /** `introspection_endpoint` (RFC 8414 §2, RFC 7662). */
  introspectionEndpoint: 'introspection_endpoint',
  /** `introspection_endpoint_auth_methods_supported` (RFC 8414 §2). */
  introspectionEndpointAuthMethodsSupported: 'introspection_endpoint_auth_methods_supported',
  /** `introspection_endpoint_auth_signing_alg_values_supported` (RFC 8414 §2). */
  introspectionEndpointAuthSigningAlgValuesSupported:
    'introspection_endpoint_auth_signing_alg_values_supported',
  /** `code_challenge_methods_supported` (RFC 8414 §2). */
  codeChallengeMethodsSupported: 'code_challenge_methods_supported',
  /** `signed_metadata`: a JWT asserting metadata values (RFC 8414 §2.1). */
  signedMetadata: 'signed_metadata',

  // Endpoints and capabilities from later specifications
  /** `device_authorization_endpoint` (RFC 8628 §4). */
  deviceAuthorizationEndpoint: 'device_authorization_endpoint',
  /** `pushed_authorization_request_endpoint` (RFC 9126 §5). */
  pushedAuthorizationRequestEndpoint: 'pushed_authorization_request_endpoint',
  /** `require_pushed_authorization_requests`; default `false` (RFC 9126 §5). */
  requirePushedAuthorizationRequests: 'require_pushed_authorization_requests',
  /** `authorization_response_iss_parameter_supported`; default `false` (RFC 9207 §3). */
  authorizationResponseIssParameterSupported: 'authorization_response_iss_parameter_supported',
  /** `dpop_signing_alg_values_supported` (RFC 9449 §5.1). */
  dpopSigningAlgValuesSupported: 'dpop_signing_alg_values_supported',
  /** `tls_client_certificate_bound_access_tokens` (RFC 8705 §3.3). */
  tlsClientCertificateBoundAccessTokens: 'tls_client_certificate_bound_access_tokens',
  /** `mtls_endpoint_aliases`: endpoints to use with mutual TLS (RFC 8705 §5). */
  mtlsEndpointAliases: 'mtls_endpoint_aliases',
  /** `require_signed_request_object` (RFC 9101 §10.5). */
  requireSignedRequestObject: 'require_signed_request_object',
  /** `authorization_details_types_supported` (RFC 9396 §10). */
  authorizationDetailsTypesSupported: 'authorization_details_types_supported',
  /** `prompt_values_supported` (Initiating User Registration via OpenID Connect §4.1). */
  promptValuesSupported: 'prompt_values_supported',
  /** `introspection_signing_alg_values_supported` (RFC 9701 §7). */
  introspectionSigningAlgValuesSupported: 'introspection_signing_alg_values_supported',
  /** `introspection_encryption_alg_values_supported` (RFC 9701 §7). */
  introspectionEncryptionAlgValuesSupported: 'introspection_encryption_alg_values_supported',
  /** `introspection_encryption_enc_values_supported` (RFC 9701 §7). */
  introspectionEncryptionEncValuesSupported: 'introspection_encryption_enc_values_supported',
  /** `authorization_signing_alg_values_supported` (JARM §4). */
  authorizationSigningAlgValuesSupported: 'authorization_signing_alg_values_supported',
  /** `authorization_encryption_alg_values_supported` (JARM §4). */
  authorizationEncryptionAlgValuesSupported: 'authorization_encryption_alg_values_supported',
  /** `authorization_encryption_enc_values_supported` (JARM §4). */
  authorizationEncryptionEncValuesSupported: 'authorization_encryption_enc_values_supported',

  // Logout and session management
  /** `end_session_endpoint` (RP-Initiated Logout §2.1). */
  endSessionEndpoint: 'end_session_endpoint',
  /** `check_session_iframe` (Session Management §3.3). */
  checkSessionIframe: 'check_session_iframe',
  /** `frontchannel_logout_supported` (Front-Channel Logout §3). */
  frontChannelLogoutSupported: 'frontchannel_logout_supported',
  /** `frontchannel_logout_session_supported` (Front-Channel Logout §3). */
  frontChannelLogoutSessionSupported: 'frontchannel_logout_session_supported',
  /** `backchannel_logout_supported` (Back-Channel Logout §2.1). */
  backChannelLogoutSupported: 'backchannel_logout_supported',
  /** `backchannel_logout_session_supported` (Back-Channel Logout §2.1). */
  backChannelLogoutSessionSupported: 'backchannel_logout_session_supported',

  // OpenID CIBA Core §4
  /** `backchannel_authentication_endpoint` (CIBA Core §4). */
  backchannelAuthenticationEndpoint: 'backchannel_authentication_endpoint',
  /** `backchannel_token_delivery_modes_supported`: `poll`, `ping`, `push` (CIBA Core §4). */
  backchannelTokenDeliveryModesSupported: 'backchannel_token_delivery_modes_supported',
  /** `backchannel_authentication_request_signing_alg_values_supported` (CIBA Core §4). */
  backchannelAuthenticationRequestSigningAlgValuesSupported:
    'backchannel_authentication_request_signing_alg_values_supported',
  /** `backchannel_user_code_parameter_supported`; default `false` (CIBA Core §4). */
  backchannelUserCodeParameterSupported: 'backchannel_user_code_parameter_supported',
} as const;

/** A member name listed in {@link DiscoveryMembers}. */
export type DiscoveryMember = (typeof DiscoveryMembers)[keyof typeof DiscoveryMembers];

/**
 * The members an OpenID Provider's discovery document MUST contain. (`token_endpoint` may be
 * absent when the OP supports only the implicit flow; this library needs it, so it is listed.)
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata OIDC Discovery 1.0 §3
 */
export const OidcRequiredDiscoveryMembers = [
  DiscoveryMembers.issuer,
  DiscoveryMembers.authorizationEndpoint,
  DiscoveryMembers.tokenEndpoint,
  DiscoveryMembers.jwksUri,
  DiscoveryMembers.responseTypesSupported,
  DiscoveryMembers.subjectTypesSupported,
  DiscoveryMembers.idTokenSigningAlgValuesSupported,
] as const;

/**
 * Well-known paths of the metadata documents, appended to the issuer (OIDC) or inserted between
 * the host and the issuer's path (RFC 8414 §3.1).
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationRequest OIDC Discovery 1.0 §4.1
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3 RFC 8414 §3
 */
export const WellKnownPaths = {
  /** `/.well-known/openid-configuration` (OIDC Discovery 1.0 §4). */
  openIdConfiguration: '/.well-known/openid-configuration',
  /** `/.well-known/oauth-authorization-server` (RFC 8414 §3). */
  oauthAuthorizationServer: '/.well-known/oauth-authorization-server',
} as const;

/** A path listed in {@link WellKnownPaths}. */
export type WellKnownPath = (typeof WellKnownPaths)[keyof typeof WellKnownPaths];
