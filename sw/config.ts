/**
 * The worker's configuration: fixed when the worker script is built or imported. No page
 * message can change it.
 *
 * @module
 */

import type { DiscoveryPolicy } from '../src/core/discovery/policy.js';
import { ConfigurationError } from '../src/core/errors.js';
import type { HttpOptions } from '../src/core/http/defaults.js';
import {
  assertObject,
  assertOptionalBoolean,
  assertOptionalNumber,
  assertOptionalString,
  assertString,
  assertStringOrStrings,
  assertUrl,
  pickHttpOptions,
} from '../src/core/worker-api.js';
import { type ApiEntry, type CompiledEntry, compileAllowlist } from './allowlist.js';
import { DEFAULT_LOGIN_DATABASE } from './transactions.js';

/**
 * Configuration of the token handler. The transport options ({@link HttpOptions}: `fetch`,
 * `timeout`, `retries`, …) are members of it; the worker's default `timeout` is `10000` ms per
 * attempt (shorter than the core's 30 s: a page waits for the worker's answer).
 */
export interface TokenHandlerConfig extends HttpOptions {
  /** The issuer (or its discovery URL). */
  issuer: string;
  /** The client id: a public client (PKCE, no secret: a browser cannot keep one). */
  clientId: string;
  /** The redirect URI registered at the provider, on this worker's origin and scope. */
  redirectUri: string;
  /** Where the provider sends the user after logout (RP-Initiated Logout). */
  postLogoutRedirectUri?: string;
  /** Scopes asked at sign-in. Default `openid profile`. Add `offline_access` if your provider needs it for refresh tokens. */
  scope?: string | readonly string[];
  /** The APIs whose requests get an access token. */
  apis?: readonly ApiEntry[];
  /**
   * URLs (same matching rules as `apis`, e.g. a `wss://` API) for which a page may ask for the
   * access token itself (`client.getAccessToken(url)`). Empty by default: pages get no token.
   */
  pageTokenUrls?: readonly ApiEntry[];
  /**
   * Refresh an access token this many seconds before it expires, capped at half the token's
   * lifetime (so a short-lived token is still used). Default `30`.
   */
  refreshSkew?: number;
  /** How long a sign-in may take at the provider, in seconds. Default `600`. */
  loginTimeout?: number;
  /**
   * Use Pushed Authorization Requests (RFC 9126): `auto` (the default) when discovery
   * advertises a PAR endpoint, `true` always, `false` never.
   */
  par?: boolean | 'auto';
  /**
   * Sender-constrained tokens (DPoP, RFC 9449). `true` (the default): when discovery advertises
   * `dpop_signing_alg_values_supported`, the worker generates a non-extractable key pair (ES256,
   * else another advertised algorithm), sends `dpop_jkt` in the authorization request and a
   * proof with every token request, and sends DPoP-bound tokens to the APIs with a proof. Bound
   * sessions are kept in IndexedDB beside the key, so they survive a stopped worker and a
   * browser restart. `false`: never DPoP; tokens stay in worker memory only.
   */
  dpop?: boolean;
  /** The path the worker answers with after a callback error. Default: `/` with `?login_error=CODE`. */
  errorRedirect?: string;
  /**
   * The worker's logout route: `logout()` navigates there with a single-use ticket and the worker
   * answers with the redirect to the provider's end-session endpoint, so `id_token_hint` (the ID
   * token) never passes through page script. Navigations there without a ticket the worker
   * issued are left to the app. Default `/logout`.
   */
  logoutPath?: string;
  /** Discovery policy (strict by default). */
  discoveryPolicy?: DiscoveryPolicy;
  /** Leeway for ID token time checks, in seconds (0..300). Default `60`. */
  leeway?: number;
  /** Default audience(s) the validation service checks when the page gives none. */
  validationAudience?: string | readonly string[];
  /**
   * What a restarted worker does when it had a session but holds no tokens (the browser stopped
   * it, and the tokens were not DPoP-bound, so not persisted): a silent `prompt=none` sign-in
   * through the provider's session. `iframe` (the default): in a hidden iframe that one open page
   * creates on the worker's request; the worker answers the callback itself, so the code never
   * reaches page script. `redirect`: the page itself goes to the provider and comes back, for
   * providers that refuse to be framed (`X-Frame-Options`, CSP `frame-ancestors`) or browsers
   * that block third-party cookies when the provider is on another site (the frame would find
   * no session there). `false`: none; the state becomes `expired` at once. The pages' state is
   * `resuming` meanwhile (OpenID Connect Core 1.0 §3.1.2.1 `prompt=none`, §3.1.2.6 its errors).
   *
   * @example A provider that sends X-Frame-Options: DENY
   * ```ts
   * createTokenHandler({ ...config, silentRecovery: 'redirect', silentRecoveryTimeout: 15 });
   * ```
   */
  silentRecovery?: 'iframe' | 'redirect' | false;
  /**
   * How long the silent sign-in may take, in seconds, before the session counts as `expired`
   * (API calls wait for it up to this long). Default `10`.
   */
  silentRecoveryTimeout?: number;
  /** IndexedDB database names (metadata cache; login transactions). */
  databases?: {
    /** The metadata cache's database. Default `identity-model-web-metadata`. */
    metadata?: string;
    /** The login transactions' database. Default `identity-model-web-login`. */
    transactions?: string;
  };
  /** Clock in milliseconds since the epoch. Default `Date.now`. For tests. */
  now?: () => number;
}

/** The checked configuration. */
export interface ResolvedConfig {
  /** `issuer`, as given. */
  readonly issuer: string;
  /** `clientId`, as given. */
  readonly clientId: string;
  /** `redirectUri`, parsed. */
  readonly redirectUri: URL;
  /** `postLogoutRedirectUri`, when given. */
  readonly postLogoutRedirectUri: string | undefined;
  /** `scope`, space-delimited; includes `openid`. Default `openid profile`. */
  readonly scope: string;
  /** `apis`, compiled to parsed URL prefixes. */
  readonly apis: readonly CompiledEntry[];
  /** `pageTokenUrls`, compiled to parsed URL prefixes. */
  readonly pageTokenUrls: readonly CompiledEntry[];
  /** `refreshSkew`, in seconds. Default `30`. */
  readonly refreshSkew: number;
  /** `loginTimeout`, in seconds. Default `600`. */
  readonly loginTimeout: number;
  /** `par`. Default `auto`. */
  readonly par: boolean | 'auto';
  /** `dpop`. Default `true`. */
  readonly dpop: boolean;
  /** `errorRedirect`. Default `/`. */
  readonly errorRedirect: string;
  /** `logoutPath`, normalised to a path. */
  readonly logoutPath: string;
  /** `discoveryPolicy`. Default `{}` (strict). */
  readonly discoveryPolicy: DiscoveryPolicy;
  /**
   * The HTTP options (`timeout` in milliseconds, default `10000`: shorter than core's 30 s, because
   * a page waits for the worker's answer).
   */
  readonly http: HttpOptions;
  /** `leeway`, in seconds. Default `60`. */
  readonly leeway: number;
  /** `validationAudience`, when given. */
  readonly validationAudience: string | readonly string[] | undefined;
  /** `silentRecovery`. Default `iframe`. */
  readonly silentRecovery: 'iframe' | 'redirect' | false;
  /** `silentRecoveryTimeout`, in seconds. Default `10`. */
  readonly silentRecoveryTimeout: number;
  /** `databases`, with the default names filled in. */
  readonly databases: {
    /** The metadata cache's database. Default `identity-model-web-metadata`. */
    readonly metadata: string;
    /** The login transactions' database. Default `identity-model-web-login`. */
    readonly transactions: string;
  };
  /** `now`. Default `Date.now`. */
  readonly now: () => number;
}

function seconds(value: unknown, path: string, fallback: number, max: number): number {
  assertOptionalNumber(value, path, { min: 0, max, unit: 'seconds' });
  return value ?? fallback;
}

/** The default path of the logout route (logout-route.ts) (configurable with `logoutPath`). */
export const DEFAULT_LOGOUT_PATH = '/logout';

/** Checks `logoutPath` (a path on the worker's origin, no query or fragment) and returns it. */
export function resolveLogoutPath(value: unknown): string {
  if (value === undefined) return DEFAULT_LOGOUT_PATH;
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    /[?#\\]/.test(value)
  ) {
    throw new ConfigurationError(
      '"config.logoutPath" must be a path starting with one "/", without a query or fragment',
    );
  }
  return value;
}

/** Checks and freezes the configuration, quoting the path of a bad member. */
export function resolveConfig(config: TokenHandlerConfig): ResolvedConfig {
  assertObject(config, 'config');
  const { issuer, clientId, postLogoutRedirectUri, errorRedirect } = config;
  assertString(issuer, 'config.issuer');
  assertString(clientId, 'config.clientId');
  assertUrl(config.redirectUri, 'config.redirectUri');
  const redirectUri = new URL(config.redirectUri);
  const scope = config.scope ?? 'openid profile';
  assertStringOrStrings(scope, 'config.scope');
  const scopeText = typeof scope === 'string' ? scope : scope.join(' ');
  if (!scopeText.split(' ').includes('openid')) {
    throw new ConfigurationError('"config.scope" must include "openid"');
  }
  const par = config.par ?? 'auto';
  if (par !== 'auto' && typeof par !== 'boolean') {
    throw new ConfigurationError('"config.par" must be true, false or "auto"');
  }
  assertOptionalBoolean(config.dpop, 'config.dpop');
  const silentRecovery = config.silentRecovery ?? 'iframe';
  if (silentRecovery !== 'iframe' && silentRecovery !== 'redirect' && silentRecovery !== false) {
    throw new ConfigurationError('"config.silentRecovery" must be "iframe", "redirect" or false');
  }
  assertOptionalString(postLogoutRedirectUri, 'config.postLogoutRedirectUri');
  assertOptionalString(errorRedirect, 'config.errorRedirect');
  return Object.freeze({
    issuer,
    clientId,
    redirectUri,
    postLogoutRedirectUri,
    scope: scopeText,
    apis: compileAllowlist(config.apis ?? [], 'config.apis'),
    pageTokenUrls: compileAllowlist(config.pageTokenUrls ?? [], 'config.pageTokenUrls'),
    refreshSkew: seconds(config.refreshSkew, 'config.refreshSkew', 30, 3600),
    loginTimeout: seconds(config.loginTimeout, 'config.loginTimeout', 600, 3600),
    par,
    dpop: config.dpop ?? true,
    errorRedirect: errorRedirect ?? '/',
    logoutPath: resolveLogoutPath(config.logoutPath),
    discoveryPolicy: config.discoveryPolicy ?? {},
    // Shorter than the core's 30 s: a page waits for the worker's answer (30 s by default).
    http: { timeout: 10_000, ...pickHttpOptions(config) },
    leeway: seconds(config.leeway, 'config.leeway', 60, 300),
    validationAudience: config.validationAudience,
    silentRecovery,
    silentRecoveryTimeout: seconds(
      config.silentRecoveryTimeout,
      'config.silentRecoveryTimeout',
      10,
      120,
    ),
    databases: Object.freeze({
      metadata: config.databases?.metadata ?? 'identity-model-web-metadata',
      transactions: config.databases?.transactions ?? DEFAULT_LOGIN_DATABASE,
    }),
    now: typeof config.now === 'function' ? config.now : Date.now,
  });
}
