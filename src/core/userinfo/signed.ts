/**
 * Signed UserInfo responses (`application/jwt`, OpenID Connect Core §5.3.2): the signature is
 * verified with the provider's keys from discovery, `iss` must be the issuer and `aud` must
 * contain the client id.
 *
 * @module
 */

import type { MetadataCache } from '../cache/metadata-cache.js';
import { fetchDiscoveryDocument } from '../discovery/get.js';
import type { DiscoveryPolicy } from '../discovery/policy.js';
import { type HttpOptions, pickHttpOptions } from '../http/defaults.js';
import { defined } from '../lib/assert.js';
import type { TokenValidationConfig } from '../validation/config.js';
import type { JwtClaims } from '../validation/types.js';
import { validateJwt } from '../validation/validate.js';

/** How a signed (`application/jwt`) UserInfo response is validated. */
export interface SignedUserInfoValidation {
  /**
   * Allowed `alg` values. Default: the provider's `userinfo_signing_alg_values_supported`, else
   * its `id_token_signing_alg_values_supported`; asymmetric algorithms only, never `none`.
   */
  algorithms?: readonly string[];
  /** Allowed clock skew for `exp`, `nbf` and `iat` (checked when present), in seconds. Default `60`. */
  leeway?: number;
  /** Clock in milliseconds since the epoch. Default: the cache's clock, else `Date.now`. */
  now?: () => number;
  /** Cache of discovery and keys. Default: the shared cache. */
  cache?: MetadataCache;
  /** Discovery policy for `issuer` (its `requireHttps` yields to the request's). */
  discoveryPolicy?: DiscoveryPolicy;
}

/** @internal What a signed response needs: who signed it, for whom, how to check it. */
export interface SignedUserInfoContext {
  issuer: string;
  clientId: string;
  validation: SignedUserInfoValidation | undefined;
  requireHttps: boolean | undefined;
  http: HttpOptions;
}

/**
 * @internal Validates a signed UserInfo response and returns its claims. Unlike an ID token,
 * `exp` and `iat` are optional (checked when present); `iss`, `aud` and `sub` are required,
 * since a signed response without them could have been made for another client. Throws a
 * `TokenValidationError` subclass, or the discovery / JWKS error.
 */
export async function validateSignedUserInfo(
  jwt: string,
  context: SignedUserInfoContext,
): Promise<JwtClaims> {
  const { issuer, clientId, validation = {}, requireHttps, http } = context;
  let algorithms = validation.algorithms;
  if (algorithms === undefined) {
    // The same cache entry validateJwt reads next: one discovery request at most.
    const disco = await fetchDiscoveryDocument({
      ...http,
      issuer,
      ...(validation.cache ? { cache: validation.cache } : {}),
      discoveryPolicy: {
        ...validation.discoveryPolicy,
        ...defined({ requireHttps }),
      },
    });
    // Discovery may list `none` for unsigned responses; a signed one never uses it.
    const advertised = (disco.userinfoSigningAlgValuesSupported ?? []).filter(
      (alg) => alg.toLowerCase() !== 'none',
    );
    algorithms = advertised.length > 0 ? advertised : disco.idTokenSigningAlgValuesSupported;
  }
  const config: TokenValidationConfig = {
    performDisco: true,
    audience: clientId,
    algorithms,
    ...pickHttpOptions(http),
    options: {
      requireExp: false,
      requireIat: false,
      requireIss: true,
      requireAud: true,
      requireSub: true,
    },
    ...defined({ leeway: validation.leeway, requireHttps }),
    ...(validation.now ? { now: validation.now } : {}),
    ...(validation.cache ? { cache: validation.cache } : {}),
    ...(validation.discoveryPolicy ? { discoveryPolicy: validation.discoveryPolicy } : {}),
  };
  return (await validateJwt(jwt, config, issuer)).claims;
}
