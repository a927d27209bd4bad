/**
 * Which outbound requests get a token: URLs are parsed, never matched as strings. An entry
 * matches a request when scheme, host and port are equal and the request path is the entry's
 * path or lies under it at a segment boundary (after the URL parser's normalisation of `.`,
 * `..` and their percent-encoded forms). User info in a request URL never matches.
 *
 * @module
 */

import { ConfigurationError } from '../src/core/errors.js';

/** One API the worker attaches tokens for. */
export interface ApiEntry {
  /** Base URL, e.g. `https://api.example.com/v1/`. Requests at or below it get a token. */
  readonly url: string;
  /** Resource indicator (RFC 8707) of this API's tokens. Default: no `resource` parameter. */
  readonly resource?: string;
  /** Scope to ask for this API's tokens. Default: the worker's scope. */
  readonly scope?: string;
}

/** A parsed allowlist entry. */
export interface CompiledEntry {
  readonly entry: ApiEntry;
  readonly origin: string;
  /** Path prefix ending in `/` (or exactly `/`). */
  readonly prefix: string;
  /** The path without its trailing slash, which also matches (e.g. `/v1` for `/v1/`). */
  readonly exact: string;
}

/** Parses entries once; throws `ConfigurationError` quoting the bad one. */
export function compileAllowlist(
  entries: readonly ApiEntry[],
  path = 'config.apis',
): CompiledEntry[] {
  if (!Array.isArray(entries)) throw new ConfigurationError(`"${path}" must be an array`);
  return entries.map((entry, index) => {
    const where = `${path}[${index}]`;
    if (typeof entry !== 'object' || entry === null || typeof entry.url !== 'string') {
      throw new ConfigurationError(`"${where}.url" must be a string`);
    }
    let url: URL;
    try {
      url = new URL(entry.url);
    } catch {
      throw new ConfigurationError(`"${where}.url" must be an absolute URL`);
    }
    if (!['https:', 'http:', 'wss:', 'ws:'].includes(url.protocol)) {
      throw new ConfigurationError(`"${where}.url" must be an http(s) or ws(s) URL`);
    }
    if (url.username || url.password || url.search || url.hash) {
      throw new ConfigurationError(`"${where}.url" must not have user info, a query or a fragment`);
    }
    for (const key of ['resource', 'scope'] as const) {
      if (entry[key] !== undefined && typeof entry[key] !== 'string') {
        throw new ConfigurationError(`"${where}.${key}" must be a string`);
      }
    }
    const prefix = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
    return Object.freeze({
      entry: Object.freeze({ ...entry }),
      origin: url.origin,
      prefix,
      exact: prefix === '/' ? '/' : prefix.slice(0, -1),
    });
  });
}

/**
 * The first entry `url` falls under, or undefined. `url` is the request URL as the browser
 * sends it (already normalised); it is parsed again here, so no string trick can match.
 */
export function matchAllowlist(
  allowlist: readonly CompiledEntry[],
  url: string,
): CompiledEntry | undefined {
  if (allowlist.length === 0) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  const { origin, pathname } = parsed;
  for (const compiled of allowlist) {
    if (compiled.origin !== origin) continue;
    if (pathname === compiled.exact || pathname.startsWith(compiled.prefix)) return compiled;
  }
  return undefined;
}
