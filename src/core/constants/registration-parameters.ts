/**
 * Dynamic client registration: client metadata names and registration response members. A port
 * of Duende.IdentityModel's `OidcConstants.ClientMetadata` and `RegistrationResponse`.
 *
 * @module
 */

/**
 * Client metadata names, sent in a registration request and echoed in the response.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2 RFC 7591 §2
 * @see https://openid.net/specs/openid-connect-registration-1_0.html#ClientMetadata OIDC Registration §2
 */
export const ClientMetadata = {
  // RFC 7591 §2
  /** `redirect_uris`. */
  redirectUris: 'redirect_uris',
  /** `token_endpoint_auth_method`: one of `ClientAuthenticationMethods`. */
  tokenEndpointAuthMethod: 'token_endpoint_auth_method',
  /** `grant_types`. */
  grantTypes: 'grant_types',
  /** `response_types`. */
  responseTypes: 'response_types',
  /** `client_name`. */
  clientName: 'client_name',
  /** `client_uri`. */
  clientUri: 'client_uri',
  /** `logo_uri`. */
  logoUri: 'logo_uri',
  /** `scope`. */
  scope: 'scope',
  /** `contacts`. */
  contacts: 'contacts',
  /** `tos_uri`. */
  tosUri: 'tos_uri',
  /** `policy_uri`. */
  policyUri: 'policy_uri',
  /** `jwks_uri`. */
  jwksUri: 'jwks_uri',
  /** `jwks`. */
  jwks: 'jwks',
  /** `software_id`. */
  softwareId: 'software_id',
  /** `software_version`. */
  softwareVersion: 'software_version',
  /** `software_statement` (RFC 7591 §2.3). */
  softwareStatement: 'software_statement',

  // OIDC Registration §2
  /** `application_type`: `web` or `native`. */
  applicationType: 'application_type',
  /** `sector_identifier_uri`. */
  sectorIdentifierUri: 'sector_identifier_uri',
  /** `subject_type`: `public` or `pairwise`. */
  subjectType: 'subject_type',
  /** `id_token_signed_response_alg`. */
  idTokenSignedResponseAlg: 'id_token_signed_response_alg',
  /** `id_token_encrypted_response_alg`. */
  idTokenEncryptedResponseAlg: 'id_token_encrypted_response_alg',
  /** `id_token_encrypted_response_enc`. */
  idTokenEncryptedResponseEnc: 'id_token_encrypted_response_enc',
  /** `userinfo_signed_response_alg`. */
  userInfoSignedResponseAlg: 'userinfo_signed_response_alg',
  /** `userinfo_encrypted_response_alg`. */
  userInfoEncryptedResponseAlg: 'userinfo_encrypted_response_alg',
  /** `userinfo_encrypted_response_enc`. */
  userInfoEncryptedResponseEnc: 'userinfo_encrypted_response_enc',
  /** `request_object_signing_alg`. */
  requestObjectSigningAlg: 'request_object_signing_alg',
  /** `request_object_encryption_alg`. */
  requestObjectEncryptionAlg: 'request_object_encryption_alg',
  /** `request_object_encryption_enc`. */
  requestObjectEncryptionEnc: 'request_object_encryption_enc',
  /** `token_endpoint_auth_signing_alg`. */
  tokenEndpointAuthSigningAlg: 'token_endpoint_auth_signing_alg',
  /** `default_max_age`, in seconds. */
  defaultMaxAge: 'default_max_age',
  /** `require_auth_time`. */
  requireAuthTime: 'require_auth_time',
  /** `default_acr_values`. */
  defaultAcrValues: 'default_acr_values',
  /** `initiate_login_uri`. */
  initiateLoginUri: 'initiate_login_uri',
  /** `request_uris`. */
  requestUris: 'request_uris',

  // Logout specifications
  /** `post_logout_redirect_uris` (RP-Initiated Logout §3.1). */
  postLogoutRedirectUris: 'post_logout_redirect_uris',
  /** `frontchannel_logout_uri` (Front-Channel Logout §2). */
  frontChannelLogoutUri: 'frontchannel_logout_uri',
  /** `frontchannel_logout_session_required` (Front-Channel Logout §2). */
  frontChannelLogoutSessionRequired: 'frontchannel_logout_session_required',
  /** `backchannel_logout_uri` (Back-Channel Logout §2.2). */
  backChannelLogoutUri: 'backchannel_logout_uri',
  /** `backchannel_logout_session_required` (Back-Channel Logout §2.2). */
  backChannelLogoutSessionRequired: 'backchannel_logout_session_required',

  // Sender-constrained tokens and JAR
  /** `dpop_bound_access_tokens` (RFC 9449 §5.2). */
  dpopBoundAccessTokens: 'dpop_bound_access_tokens',
  /** `tls_client_certificate_bound_access_tokens` (RFC 8705 §3.4). */
  tlsClientCertificateBoundAccessTokens: 'tls_client_certificate_bound_access_tokens',
  /** `require_signed_request_object` (RFC 9101 §10.5). */
  requireSignedRequestObject: 'require_signed_request_object',
  /** `introspection_signed_response_alg` (RFC 9701 §6). */
  introspectionSignedResponseAlg: 'introspection_signed_response_alg',
  /** `introspection_encrypted_response_alg` (RFC 9701 §6). */
  introspectionEncryptedResponseAlg: 'introspection_encrypted_response_alg',
  /** `introspection_encrypted_response_enc` (RFC 9701 §6). */
  introspectionEncryptedResponseEnc: 'introspection_encrypted_response_enc',
} as const;

/** A metadata name listed in {@link ClientMetadata}. */
export type ClientMetadataName = (typeof ClientMetadata)[keyof typeof ClientMetadata];

/**
 * Registration response members beyond the echoed {@link ClientMetadata}, and the error members.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1 RFC 7591 §3.2.1 and §3.2.2
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-3 RFC 7592 §3 (client configuration)
 */
export const RegistrationResponseParameters = {
  /** `client_id`. */
  clientId: 'client_id',
  /** `client_secret`. */
  clientSecret: 'client_secret',
  /** `client_id_issued_at`, NumericDate in seconds. */
  clientIdIssuedAt: 'client_id_issued_at',
  /** `client_secret_expires_at`, NumericDate in seconds; `0` means it never expires. */
  clientSecretExpiresAt: 'client_secret_expires_at',
  /** `registration_access_token` (RFC 7592 §3). */
  registrationAccessToken: 'registration_access_token',
  /** `registration_client_uri` (RFC 7592 §3). */
  registrationClientUri: 'registration_client_uri',
  /** `error` (RFC 7591 §3.2.2). */
  error: 'error',
  /** `error_description` (RFC 7591 §3.2.2). */
  errorDescription: 'error_description',
} as const;

/** A member name listed in {@link RegistrationResponseParameters}. */
export type RegistrationResponseParameter =
  (typeof RegistrationResponseParameters)[keyof typeof RegistrationResponseParameters];
