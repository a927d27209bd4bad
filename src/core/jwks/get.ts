/**
 * Fetching (and caching) JWK Sets.
 *
 * @module
 */

import { getDefaultCache } from '../cache/default.js';
import type { CacheEntry, CacheLoader, MetadataCache } from '../cache/metadata-cache.js';
import { maxAgeSeconds } from '../http/cache-control.js';
import type { HttpOptions } from '../http/defaults.js';
import { assertOk, isJsonObject, readJsonObject } from '../http/json.js';
import { httpRequest } from '../http/request.js';
import { assertUrl } from '../lib/assert.js';
import { assertSecureEndpoint } from '../lib/endpoint.js';
import { type FailedResponse, toResponse } from '../lib/response.js';
import type { Jwk } from './key.js';
import { type KeySet, parseKeySet } from './parse.js';

/** Lifetime of a JWK Set when the server sends no `max-age`, in seconds: 24 hours. */
export const DEFAULT_JWKS_TTL = 86_400;

/** Largest JWK Set body read: 512 KiB. */
export const MAX_JWKS_BODY_SIZE = 512 * 1024;

/** Arguments of {@link getJwks}. */
export interface JwksRequest extends HttpOptions {
  /** The `jwks_uri`. */
  address: string;
  /** Cache to use. Default: the shared cache. `false` always fetches. */
  cache?: MetadataCache | false;
  /**
   * Require `https` (`http` stays allowed on loopback). Default `true`; a refused address is a
   * failed response with `ERR_ENDPOINT_HTTPS_REQUIRED` (`errorType: 'policy'`), and nothing is
   * fetched.
   */
  requireHttps?: boolean;
}

/** A successful JWKS response. */
export interface JwksSuccess {
  /** Always `true` here: the call succeeded, and every success field can be read. */
  readonly isSuccessful: true;
  /**
   * The usable keys as published (`use`, `alg`, `key_ops` and every other member; a key with
   * private members is never usable), in the set's order. Copies: changing them changes nothing.
   */
  readonly keys: readonly Jwk[];
  /** Keys left out, with the reason (wrong `use`, private members, RSA under 2048 bits, …). */
  readonly skipped: KeySet['skipped'];
  /** The set as sent. */
  readonly raw: KeySet['raw'];
}

/** What {@link getJwks} resolves to: check `isSuccessful` first. */
export type JwksResponse = JwksSuccess | FailedResponse;

/**
 * Fetches and checks a JWK Set. Unusable keys are skipped and listed in `skipped`; a set with
 * no usable key, over 100 keys or over 512 KiB fails. Never throws for a bad server (see
 * `isSuccessful`); bad arguments throw a `ConfigurationError`. Cached for `max-age` clamped to
 * [60 s, 24 h], default 24 h.
 *
 * @example
 * ```ts
 * const jwks = await getJwks({ address: disco.jwksUri });
 * if (jwks.isSuccessful) console.log(jwks.keys.map((k) => k.kid));
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export async function getJwks(request: JwksRequest): Promise<JwksResponse> {
  return toResponse(async () => {
    const set = await fetchKeySet(request);
    // The usable keys as published (`use`, `key_ops` and all): keys with private members were
    // skipped. Copies, so a caller cannot change the cached set.
    const skipped = new Set(set.skipped.map((key) => key.index));
    const published = set.raw.keys as Jwk[];
    return {
      isSuccessful: true as const,
      keys: published.filter((_, index) => !skipped.has(index)).map((key) => ({ ...key })),
      skipped: set.skipped,
      raw: set.raw,
    };
  }, ['keys', 'skipped', 'raw']);
}

function loaderFor(address: string, options: JwksRequest): CacheLoader<KeySet> {
  return {
    defaultTtl: DEFAULT_JWKS_TTL,
    load: async () => {
      httpsRule(address, options.requireHttps);
      const response = await httpRequest(
        { url: address, headers: { accept: 'application/jwk-set+json, application/json' } },
        { ...options, maxBodySize: options.maxBodySize ?? MAX_JWKS_BODY_SIZE },
      );
      assertOk(response, 'JWKS request');
      return {
        value: parseKeySet(readJsonObject(response), `JWK Set at ${address}`),
        maxAge: maxAgeSeconds(response.headers),
      };
    },
    // Key sets read back from a persistent store are checked again: the store is page-writable.
    revive: (stored) => {
      const raw = (stored as { raw?: unknown } | null)?.raw;
      if (!isJsonObject(raw)) throw new TypeError('stored key set has no raw member');
      return parseKeySet(raw, `stored JWK Set of ${address}`);
    },
  };
}

function checkAddress(address: unknown): string {
  assertUrl(address, 'address');
  return address;
}

function httpsRule(address: string, requireHttps: boolean | undefined): void {
  // As every other endpoint: https, or http on loopback, unless the caller turned it off.
  assertSecureEndpoint(new URL(address), 'address', requireHttps);
}

/**
 * The checked key set at `request.address`, from the cache when fresh. Throws `HttpError` or
 * `JwksError`.
 */
export async function fetchKeySet(request: JwksRequest): Promise<KeySet> {
  return (await keySetHandle(request).get()).value;
}

/**
 * @internal A prepared key-set lookup (see `discoveryHandle`): `peek` reads memory only;
 * `refresh` reloads unless the set was loaded within the cache's cooldown (default 30 s),
 * shares one request among concurrent callers, and keeps the old set when the reload fails.
 */
export interface KeySetHandle {
  get(): Promise<CacheEntry<KeySet>>;
  peek(): CacheEntry<KeySet> | undefined;
  refresh(): Promise<{ entry: CacheEntry<KeySet>; refreshed: boolean }>;
}

/** @internal Prepares a key-set lookup. */
export function keySetHandle(request: JwksRequest): KeySetHandle {
  const address = checkAddress(request.address);
  const loader = loaderFor(address, request);
  const cache = request.cache === false ? undefined : (request.cache ?? getDefaultCache());
  const uncached = async (): Promise<CacheEntry<KeySet>> => {
    const { value } = await loader.load();
    const now = Date.now();
    return { value, fetchedAt: now, expiresAt: now };
  };
  return {
    get: () => (cache ? cache.jwks.get(address, loader) : uncached()),
    peek: () => cache?.jwks.peek<KeySet>(address),
    refresh: async () =>
      cache ? cache.jwks.refresh(address, loader) : { entry: await uncached(), refreshed: true },
  };
}
