/**
 * Protocol constants: claim names, parameter names, grant and response types, token type
 * identifiers, error codes, discovery members and JWT types, each as a plain `as const` object
 * with a union type of its values. A port of Duende.IdentityModel's `OidcConstants` and
 * `JwtClaimTypes` (via py-identity-model), with camelCase keys.
 *
 * @module
 */

export {
  type AuthorizeRequestParameter,
  AuthorizeRequestParameters,
  type AuthorizeResponseParameter,
  AuthorizeResponseParameters,
  type EndSessionRequestParameter,
  EndSessionRequestParameters,
  type PushedAuthorizationResponseParameter,
  PushedAuthorizationResponseParameters,
} from './authorize-parameters.js';
export {
  type CodeChallengeMethod,
  CodeChallengeMethods,
  type DisplayMode,
  DisplayModes,
  type PromptMode,
  PromptModes,
  type ResponseMode,
  ResponseModes,
  type ResponseType,
  ResponseTypes,
  type StandardScope,
  StandardScopes,
} from './authorize-values.js';
export {
  type ClientAssertionType,
  ClientAssertionTypes,
  type ClientAuthenticationMethod,
  ClientAuthenticationMethods,
} from './client-authentication.js';
export {
  type DiscoveryMember,
  DiscoveryMembers,
  OidcRequiredDiscoveryMembers,
  type WellKnownPath,
  WellKnownPaths,
} from './discovery.js';
export { type GrantType, GrantTypes } from './grant-types.js';
export { type HttpHeader, HttpHeaders } from './http-headers.js';
export {
  type AuthenticationMethodReference,
  AuthenticationMethodReferences,
  type ConfirmationMethod,
  ConfirmationMethods,
  type JwtClaimType,
  JwtClaimTypes,
} from './jwt-claim-types.js';
export {
  type JwtType,
  JwtTypes,
  type SecurityEventType,
  SecurityEventTypes,
} from './jwt-types.js';
export { type OAuthErrorCode, OAuthErrorCodes } from './oauth-errors.js';
export {
  ClientMetadata,
  type ClientMetadataName,
  type RegistrationResponseParameter,
  RegistrationResponseParameters,
} from './registration-parameters.js';
export {
  type BackChannelLogoutRequestParameter,
  BackChannelLogoutRequestParameters,
  type IntrospectionRequestParameter,
  IntrospectionRequestParameters,
  type IntrospectionResponseParameter,
  IntrospectionResponseParameters,
  type RevocationRequestParameter,
  RevocationRequestParameters,
} from './token-management-parameters.js';
export {
  type BackchannelAuthenticationParameter,
  BackchannelAuthenticationParameters,
  type DeviceAuthorizationParameter,
  DeviceAuthorizationParameters,
  type TokenRequestParameter,
  TokenRequestParameters,
  type TokenResponseParameter,
  TokenResponseParameters,
} from './token-parameters.js';
export {
  type AccessTokenType,
  AccessTokenTypes,
  type TokenType,
  type TokenTypeHint,
  TokenTypeHints,
  type TokenTypeIdentifier,
  TokenTypeIdentifiers,
  TokenTypes,
} from './token-types.js';
