export {
  DEFAULT_JWKS_TTL,
  fetchKeySet,
  getJwks,
  type JwksRequest,
  type JwksResponse,
  type JwksSuccess,
  MAX_JWKS_BODY_SIZE,
} from './get.js';
export { importedKey, importVerificationKey } from './import.js';
export { checkJwk, type Jwk, keyFitsAlgorithm, MIN_RSA_BITS, type VerificationKey } from './key.js';
export { type KeySet, MAX_JWKS_KEYS, parseKeySet, type SkippedKey } from './parse.js';
