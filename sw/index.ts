/**
 * identity-model-web/sw: the token handler for an app's service worker.
 *
 * @module
 */

export { MESSAGE_TAG, PROTOCOL_VERSION } from '../src/protocol/messages.js';
export type { ApiEntry } from './allowlist.js';
export { compileAllowlist, matchAllowlist } from './allowlist.js';
export type { ResolvedConfig, TokenHandlerConfig } from './config.js';
export { createTokenHandler, type ListenOptions, type TokenHandler } from './handler.js';
