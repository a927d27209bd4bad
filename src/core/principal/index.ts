/**
 * The claims principal: claims, identities and principals, and {@link toPrincipal} to build one
 * from verified JWT claims. A port of py-identity-model's `identity` module (itself .NET's
 * `System.Security.Claims`).
 *
 * @module
 */

export {
  type Claim,
  type ClaimValueType,
  ClaimValueTypes,
  type CreateClaimOptions,
  createClaim,
  DEFAULT_CLAIM_ISSUER,
  XML_SCHEMA_STRING,
} from './claim.js';
export {
  type ClaimPredicate,
  ClaimsIdentity,
  type ClaimsIdentityOptions,
  DEFAULT_NAME_CLAIM_TYPE,
  DEFAULT_ROLE_CLAIM_TYPE,
} from './claims-identity.js';
export { ClaimsPrincipal } from './claims-principal.js';
export {
  DEFAULT_AUTHENTICATION_TYPE,
  type ToPrincipalOptions,
  toPrincipal,
} from './to-principal.js';
