/**
 * Transport defaults shared by every request the library makes.
 *
 * @module
 */

import { ConfigurationError } from '../errors.js';
import { assertFunction, assertOptionalNumber } from '../lib/assert.js';
import { STANDALONE_WORKER } from '../lib/standalone.js';

/** A `fetch`-compatible function: the platform's, or one injected for tests, Electron or proxies. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Waits `ms` milliseconds, rejecting early when `signal` aborts. Injectable for tests. */
export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Transport options accepted by every network call (`getDiscoveryDocument`, `getJwks`,
 * `validateToken`, the token requests, …). Unset members fall back to {@link configureHttp}'s
 * values, then to the defaults documented here.
 */
export interface HttpOptions {
  /**
   * The `fetch` implementation. Default: `globalThis.fetch`. Inject one to use a proxy agent,
   * custom CA certificates (Node: an undici `Agent` with `connect.ca`), Electron's `net.fetch`,
   * or a recorder in tests.
   */
  fetch?: FetchLike;
  /** Aborts the call, including retries and waits between them. */
  signal?: AbortSignal;
  /**
   * Timeout of each attempt, in milliseconds, from sending the request to the last byte of the
   * body. Default `30000` (Node: `HTTP_TIMEOUT` seconds). At most `2147483647` (the largest timer
   * delay). A timed-out attempt is not retried: the call fails with `ERR_TIMEOUT`.
   */
  timeout?: number;
  /**
   * How many times a retryable failure is retried. Default `3` (Node: `HTTP_RETRY_COUNT`).
   * `0` disables retries.
   */
  retries?: number;
  /**
   * Base delay of the exponential backoff, in milliseconds: attempt `n` waits
   * `retryBaseDelay × 2ⁿ` scaled by a random factor in [0.5, 1). Default `1000`
   * (Node: `HTTP_RETRY_BASE_DELAY` seconds).
   */
  retryBaseDelay?: number;
  /**
   * Longest `Retry-After` the library waits for, in milliseconds. A server asking for more gets
   * its error response returned instead of a retry. Default `120000`.
   */
  maxRetryAfter?: number;
  /** Largest response body read, in bytes. Default `1048576` (1 MiB); JWKS uses 512 KiB. */
  maxBodySize?: number;
  /** How the library waits between retries. Default: a timer. Tests inject a recorder. */
  sleep?: SleepFn;
}

/** The resolved transport settings. */
export interface ResolvedHttpOptions {
  fetch: FetchLike;
  signal: AbortSignal | undefined;
  timeout: number;
  retries: number;
  retryBaseDelay: number;
  maxRetryAfter: number;
  maxBodySize: number;
  sleep: SleepFn;
}

/** Default body cap: 1 MiB. */
export const DEFAULT_MAX_BODY_SIZE = 1024 * 1024;

/** Longer timer delays overflow: `setTimeout` would fire at once. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

const defaultSleep: SleepFn = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

const defaultFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

let globalDefaults: HttpOptions = {};
let environmentDefaults: HttpOptions | undefined;

/**
 * Reads the seed library's environment variables once, where there is a `process.env` (Node).
 * A bad value throws `ERR_CONFIGURATION` (on every call, until fixed and re-read).
 */
function fromEnvironment(): HttpOptions {
  // A service worker has no process environment: the stand-alone worker reads none.
  if (STANDALONE_WORKER) return {};
  if (environmentDefaults) return environmentDefaults;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const seconds = (name: string, minMs: number): number | undefined => {
    const raw = env?.[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const value = Math.round(Number(raw) * 1000);
    if (!Number.isFinite(value) || value < minMs || value > MAX_TIMER_DELAY) {
      throw new ConfigurationError(
        `"${name}" must be a number of seconds from ${minMs / 1000} to ${MAX_TIMER_DELAY / 1000}, got "${raw}"`,
      );
    }
    return value;
  };
  const count = (name: string): number | undefined => {
    const raw = env?.[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) {
      throw new ConfigurationError(`"${name}" must be a non-negative integer, got "${raw}"`);
    }
    return value;
  };
  const result: HttpOptions = {};
  // A zero timeout would fail every request at once.
  const timeout = seconds('HTTP_TIMEOUT', 1);
  // HTTP_RETRY_MAX_ATTEMPTS is the seed's older name for the same setting.
  const retries = count('HTTP_RETRY_COUNT') ?? count('HTTP_RETRY_MAX_ATTEMPTS');
  const retryBaseDelay = seconds('HTTP_RETRY_BASE_DELAY', 0);
  if (timeout !== undefined) result.timeout = timeout;
  if (retries !== undefined) result.retries = retries;
  if (retryBaseDelay !== undefined) result.retryBaseDelay = retryBaseDelay;
  environmentDefaults = result;
  return result;
}

/**
 * Sets process-wide (or worker-wide) transport defaults; per-call options still win.
 * Call with no argument to reset to the built-in defaults. In Node, the environment variables
 * `HTTP_TIMEOUT` and `HTTP_RETRY_BASE_DELAY` (seconds) and `HTTP_RETRY_COUNT` are read once and
 * sit between the built-in defaults and these (`HTTP_RETRY_MAX_ATTEMPTS` is the seed's older
 * name for `HTTP_RETRY_COUNT`).
 *
 * One of the library's few process-wide settings, all listed (with units) in docs/core-api.md,
 * "Process-wide defaults".
 *
 * @example
 * ```ts
 * configureHttp({ timeout: 10_000, retries: 1 });
 * ```
 */
export function configureHttp(defaults: HttpOptions = {}): void {
  checkHttpOptions(defaults, 'defaults');
  globalDefaults = { ...defaults };
}

/** Checks transport options, quoting the offending path. */
export function checkHttpOptions(options: HttpOptions, path = 'options'): void {
  const ms = 'milliseconds';
  assertOptionalNumber(options.timeout, `${path}.timeout`, {
    min: 1,
    max: MAX_TIMER_DELAY,
    unit: ms,
  });
  assertOptionalNumber(options.retries, `${path}.retries`, { min: 0, integer: true });
  assertOptionalNumber(options.retryBaseDelay, `${path}.retryBaseDelay`, { min: 0, unit: ms });
  assertOptionalNumber(options.maxRetryAfter, `${path}.maxRetryAfter`, { min: 0, unit: ms });
  assertOptionalNumber(options.maxBodySize, `${path}.maxBodySize`, {
    min: 1,
    integer: true,
    unit: 'bytes',
  });
  for (const name of ['fetch', 'sleep'] as const) {
    if (options[name] !== undefined) assertFunction(options[name], `${path}.${name}`);
  }
}

/** The names of the transport options, for code that copies or compares them. */
export const HTTP_OPTION_NAMES = [
  'fetch',
  'signal',
  'timeout',
  'retries',
  'retryBaseDelay',
  'maxRetryAfter',
  'maxBodySize',
  'sleep',
] as const satisfies readonly (keyof HttpOptions)[];

/**
 * Only the transport options of `source` (a request object that also carries credentials and
 * other members), e.g. to pass on to the discovery and JWKS requests a call makes.
 */
export function pickHttpOptions(source: HttpOptions): HttpOptions {
  const picked: Record<string, unknown> = {};
  for (const name of HTTP_OPTION_NAMES) {
    if (source[name] !== undefined) picked[name] = source[name];
  }
  return picked as HttpOptions;
}

/**
 * Merges per-call options over the global and built-in defaults. Throws `ERR_CONFIGURATION` for
 * a bad option or environment variable. Settings that are already resolved come back unchanged.
 */
export function resolveHttpOptions(
  options: HttpOptions | ResolvedHttpOptions = {},
): ResolvedHttpOptions {
  // A resolved object differs only in carrying `signal: undefined` explicitly.
  const given = options as HttpOptions;
  checkHttpOptions(given);
  const env = fromEnvironment();
  const pick = <K extends keyof HttpOptions>(key: K): HttpOptions[K] =>
    given[key] ?? globalDefaults[key] ?? env[key];
  return {
    fetch: pick('fetch') ?? defaultFetch,
    signal: given.signal,
    timeout: pick('timeout') ?? 30_000,
    retries: pick('retries') ?? 3,
    retryBaseDelay: pick('retryBaseDelay') ?? 1_000,
    maxRetryAfter: pick('maxRetryAfter') ?? 120_000,
    maxBodySize: pick('maxBodySize') ?? DEFAULT_MAX_BODY_SIZE,
    sleep: pick('sleep') ?? defaultSleep,
  };
}

/** @internal Forgets the cached environment variables (tests). */
export function resetEnvironmentDefaults(): void {
  environmentDefaults = undefined;
}
