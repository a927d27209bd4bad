/**
 * The stand-alone worker's configuration as a build tool writes it: JSON that becomes the first
 * line of the worker script.
 *
 * @module
 */

import { resolveConfig, type TokenHandlerConfig } from '../../sw/config.js';

/**
 * The stand-alone worker's configuration without its function members: what can be written into
 * the worker script as JSON. `redirectUri` and `postLogoutRedirectUri` may also be paths.
 */
export type WorkerConfig = Omit<TokenHandlerConfig, 'fetch' | 'sleep' | 'signal' | 'now'>;

/** Stands in for the app's origin while checking paths at build time. */
const PLACEHOLDER_ORIGIN = 'https://app.invalid';

/** The members that may be paths, resolved against the worker's URL in the browser. */
const RELATIVE_URLS = ['redirectUri', 'postLogoutRedirectUri'] as const;

/**
 * Checks a configuration with the worker's own rules, plus that it survives JSON: a function,
 * a `RegExp` or `undefined` inside it would be lost on the way into the worker script.
 *
 * @throws `ConfigurationError` (`ERR_CONFIGURATION`) naming the bad member.
 */
export function checkWorkerConfig(config: WorkerConfig): void {
  const copy = JSON.parse(JSON.stringify(config ?? null)) as WorkerConfig | null;
  if (copy === null || typeof copy !== 'object') {
    resolveConfig(copy as unknown as TokenHandlerConfig); // throws the usual message
    return;
  }
  const lost = firstDifference(config, copy, 'config');
  if (lost !== undefined) {
    throw new TypeError(`"${lost}" cannot be written into the worker script (not JSON)`);
  }
  const absolute: Record<string, unknown> = { ...copy };
  for (const key of RELATIVE_URLS) {
    const value = absolute[key];
    if (typeof value === 'string' && value.startsWith('/')) {
      absolute[key] = new URL(value, PLACEHOLDER_ORIGIN).href;
    }
  }
  resolveConfig(absolute as unknown as TokenHandlerConfig);
}

/** The path of the first member that JSON drops or changes, if any. */
function firstDifference(value: unknown, copy: unknown, path: string): string | undefined {
  if (value === null || typeof value !== 'object') {
    return Object.is(value, copy) ? undefined : path;
  }
  if (
    Array.isArray(value) !== Array.isArray(copy) ||
    Object.getPrototypeOf(value) !== Object.getPrototypeOf(copy)
  ) {
    return path;
  }
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined) continue; // dropped, as if absent: the same configuration
    const difference = firstDifference(
      member,
      (copy as Record<string, unknown>)[key],
      `${path}.${key}`,
    );
    if (difference !== undefined) return difference;
  }
  return undefined;
}

/**
 * The worker script's first line: sets `self.identityModelWebConfig`, resolving path-only
 * `redirectUri` and `postLogoutRedirectUri` against the worker's URL. One line, so the worker's
 * source map shifts by exactly one line.
 */
export function workerPrelude(config: WorkerConfig, version: string): string {
  const json = JSON.stringify(config).replaceAll('</', '<\\/');
  const keys = JSON.stringify(RELATIVE_URLS);
  return (
    `/* identity-model-web ${version}: worker configuration from the Vite plugin */ ` +
    `self.identityModelWebConfig=(function(c){${keys}.forEach(function(k){` +
    `if(typeof c[k]==="string")c[k]=new URL(c[k],self.location.href).href});return c})(${json});`
  );
}
