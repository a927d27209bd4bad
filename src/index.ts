/**
 * identity-model-web: the main-thread client. It registers the service worker, which holds the
 * tokens, and talks to it by typed messages.
 *
 * @module identity-model-web
 */

export {
  createIdentityClient,
  type IdentityClient,
  type IdentityClientOptions,
} from './client/client.js';
// The family classes the page rebuilds a worker's error as, for `instanceof`.
export {
  AuthorizationResponseError,
  ConfigurationError,
  DiscoveryError,
  DpopError,
  type ErrorCode,
  HttpError,
  IdentityModelError,
  JwksError,
  ProtocolError,
  ResponseAccessError,
  TokenValidationError,
} from './core/errors.js';
export { WorkerError } from './protocol/errors.js';
export {
  type LoginOptions,
  type LogoutOptions,
  PROTOCOL_VERSION,
  type SessionState,
  type User,
  type UserState,
  type WorkerEvent,
} from './protocol/messages.js';
