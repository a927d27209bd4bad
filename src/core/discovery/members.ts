/**
 * Every provider metadata member the library types, grouped by JSON kind. The camelCase name of
 * each is derived (`jwks_uri` → `jwksUri`), in the types as at run time.
 *
 * @module
 */

/** The JSON kind a member must have; `url` members are also endpoint-checked by the policy. */
export type MemberKind = 'url' | 'string' | 'strings' | 'boolean' | 'object';

/** `snake_case` → `camelCase`, as a type. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** `snake_case` → `camelCase`. */
export function camelCase<S extends string>(name: S): CamelCase<S> {
  return name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()) as CamelCase<S>;
}

/** Members holding a URL (endpoints, `jwks_uri`, `check_session_iframe`): endpoint-checked by the policy. */
export const URL_MEMBERS = [
  // OpenID Connect Discovery 1.0 §3
  'authorization_endpoint',
  'token_endpoint',
  'userinfo_endpoint',
  'jwks_uri',
  'registration_endpoint',
  // RFC 8414 §2
  'revocation_endpoint',
  'introspection_endpoint',
  // RFC 8628 §4
  'device_authorization_endpoint',
  // RFC 9126 §5
  'pushed_authorization_request_endpoint',
  // OpenID Connect Session Management 1.0 §3.3
  'check_session_iframe',
  // OpenID Connect RP-Initiated Logout 1.0 §2.1
  'end_session_endpoint',
  // OpenID Connect CIBA Core 1.0 §4
  'backchannel_authentication_endpoint',
] as const;

/** Members holding any string. */
export const STRING_MEMBERS = [
  // OpenID Connect Discovery 1.0 §3
  'issuer',
  'service_documentation',
  'op_policy_uri',
  'op_tos_uri',
  // RFC 8414 §2
  'signed_metadata',
] as const;

/** Members holding an array of strings. */
export const STRINGS_MEMBERS = [
  // OpenID Connect Discovery 1.0 §3
  'scopes_supported',
  'response_types_supported',
  'response_modes_supported',
  'grant_types_supported',
  'acr_values_supported',
  'subject_types_supported',
  'id_token_signing_alg_values_supported',
  'id_token_encryption_alg_values_supported',
  'id_token_encryption_enc_values_supported',
  'userinfo_signing_alg_values_supported',
  'userinfo_encryption_alg_values_supported',
  'userinfo_encryption_enc_values_supported',
  'token_endpoint_auth_methods_supported',
  'display_values_supported',
  'claim_types_supported',
  'claims_supported',
  'claims_locales_supported',
  'ui_locales_supported',
  // RFC 8414 §2
  'code_challenge_methods_supported',
  // RFC 9449 §5.1
  'dpop_signing_alg_values_supported',
  // RFC 9396 §10
  'authorization_details_types_supported',
  // Initiating User Registration via OpenID Connect 1.0 §4
  'prompt_values_supported',
  // OpenID Connect Discovery 1.0 §3
  'request_object_signing_alg_values_supported',
  'request_object_encryption_alg_values_supported',
  'request_object_encryption_enc_values_supported',
  'token_endpoint_auth_signing_alg_values_supported',
  // RFC 8414 §2
  'revocation_endpoint_auth_methods_supported',
  'revocation_endpoint_auth_signing_alg_values_supported',
  'introspection_endpoint_auth_methods_supported',
  'introspection_endpoint_auth_signing_alg_values_supported',
  // JARM §4
  'authorization_signing_alg_values_supported',
  'authorization_encryption_alg_values_supported',
  'authorization_encryption_enc_values_supported',
  // OpenID Connect CIBA Core 1.0 §4
  'backchannel_token_delivery_modes_supported',
  'backchannel_authentication_request_signing_alg_values_supported',
] as const;

/** Members holding a boolean. */
export const BOOLEAN_MEMBERS = [
  // OpenID Connect Discovery 1.0 §3
  'claims_parameter_supported',
  'request_parameter_supported',
  'request_uri_parameter_supported',
  'require_request_uri_registration',
  // RFC 9126 §5
  'require_pushed_authorization_requests',
  // RFC 9101 §10.5
  'require_signed_request_object',
  // OpenID Connect Front-Channel Logout 1.0 §3
  'frontchannel_logout_supported',
  'frontchannel_logout_session_supported',
  // OpenID Connect Back-Channel Logout 1.0 §2.1
  'backchannel_logout_supported',
  'backchannel_logout_session_supported',
  // OpenID Connect CIBA Core 1.0 §4
  'backchannel_user_code_parameter_supported',
  // RFC 9207 §3
  'authorization_response_iss_parameter_supported',
  // RFC 8705 §3.3, §5
  'tls_client_certificate_bound_access_tokens',
] as const;

/** Members holding a JSON object of URLs (RFC 8705 §5). */
export const OBJECT_MEMBERS = [
  // RFC 8705 §3.3, §5
  'mtls_endpoint_aliases',
] as const;

/** `[wire name, camelCase name, kind]` for every typed member. */
export const DISCOVERY_MEMBERS: readonly (readonly [string, string, MemberKind])[] = (
  [
    [URL_MEMBERS, 'url'],
    [STRING_MEMBERS, 'string'],
    [STRINGS_MEMBERS, 'strings'],
    [BOOLEAN_MEMBERS, 'boolean'],
    [OBJECT_MEMBERS, 'object'],
  ] as const
).flatMap(([names, kind]) => names.map((name) => [name, camelCase(name), kind] as const));

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
