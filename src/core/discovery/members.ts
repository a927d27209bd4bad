/**
 * Every provider metadata member the library types, with its JSON kind and camelCase name.
 *
 * @module
 */

/** The JSON kind a member must have; `url` members are also endpoint-checked by the policy. */
export type MemberKind = 'url' | 'string' | 'strings' | 'boolean' | 'object';

/** `[wire name, camelCase name, kind]`. */
export const DISCOVERY_MEMBERS = [
  // OpenID Connect Discovery 1.0 §3
  ['issuer', 'issuer', 'string'],
  ['authorization_endpoint', 'authorizationEndpoint', 'url'],
  ['token_endpoint', 'tokenEndpoint', 'url'],
  ['userinfo_endpoint', 'userinfoEndpoint', 'url'],
  ['jwks_uri', 'jwksUri', 'url'],
  ['registration_endpoint', 'registrationEndpoint', 'url'],
  ['scopes_supported', 'scopesSupported', 'strings'],
  ['response_types_supported', 'responseTypesSupported', 'strings'],
  ['response_modes_supported', 'responseModesSupported', 'strings'],
  ['grant_types_supported', 'grantTypesSupported', 'strings'],
  ['acr_values_supported', 'acrValuesSupported', 'strings'],
  ['subject_types_supported', 'subjectTypesSupported', 'strings'],
  ['id_token_signing_alg_values_supported', 'idTokenSigningAlgValuesSupported', 'strings'],
  ['id_token_encryption_alg_values_supported', 'idTokenEncryptionAlgValuesSupported', 'strings'],
  ['id_token_encryption_enc_values_supported', 'idTokenEncryptionEncValuesSupported', 'strings'],
  ['userinfo_signing_alg_values_supported', 'userinfoSigningAlgValuesSupported', 'strings'],
  ['userinfo_encryption_alg_values_supported', 'userinfoEncryptionAlgValuesSupported', 'strings'],
  ['userinfo_encryption_enc_values_supported', 'userinfoEncryptionEncValuesSupported', 'strings'],
  [
    'request_object_signing_alg_values_supported',
    'requestObjectSigningAlgValuesSupported',
    'strings',
  ],
  [
    'request_object_encryption_alg_values_supported',
    'requestObjectEncryptionAlgValuesSupported',
    'strings',
  ],
  [
    'request_object_encryption_enc_values_supported',
    'requestObjectEncryptionEncValuesSupported',
    'strings',
  ],
  ['token_endpoint_auth_methods_supported', 'tokenEndpointAuthMethodsSupported', 'strings'],
  [
    'token_endpoint_auth_signing_alg_values_supported',
    'tokenEndpointAuthSigningAlgValuesSupported',
    'strings',
  ],
  ['display_values_supported', 'displayValuesSupported', 'strings'],
  ['claim_types_supported', 'claimTypesSupported', 'strings'],
  ['claims_supported', 'claimsSupported', 'strings'],
  ['service_documentation', 'serviceDocumentation', 'string'],
  ['claims_locales_supported', 'claimsLocalesSupported', 'strings'],
  ['ui_locales_supported', 'uiLocalesSupported', 'strings'],
  ['claims_parameter_supported', 'claimsParameterSupported', 'boolean'],
  ['request_parameter_supported', 'requestParameterSupported', 'boolean'],
  ['request_uri_parameter_supported', 'requestUriParameterSupported', 'boolean'],
  ['require_request_uri_registration', 'requireRequestUriRegistration', 'boolean'],
  ['op_policy_uri', 'opPolicyUri', 'string'],
  ['op_tos_uri', 'opTosUri', 'string'],
  // RFC 8414 §2
  ['revocation_endpoint', 'revocationEndpoint', 'url'],
  [
    'revocation_endpoint_auth_methods_supported',
    'revocationEndpointAuthMethodsSupported',
    'strings',
  ],
  [
    'revocation_endpoint_auth_signing_alg_values_supported',
    'revocationEndpointAuthSigningAlgValuesSupported',
    'strings',
  ],
  ['introspection_endpoint', 'introspectionEndpoint', 'url'],
  [
    'introspection_endpoint_auth_methods_supported',
    'introspectionEndpointAuthMethodsSupported',
    'strings',
  ],
  [
    'introspection_endpoint_auth_signing_alg_values_supported',
    'introspectionEndpointAuthSigningAlgValuesSupported',
    'strings',
  ],
  ['code_challenge_methods_supported', 'codeChallengeMethodsSupported', 'strings'],
  ['signed_metadata', 'signedMetadata', 'string'],
  // RFC 8628 §4
  ['device_authorization_endpoint', 'deviceAuthorizationEndpoint', 'url'],
  // RFC 9126 §5
  ['pushed_authorization_request_endpoint', 'pushedAuthorizationRequestEndpoint', 'url'],
  ['require_pushed_authorization_requests', 'requirePushedAuthorizationRequests', 'boolean'],
  // RFC 9207 §3
  [
    'authorization_response_iss_parameter_supported',
    'authorizationResponseIssParameterSupported',
    'boolean',
  ],
  // RFC 9449 §5.1
  ['dpop_signing_alg_values_supported', 'dpopSigningAlgValuesSupported', 'strings'],
  // RFC 8705 §3.3, §5
  [
    'tls_client_certificate_bound_access_tokens',
    'tlsClientCertificateBoundAccessTokens',
    'boolean',
  ],
  ['mtls_endpoint_aliases', 'mtlsEndpointAliases', 'object'],
  // RFC 9101 §10.5
  ['require_signed_request_object', 'requireSignedRequestObject', 'boolean'],
  // RFC 9396 §10
  ['authorization_details_types_supported', 'authorizationDetailsTypesSupported', 'strings'],
  // JARM §4
  [
    'authorization_signing_alg_values_supported',
    'authorizationSigningAlgValuesSupported',
    'strings',
  ],
  [
    'authorization_encryption_alg_values_supported',
    'authorizationEncryptionAlgValuesSupported',
    'strings',
  ],
  [
    'authorization_encryption_enc_values_supported',
    'authorizationEncryptionEncValuesSupported',
    'strings',
  ],
  // OpenID Connect Session Management 1.0 §3.3
  ['check_session_iframe', 'checkSessionIframe', 'url'],
  // OpenID Connect RP-Initiated Logout 1.0 §2.1
  ['end_session_endpoint', 'endSessionEndpoint', 'url'],
  // OpenID Connect Front-Channel Logout 1.0 §3
  ['frontchannel_logout_supported', 'frontchannelLogoutSupported', 'boolean'],
  ['frontchannel_logout_session_supported', 'frontchannelLogoutSessionSupported', 'boolean'],
  // OpenID Connect Back-Channel Logout 1.0 §2.1
  ['backchannel_logout_supported', 'backchannelLogoutSupported', 'boolean'],
  ['backchannel_logout_session_supported', 'backchannelLogoutSessionSupported', 'boolean'],
  // OpenID Connect CIBA Core 1.0 §4
  ['backchannel_authentication_endpoint', 'backchannelAuthenticationEndpoint', 'url'],
  [
    'backchannel_token_delivery_modes_supported',
    'backchannelTokenDeliveryModesSupported',
    'strings',
  ],
  [
    'backchannel_authentication_request_signing_alg_values_supported',
    'backchannelAuthenticationRequestSigningAlgValuesSupported',
    'strings',
  ],
  ['backchannel_user_code_parameter_supported', 'backchannelUserCodeParameterSupported', 'boolean'],
  // Initiating User Registration via OpenID Connect 1.0 §4
  ['prompt_values_supported', 'promptValuesSupported', 'strings'],
] as const satisfies readonly (readonly [string, string, MemberKind])[];

/** Members required by OpenID Connect Discovery 1.0 §3 (`jwks_uri` per `requireKeySet`). */
export const REQUIRED_MEMBERS = [
  'issuer',
  'authorization_endpoint',
  'token_endpoint',
  'jwks_uri',
  'response_types_supported',
  'subject_types_supported',
  'id_token_signing_alg_values_supported',
] as const;

/** OpenID Connect Core 1.0 §8 subject identifier types. */
export const SUBJECT_TYPES: ReadonlySet<string> = new Set(['public', 'pairwise']);

/** The parts a `response_types_supported` value may combine (OAuth 2.0 Multiple Response Types). */
export const RESPONSE_TYPE_PARTS: ReadonlySet<string> = new Set([
  'code',
  'token',
  'id_token',
  'none',
]);
