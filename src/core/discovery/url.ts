/**
 * @module
 */

import { ConfigurationError } from '../errors.js';
import { assertString } from '../lib/assert.js';
import { trimTrailingSlashes, tryParseUrl } from '../lib/url.js';

/** The well-known path of OpenID Connect Discovery 1.0 §4. */
export const OIDC_DISCOVERY_PATH = '/.well-known/openid-configuration';

/** A discovery address split into the document URL and the issuer it must name. */
export interface DiscoveryUrl {
  /** Where the discovery document is fetched from. */
  url: string;
  /** The issuer the document must name, without a trailing slash. */
  issuer: string;
}

/**
 * Turns an issuer or discovery address into the document URL and the issuer. The well-known
 * path is appended once: an address that already ends with it is kept.
 *
 * @example
 * ```ts
 * parseDiscoveryUrl('https://op.example/tenant');
 * // { url: 'https://op.example/tenant/.well-known/openid-configuration',
 * //   issuer: 'https://op.example/tenant' }
 * ```
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationRequest
 */
export function parseDiscoveryUrl(address: string): DiscoveryUrl {
  // Blank counts as empty: '  ' is no address either.
  assertString(typeof address === 'string' ? address.trim() : address, 'address');
  const parsed = tryParseUrl(address.trim());
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new ConfigurationError('"address" must be an absolute http(s) URL');
  }
  if (
    parsed.search !== '' ||
    parsed.hash !== '' ||
    parsed.username !== '' ||
    parsed.password !== ''
  ) {
    // The address is not echoed: its user info may be a credential.
    throw new ConfigurationError('"address" must not have a query, fragment or user info');
  }
  let base = trimTrailingSlashes(parsed.href);
  if (base.toLowerCase().endsWith(OIDC_DISCOVERY_PATH)) {
    base = base.slice(0, -OIDC_DISCOVERY_PATH.length);
  }
  return { url: `${base}${OIDC_DISCOVERY_PATH}`, issuer: base };
}
