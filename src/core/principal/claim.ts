/**
 * A claim: a statement about a subject, made by an issuer. A port of py-identity-model's `Claim`
 * (itself .NET's `System.Security.Claims.Claim`) as a frozen plain object.
 *
 * @module
 */

import { assertObject, assertString } from '../lib/assert.js';

/**
 * The value types {@link toPrincipal} gives claims, after .NET's `ClaimValueTypes` and
 * `JsonClaimValueTypes` (shortened: `'string'` rather than
 * `http://www.w3.org/2001/XMLSchema#string`). A claim's `value` is always a string; `valueType`
 * says how to read it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8259#section-3 RFC 8259 §3 (JSON values)
 */
export const ClaimValueTypes = {
  /** A JSON string, kept as is. .NET: `ClaimValueTypes.String`. */
  string: 'string',
  /** A JSON number with no fractional part, e.g. `exp`. .NET: `ClaimValueTypes.Integer`. */
  integer: 'integer',
  /** Any other JSON number, as JavaScript prints it. .NET: `ClaimValueTypes.Double`. */
  double: 'double',
  /** `true` or `false`. .NET: `ClaimValueTypes.Boolean`. */
  boolean: 'boolean',
  /** A JSON object, or an array nested in an array, as its JSON text. .NET: `JsonClaimValueTypes.Json`. */
  json: 'json',
  /** JSON `null`; the value is the text `null`. .NET: `JsonClaimValueTypes.JsonNull`. */
  null: 'null',
} as const;

/** A value type listed in {@link ClaimValueTypes}. */
export type ClaimValueType = (typeof ClaimValueTypes)[keyof typeof ClaimValueTypes];

/**
 * The XML Schema string type URI, .NET's and py-identity-model's default `valueType`. Role and name
 * lookups treat it like {@link ClaimValueTypes.string}.
 */
export const XML_SCHEMA_STRING = 'http://www.w3.org/2001/XMLSchema#string';

/** The issuer of claims that name none, as .NET's `ClaimsIdentity.DefaultIssuer`. */
export const DEFAULT_CLAIM_ISSUER = 'LOCAL AUTHORITY';

/**
 * One claim. Claims made by {@link createClaim} and {@link toPrincipal} are frozen.
 */
export interface Claim {
  /** The claim name, e.g. `sub`, `role`, `email`. Matched case-sensitively (RFC 7519 §4). */
  readonly type: string;
  /** The value as a string: JSON text for anything but strings (see {@link Claim.valueType}). */
  readonly value: string;
  /** How to read {@link Claim.value}: one of {@link ClaimValueTypes}, or an application's own URI. */
  readonly valueType: string;
  /** Who made the claim: the token's `iss`, or {@link DEFAULT_CLAIM_ISSUER}. */
  readonly issuer: string;
  /** The first issuer, when the claim was passed on by another; defaults to {@link Claim.issuer}. */
  readonly originalIssuer: string;
}

/** Optional members of a claim made by {@link createClaim}. */
export interface CreateClaimOptions {
  /** The value type. Default {@link ClaimValueTypes.string}. */
  valueType?: string;
  /** The issuer. Default {@link DEFAULT_CLAIM_ISSUER} (also used for an empty string, as .NET). */
  issuer?: string;
  /** The original issuer. Default: the issuer. */
  originalIssuer?: string;
}

/**
 * Makes a frozen {@link Claim}.
 *
 * @example
 * ```ts
 * const role = createClaim('role', 'admin', { issuer: 'https://op.example' });
 * identity.addClaim(role);
 * ```
 *
 * @throws ConfigurationError when `type` is not a non-empty string, `value` is not a string, or
 * an option is not a string.
 */
export function createClaim(type: string, value: string, options?: CreateClaimOptions): Claim {
  assertString(type, 'type');
  assertString(value, 'value', { empty: true });
  if (options !== undefined) assertObject(options, 'options');
  const valueType = options?.valueType ?? ClaimValueTypes.string;
  assertString(valueType, 'options.valueType');
  const issuer = options?.issuer;
  if (issuer !== undefined) assertString(issuer, 'options.issuer', { empty: true });
  const originalIssuer = options?.originalIssuer;
  if (originalIssuer !== undefined)
    assertString(originalIssuer, 'options.originalIssuer', { empty: true });
  return makeClaim(type, value, valueType, issuer, originalIssuer);
}

/**
 * Builds a frozen claim from values already checked.
 *
 * @internal
 */
export function makeClaim(
  type: string,
  value: string,
  valueType: string,
  issuer?: string,
  originalIssuer?: string,
): Claim {
  const iss = issuer || DEFAULT_CLAIM_ISSUER;
  return Object.freeze({
    type,
    value,
    valueType,
    issuer: iss,
    originalIssuer: originalIssuer || iss,
  });
}

/**
 * Checks that `claim` has the shape of a {@link Claim}; returns it when frozen, a frozen copy
 * otherwise (so a caller cannot change a stored claim afterwards).
 *
 * @internal
 */
export function toStoredClaim(claim: unknown, path: string): Claim {
  assertObject(claim, path);
  const c = claim as Partial<Record<keyof Claim, unknown>>;
  assertString(c.type, `${path}.type`);
  assertString(c.value, `${path}.value`, { empty: true });
  assertString(c.valueType, `${path}.valueType`);
  assertString(c.issuer, `${path}.issuer`, { empty: true });
  assertString(c.originalIssuer, `${path}.originalIssuer`, { empty: true });
  if (Object.isFrozen(claim)) return c as Claim;
  return makeClaim(c.type, c.value, c.valueType, c.issuer, c.originalIssuer);
}

/**
 * Whether the claim holds a plain string (rather than JSON text of another type): only such
 * claims count as names and roles.
 *
 * @internal
 */
export function isStringClaim(claim: Claim): boolean {
  return claim.valueType === ClaimValueTypes.string || claim.valueType === XML_SCHEMA_STRING;
}
