export { introspectToken, type TokenIntrospectionRequest } from './introspect.js';
export type {
  IntrospectionFields,
  IntrospectionSuccess,
  TokenIntrospectionResponse,
} from './response.js';
export {
  DEFAULT_INTROSPECTION_ALGORITHM,
  type SignedIntrospectionOptions,
  TOKEN_INTROSPECTION_JWT,
} from './signed.js';
