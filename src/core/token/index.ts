export type { ClientAuthMethod, ClientCredentialsOptions } from './client-auth.js';
export {
  type ClientCredentialsTokenRequest,
  requestClientCredentialsToken,
} from './client-credentials.js';
export type { EndpointFailure, TokenFields, TokenResponse, TokenSuccess } from './response.js';
export type { EndpointOptions } from './transport.js';
