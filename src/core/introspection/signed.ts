/**
 * JWT responses for token introspection (RFC 9701): options and verification.
 *
 * @module
 */

import type { MetadataCache } from '../cache/metadata-cache.js';
import { JwtTypes } from '../constants/jwt-types.js';
import { fetchDiscoveryDocument } from '../discovery/get.js';
import type { DiscoveryPolicy } from '../discovery/policy.js';
import { ConfigurationError, HttpError } from '../errors.js';
import { type HttpOptions, pickHttpOptions } from '../http/defaults.js';
import { isJsonObject, type JsonObject } from '../http/json.js';
import { ASYMMETRIC_ALGORITHMS } from '../jws/algorithms.js';
import {
  assertFunction,
  assertObject,
  assertOptionalNumber,
  assertString,
  defined,
} from '../lib/assert.js';
import { validateJwt } from '../validation/validate.js';

/** Media type of a signed introspection response (RFC 9701 §4, §5). */
export const TOKEN_INTROSPECTION_JWT = 'application/token-introspection+jwt';

/** Algorithm of signed introspection responses when the provider publishes none: RS256 (RFC 9701 §6). */
export const DEFAULT_INTROSPECTION_ALGORITHM = 'RS256';

/**
 * Ask for a signed introspection response (RFC 9701) and verify it with the provider's keys
 * (discovery of `issuer`, then its `jwks_uri`; both cached).
 */
export interface SignedIntrospectionOptions {
  /** The issuer (or its discovery URL): `iss` must be its `issuer`, keys come from its `jwks_uri`. */
  issuer: string;
  /**
   * Allowed `alg` values (asymmetric only). Default: the provider's
   * `introspection_signing_alg_values_supported`, else `['RS256']`.
   */
  algorithms?: readonly string[];
  /** Clock skew allowed for `iat` (and `exp`, `nbf` when sent), in seconds, 0..300. Default `60`. */
  leeway?: number;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Cache of discovery and keys. Default: the shared cache. */
  cache?: MetadataCache;
  /** Discovery policy for `issuer` (its `requireHttps` yields to the call's `requireHttps`). */
  discoveryPolicy?: DiscoveryPolicy;
}

function isAsymmetric(alg: unknown): alg is string {
  return (ASYMMETRIC_ALGORITHMS as readonly unknown[]).includes(alg);
}

/** @internal Checks the options before any request, quoting the path of a bad member. */
export function checkSignedOptions(
  options: unknown,
): asserts options is SignedIntrospectionOptions {
  assertObject(options, 'signedResponse');
  const { issuer, algorithms, leeway, now } = options;
  assertString(issuer, 'signedResponse.issuer');
  if (
    algorithms !== undefined &&
    (!Array.isArray(algorithms) ||
      algorithms.length === 0 ||
      !algorithms.every((alg) => isAsymmetric(alg)))
  ) {
    throw new ConfigurationError(
      `"signedResponse.algorithms" must be a non-empty array of ${ASYMMETRIC_ALGORITHMS.join(', ')}`,
    );
  }
  assertOptionalNumber(leeway, 'signedResponse.leeway', { min: 0, max: 300, unit: 'seconds' });
  if (now !== undefined) assertFunction(now, 'signedResponse.now');
}

/** @internal What a verified signed response gives: the JWT claims and the introspection members. */
export interface VerifiedIntrospection {
  /** The JWT claims (`iss`, `aud`, `iat`, `token_introspection`, …). */
  readonly raw: JsonObject;
  /** The `token_introspection` claim. */
  readonly claims: JsonObject;
}

function publishedAlgorithms(raw: JsonObject): readonly string[] | undefined {
  const value = raw.introspection_signing_alg_values_supported;
  if (!Array.isArray(value)) return undefined;
  const usable = value.filter((alg): alg is string => typeof alg === 'string' && isAsymmetric(alg));
  return usable.length > 0 ? usable : undefined;
}

/**
 * @internal Verifies a signed introspection response with RFC 9701 §5's rules: a JWS (never `none` or
 * HMAC) that verifies with a key from the provider's `jwks_uri`; `typ` `token-introspection+jwt`;
 * `iss` the provider's issuer; `aud` containing `clientId`; `iat` present and not in the
 * future; `exp` and `nbf` honoured when sent; a `token_introspection` claim that is a JSON object.
 * Throws the `TokenValidationError` subclass of the failed check, or `HttpError`
 * `ERR_INVALID_RESPONSE` for a missing `token_introspection`.
 */
export async function verifyIntrospectionJwt(
  jwt: string,
  clientId: string,
  options: SignedIntrospectionOptions,
  http: HttpOptions & { requireHttps?: boolean | undefined },
  url: string,
  status: number,
): Promise<VerifiedIntrospection> {
  const { requireHttps, ...transport } = http;
  const policy = {
    ...options.discoveryPolicy,
    ...defined({ requireHttps }),
  };
  const disco = await fetchDiscoveryDocument({
    ...transport,
    issuer: options.issuer,
    discoveryPolicy: policy,
    ...(options.cache ? { cache: options.cache } : {}),
  });
  const { claims } = await validateJwt(
    jwt,
    {
      performDisco: true,
      audience: clientId,
      typ: JwtTypes.introspectionResponse,
      algorithms: options.algorithms ??
        publishedAlgorithms(disco.raw) ?? [DEFAULT_INTROSPECTION_ALGORITHM],
      options: { requireExp: false, requireIat: true, requireAud: true, requireIss: true },
      ...defined({ leeway: options.leeway, requireHttps }),
      ...(options.now ? { now: options.now } : {}),
      ...(options.cache ? { cache: options.cache } : {}),
      ...(options.discoveryPolicy ? { discoveryPolicy: options.discoveryPolicy } : {}),
      ...pickHttpOptions(transport),
    },
    options.issuer,
  );
  const introspection = claims.token_introspection;
  if (!isJsonObject(introspection)) {
    throw new HttpError(
      'ERR_INVALID_RESPONSE',
      `Invalid signed introspection response from ${url}: "token_introspection" must be a JSON object`,
      { url, httpStatus: status },
    );
  }
  return { raw: claims as JsonObject, claims: introspection };
}
