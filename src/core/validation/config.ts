/**
 * The token validation configuration: the seed's `TokenValidationConfig`, in camelCase.
 *
 * @module
 */

import type { MetadataCache } from '../cache/metadata-cache.js';
import type { DiscoveryPolicy } from '../discovery/policy.js';
import { ConfigurationError } from '../errors.js';
import { HTTP_OPTION_NAMES, type HttpOptions, pickHttpOptions } from '../http/defaults.js';
import { isKnownAlgorithm, type JwsAlgorithm } from '../jws/algorithms.js';
import {
  assertBoolean,
  assertFunction,
  assertNumber,
  assertObject,
  assertOptionalBoolean,
  assertOptionalString,
} from '../lib/assert.js';
import { resolveIssuerTemplates } from '../lib/issuer-template.js';
import { STANDALONE_WORKER } from '../lib/standalone.js';
import type { JwtClaims, JwtHeader } from './types.js';
import {
  createVerifiedTokenCache,
  type VerifiedTokenCache,
  type VerifiedTokenCacheOptions,
} from './verified-cache.js';

/**
 * Which checks run. Verification switches may only be turned off where the seed allows it:
 * turning off signature, `exp`, `nbf` or `iat` verification is refused
 * (`ERR_CONFIGURATION`).
 */
export interface ValidationOptions {
  /** Must stay `true`. */
  verifySignature?: boolean;
  /** Check `aud` against `audience`. Default `true` (a no-op without `audience`). */
  verifyAud?: boolean;
  /** Check `iss` against the expected issuer(s). Default `true`. */
  verifyIss?: boolean;
  /** Must stay `true`. */
  verifyExp?: boolean;
  /** Must stay `true`. */
  verifyNbf?: boolean;
  /** Must stay `true`. */
  verifyIat?: boolean;
  /**
   * Require `exp`. Default `true`: a token without `exp` never expires. A deliberate difference
   * from PyJWT's defaults; the seed checks `exp` whenever it is present.
   */
  requireExp?: boolean;
  /**
   * Require `iat`. Default `true`, as the seed's conformance case JWT-013 does. RFC 7519 §4.1.6
   * makes `iat` optional: `false` accepts a JWT without it (an `iat` that is present is still
   * checked against the clock). ID tokens, RFC 9068 access tokens and logout tokens require
   * `iat` whatever this says.
   */
  requireIat?: boolean;
  /** Require `nbf`. Default `false`. */
  requireNbf?: boolean;
  /** Require `aud`. Default `false` (always checked when `audience` is set). */
  requireAud?: boolean;
  /** Require `iss`. Default `true` when an issuer is expected, else `false`. */
  requireIss?: boolean;
  /** Require `sub`. Default `false`. */
  requireSub?: boolean;
  /** Require `jti`. Default `false`. */
  requireJti?: boolean;
}

/**
 * A custom check run after every built-in one passed. Throw (anything) to reject the token.
 * `header` is frozen: tokens with the same protected header share it.
 */
export type ClaimsValidator = (claims: JwtClaims, header: JwtHeader) => void | Promise<void>;

/**
 * How {@link validateToken} validates a JWT. Give either `performDisco: true` (issuer and keys
 * from the provider's discovery document) or a `key`.
 *
 * Build one config and reuse it: it is checked once, and the state it enables (prepared keys,
 * discovery lookups, `verifiedTokenCache`) lives with that object. The object is not frozen: a
 * change made later (a member replaced, or a member of `options` or `discoveryPolicy`, or an
 * element of an array) takes effect on the next call, which then checks the config again and
 * starts that state afresh.
 *
 * @example
 * ```ts
 * const config: TokenValidationConfig = {
 *   performDisco: true,
 *   audience: 'https://api.example',
 *   leeway: 30,
 *   options: { requireSub: true },
 * };
 * ```
 */
export interface TokenValidationConfig extends HttpOptions {
  /** Take the issuer and the keys (`jwks_uri`) from discovery of the `issuer` argument. */
  performDisco?: boolean;
  /**
   * The verification key: a JWK (public; `oct` only for HMAC) or a `CryptoKey`. With
   * `performDisco`, the key set from discovery is used instead.
   */
  key?: JsonWebKey | CryptoKey;
  /** Expected audience(s): `aud` must contain at least one. RFC 7519 §4.1.3. */
  audience?: string | readonly string[];
  /**
   * Allowed `alg` values. Default: discovery's `id_token_signing_alg_values_supported`
   * intersected with the asymmetric algorithms, or the algorithms that fit `key`. `none` is
   * never allowed; HMAC only with a symmetric `key`. RFC 8725 §3.1.
   */
  algorithms?: readonly string[];
  /** Expected issuer(s); exact string match. Default: discovery's `issuer`. RFC 7519 §4.1.1. */
  issuer?: string | readonly string[];
  /** More accepted issuers, exact string match (e.g. a provider's v1 and v2 issuers). */
  allowedIssuers?: readonly string[];
  /**
   * Multi-tenant issuer template(s), each with `{tenantid}` exactly once in its path, e.g.
   * Microsoft Entra ID's `https://login.microsoftonline.com/{tenantid}/v2.0` (and, for v1.0
   * tokens, `https://sts.windows.net/{tenantid}/`). An `iss` that is no expected issuer is
   * accepted only when it equals a template filled with the token's `tid` claim, which must be a
   * tenant id (a GUID): a token whose `iss` names another tenant than its `tid`
   * (`ERR_JWT_ISSUER_MISMATCH`), or whose `tid` is missing (`ERR_JWT_CLAIM_MISSING`) or not a GUID
   * (`ERR_JWT_CLAIM_INVALID`), is refused. With `performDisco`, the discovery document may carry a
   * template as its `issuer` (Entra's `common` and `organizations` endpoints): it is accepted
   * when it is one of these, and `discoveryPolicy.issuerTemplate` counts here too. Which tenants
   * may call an API is the API's decision: check `tid` in `claimsValidator`. Default: none.
   *
   * @example
   * ```ts
   * const config: TokenValidationConfig = {
   *   performDisco: true,
   *   audience: 'api://contoso-api',
   *   issuerTemplate: 'https://login.microsoftonline.com/{tenantid}/v2.0',
   *   claimsValidator: (claims) => {
   *     if (!allowedTenants.has(claims.tid as string)) throw new Error('tenant not allowed');
   *   },
   * };
   * await validateToken(jwt, config, 'https://login.microsoftonline.com/organizations/v2.0');
   * ```
   */
  issuerTemplate?: string | readonly string[];
  /** Expected `sub`. */
  subject?: string;
  /** Expected `nonce` (ID tokens, OpenID Connect Core §3.1.3.7). */
  nonce?: string;
  /**
   * Expected authorized party (`azp`): when set, an `azp` claim must equal it, and a token with
   * several audiences must carry `azp` (OpenID Connect Core §3.1.3.7, ID-token rules; the ID-token
   * path sets it to the client). When unset, `azp` is only type-checked: in an access token it
   * names the client the token was issued to, not an audience (Keycloak, Entra ID).
   */
  authorizedParty?: string;
  /** Required `typ` header value(s), e.g. `at+jwt` (RFC 9068 §2.1); `application/` optional, case-insensitive. */
  typ?: string | readonly string[];
  /** Allowed clock skew for `exp`, `nbf` and `iat`, in seconds, 0..300. Default `60`. */
  leeway?: number;
  /** Which checks run and which claims are required. */
  options?: ValidationOptions;
  /** More claims that must be present (any JSON value but `null`). */
  requiredClaims?: readonly string[];
  /** A custom check run last; may be async. */
  claimsValidator?: ClaimsValidator;
  /** Require https for discovery (loopback http stays allowed). Default `true`. */
  requireHttps?: boolean;
  /** Discovery policy for `performDisco` (its `requireHttps` yields to `requireHttps` above). */
  discoveryPolicy?: DiscoveryPolicy;
  /** Largest token accepted, in bytes (characters of the compact form). Default `16384`. */
  maxTokenSize?: number;
  /** Clock in milliseconds since the epoch. Default: the cache's clock, else `Date.now`. */
  now?: () => number;
  /** Cache of discovery and keys. Default: the shared cache. */
  cache?: MetadataCache;
  /**
   * Remember tokens whose signature verified, so that validating the same token again (an API
   * seeing a client's token on every request) skips the signature check. Claims are still
   * checked on every call. Off by default; `true` uses the defaults of
   * {@link VerifiedTokenCacheOptions}.
   */
  verifiedTokenCache?: boolean | VerifiedTokenCacheOptions;
}

/** @internal The configuration with defaults applied and types checked. */
export interface ResolvedConfig {
  performDisco: boolean;
  key: JsonWebKey | CryptoKey | undefined;
  audiences: readonly string[] | undefined;
  algorithms: readonly string[] | undefined;
  /** `config.issuer`, when given (else discovery's issuer is expected). */
  issuers: readonly string[] | undefined;
  /** `config.allowedIssuers`: accepted besides the expected issuer(s). */
  allowedIssuers: readonly string[];
  /** `config.issuerTemplate` and `config.discoveryPolicy.issuerTemplate`, checked. */
  issuerTemplates: readonly string[];
  subject: string | undefined;
  nonce: string | undefined;
  authorizedParty: string | undefined;
  typ: readonly string[] | undefined;
  leeway: number;
  verifyAud: boolean;
  verifyIss: boolean;
  requireExp: boolean;
  requireIat: boolean;
  requireNbf: boolean;
  requireAud: boolean;
  requireIss: boolean | undefined;
  requireSub: boolean;
  requireJti: boolean;
  requiredClaims: readonly string[];
  claimsValidator: ClaimsValidator | undefined;
  requireHttps: boolean | undefined;
  discoveryPolicy: DiscoveryPolicy | undefined;
  maxTokenSize: number;
  now: (() => number) | undefined;
  cache: MetadataCache | undefined;
  http: HttpOptions;
  verified: VerifiedTokenCache | undefined;
}

/** Default largest token: 16 KiB. */
export const DEFAULT_MAX_TOKEN_SIZE = 16 * 1024;
/** Default leeway: 60 seconds. */
export const DEFAULT_LEEWAY = 60;

const fail = (message: string) => new ConfigurationError(message);

function stringList(value: unknown, path: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    list.some((item) => typeof item !== 'string' || item === '')
  ) {
    throw fail(`"${path}" must be a non-empty string or a non-empty array of non-empty strings`);
  }
  // A copy: the caller may change its array later (noticed by `matches`, then resolved again).
  return typeof value === 'string' ? list : [...list];
}

/**
 * {@link stringList} for members the stand-alone worker only ever sets from its own checked
 * values (see {@link resolveConfig}): there it only normalises.
 */
function ownList(value: unknown, path: string): readonly string[] | undefined {
  if (!STANDALONE_WORKER) return stringList(value, path);
  return typeof value === 'string' ? [value] : (value as readonly string[] | undefined);
}

function optionalString(value: unknown, path: string): string | undefined {
  if (!STANDALONE_WORKER) assertOptionalString(value, path, { empty: true });
  return value as string | undefined;
}

function flag(options: ValidationOptions, name: keyof ValidationOptions, fallback: boolean) {
  const value = options[name];
  if (value === undefined) return fallback;
  if (!STANDALONE_WORKER) assertBoolean(value, `config.options.${name}`);
  return value;
}

/** @internal Every member a {@link ResolvedConfig} is built from, in the order {@link snapshot} reads them. */
export const CONFIG_MEMBERS = [
  'performDisco',
  'key',
  'audience',
  'algorithms',
  'issuer',
  'allowedIssuers',
  'issuerTemplate',
  'subject',
  'nonce',
  'authorizedParty',
  'typ',
  'leeway',
  'requiredClaims',
  'claimsValidator',
  'requireHttps',
  'maxTokenSize',
  'now',
  'cache',
  'verifiedTokenCache',
  ...HTTP_OPTION_NAMES,
] as const satisfies readonly (keyof TokenValidationConfig)[];

/** @internal The members of `options`, in the order {@link snapshot} reads them. */
export const OPTION_MEMBERS = [
  'verifySignature',
  'verifyAud',
  'verifyIss',
  'verifyExp',
  'verifyNbf',
  'verifyIat',
  'requireExp',
  'requireIat',
  'requireNbf',
  'requireAud',
  'requireIss',
  'requireSub',
  'requireJti',
] as const satisfies readonly (keyof ValidationOptions)[];

/** @internal `discoveryPolicy`'s members (only their identity is compared), in snapshot order. */
export const POLICY_MEMBERS = [
  'issuer',
  'issuerTemplate',
  'requireHttps',
  'allowHttpOnLoopback',
  'validateIssuer',
  'validateEndpoints',
  'additionalEndpointBaseAddresses',
  'endpointValidationExcludeList',
  'requireKeySet',
] as const satisfies readonly (keyof DiscoveryPolicy)[];

/**
 * Appends `value` to `out`, and for an array its length and elements, so that an array changed
 * in place is noticed too.
 */
function push(out: unknown[], value: unknown): void {
  out.push(value);
  if (Array.isArray(value)) out.push(value.length, ...value);
}

/**
 * @internal The values a config's derived state is built from, flattened (allocated once, when
 * that state is built); {@link matches} tells whether the config still has them.
 */
export function snapshot(config: TokenValidationConfig): unknown[] {
  const out: unknown[] = [];
  for (const name of CONFIG_MEMBERS) push(out, config[name]);
  const options = config.options as Record<string, unknown> | undefined;
  out.push(options);
  if (typeof options === 'object' && options !== null) {
    for (const name of OPTION_MEMBERS) out.push(options[name]);
  }
  const policy = config.discoveryPolicy as Record<string, unknown> | undefined;
  out.push(policy);
  if (typeof policy === 'object' && policy !== null) {
    for (const name of POLICY_MEMBERS) push(out, policy[name]);
  }
  return out;
}

// The read position of `matches` in its snapshot: module state rather than a closure, so that
// the comparison on every validation allocates nothing (it runs synchronously, never nested).
let cursor = 0;

/** Whether `value` (and, for an array, its elements) equals the snapshot at the cursor. */
function same(seen: readonly unknown[], value: unknown): boolean {
  if (seen[cursor++] !== value) return false;
  if (!Array.isArray(value)) return true;
  const length = value.length;
  if (seen[cursor++] !== length) return false;
  for (let i = 0; i < length; i++) if (seen[cursor++] !== value[i]) return false;
  return true;
}

/**
 * @internal Compares `config` with a {@link snapshot} in the same order, allocating nothing. It
 * runs on every validation, so it reads each member by name (a keyed read with a member name
 * from a list costs about 9 ns in Chromium, about 0.25 µs for them all; a named read almost
 * nothing). The order is that of {@link CONFIG_MEMBERS}, {@link OPTION_MEMBERS} and
 * {@link POLICY_MEMBERS}; test/core/validation/config.test.ts changes each member in turn.
 */
export function matches(config: TokenValidationConfig, seen: readonly unknown[]): boolean {
  cursor = 0;
  const c = config;
  if (
    !(
      same(seen, c.performDisco) &&
      same(seen, c.key) &&
      same(seen, c.audience) &&
      same(seen, c.algorithms) &&
      same(seen, c.issuer) &&
      same(seen, c.allowedIssuers) &&
      same(seen, c.issuerTemplate) &&
      same(seen, c.subject) &&
      same(seen, c.nonce) &&
      same(seen, c.authorizedParty) &&
      same(seen, c.typ) &&
      same(seen, c.leeway) &&
      same(seen, c.requiredClaims) &&
      same(seen, c.claimsValidator) &&
      same(seen, c.requireHttps) &&
      same(seen, c.maxTokenSize) &&
      same(seen, c.now) &&
      same(seen, c.cache) &&
      same(seen, c.verifiedTokenCache) &&
      same(seen, c.fetch) &&
      same(seen, c.signal) &&
      same(seen, c.timeout) &&
      same(seen, c.retries) &&
      same(seen, c.retryBaseDelay) &&
      same(seen, c.maxRetryAfter) &&
      same(seen, c.maxBodySize) &&
      same(seen, c.sleep)
    )
  ) {
    return false;
  }
  const o = config.options;
  if (seen[cursor++] !== o) return false;
  if (typeof o === 'object' && o !== null) {
    if (
      !(
        seen[cursor++] === o.verifySignature &&
        seen[cursor++] === o.verifyAud &&
        seen[cursor++] === o.verifyIss &&
        seen[cursor++] === o.verifyExp &&
        seen[cursor++] === o.verifyNbf &&
        seen[cursor++] === o.verifyIat &&
        seen[cursor++] === o.requireExp &&
        seen[cursor++] === o.requireIat &&
        seen[cursor++] === o.requireNbf &&
        seen[cursor++] === o.requireAud &&
        seen[cursor++] === o.requireIss &&
        seen[cursor++] === o.requireSub &&
        seen[cursor++] === o.requireJti
      )
    ) {
      return false;
    }
  }
  const p = config.discoveryPolicy;
  if (seen[cursor++] !== p) return false;
  if (typeof p === 'object' && p !== null) {
    if (
      !(
        same(seen, p.issuer) &&
        same(seen, p.issuerTemplate) &&
        same(seen, p.requireHttps) &&
        same(seen, p.allowHttpOnLoopback) &&
        same(seen, p.validateIssuer) &&
        same(seen, p.validateEndpoints) &&
        same(seen, p.additionalEndpointBaseAddresses) &&
        same(seen, p.endpointValidationExcludeList) &&
        same(seen, p.requireKeySet)
      )
    ) {
      return false;
    }
  }
  return cursor === seen.length;
}

const resolvedConfigs = new WeakMap<
  TokenValidationConfig,
  { seen: readonly unknown[]; resolved: ResolvedConfig }
>();

/**
 * @internal Applies defaults and checks every member, quoting the path of a bad one. The result is
 * remembered per config object and reused while the members it was built from are unchanged (a
 * shallow comparison, see {@link matches}); after a change it is built again, with fresh state.
 * The caller's object is never frozen or written to.
 */
export function resolveConfig(config: TokenValidationConfig): ResolvedConfig {
  // The stand-alone worker builds every config it validates with (sw/login.ts and sw/tokens.ts
  // through prepareIdTokenCheck, sw/messages.ts validateToken): `leeway` and the transport options
  // checked by sw/config.ts, `discoveryPolicy` by discoveryHandle when it starts, `nonce` from a
  // checked transaction, the clock, options and validator its own. Their checks stay out of its
  // bundle; `audience` and `typ`, which a page may send, are checked there as everywhere.
  if (!STANDALONE_WORKER) assertObject(config as unknown, 'config');
  // The stand-alone worker builds a new configuration object for every validation, so it would
  // never find one here: it skips the remembering (and its member lists stay out of its bundle).
  const known = STANDALONE_WORKER ? undefined : resolvedConfigs.get(config);
  if (known && matches(config, known.seen)) return known.resolved;
  const options = config.options ?? {};
  const performDisco = config.performDisco ?? false;
  const algorithms = ownList(config.algorithms, 'config.algorithms');
  const leeway = config.leeway ?? DEFAULT_LEEWAY;
  const maxTokenSize = config.maxTokenSize ?? DEFAULT_MAX_TOKEN_SIZE;
  if (!STANDALONE_WORKER) {
    assertObject(options as unknown, 'config.options');
    for (const name of ['verifySignature', 'verifyExp', 'verifyNbf', 'verifyIat'] as const) {
      if (flag(options, name, true) === false) {
        throw fail(`"config.options.${name}" cannot be false: this check is never skipped`);
      }
    }
    assertBoolean(performDisco, 'config.performDisco');
    if (!performDisco && config.key === undefined) {
      throw fail('Give "config.key" or set "config.performDisco": there is no key to verify with');
    }
    if (config.key !== undefined && (typeof config.key !== 'object' || config.key === null)) {
      throw fail('"config.key" must be a JWK object or a CryptoKey');
    }
    if (algorithms?.some((alg) => alg.toLowerCase() === 'none')) {
      throw fail('"config.algorithms" cannot contain "none"');
    }
    if (algorithms && !algorithms.some(isKnownAlgorithm)) {
      throw fail(`"config.algorithms" names no supported algorithm (${algorithms.join(', ')})`);
    }
    assertNumber(leeway, 'config.leeway', { min: 0, max: 300, unit: 'seconds' });
    assertNumber(maxTokenSize, 'config.maxTokenSize', { integer: true, min: 1, unit: 'bytes' });
    if (config.claimsValidator !== undefined) {
      assertFunction(config.claimsValidator as unknown, 'config.claimsValidator');
    }
    if (config.now !== undefined) assertFunction(config.now as unknown, 'config.now');
    assertOptionalBoolean(config.requireHttps, 'config.requireHttps');
  }
  const issuers = ownList(config.issuer, 'config.issuer');
  const allowed = ownList(config.allowedIssuers, 'config.allowedIssuers');
  const templates = [
    ...resolveIssuerTemplates(config.issuerTemplate, 'config.issuerTemplate'),
    ...resolveIssuerTemplates(
      (config.discoveryPolicy as { issuerTemplate?: unknown } | undefined)?.issuerTemplate,
      'config.discoveryPolicy.issuerTemplate',
    ),
  ];
  const requireIss = options.requireIss;
  if (!STANDALONE_WORKER) assertOptionalBoolean(requireIss, 'config.options.requireIss');
  const resolved: ResolvedConfig = {
    performDisco,
    key: config.key,
    audiences: stringList(config.audience, 'config.audience'),
    algorithms: algorithms as readonly JwsAlgorithm[] | undefined,
    issuers,
    allowedIssuers: allowed ?? [],
    issuerTemplates: [...new Set(templates)],
    subject: optionalString(config.subject, 'config.subject'),
    nonce: optionalString(config.nonce, 'config.nonce'),
    authorizedParty: optionalString(config.authorizedParty, 'config.authorizedParty'),
    typ: stringList(config.typ, 'config.typ')?.map(normaliseTyp),
    leeway,
    verifyAud: flag(options, 'verifyAud', true),
    verifyIss: flag(options, 'verifyIss', true),
    requireExp: flag(options, 'requireExp', true),
    requireIat: flag(options, 'requireIat', true),
    requireNbf: flag(options, 'requireNbf', false),
    requireAud: flag(options, 'requireAud', false),
    requireIss,
    requireSub: flag(options, 'requireSub', false),
    requireJti: flag(options, 'requireJti', false),
    requiredClaims: ownList(config.requiredClaims, 'config.requiredClaims') ?? [],
    claimsValidator: config.claimsValidator,
    requireHttps: config.requireHttps,
    discoveryPolicy:
      config.issuerTemplate !== undefined && config.discoveryPolicy?.issuerTemplate === undefined
        ? { ...config.discoveryPolicy, issuerTemplate: config.issuerTemplate }
        : config.discoveryPolicy && { ...config.discoveryPolicy },
    maxTokenSize,
    now: config.now,
    cache: config.cache,
    http: pickHttpOptions(config),
    // The stand-alone worker's own configurations never ask for the verified-token cache.
    verified:
      STANDALONE_WORKER ||
      config.verifiedTokenCache === undefined ||
      config.verifiedTokenCache === false
        ? undefined
        : createVerifiedTokenCache(
            config.verifiedTokenCache === true ? {} : config.verifiedTokenCache,
          ),
  };
  if (!STANDALONE_WORKER) resolvedConfigs.set(config, { seen: snapshot(config), resolved });
  return resolved;
}

/** `typ` comparison form: lower case, without the optional `application/` prefix (RFC 7515 §4.1.9). */
export function normaliseTyp(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}
