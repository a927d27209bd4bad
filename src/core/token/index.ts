export {
  type AuthorizationCodeTokenRequest,
  type AuthorizationCodeTokenResponse,
  type AuthorizationCodeTokenSuccess,
  requestAuthorizationCodeToken,
} from './authorization-code.js';
export {
  type ClientCredentialsTokenRequest,
  requestClientCredentialsToken,
} from './client-credentials.js';
export {
  DEFAULT_DEVICE_INTERVAL,
  type DeviceAuthorizationRequest,
  type DeviceAuthorizationResponse,
  type DeviceAuthorizationSuccess,
  requestDeviceAuthorization,
} from './device-authorization.js';
export {
  type DeviceTokenPollRequest,
  MIN_DEVICE_POLL_INTERVAL,
  pollDeviceToken,
  SLOW_DOWN_INCREMENT,
} from './device-poll.js';
export {
  type DeviceTokenRequest,
  type DeviceTokenResponse,
  type DeviceTokenSuccess,
  requestDeviceToken,
} from './device-token.js';
export type { GrantSpec, TokenEndpointRequest } from './grant.js';
export { type IdTokenClaims, type IdTokenExpectations, validateIdToken } from './id-token.js';
export type { CheckedTokenFields, IdTokenRequestExpectations } from './id-token-response.js';
export {
  type RefreshIdTokenExpectations,
  type RefreshTokenRequest,
  type RefreshTokenResponse,
  type RefreshTokenSuccess,
  requestRefreshToken,
} from './refresh.js';
export type { TokenFields, TokenResponse, TokenSuccess } from './response.js';
export {
  requestTokenExchangeToken,
  type TokenExchangeSuccess,
  type TokenExchangeTokenRequest,
  type TokenExchangeTokenResponse,
} from './token-exchange.js';
