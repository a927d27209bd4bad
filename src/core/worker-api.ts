/**
 * The parts of core that the service worker (`sw/`) uses beyond the public surface of
 * `identity-model-web/core`: meant for the worker, kept stable for it, not exported by the
 * package. `sw/` imports core only through `src/core/index.ts`'s public symbols and this module
 * (`test/architecture.test.ts` checks it), so a core helper is never copied into the worker.
 *
 * @module
 */

export { type DiscoveryHandle, discoveryHandle } from './discovery/get.js';
export { sendWithDpop } from './dpop/resource.js';
export { dpopChallengeError, isChallenge } from './endpoint/challenge.js';
export { pickHttpOptions } from './http/defaults.js';
export { backoffDelay } from './http/retry.js';
export {
  assertObject,
  assertOptionalBoolean,
  assertOptionalNumber,
  assertOptionalString,
  assertString,
  assertStringOrStrings,
  assertUrl,
  defined,
} from './lib/assert.js';
export { decodeBase64url, encodeBase64url } from './lib/base64url.js';
export { tryParseUrl } from './lib/url.js';
