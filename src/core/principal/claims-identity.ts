/**
 * A claims-based identity: the claims one authentication produced. A port of py-identity-model's
 * `ClaimsIdentity` (itself .NET's `System.Security.Claims.ClaimsIdentity`).
 *
 * @module
 */

import { ConfigurationError } from '../errors.js';
import { assertObject, assertString } from '../lib/assert.js';
import { type Claim, isStringClaim, toStoredClaim } from './claim.js';

/** Tests one claim; used by `findFirst`, `findAll` and `hasClaim`. */
export type ClaimPredicate = (claim: Claim) => boolean;

/** Options of a {@link ClaimsIdentity}. */
export interface ClaimsIdentityOptions {
  /** The claim type whose value is the identity's {@link ClaimsIdentity.name}. Default `'name'`. */
  nameClaimType?: string;
  /** The claim type that holds roles, for `isInRole`. Default `'role'`. */
  roleClaimType?: string;
}

/** Default {@link ClaimsIdentityOptions.nameClaimType}: the OIDC `name` claim (OIDC Core §5.1). */
export const DEFAULT_NAME_CLAIM_TYPE = 'name';

/** Default {@link ClaimsIdentityOptions.roleClaimType}: `role`, as Duende and ASP.NET Core. */
export const DEFAULT_ROLE_CLAIM_TYPE = 'role';

/**
 * The claims of one authentication, with the claim types that carry the name and the roles.
 *
 * Claim types match exactly (case-sensitively, as JWT claim names: RFC 7519 §4), unlike .NET,
 * which ignores case. Stored claims are frozen.
 *
 * @example
 * ```ts
 * const identity = new ClaimsIdentity(
 *   [createClaim('sub', '42'), createClaim('preferred_username', 'ada')],
 *   'Bearer',
 *   { nameClaimType: 'preferred_username' },
 * );
 * identity.name; // 'ada'
 * identity.isAuthenticated; // true
 * ```
 */
export class ClaimsIdentity {
  /** How the identity was authenticated (e.g. `Bearer`); `undefined` when it was not. */
  readonly authenticationType: string | undefined;
  /** The claim type of {@link ClaimsIdentity.name}. */
  readonly nameClaimType: string;
  /** The claim type that holds roles. */
  readonly roleClaimType: string;
  #claims: Claim[];
  #snapshot: readonly Claim[] | undefined;

  /**
   * @param claims - The claims (each checked; unfrozen ones are copied and frozen).
   * @param authenticationType - How the identity was authenticated. `undefined`, `null` or `''`
   *   make an unauthenticated identity.
   * @param options - Name and role claim types.
   * @throws ConfigurationError when an argument has the wrong type or a claim the wrong shape.
   */
  constructor(
    claims: Iterable<Claim> = [],
    authenticationType?: string | null,
    options?: ClaimsIdentityOptions,
  ) {
    if (authenticationType !== undefined && authenticationType !== null) {
      assertString(authenticationType, 'authenticationType', { empty: true });
    }
    if (options !== undefined) assertObject(options, 'options');
    const nameClaimType = options?.nameClaimType ?? DEFAULT_NAME_CLAIM_TYPE;
    const roleClaimType = options?.roleClaimType ?? DEFAULT_ROLE_CLAIM_TYPE;
    assertString(nameClaimType, 'options.nameClaimType');
    assertString(roleClaimType, 'options.roleClaimType');
    this.authenticationType = authenticationType ?? undefined;
    this.nameClaimType = nameClaimType;
    this.roleClaimType = roleClaimType;
    this.#claims = storeAll(claims, 'claims');
  }

  /** The claims, in order (a frozen snapshot; {@link ClaimsIdentity.addClaim} adds to the identity). */
  get claims(): readonly Claim[] {
    this.#snapshot ??= Object.freeze(this.#claims.slice());
    return this.#snapshot;
  }

  /** `true` when {@link ClaimsIdentity.authenticationType} is a non-empty string (as .NET). */
  get isAuthenticated(): boolean {
    return typeof this.authenticationType === 'string' && this.authenticationType !== '';
  }

  /**
   * The value of the first string-valued claim of {@link ClaimsIdentity.nameClaimType}, or
   * `undefined`. A claim holding JSON text (an object, a number, …) is never taken as a name.
   */
  get name(): string | undefined {
    return this.#claims.find((c) => c.type === this.nameClaimType && isStringClaim(c))?.value;
  }

  /** The first claim of the given type (or matching the predicate), or `undefined`. */
  findFirst(match: string | ClaimPredicate): Claim | undefined {
    return this.#claims.find(toMatcher(match));
  }

  /** Every claim of the given type (or matching the predicate), in order. */
  findAll(match: string | ClaimPredicate): Claim[] {
    return this.#claims.filter(toMatcher(match));
  }

  /**
   * Whether a claim of `type` exists, with exactly `value` when given. Values are compared as
   * stored: `hasClaim('email_verified', 'true')` matches the boolean `true`. For authorization,
   * prefer `ClaimsPrincipal.isInRole`, which only counts string-valued claims.
   */
  hasClaim(type: string, value?: string): boolean;
  /** Whether some claim matches the predicate. */
  hasClaim(predicate: ClaimPredicate): boolean;
  hasClaim(match: string | ClaimPredicate, value?: string): boolean {
    return this.#claims.some(toMatcher(match, value));
  }

  /**
   * Adds a claim at the end.
   *
   * @throws ConfigurationError when `claim` does not have the shape of a {@link Claim}.
   */
  addClaim(claim: Claim): void {
    this.#claims.push(toStoredClaim(claim, 'claim'));
    this.#snapshot = undefined;
  }

  /**
   * Adds claims at the end; all or none (every claim is checked first).
   *
   * @throws ConfigurationError when a claim does not have the shape of a {@link Claim}.
   */
  addClaims(claims: Iterable<Claim>): void {
    this.#claims.push(...storeAll(claims, 'claims'));
    this.#snapshot = undefined;
  }

  /**
   * Removes the given claim object (compared by reference, as the one returned by
   * {@link ClaimsIdentity.findFirst}). Returns whether it was there.
   */
  removeClaim(claim: Claim): boolean {
    const index = this.#claims.indexOf(claim);
    if (index === -1) return false;
    this.#claims.splice(index, 1);
    this.#snapshot = undefined;
    return true;
  }
}

/**
 * Turns a claim type (with an optional exact value) or a predicate into a predicate.
 *
 * @internal
 */
export function toMatcher(match: string | ClaimPredicate, value?: string): ClaimPredicate {
  if (typeof match === 'function') return match;
  assertString(match, 'type', { empty: true });
  if (value === undefined) return (c) => c.type === match;
  assertString(value, 'value', { empty: true });
  return (c) => c.type === match && c.value === value;
}

function storeAll(claims: Iterable<Claim>, path: string): Claim[] {
  if (
    typeof claims !== 'object' ||
    claims === null ||
    typeof (claims as Partial<Iterable<Claim>>)[Symbol.iterator] !== 'function'
  ) {
    throw new ConfigurationError(`"${path}" must be an iterable of claims`);
  }
  const stored: Claim[] = [];
  for (const claim of claims) stored.push(toStoredClaim(claim, `${path}[${stored.length}]`));
  return stored;
}
