// The entry's declarations name worker globals (FetchEvent, ExtendableMessageEvent, …): this
// brings them into a consumer's program even when its tsconfig lists no WebWorker lib.
// `preserve` keeps the directive in the emitted .d.ts (TypeScript 5.5+ drops it otherwise).
/// <reference lib="webworker" preserve="true" />
/**
 * identity-model-web/sw: the token handler for an app's service worker.
 *
 * @module identity-model-web/sw
 */

export { MESSAGE_TAG, PROTOCOL_VERSION } from '../src/protocol/messages.js';
export type { ApiEntry } from './allowlist.js';
export { compileAllowlist, matchAllowlist } from './allowlist.js';
export type { ResolvedConfig, TokenHandlerConfig } from './config.js';
export { createTokenHandler, type ListenOptions, type TokenHandler } from './handler.js';
