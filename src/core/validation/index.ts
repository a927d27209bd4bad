export {
  ACCESS_TOKEN_TYPES,
  type AccessTokenClaims,
  isAccessTokenJwt,
  validateAccessToken,
} from './access-token.js';
export {
  type ClaimsValidator,
  DEFAULT_LEEWAY,
  DEFAULT_MAX_TOKEN_SIZE,
  type TokenValidationConfig,
  type ValidationOptions,
} from './config.js';
export { type DecodedJws, decodeJws } from './decode.js';
export type { JwtClaims, JwtHeader } from './types.js';
export {
  MAX_KEY_CANDIDATES,
  validateToken,
} from './validate.js';
export type { VerifiedTokenCacheOptions } from './verified-cache.js';
