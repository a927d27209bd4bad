/**
 * JWT access tokens (RFC 9068): `validateToken` with the profile's rules, for resource servers.
 *
 * @module
 */

import { ConfigurationError, InvalidClaimError } from '../errors.js';
import { assertObject } from '../lib/assert.js';
import {
  matches,
  normaliseTyp,
  snapshot,
  type TokenValidationConfig,
  type ValidationOptions,
} from './config.js';
import type { JwtClaims, JwtHeader } from './types.js';
import { validateJwt } from './validate.js';

/** The `typ` values of a JWT access token (RFC 9068 §2.1): the short and the media-type form. */
export const ACCESS_TOKEN_TYPES: readonly string[] = Object.freeze([
  'at+jwt',
  'application/at+jwt',
]);

/** The claims of a valid JWT access token (RFC 9068 §2.2): the required ones typed. */
export interface AccessTokenClaims extends JwtClaims {
  readonly iss: string;
  /** The End-User, or the client itself for a client credentials token (RFC 9068 §2.2). */
  readonly sub: string;
  readonly aud: string | readonly string[];
  readonly exp: number;
  readonly iat: number;
  readonly jti: string;
  /** The client the token was issued to. */
  readonly client_id: string;
  /** Granted scopes, space-delimited (RFC 9068 §2.2.3), when present. */
  readonly scope?: string;
}

/**
 * True when a JWT's protected header says it is an access token (`typ` `at+jwt` or
 * `application/at+jwt`, any letter case). Where an ID token (or any other JWT) is expected,
 * refuse tokens for which this is true: RFC 9068 §2.1 types access tokens precisely so that
 * they cannot pass for something else (RFC 8725 §3.11).
 *
 * @example
 * ```ts
 * await validateToken(idToken, {
 *   ...config,
 *   claimsValidator: (claims, header) => {
 *     if (isAccessTokenJwt(header)) throw new Error('an access token is not an ID token');
 *   },
 * }, issuer);
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-2.1
 */
export function isAccessTokenJwt(header: Pick<JwtHeader, 'typ'>): boolean {
  return typeof header.typ === 'string' && normaliseTyp(header.typ) === 'at+jwt';
}

/** Checks RFC 9068 makes mandatory; a config may not turn them off. */
const MANDATORY: readonly (keyof ValidationOptions)[] = [
  'verifyAud',
  'verifyIss',
  'requireExp',
  'requireIat',
  'requireAud',
  'requireIss',
  'requireSub',
  'requireJti',
];

const fail = (message: string) => new ConfigurationError(message);

function checkClaimTypes(claims: JwtClaims): void {
  if (typeof claims.client_id !== 'string' || claims.client_id === '') {
    throw new InvalidClaimError('JWT access token "client_id" must be a non-empty string', {
      claim: 'client_id',
    });
  }
  if (claims.scope !== undefined && typeof claims.scope !== 'string') {
    throw new InvalidClaimError('JWT access token "scope" must be a space-delimited string', {
      claim: 'scope',
    });
  }
}

/**
 * The profile's config, built once per caller config (so validateJwt's own memo applies) and
 * again after the caller changed its config.
 */
const profiles = new WeakMap<
  TokenValidationConfig,
  { seen: readonly unknown[]; profile: TokenValidationConfig }
>();

function profileOf(config: TokenValidationConfig): TokenValidationConfig {
  assertObject(config as unknown, 'config');
  const known = profiles.get(config);
  if (known && matches(config, known.seen)) return known.profile;
  if (config.audience === undefined) {
    throw fail('"config.audience" is required: a JWT access token must be for this resource');
  }
  if (
    !config.performDisco &&
    config.issuer === undefined &&
    config.allowedIssuers === undefined &&
    config.issuerTemplate === undefined
  ) {
    throw fail('"config.issuer" is required without "performDisco": "iss" must be checked');
  }
  const typ =
    config.typ === undefined ? [] : typeof config.typ === 'string' ? [config.typ] : config.typ;
  if (
    !Array.isArray(typ) ||
    typ.some((value) => typeof value !== 'string' || normaliseTyp(value) !== 'at+jwt')
  ) {
    throw fail('"config.typ" of a JWT access token can only be at+jwt');
  }
  const options = config.options ?? {};
  for (const name of MANDATORY) {
    if (options[name] === false) {
      throw fail(`"config.options.${name}" cannot be false for a JWT access token (RFC 9068 §4)`);
    }
  }
  const custom = config.claimsValidator;
  const profile: TokenValidationConfig = {
    ...config,
    typ: ACCESS_TOKEN_TYPES,
    options: Object.fromEntries([
      ...Object.entries(options),
      ...MANDATORY.map((name) => [name, true]),
    ]) as ValidationOptions,
    requiredClaims: [...(config.requiredClaims ?? []), 'client_id'],
    claimsValidator: custom
      ? async (claims, header) => {
          checkClaimTypes(claims);
          await custom(claims, header);
        }
      : checkClaimTypes,
  };
  profiles.set(config, { seen: snapshot(config), profile });
  return profile;
}

/**
 * Validates a JWT access token (RFC 9068) and returns its claims: {@link validateToken} with
 * the profile's rules. `typ` must be `at+jwt` or `application/at+jwt` (so an ID token, typed
 * `JWT` or untyped, fails with `ERR_JWT_TYPE_INVALID`); `iss`, `exp`, `aud`, `sub`, `client_id`,
 * `iat` and `jti` are required (`ERR_JWT_CLAIM_MISSING`); `aud` must contain `config.audience`,
 * this resource server's identifier (`ERR_JWT_AUDIENCE_INVALID`); `iss` must be the discovered
 * (or configured) issuer. `alg` none and HMAC with public keys are refused as everywhere.
 *
 * `config` is a {@link TokenValidationConfig}; `audience` is required, and so is `issuer` unless
 * `performDisco` is set. Options that would skip a mandatory check (e.g.
 * `options.requireJti: false`) or a `typ` other than `at+jwt` throw `ERR_CONFIGURATION`.
 * Reuse one config object: the profile is derived once per config.
 *
 * @example
 * ```ts
 * const config = { performDisco: true, audience: 'urn:example:api' };
 * const claims = await validateAccessToken(bearer, config, 'https://op.example');
 * if (!claims.scope?.split(' ').includes('api:read')) forbid();
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 */
export async function validateAccessToken(
  jwt: string,
  config: TokenValidationConfig,
  issuer?: string,
): Promise<AccessTokenClaims> {
  const { claims } = await validateJwt(jwt, profileOf(config), issuer);
  return claims as AccessTokenClaims;
}
