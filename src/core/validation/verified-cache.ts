/**
 * An optional cache of tokens whose signature already verified, per validation config.
 *
 * @module
 */

import { ConfigurationError } from '../errors.js';
import { deepFreeze } from '../lib/freeze.js';
import type { DecodedJws } from './decode.js';

/** Options of the verified-token cache (`config.verifiedTokenCache`). */
export interface VerifiedTokenCacheOptions {
  /** Most tokens remembered; the oldest is forgotten first. Default `500`. */
  maxEntries?: number;
  /**
   * How long a verified signature is trusted without verifying again, in seconds (like every
   * `maxAge` of the library). Default `60`. Keys removed from the provider's set stop being
   * noticed for up to this long.
   */
  maxAge?: number;
}

/** @internal What the cache keeps of a token: its header and claims. */
export type VerifiedToken = Pick<DecodedJws, 'header' | 'payload'>;

/** @internal */
export interface VerifiedTokenCache {
  get(jwt: string, now: number): VerifiedToken | undefined;
  set(jwt: string, token: VerifiedToken, now: number): void;
}

/**
 * @internal Creates the cache. Only the signature and header checks are skipped on a hit: time
 * claims, issuer, audience and the custom validator run on every call. Cached claims (and so
 * the claims returned for a hit) are frozen.
 */
export function createVerifiedTokenCache(options: VerifiedTokenCacheOptions): VerifiedTokenCache {
  const maxEntries = options.maxEntries ?? 500;
  const maxAge = options.maxAge ?? 60;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new ConfigurationError(
      '"config.verifiedTokenCache.maxEntries" must be a positive integer',
    );
  }
  if (typeof maxAge !== 'number' || !(maxAge >= 0)) {
    throw new ConfigurationError('"config.verifiedTokenCache.maxAge" must be a number of seconds');
  }
  // Compared with the clock, which is in milliseconds.
  const maxAgeMs = maxAge * 1000;
  const entries = new Map<string, { token: VerifiedToken; at: number }>();
  return {
    get(jwt, now) {
      const entry = entries.get(jwt);
      if (!entry) return undefined;
      if (now - entry.at >= maxAgeMs || now < entry.at) {
        entries.delete(jwt);
        return undefined;
      }
      return entry.token;
    },
    set(jwt, token, now) {
      // The same claims object is returned on every hit: freeze it so no caller can change it.
      deepFreeze(token.payload);
      deepFreeze(token.header);
      entries.delete(jwt);
      entries.set(jwt, { token, at: now });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
  };
}
