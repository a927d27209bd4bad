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
export { createCodeChallenge, createPkce, type Pkce } from './pkce.js';
export { createNonce, createState } from './random.js';
export {
  type AuthorizeUrlRequest,
  createAuthorizeUrl,
  type PrepareAuthorizationRequest,
  type PreparedAuthorization,
  prepareAuthorization,
} from './url.js';
