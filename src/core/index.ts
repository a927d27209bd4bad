/**
 * identity-model-web/core: the runtime-agnostic OpenID Connect / OAuth 2.0 protocol library.
 * Runs in pages, service workers, extension workers, Electron and Node 20+.
 *
 * @module identity-model-web/core
 */

// The class belongs to the page ⇄ worker protocol; `./core` keeps exporting it by name.
export { WorkerError } from '../protocol/errors.js';
export * from './authorize/index.js';
export * from './cache/index.js';
export * from './constants/index.js';
export * from './discovery/index.js';
export * from './dpop/index.js';
export * from './endpoint/index.js';
export * from './errors.js';
export {
  configureHttp,
  DEFAULT_MAX_BODY_SIZE,
  type FetchLike,
  type HttpOptions,
  type SleepFn,
} from './http/index.js';
export * from './introspection/index.js';
export {
  DEFAULT_JWKS_TTL,
  getJwks,
  type Jwk,
  type JwksRequest,
  type JwksResponse,
  type JwksSuccess,
  MAX_JWKS_BODY_SIZE,
  MAX_JWKS_KEYS,
  MIN_RSA_BITS,
  type SkippedKey,
} from './jwks/index.js';
export type { JwsAlgorithm } from './jws/algorithms.js';
export type { FailedResponse, ResponseErrorType } from './lib/response.js';
export {
  DEFAULT_LOGOUT_TOKEN_MAX_AGE,
  type LogoutTokenClaims,
  type LogoutTokenValidationOptions,
  validateLogoutToken,
} from './logout/backchannel.js';
export { createEndSessionUrl, type EndSessionUrlRequest } from './logout/end-session.js';
export * from './principal/index.js';
export * from './registration/index.js';
export * from './revocation/index.js';
export * from './token/index.js';
export * from './userinfo/index.js';
export * from './validation/index.js';
