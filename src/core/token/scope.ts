/**
 * The `scope` parameter of grants (RFC 6749 §3.3): as sent, and as granted.
 *
 * @module
 */

import { ConfigurationError } from '../errors.js';

/** `scope` as sent: an array joined with single spaces (RFC 6749 §3.3). */
export function scopeParameter(scope: string | readonly string[] | undefined): string | undefined {
  if (scope === undefined) return undefined;
  if (typeof scope === 'string') return scope;
  if (!Array.isArray(scope) || scope.some((item) => typeof item !== 'string')) {
    throw new ConfigurationError('"scope" must be a string or an array of strings');
  }
  return scope.join(' ');
}

/** True when a space-delimited scope string contains `openid`. */
export function hasOpenIdScope(scope: string | undefined): boolean {
  return scope?.split(' ').includes('openid') === true;
}
