export {
  createDpopHandle,
  type DpopHandle,
  type DpopHandleOptions,
  type DpopOptions,
} from './handle.js';
export {
  chooseDpopAlgorithm,
  DPOP_ALGORITHMS,
  type DpopAlgorithm,
  type DpopKeyPairOptions,
  generateDpopKeyPair,
} from './key.js';
export {
  createDpopNonceIssuer,
  type DpopNonceIssuer,
  type DpopNonceIssuerOptions,
} from './nonce.js';
export {
  createDpopReplayCache,
  type DpopReplayCache,
  type DpopReplayCacheOptions,
} from './replay-cache.js';
export { accessTokenHash, calculateJwkThumbprint } from './thumbprint.js';
export {
  type DpopRequestHeaders,
  type DpopRequestValidation,
  type ValidatedDpopProof,
  validateDpopRequest,
} from './validate.js';
