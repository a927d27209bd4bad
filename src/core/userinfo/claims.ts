/**
 * The standard claims of OpenID Connect Core §5.1, typed, and the checks that keep those types
 * honest: a standard claim sent with another JSON type is left out of `claims` (and named in
 * `skippedClaims`), never coerced; `raw` keeps it as sent.
 *
 * @module
 */

import type { JsonObject } from '../http/json.js';

/**
 * The `address` claim (OpenID Connect Core §5.1.1). Every member is optional.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AddressClaim
 */
export interface AddressClaim {
  /** Full mailing address, formatted for display; lines separated by `\n`. */
  readonly formatted?: string;
  /** Street address; may span lines separated by `\n`. */
  readonly street_address?: string;
  /** City or locality. */
  readonly locality?: string;
  /** State, province, prefecture or region. */
  readonly region?: string;
  /** Zip or postal code. */
  readonly postal_code?: string;
  /** Country name. */
  readonly country?: string;
}

/**
 * UserInfo claims: `sub` always, the standard claims of OpenID Connect Core §5.1 typed as the
 * spec defines them (each present only when the provider sent it with that type), and every
 * other claim as sent (`unknown` until you check it).
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims
 */
export interface UserInfoClaims {
  /** Subject: the End-User's identifier at the issuer. */
  readonly sub: string;
  /** Full name, displayable (OpenID Connect Core 1.0 §5.1). */
  readonly name?: string;
  /** Given (first) name(s) (OpenID Connect Core 1.0 §5.1). */
  readonly given_name?: string;
  /** Surname(s) (OpenID Connect Core 1.0 §5.1). */
  readonly family_name?: string;
  /** Middle name(s) (OpenID Connect Core 1.0 §5.1). */
  readonly middle_name?: string;
  /** Casual name (OpenID Connect Core 1.0 §5.1). */
  readonly nickname?: string;
  /**
   * Shorthand name the End-User wishes to be called; not unique and not stable: never key on it,
   * key on `sub` (OpenID Connect Core 1.0 §5.1, §5.7).
   */
  readonly preferred_username?: string;
  /** URL of the profile page. */
  readonly profile?: string;
  /** URL of a profile picture. */
  readonly picture?: string;
  /** URL of a web page or blog. */
  readonly website?: string;
  /**
   * Preferred e-mail address; not unique and not verified unless `email_verified` (OpenID Connect
   * Core 1.0 §5.1, §5.7).
   */
  readonly email?: string;
  /** Whether the provider verified `email` (OpenID Connect Core 1.0 §5.1). */
  readonly email_verified?: boolean;
  /** Gender, e.g. `female`, `male`, or another value (OpenID Connect Core 1.0 §5.1). */
  readonly gender?: string;
  /** `YYYY-MM-DD`, `YYYY`, or `0000-MM-DD` (year withheld). */
  readonly birthdate?: string;
  /** IANA time zone, e.g. `Europe/Paris`. */
  readonly zoneinfo?: string;
  /** BCP 47 language tag, e.g. `en-US`. */
  readonly locale?: string;
  /**
   * Preferred telephone number, E.164 recommended, e.g. `+1 (425) 555-1212` (OpenID Connect Core
   * 1.0 §5.1).
   */
  readonly phone_number?: string;
  /** Whether the provider verified `phone_number` (OpenID Connect Core 1.0 §5.1). */
  readonly phone_number_verified?: boolean;
  /** Preferred postal address (OpenID Connect Core 1.0 §5.1.1). */
  readonly address?: AddressClaim;
  /** Last update of the End-User's information, in seconds since the epoch. */
  readonly updated_at?: number;
  readonly [claim: string]: unknown;
}

type Kind = 'string' | 'boolean' | 'number' | 'address';

/** @internal The JSON type of each standard claim (OpenID Connect Core §5.1). */
export const STANDARD_CLAIM_TYPES: Readonly<Record<string, Kind>> = Object.freeze({
  name: 'string',
  given_name: 'string',
  family_name: 'string',
  middle_name: 'string',
  nickname: 'string',
  preferred_username: 'string',
  profile: 'string',
  picture: 'string',
  website: 'string',
  email: 'string',
  email_verified: 'boolean',
  gender: 'string',
  birthdate: 'string',
  zoneinfo: 'string',
  locale: 'string',
  phone_number: 'string',
  phone_number_verified: 'boolean',
  address: 'address',
  updated_at: 'number',
});

const ADDRESS_MEMBERS = [
  'formatted',
  'street_address',
  'locality',
  'region',
  'postal_code',
  'country',
] as const;

function fits(kind: Kind, value: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'address':
      return (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        ADDRESS_MEMBERS.every((member) => {
          const part = (value as Record<string, unknown>)[member];
          return part === undefined || typeof part === 'string';
        })
      );
  }
}

/** @internal The typed claims and the standard claims left out of them. */
export interface CheckedClaims {
  readonly claims: UserInfoClaims;
  readonly skipped: readonly string[];
}

/**
 * @internal Types the claims of a UserInfo response whose `sub` has been checked to be a
 * string. Standard claims of the wrong JSON type are left out of `claims` and listed in
 * `skipped`; `raw` itself is returned unchanged when nothing is skipped.
 */
export function checkStandardClaims(raw: JsonObject): CheckedClaims {
  const skipped: string[] = [];
  for (const [name, kind] of Object.entries(STANDARD_CLAIM_TYPES)) {
    if (Object.hasOwn(raw, name) && !fits(kind, raw[name])) skipped.push(name);
  }
  if (skipped.length === 0) return { claims: raw as UserInfoClaims, skipped };
  // Object.fromEntries defines properties, so a "__proto__" claim stays plain data.
  const claims = Object.fromEntries(
    Object.entries(raw).filter(([name]) => !skipped.includes(name)),
  ) as UserInfoClaims;
  return { claims, skipped };
}
