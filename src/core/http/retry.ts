/**
 * Retry decisions and delays: exponential backoff with jitter, `Retry-After` (RFC 9110 §10.2.3).
 *
 * @module
 */

/**
 * Which failures of a request may be retried.
 * - `idempotent`: a GET: 429, 502, 503, 504 and network errors.
 * - `unprocessed`: a POST the server cannot have processed: 429 or 503 with `Retry-After`, and a
 *   refused connection (detectable in Node only; browsers do not say why a fetch failed).
 * - `never`: e.g. an authorization code exchange, which must never be sent twice.
 */
export type RetryMode = 'idempotent' | 'unprocessed' | 'never';

const RETRYABLE_GET_STATUSES = new Set([429, 502, 503, 504]);

/** True when a response with this status (and `Retry-After`) may be retried under `mode`. */
export function isRetryableStatus(mode: RetryMode, status: number, retryAfter: string | null) {
  if (mode === 'idempotent') return RETRYABLE_GET_STATUSES.has(status);
  if (mode === 'unprocessed') return (status === 429 || status === 503) && retryAfter !== null;
  return false;
}

/** True when a failed fetch (no response) may be retried under `mode`. */
export function isRetryableNetworkError(mode: RetryMode, error: unknown): boolean {
  if (mode === 'idempotent') return true;
  if (mode === 'unprocessed') return connectionRefused(error);
  return false;
}

function connectionRefused(error: unknown): boolean {
  // Node's fetch (undici) reports the socket error as `cause`; browsers give no reason at all.
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return cause?.code === 'ECONNREFUSED';
}

// RFC 9110 §5.6.7: IMF-fixdate and the obsolete RFC 850 form end in "GMT"; asctime has no zone
// and means UTC. Anything else is refused: `Date.parse` alone would read "1.5" or "-1" as dates
// in 2001, i.e. "retry now".
const GMT_DATE = /^[a-z]{3,9}, [\da-z -]+ \d\d:\d\d:\d\d GMT$/i;
const ASCTIME_DATE = /^[a-z]{3} [a-z]{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/i;

/**
 * Parses `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in milliseconds
 * from `now`. Returns `undefined` when absent or not one of those forms (e.g. `1.5`, `-1`);
 * a date in the past gives 0.
 */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  let date = Number.NaN;
  if (GMT_DATE.test(trimmed)) date = Date.parse(trimmed);
  else if (ASCTIME_DATE.test(trimmed)) date = Date.parse(`${trimmed} GMT`);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Backoff before retry number `attempt` (0-based): `base × 2^attempt`, scaled into [0.5, 1). */
export function backoffDelay(
  attempt: number,
  base: number,
  random: number = Math.random(),
): number {
  return Math.round(base * 2 ** attempt * (0.5 + random / 2));
}
