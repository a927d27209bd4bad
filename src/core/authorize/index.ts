export {
  type AuthorizeCallbackExpectation,
  type AuthorizeCallbackResult,
  validateAuthorizeCallback,
} from './callback.js';
export {
  type PushedAuthorizationRequest,
  type PushedAuthorizationResponse,
  type PushedAuthorizationSuccess,
  pushAuthorizationRequest,
} from './par.js';
export { type AuthorizeParameters, RESERVED_AUTHORIZE_PARAMETERS } from './parameters.js';
export { createCodeChallenge, createNonce, createPkce, createState, type Pkce } from './pkce.js';
export {
  type AuthorizeUrlRequest,
  createAuthorizeUrl,
  type PrepareAuthorizationRequest,
  type PreparedAuthorization,
  prepareAuthorization,
} from './url.js';
