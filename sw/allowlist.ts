/**
 * Which outbound requests get a token: URLs are parsed, never matched as strings. An entry
 * matches a request when scheme, host and port are equal and the request path is the entry's
 * path or lies under it at a segment boundary (after the URL parser's normalisation of `.`,
 * `..` and their percent-encoded forms). User info in a request URL never matches.
 *
 * Servers read paths more loosely than the URL parser: many decode `%2F` or `%5C` into a
 * separator, some decode twice, Tomcat drops `;parameters` (so `/v1/..;/admin` is `/admin`).
 * A request matches only when its path stays under the entry in that loose reading too
 * ({@link lenientPath}); a request that would escape goes out without a token.
 *
 * @module
 */

import { ConfigurationError } from '../src/core/errors.js';
import {
  assertOptionalBoolean,
  assertOptionalString,
  assertString,
  assertUrl,
} from '../src/core/worker-api.js';
import { assertDestinations } from './destination.js';

/** One API the worker attaches tokens for. */
export interface ApiEntry {
  /** Base URL, e.g. `https://api.example.com/v1/`. Requests at or below it get a token. */
  readonly url: string;
  /** Resource indicator (RFC 8707) of this API's tokens. Default: no `resource` parameter. */
  readonly resource?: string;
  /** Scope to ask for this API's tokens. Default: the worker's scope. */
  readonly scope?: string;
  /**
   * Whether this API accepts DPoP-bound tokens (RFC 9449). Default `true`. `false`: the API
   * takes Bearer tokens only. A DPoP-bound token is useless as a Bearer token (the API would
   * refuse it or, worse, accept it without checking the binding), and a provider that binds the
   * session's refresh token to the key binds every token refreshed with it; so while the session
   * is DPoP-bound, such an API's requests go out without a token and the worker warns once in
   * its console. Sessions without DPoP (the provider has none, or `config.dpop` is `false`)
   * send it Bearer tokens as usual.
   */
  readonly dpop?: boolean;
  /**
   * Request destinations besides `fetch()`/XHR that get the token, e.g. `['image']` for
   * `<img crossorigin>`. Default none: markup never makes an authorized request (see destination.ts).
   */
  readonly destinations?: readonly RequestDestination[];
}

/** A parsed allowlist entry. */
export interface CompiledEntry {
  readonly entry: ApiEntry;
  readonly origin: string;
  /** Path prefix ending in `/` (or exactly `/`). */
  readonly prefix: string;
  /** The path without its trailing slash, which also matches (e.g. `/v1` for `/v1/`). */
  readonly exact: string;
  /** {@link prefix} and {@link exact} as {@link lenientPath} reads them. */
  readonly lenientPrefix: string;
  readonly lenientExact: string;
}

/** How many times a path is percent-decoded at most (servers that decode twice exist). */
const DECODE_ROUNDS = 3;

/**
 * `pathname` (already normalised by the URL parser) as a lenient server may read it:
 * percent-escapes decoded (up to three times), `\` as `/`, each segment cut at `;` (a path
 * parameter) or NUL, then `.` and `..` segments resolved. Only separators and dot segments
 * matter here, so escapes decode to single characters (no UTF-8), and nothing can throw.
 */
export function lenientPath(pathname: string): string {
  let decoded = pathname;
  for (let round = 0; round < DECODE_ROUNDS && decoded.includes('%'); round++) {
    const next = decoded.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
    if (next === decoded) break;
    decoded = next;
  }
  const segments = decoded.replace(/\\/g, '/').split('/').slice(1);
  const out: string[] = [];
  segments.forEach((raw, index) => {
    const segment = raw.replace(/[;\0][\s\S]*$/, '');
    const last = index === segments.length - 1;
    if (segment === '..') out.pop();
    if (segment === '.' || segment === '..') {
      if (last) out.push('');
      return;
    }
    out.push(segment);
  });
  return `/${out.join('/')}`;
}

function under(path: string, prefix: string, exact: string): boolean {
  return path === exact || path.startsWith(prefix);
}

/** Parses entries once; throws `ConfigurationError` quoting the bad one. */
export function compileAllowlist(
  entries: readonly ApiEntry[],
  path = 'config.apis',
): CompiledEntry[] {
  if (!Array.isArray(entries)) throw new ConfigurationError(`"${path}" must be an array`);
  return entries.map((entry, index) => {
    const where = `${path}[${index}]`;
    // An entry that is no object has no url either: one message for both.
    assertString((entry as Partial<ApiEntry> | null)?.url, `${where}.url`, { empty: true });
    assertUrl(entry.url, `${where}.url`);
    const url = new URL(entry.url);
    if (!['https:', 'http:', 'wss:', 'ws:'].includes(url.protocol)) {
      throw new ConfigurationError(`"${where}.url" must be an http(s) or ws(s) URL`);
    }
    if (url.username || url.password || url.search || url.hash) {
      throw new ConfigurationError(`"${where}.url" must not have user info, a query or a fragment`);
    }
    for (const key of ['resource', 'scope'] as const) {
      assertOptionalString(entry[key], `${where}.${key}`, { empty: true });
    }
    assertOptionalBoolean(entry.dpop, `${where}.dpop`);
    assertDestinations(entry.destinations, `${where}.destinations`);
    const prefix = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
    const lenientPrefix = lenientPath(prefix);
    return Object.freeze({
      entry: Object.freeze({ ...entry }),
      origin: url.origin,
      prefix,
      exact: prefix === '/' ? '/' : prefix.slice(0, -1),
      lenientPrefix,
      lenientExact: lenientPrefix === '/' ? '/' : lenientPrefix.slice(0, -1),
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
  let lenient: string | undefined;
  for (const compiled of allowlist) {
    if (compiled.origin !== origin) continue;
    if (!under(pathname, compiled.prefix, compiled.exact)) continue;
    lenient ??= lenientPath(pathname);
    if (under(lenient, compiled.lenientPrefix, compiled.lenientExact)) return compiled;
  }
  return undefined;
}
