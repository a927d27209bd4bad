/**
 * A claims principal: the user (or client) a request acts for, holding one or more identities.
 * A port of py-identity-model's `ClaimsPrincipal` (itself .NET's
 * `System.Security.Claims.ClaimsPrincipal`).
 *
 * @module
 */

import { ConfigurationError } from '../errors.js';
import { assertString } from '../lib/assert.js';
import { type Claim, isStringClaim } from './claim.js';
import { type ClaimPredicate, ClaimsIdentity, toMatcher } from './claims-identity.js';

/**
 * One or more {@link ClaimsIdentity} objects. Lookups search every identity, in order; the first
 * identity is the primary one ({@link ClaimsPrincipal.identity}).
 *
 * @example
 * ```ts
 * const principal = toPrincipal(await validateToken(jwt, config, disco));
 * if (!principal.isInRole('admin')) throw new Error('forbidden');
 * principal.findFirst('sub')?.value;
 * ```
 */
export class ClaimsPrincipal {
  #identities: ClaimsIdentity[];

  /**
   * @param identities - One identity, or several (the first is the primary one). Default: none,
   *   an anonymous principal.
   * @throws ConfigurationError when an item is not a {@link ClaimsIdentity}.
   */
  constructor(identities?: ClaimsIdentity | Iterable<ClaimsIdentity>) {
    this.#identities = [];
    if (identities === undefined) return;
    if (identities instanceof ClaimsIdentity) {
      this.#identities.push(identities);
      return;
    }
    if (
      typeof identities !== 'object' ||
      identities === null ||
      typeof (identities as Partial<Iterable<ClaimsIdentity>>)[Symbol.iterator] !== 'function'
    ) {
      throw new ConfigurationError('"identities" must be a ClaimsIdentity or an iterable of them');
    }
    for (const identity of identities) {
      assertIdentity(identity, `identities[${this.#identities.length}]`);
      this.#identities.push(identity);
    }
  }

  /** The identities, in order (a frozen copy). */
  get identities(): readonly ClaimsIdentity[] {
    return Object.freeze(this.#identities.slice());
  }

  /** The primary identity (the first), or `undefined` for an anonymous principal. */
  get identity(): ClaimsIdentity | undefined {
    return this.#identities[0];
  }

  /** Every claim of every identity, in order (a frozen array). */
  get claims(): readonly Claim[] {
    return Object.freeze(this.#identities.flatMap((identity) => identity.claims));
  }

  /** The primary identity's name, or `undefined`. */
  get name(): string | undefined {
    return this.identity?.name;
  }

  /** Whether the primary identity is authenticated; `false` for an anonymous principal. */
  get isAuthenticated(): boolean {
    return this.identity?.isAuthenticated ?? false;
  }

  /**
   * Adds an identity after the existing ones.
   *
   * @throws ConfigurationError when `identity` is not a {@link ClaimsIdentity}.
   */
  addIdentity(identity: ClaimsIdentity): void {
    assertIdentity(identity, 'identity');
    this.#identities.push(identity);
  }

  /** The first claim of the given type (or matching the predicate) in any identity. */
  findFirst(match: string | ClaimPredicate): Claim | undefined {
    const matcher = toMatcher(match);
    for (const identity of this.#identities) {
      const claim = identity.findFirst(matcher);
      if (claim !== undefined) return claim;
    }
    return undefined;
  }

  /** Every claim of the given type (or matching the predicate), over all identities. */
  findAll(match: string | ClaimPredicate): Claim[] {
    const matcher = toMatcher(match);
    return this.#identities.flatMap((identity) => identity.findAll(matcher));
  }

  /**
   * Whether some identity has a claim of `type`, with exactly `value` when given. Values are
   * compared as stored (JSON text for non-strings); see {@link ClaimsPrincipal.isInRole} for roles.
   */
  hasClaim(type: string, value?: string): boolean;
  /** Whether some identity has a claim matching the predicate. */
  hasClaim(predicate: ClaimPredicate): boolean;
  hasClaim(match: string | ClaimPredicate, value?: string): boolean {
    const matcher = toMatcher(match, value);
    return this.#identities.some((identity) => identity.hasClaim(matcher));
  }

  /**
   * Whether some identity has a string-valued claim of its `roleClaimType` equal to `role`
   * (exact, case-sensitive). Claims holding JSON text never count: a token with
   * `"role": {"admin": true}` or `"role": true` is in no role. An empty `role` is in no role.
   *
   * @throws ConfigurationError when `role` is not a string.
   */
  isInRole(role: string): boolean {
    assertString(role, 'role', { empty: true });
    if (role === '') return false;
    return this.#identities.some((identity) =>
      identity.hasClaim(
        (c) => c.type === identity.roleClaimType && isStringClaim(c) && c.value === role,
      ),
    );
  }
}

function assertIdentity(value: unknown, path: string): asserts value is ClaimsIdentity {
  if (!(value instanceof ClaimsIdentity)) {
    throw new ConfigurationError(`"${path}" must be a ClaimsIdentity`);
  }
}
