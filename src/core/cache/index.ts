export {
  clearDiscoveryCache,
  clearJwksCache,
  configureDefaultCache,
  getDefaultCache,
  getDiscoveryCacheInfo,
  getJwksCacheInfo,
} from './default.js';
export { createIndexedDbStore } from './idb-store.js';
export {
  type CacheEntry,
  type CacheInfo,
  type CacheLoader,
  type CacheNamespace,
  createMetadataCache,
  type LoadResult,
  type MetadataCache,
  type MetadataCacheOptions,
} from './metadata-cache.js';
export { type CacheStore, createMemoryStore } from './store.js';
