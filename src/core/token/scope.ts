/**
 * The `scope` parameter of grants (RFC 6749 §3.3): as sent, and as granted.
 *
 * @module
 */

import { assertStringOrStrings } from '../lib/assert.js';

/** `scope` as sent: an array joined with single spaces (RFC 6749 §3.3). */
export function scopeParameter(scope: string | readonly string[] | undefined): string | undefined {
  if (scope === undefined) return undefined;
  assertStringOrStrings(scope, 'scope');
  return typeof scope === 'string' ? scope : scope.join(' ');
}

/** True when a space-delimited scope string contains `openid`. */
export function hasOpenIdScope(scope: string | undefined): boolean {
  return scope?.split(' ').includes('openid') === true;
}
