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
import { RESERVED_AUTHORIZE_PARAMETERS } from '../src/core/index.js';
import {
  assertObject,
  assertOptionalBoolean,
  assertOptionalString,
  assertString,
  assertUrl,
} from '../src/core/worker-api.js';
import { assertDestinations } from './destination.js';
import { tokenKey } from './session.js';

/** One API the worker attaches tokens for. */
export interface ApiEntry {
  /** Base URL, e.g. `https://api.example.com/v1/`. Requests at or below it get a token. */
  readonly url: string;
  /** Resource indicator (RFC 8707) of this API's tokens. Default: no `resource` parameter. */
  readonly resource?: string;
  /**
   * Scope of this API's tokens, sent in the refresh that gets its token (RFC 6749 §6), e.g.
   * Entra ID's `api://orders/.default`. Default: none, so the token has the scope granted at
   * sign-in. The sign-in asks for `config.scope` only: the provider must allow this one under
   * the same grant (Entra ID does; Auth0 only for APIs in the client's refresh token policy).
   */
  readonly scope?: string;
  /**
   * Extra parameters of this API's token requests, for providers that name the API otherwise
   * than with `resource` (RFC 8707), e.g. Auth0's `{ audience: 'https://orders.example.com' }`.
   * String values; the parameters the worker sets itself (`grant_type`, `client_id`,
   * `refresh_token`, `code_verifier`, `redirect_uri`, `scope`, `resource`, `state`, `nonce`,
   * `dpop_jkt`, `prompt`, …) cannot be set here (`ConfigurationError`).
   *
   * The first entry (of `apis`, then `pageTokenUrls`) with a `resource` or `parameters` is the
   * sign-in's API: its parameters also go into the authorization request and the code exchange
   * (Auth0 issues a JWT access token only for an `audience` named at authorization), and the
   * sign-in's token serves it. Every other entry gets its token by a refresh carrying its own
   * `resource`, `scope` and `parameters`; entries equal in these three share one token.
   *
   * The worker cannot tell whether the provider honoured them (an access token is opaque to a
   * client, RFC 6749 §1.4): a provider that ignores them issues its default token, the API
   * answers 401, the worker refreshes that API's token once (at most every 10 s) and the page
   * gets the 401. Default: none.
   *
   * @example Auth0, two APIs (the refresh needs Auth0's Multi-Resource Refresh Token):
   * ```ts
   * apis: [
   *   { url: 'https://orders.example.com/', parameters: { audience: 'https://orders' } },
   *   { url: 'https://billing.example.com/', parameters: { audience: 'https://billing' } },
   * ]
   * ```
   */
  readonly parameters?: Readonly<Record<string, string>>;
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
  /** The key of its access token in the session (what its token requests ask for). */
  readonly key: string;
  readonly origin: string;
  /** Path prefix ending in `/` (or exactly `/`). */
  readonly prefix: string;
  /** The path without its trailing slash, which also matches (e.g. `/v1` for `/v1/`). */
  readonly exact: string;
  /** {@link prefix} and {@link exact} as {@link lenientPath} reads them. */
  readonly lenientPrefix: string;
  readonly lenientExact: string;
}

/**
 * Parameters the worker sets itself (besides core's `RESERVED_AUTHORIZE_PARAMETERS`): an entry's
 * `parameters` never replace them.
 */
const WORKER_PARAMETERS = new Set(
  'grant_type client_secret client_assertion client_assertion_type code code_verifier refresh_token response_mode resource request dpop_jkt prompt max_age login_hint id_token_hint acr_values ui_locales'.split(
    ' ',
  ),
);

function assertParameters(value: unknown, path: string): void {
  if (value === undefined) return;
  assertObject(value, path);
  for (const [name, item] of Object.entries(value)) {
    if (name === '' || WORKER_PARAMETERS.has(name) || RESERVED_AUTHORIZE_PARAMETERS.has(name)) {
      throw new ConfigurationError(`"${path}" cannot set "${name}": the worker sets it`);
    }
    assertString(item, `${path}.${name}`);
  }
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
    assertParameters(entry.parameters, `${where}.parameters`);
    assertOptionalBoolean(entry.dpop, `${where}.dpop`);
    assertDestinations(entry.destinations, `${where}.destinations`);
    const prefix = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
    const lenientPrefix = lenientPath(prefix);
    return Object.freeze({
      entry: Object.freeze({ ...entry }),
      key: tokenKey(entry),
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
