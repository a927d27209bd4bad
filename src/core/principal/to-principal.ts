/**
 * Turns the claims of a verified JWT (or a userinfo / introspection response) into a
 * {@link ClaimsPrincipal}. A port of py-identity-model's `to_principal`, with .NET's
 * (`JsonWebToken`) handling of non-string values.
 *
 * @module
 */

import { ConfigurationError } from '../errors.js';
import { assertObject } from '../lib/assert.js';
import { type Claim, ClaimValueTypes, makeClaim } from './claim.js';
import { ClaimsIdentity, type ClaimsIdentityOptions } from './claims-identity.js';
import { ClaimsPrincipal } from './claims-principal.js';

/** Options of {@link toPrincipal}: the name and role claim types of the identity. */
export type ToPrincipalOptions = ClaimsIdentityOptions;

/** The authentication type {@link toPrincipal} uses when none is given (as py-identity-model). */
export const DEFAULT_AUTHENTICATION_TYPE = 'Bearer';

/**
 * Builds a principal with one identity from a claims object, such as the result of
 * `validateToken`. Only the object's own enumerable members are read.
 *
 * Each member becomes claims of that type:
 * - a string: one claim, `valueType` `'string'`;
 * - a number: one claim with its text (`'1700000000'`), `valueType` `'integer'` or `'double'`;
 * - `true` / `false`: one claim `'true'` / `'false'`, `valueType` `'boolean'`;
 * - `null`: one claim `'null'`, `valueType` `'null'`;
 * - an object: one claim whose value is its JSON text, `valueType` `'json'` (e.g. `address`,
 *   `cnf`, `act`);
 * - an array: one claim per element, each converted as above (an array nested in the array
 *   becomes JSON text); an empty array gives no claim;
 * - `undefined`: no claim (JSON has no such value).
 *
 * Every claim's `issuer` is the `iss` claim when it is a non-empty string, else
 * `'LOCAL AUTHORITY'`. A `__proto__` member is an ordinary claim; inherited members are ignored.
 *
 * @example
 * ```ts
 * const principal = toPrincipal({ iss: 'https://op.example', sub: '42', role: ['a', 'b'] });
 * principal.isInRole('b'); // true
 * principal.findAll('role').length; // 2
 * principal.findFirst('sub')?.issuer; // 'https://op.example'
 * ```
 *
 * @param claims - The claims: a JSON object (not an array).
 * @param authenticationType - Default `'Bearer'`. `null` or `''` make an unauthenticated principal.
 * @param options - The name and role claim types (default `'name'` and `'role'`).
 * @throws ConfigurationError when `claims` is not an object, holds a value JSON cannot (a
 *   function, a symbol, a bigint, a non-finite number, a cycle), or an option has the wrong type.
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4 RFC 7519 §4 (JWT claims)
 */
export function toPrincipal(
  claims: Readonly<Record<string, unknown>>,
  authenticationType: string | null = DEFAULT_AUTHENTICATION_TYPE,
  options?: ToPrincipalOptions,
): ClaimsPrincipal {
  assertObject(claims, 'claims');
  const iss = claims.iss;
  const issuer = typeof iss === 'string' ? iss : undefined;
  const list: Claim[] = [];
  for (const type of Object.keys(claims)) {
    const value = claims[type];
    const path = `claims${member(type)}`;
    if (Array.isArray(value)) {
      value.forEach((item: unknown, i) => {
        if (item !== undefined) list.push(toClaim(type, item, issuer, `${path}[${i}]`));
      });
    } else if (value !== undefined) {
      list.push(toClaim(type, value, issuer, path));
    }
  }
  return new ClaimsPrincipal(new ClaimsIdentity(list, authenticationType, options));
}

function toClaim(type: string, value: unknown, issuer: string | undefined, path: string): Claim {
  switch (typeof value) {
    case 'string':
      return makeClaim(type, value, ClaimValueTypes.string, issuer);
    case 'boolean':
      return makeClaim(type, String(value), ClaimValueTypes.boolean, issuer);
    case 'number':
      if (!Number.isFinite(value)) break;
      return makeClaim(
        type,
        String(value),
        Number.isInteger(value) ? ClaimValueTypes.integer : ClaimValueTypes.double,
        issuer,
      );
    case 'object':
      if (value === null) return makeClaim(type, 'null', ClaimValueTypes.null, issuer);
      // An object, or an array nested in an array.
      return makeClaim(type, jsonText(value, path), ClaimValueTypes.json, issuer);
  }
  throw new ConfigurationError(`"${path}" must be JSON data`);
}

function jsonText(value: object, path: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    // Cycles and bigints: only possible for claims that did not come from JSON.parse.
    throw new ConfigurationError(`"${path}" must be JSON data`, { cause });
  }
  // A toJSON() returning undefined; again impossible for parsed JSON.
  if (typeof text !== 'string') throw new ConfigurationError(`"${path}" must be JSON data`);
  return text;
}

function member(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
