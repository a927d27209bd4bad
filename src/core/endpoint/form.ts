/**
 * The form body of a client-authenticated endpoint request (`application/x-www-form-urlencoded`,
 * RFC 6749 Appendix B).
 *
 * @module
 */

import { ConfigurationError } from '../errors.js';
import { assertString, assertStringOrStrings } from '../lib/assert.js';

/** Parameters the caller's `parameters` may never set. */
const RESERVED = new Set([
  'grant_type',
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
]);

/**
 * Builds the form: the caller's extra parameters first (checked: none may replace a parameter
 * the library sets), then the library's own (arrays are sent as repeated parameters).
 */
export function endpointForm(
  own: Readonly<Record<string, string | readonly string[] | undefined>>,
  extra: Readonly<Record<string, string>> | undefined,
): URLSearchParams {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (RESERVED.has(name) || Object.hasOwn(own, name)) {
      throw new ConfigurationError(`"parameters.${name}" cannot be set through extra parameters`);
    }
    assertString(value, `parameters.${name}`, { empty: true });
    form.append(name, value);
  }
  for (const [name, value] of Object.entries(own)) {
    if (value === undefined) continue;
    assertStringOrStrings(value, name);
    for (const item of typeof value === 'string' ? [value] : value) form.append(name, item);
  }
  return form;
}
