/**
 * The form body of a client-authenticated endpoint request (`application/x-www-form-urlencoded`,
 * RFC 6749 Appendix B).
 *
 * @module
 */

import { ConfigurationError } from '../errors.js';

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
    if (typeof value !== 'string') {
      throw new ConfigurationError(`"parameters.${name}" must be a string`);
    }
    form.append(name, value);
  }
  for (const [name, value] of Object.entries(own)) {
    if (value === undefined) continue;
    if (typeof value === 'string') form.append(name, value);
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      for (const item of value) form.append(name, item);
    } else {
      throw new ConfigurationError(`"${name}" must be a string or an array of strings`);
    }
  }
  return form;
}
