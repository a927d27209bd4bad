/**
 * Remembering DPoP proof `jti`s so a proof is accepted once (RFC 9449 §11.1).
 *
 * @module
 */

/**
 * Where a resource server remembers the `jti`s of accepted proofs. Share one across processes
 * (e.g. backed by Redis `SET NX EX`) when several serve the same API.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-11.1 RFC 9449 §11.1
 */
export interface DpopReplayCache {
  /**
   * Records `jti` until `expiresAt` (milliseconds since the epoch) and returns `true`, or returns
   * `false` when it is already recorded and not yet expired (a replay).
   */
  use(jti: string, expiresAt: number): boolean | Promise<boolean>;
}

/** Options of {@link createDpopReplayCache}. */
export interface DpopReplayCacheOptions {
  /** Most `jti`s kept. Default `100000`; when full, the oldest entry goes first. */
  maxEntries?: number;
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

/**
 * An in-memory, bounded {@link DpopReplayCache} for one process (the default of
 * `validateDpopRequest`). Expired entries are dropped as new ones come; when `maxEntries` live
 * entries are held, the oldest is dropped, so size it above the number of proofs accepted within
 * the `iat` window (with the defaults, `maxAge + leeway` = 360 s).
 *
 * @example
 * ```ts
 * const replayCache = createDpopReplayCache({ maxEntries: 500_000 });
 * await validateDpopRequest({ ...request, replayCache });
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-11.1 RFC 9449 §11.1
 */
export function createDpopReplayCache(options: DpopReplayCacheOptions = {}): DpopReplayCache {
  const { maxEntries = 100_000, now = Date.now } = options;
  // Insertion order is expiry order when proofs share one window: the oldest expire first.
  const seen = new Map<string, number>();
  return {
    use(jti, expiresAt) {
      const time = now();
      const known = seen.get(jti);
      if (known !== undefined && known > time) return false;
      seen.delete(jti);
      for (const [key, expiry] of seen) {
        if (expiry > time && seen.size < maxEntries) break;
        seen.delete(key);
      }
      seen.set(jti, expiresAt);
      return true;
    },
  };
}
