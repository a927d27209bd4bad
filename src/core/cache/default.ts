/**
 * The process-wide (or worker-wide) cache used when a call passes no `cache` option, and the
 * seed library's cache helpers.
 *
 * @module
 */

import {
  type CacheInfo,
  createMetadataCache,
  type MetadataCache,
  type MetadataCacheOptions,
} from './metadata-cache.js';

let shared: MetadataCache | undefined;

/** The shared cache (in memory unless {@link configureDefaultCache} gave it a store). */
export function getDefaultCache(): MetadataCache {
  shared ??= createMetadataCache();
  return shared;
}

/**
 * Replaces the shared cache, e.g. to back it with IndexedDB in a service worker.
 *
 * One of the library's few process-wide settings, all listed (with units) in docs/core-api.md,
 * "Process-wide defaults".
 *
 * @example
 * ```ts
 * configureDefaultCache({ store: createIndexedDbStore() });
 * ```
 */
export function configureDefaultCache(options: MetadataCacheOptions = {}): MetadataCache {
  shared = createMetadataCache(options);
  return shared;
}

/** Forgets every cached discovery document of the shared cache (memory and store). */
export function clearDiscoveryCache(): Promise<void> {
  return getDefaultCache().discovery.clear();
}

/** Forgets every cached JWK Set (and imported key) of the shared cache. */
export function clearJwksCache(): Promise<void> {
  return getDefaultCache().jwks.clear();
}

/** Hit/miss counters of the shared cache's discovery documents. */
export function getDiscoveryCacheInfo(): CacheInfo {
  return getDefaultCache().discovery.info();
}

/** Hit/miss counters of the shared cache's JWK Sets. */
export function getJwksCacheInfo(): CacheInfo {
  return getDefaultCache().jwks.info();
}
