export type { DiscoveryDocument, IgnoredDiscoveryValue } from './document.js';
export { parseDiscoveryDocument } from './document.js';
export {
  DEFAULT_DISCOVERY_TTL,
  type DiscoveryDocumentResponse,
  type DiscoveryRequest,
  type DiscoverySuccess,
  getDiscoveryDocument,
} from './get.js';
export { DISCOVERY_MEMBERS, REQUIRED_MEMBERS } from './members.js';
export type { DiscoveryPolicy, ResolvedDiscoveryPolicy } from './policy.js';
export { resolveDiscoveryPolicy } from './policy.js';
export { type DiscoveryUrl, OIDC_DISCOVERY_PATH, parseDiscoveryUrl } from './url.js';
