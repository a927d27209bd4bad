/**
 * The clock of a token request and the access token's expiry on it.
 *
 * @module
 */

import { assertFunction } from '../lib/assert.js';

/** `expires_in` as a time on `sentAt`'s clock. */
export function expiryTime(sentAt: number, expiresIn: number | undefined): number | undefined {
  return expiresIn === undefined ? undefined : sentAt + expiresIn * 1000;
}

/** Checks an optional clock option. */
export function clockOption(now: unknown): (() => number) | undefined {
  if (now !== undefined) assertFunction(now, 'now');
  return now as (() => number) | undefined;
}
