/**
 * `validateToken`: signature, header and claims of a JWT, with keys from the configuration or
 * from discovery (with caching and key rotation).
 *
 * @module
 */

import { getDefaultCache } from '../cache/default.js';
import type { CacheEntry } from '../cache/metadata-cache.js';
import type { DiscoveryDocument } from '../discovery/document.js';
import { type DiscoveryHandle, discoveryHandle } from '../discovery/get.js';
import {
  ConfigurationError,
  InvalidClaimError,
  NoMatchingKeyError,
  SignatureInvalidError,
  TokenValidationError,
} from '../errors.js';
import { type KeySetHandle, keySetHandle } from '../jwks/get.js';
import { importedKey, importVerificationKey } from '../jwks/import.js';
import { keyFitsAlgorithm, type VerificationKey } from '../jwks/key.js';
import type { KeySet } from '../jwks/parse.js';
import { ALGORITHMS, ASYMMETRIC_ALGORITHMS, type JwsAlgorithm } from '../jws/algorithms.js';
import { isIssuerTemplate } from '../lib/issuer-template.js';
import { STANDALONE_WORKER } from '../lib/standalone.js';
import { checkClaims } from './claims.js';
import {
  type ClaimsValidator,
  type ResolvedConfig,
  resolveConfig,
  type TokenValidationConfig,
} from './config.js';
import { type ParsedJws, parseJws } from './decode.js';
import { prepareExplicitKey } from './explicit-key.js';
import { checkHeader } from './header.js';
import type { JwtClaims, JwtHeader } from './types.js';
import type { VerifiedToken } from './verified-cache.js';
import { verifyParsedJws } from './verify-jws.js';

/** Most keys tried for one token when its `kid` does not single one out. */
export const MAX_KEY_CANDIDATES = 4;

/** @internal A validated token: its claims and header. */
export interface ValidatedToken {
  readonly claims: JwtClaims;
  readonly header: JwtHeader;
}

/**
 * Validates a JWS-signed JWT and returns its claims.
 *
 * Checks, in order: size (16 KiB by default) and shape; `crit`, `typ` and `alg` (allowlist,
 * never `none`, HMAC only with a symmetric `config.key`); the signature, with the key whose
 * `kid` matches, else every key that fits `alg` (at most {@link MAX_KEY_CANDIDATES}); then
 * `exp`, `nbf`, `iat` (with `leeway`), `iss`, `aud`/`azp`, `sub`, `nonce`, required claims, and
 * last `claimsValidator`.
 *
 * With `performDisco`, the issuer and keys come from discovery of `issuer` (both cached).
 * An unknown `kid` or a failed signature reloads the key set once (at most once per cooldown,
 * default 30 s) before failing, so provider key rotation is picked up.
 *
 * Throws a {@link TokenValidationError} subclass for a bad token, and the `HttpError`,
 * `DiscoveryError` or `JwksError` when discovery or the key set cannot be had.
 *
 * @param issuer The issuer (or discovery URL); required with `performDisco`.
 * @example
 * ```ts
 * const claims = await validateToken(accessToken, {
 *   performDisco: true,
 *   audience: 'urn:example:api',
 * }, 'https://op.example');
 * console.log(claims.sub, claims.scope);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-7.2
 * @see https://www.rfc-editor.org/rfc/rfc8725
 */
export function validateToken(
  jwt: string,
  config: TokenValidationConfig,
  issuer?: string,
): Promise<JwtClaims> {
  // Not `(await validateJwt(…)).claims`: one async layer less per token on the hot path.
  return validate(jwt, config, issuer, false);
}

/**
 * @internal Like {@link validateToken}, but also returns the protected header. Not exported by the
 * package: a caller who needs the header gets it in `claimsValidator`.
 */
export function validateJwt(
  jwt: string,
  config: TokenValidationConfig,
  issuer?: string,
): Promise<ValidatedToken> {
  return validate(jwt, config, issuer, true);
}

function validate(
  jwt: string,
  config: TokenValidationConfig,
  issuer: string | undefined,
  withHeader: false,
): Promise<JwtClaims>;
function validate(
  jwt: string,
  config: TokenValidationConfig,
  issuer: string | undefined,
  withHeader: true,
): Promise<ValidatedToken>;
/**
 * Not an async function: with warm keys (discovery and key set in memory, one key fits, its
 * `CryptoKey` imported), the one promise step of a validation is the signature's, and the claims
 * are checked in that promise's reaction, so a token costs no more promises, microtasks or
 * allocations than that. Every error still comes back as a rejection, never as a synchronous
 * throw; the checks run in the same order as ever, and the claims only after the signature has
 * verified (`acceptSigned` runs nowhere else).
 */
function validate(
  jwt: string,
  config: TokenValidationConfig,
  issuer: string | undefined,
  withHeader: boolean,
): Promise<JwtClaims | ValidatedToken> {
  try {
    const resolved = resolveConfig(config);
    const now = resolved.now ?? resolved.cache?.now ?? getDefaultCache().now;
    const verified = resolved.verified?.get(jwt, now());
    if (verified) return acceptVerified(verified, resolved, issuer, now, withHeader);
    const token = parseJws(jwt, resolved.maxTokenSize);
    if (!resolved.performDisco) {
      // The stand-alone worker always discovers its keys: the configured-key path stays out.
      if (STANDALONE_WORKER) {
        throw new ConfigurationError('The stand-alone worker verifies with discovered keys only');
      }
      return verifyWithConfiguredKey(token, resolved).then(() =>
        acceptSigned(jwt, token, resolved, undefined, now, withHeader),
      );
    }
    const handles = handlesFor(resolved, issuer);
    const disco = handles.discovery.peek();
    if (!disco) {
      return handles.discovery.get().then(async (document) => {
        const alg = checkDiscoveredHeader(token, resolved, document);
        const handle = keySetOf(handles, document);
        await verifyWithKeySet(token, alg, handle, handle.peek());
        return acceptSigned(jwt, token, resolved, document, now, withHeader);
      });
    }
    const alg = checkDiscoveredHeader(token, resolved, disco);
    const handle = keySetOf(handles, disco);
    const entry = handle.peek();
    // The stand-alone worker validates a few tokens a session: it keeps the general path only,
    // and its bundle stays without the warm one.
    const key = !STANDALONE_WORKER && entry && soleCandidate(entry.value, alg, token.header.kid);
    const cryptoKey = key && importedKey(key, alg);
    if (!entry || !key || !cryptoKey || !fitsSignatureLength(token, alg)) {
      return verifyWithKeySet(token, alg, handle, entry).then(() =>
        acceptSigned(jwt, token, resolved, disco, now, withHeader),
      );
    }
    // The warm path. A `false` verdict and a WebCrypto rejection (whose reason is never `true`)
    // both reload the key set once (key rotation) before failing: one callback handles both.
    const settle = (verdict: unknown) =>
      verdict === true
        ? acceptSigned(jwt, token, resolved, disco, now, withHeader)
        : verifyWithReload(token, alg, handle, entry, [key], false).then(() =>
            acceptSigned(jwt, token, resolved, disco, now, withHeader),
          );
    return verifyParsedJws(ALGORITHMS[alg].verify, cryptoKey, token).then(settle, settle);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The header checks against the discovered provider's algorithms: the `alg` to verify. */
function checkDiscoveredHeader(
  token: ParsedJws,
  config: ResolvedConfig,
  disco: DiscoveryDocument,
): JwsAlgorithm {
  return checkHeader(token.header, allowedForDiscovery(config, disco), config.typ);
}

/** The discovered provider's key set. */
function keySetOf(handles: Handles, disco: DiscoveryDocument): KeySetHandle {
  const jwksUri = disco.jwksUri;
  if (jwksUri === undefined) {
    throw new ConfigurationError('The discovery document has no "jwks_uri" to verify with');
  }
  return handles.keySet(jwksUri);
}

async function verifyWithConfiguredKey(token: ParsedJws, config: ResolvedConfig): Promise<void> {
  const key = prepareExplicitKey(config.key!);
  const allowed = config.algorithms
    ? config.algorithms.filter((alg) => key.algorithms.includes(alg as JwsAlgorithm))
    : key.algorithms;
  const alg = checkHeader(token.header, allowed, config.typ);
  if (!(await verify(token, alg, await key.cryptoKey(alg)))) {
    throw new SignatureInvalidError('JWT signature does not verify with the configured key');
  }
}

/**
 * A token whose signature has just verified: remembered (with `verifiedTokenCache`), then its
 * claims are checked. Called only after a verified signature.
 */
function acceptSigned(
  jwt: string,
  token: ParsedJws,
  config: ResolvedConfig,
  disco: DiscoveryDocument | undefined,
  now: () => number,
  withHeader: boolean,
): JwtClaims | ValidatedToken | Promise<JwtClaims | ValidatedToken> {
  config.verified?.set(jwt, token, now());
  return acceptClaims(token, config, expectedIssuers(config, disco?.issuer), now, withHeader);
}

/** A token from the verified-token cache: its signature verified earlier; the claims are checked now. */
async function acceptVerified(
  token: VerifiedToken,
  config: ResolvedConfig,
  issuer: string | undefined,
  now: () => number,
  withHeader: boolean,
): Promise<JwtClaims | ValidatedToken> {
  let discovered: string | undefined;
  if (config.performDisco && !config.issuers) {
    const discovery = handlesFor(config, issuer).discovery;
    discovered = (discovery.peek() ?? (await discovery.get())).issuer;
  }
  return acceptClaims(token, config, expectedIssuers(config, discovered), now, withHeader);
}

/** The claims checks, then `claimsValidator`: run only for a token whose signature verified. */
function acceptClaims(
  token: VerifiedToken,
  config: ResolvedConfig,
  issuers: readonly string[] | undefined,
  now: () => number,
  withHeader: boolean,
): JwtClaims | ValidatedToken | Promise<JwtClaims | ValidatedToken> {
  checkClaims(token.payload, config, issuers, now() / 1000);
  const result = withHeader ? { claims: token.payload, header: token.header } : token.payload;
  return config.claimsValidator
    ? runClaimsValidator(config.claimsValidator, token, result)
    : result;
}

async function runClaimsValidator<T>(
  validator: ClaimsValidator,
  token: VerifiedToken,
  result: T,
): Promise<T> {
  try {
    await validator(token.payload, token.header);
  } catch (error) {
    if (error instanceof TokenValidationError) throw error;
    throw new InvalidClaimError(
      `Custom claims validation failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return result;
}

// Per configuration: the issuer list for each discovered issuer, built once.
const issuerLists = new WeakMap<ResolvedConfig, Map<string, readonly string[]>>();

/**
 * The issuers `iss` may name: `config.issuer` (else the discovered issuer, when known) plus
 * `config.allowedIssuers`. `undefined` when none is known (then `iss` is not checked).
 */
function expectedIssuers(
  config: ResolvedConfig,
  discovered: string | undefined,
): readonly string[] | undefined {
  const allowed = config.allowedIssuers;
  // Nothing to combine: the configured list (or none) as it is.
  if (allowed.length === 0 && (config.issuers || discovered === undefined)) return config.issuers;
  // The stand-alone worker resolves a new config per token: nothing to remember there.
  if (STANDALONE_WORKER) return issuerList(config, discovered);
  const key = config.issuers ? '' : (discovered ?? '');
  let lists = issuerLists.get(config);
  if (!lists) {
    lists = new Map();
    issuerLists.set(config, lists);
  }
  let list = lists.get(key);
  if (!list) {
    list = issuerList(config, discovered);
    lists.set(key, list);
  }
  return list;
}

function issuerList(config: ResolvedConfig, discovered: string | undefined): readonly string[] {
  // A discovered template (Entra's `{tenantid}` issuer) is never an issuer a token may name
  // literally: such tokens are matched against the templates, and with none the list stays empty.
  const base =
    config.issuers ??
    (discovered === undefined || isIssuerTemplate(discovered) ? [] : [discovered]);
  return [...base, ...config.allowedIssuers];
}

const discoveryAllowlists = new WeakMap<object, readonly string[]>();

/** The allowlist with keys from discovery: asymmetric only, from config or the provider. */
function allowedForDiscovery(config: ResolvedConfig, disco: DiscoveryDocument): readonly string[] {
  const wanted = config.algorithms ?? disco.idTokenSigningAlgValuesSupported;
  let allowed = discoveryAllowlists.get(wanted);
  if (!allowed) {
    allowed = wanted.filter((alg) => ASYMMETRIC_ALGORITHMS.includes(alg as JwsAlgorithm));
    discoveryAllowlists.set(wanted, allowed);
  }
  return allowed;
}

interface Handles {
  discovery: DiscoveryHandle;
  keySet(uri: string): KeySetHandle;
}

// Per configuration and address: the parsed discovery address and key-set lookups, so that a
// warm validation does no URL parsing or policy resolution.
const handleCache = new WeakMap<ResolvedConfig, Map<string, Handles>>();

function handlesFor(config: ResolvedConfig, issuer: string | undefined): Handles {
  if (typeof issuer !== 'string' || issuer === '') {
    throw new ConfigurationError('"issuer" is required with "performDisco"');
  }
  let byAddress = handleCache.get(config);
  if (!byAddress) {
    byAddress = new Map();
    handleCache.set(config, byAddress);
  }
  let handles = byAddress.get(issuer);
  if (!handles) {
    const transport = { ...config.http, ...(config.cache ? { cache: config.cache } : {}) };
    const policy = {
      ...config.discoveryPolicy,
      ...(config.requireHttps === undefined ? {} : { requireHttps: config.requireHttps }),
    };
    const keySets = new Map<string, KeySetHandle>();
    handles = {
      discovery: discoveryHandle({ ...transport, issuer: issuer, discoveryPolicy: policy }),
      keySet(uri) {
        let handle = keySets.get(uri);
        if (!handle) {
          handle = keySetHandle({
            ...transport,
            address: uri,
            ...(policy.requireHttps === undefined ? {} : { requireHttps: policy.requireHttps }),
          });
          keySets.set(uri, handle);
        }
        return handle;
      },
    };
    byAddress.set(issuer, handles);
  }
  return handles;
}

function candidates(set: KeySet, alg: JwsAlgorithm, kid: string | undefined): VerificationKey[] {
  const result: VerificationKey[] = [];
  for (const key of set.keys) {
    if ((kid === undefined || key.kid === kid) && keyFitsAlgorithm(key, alg)) result.push(key);
  }
  return result;
}

/** The one key that may verify the token, or `undefined` when none or several do. */
function soleCandidate(
  set: KeySet,
  alg: JwsAlgorithm,
  kid: string | undefined,
): VerificationKey | undefined {
  let found: VerificationKey | undefined;
  const keys = set.keys;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if ((kid === undefined || key.kid === kid) && keyFitsAlgorithm(key, alg)) {
      if (found) return undefined;
      found = key;
    }
  }
  return found;
}

/**
 * Verifies `token` with the key set (`peeked`: its entry in memory, if any), loading the set or
 * importing keys as needed; reloads the set once for an unknown `kid` or a failed signature.
 */
async function verifyWithKeySet(
  token: ParsedJws,
  alg: JwsAlgorithm,
  handle: KeySetHandle,
  peeked: CacheEntry<KeySet> | undefined,
): Promise<void> {
  const kid = token.header.kid;
  let entry = peeked ?? (await handle.get());
  let keys = candidates(entry.value, alg, kid);
  let reloaded = false;
  if (keys.length === 0) {
    // An unknown kid may be a freshly rotated key: reload once (behind the cooldown).
    const refresh = await handle.refresh();
    reloaded = true;
    if (refresh.entry !== entry) keys = candidates(refresh.entry.value, alg, kid);
    entry = refresh.entry;
    if (keys.length === 0) {
      throw new NoMatchingKeyError(
        kid === undefined
          ? `No key in the provider's key set fits "alg" ${alg}`
          : `No key with "kid" ${JSON.stringify(kid)} fits "alg" ${alg}, even after reloading the key set`,
      );
    }
  }
  if (await verifyAny(token, alg, keys)) return;
  return verifyWithReload(token, alg, handle, entry, keys, reloaded);
}

/** After a failed signature: reload the key set once (key rotation) and try its new keys. */
async function verifyWithReload(
  token: ParsedJws,
  alg: JwsAlgorithm,
  handle: KeySetHandle,
  entry: CacheEntry<KeySet>,
  tried: readonly VerificationKey[],
  reloaded: boolean,
): Promise<void> {
  if (!reloaded) {
    const refresh = await handle.refresh();
    if (refresh.entry !== entry) {
      const fresh = candidates(refresh.entry.value, alg, token.header.kid).filter(
        (key) => !tried.some((old) => sameKey(old, key)),
      );
      if (fresh.length > 0 && (await verifyAny(token, alg, fresh))) return;
    }
  }
  throw new SignatureInvalidError("JWT signature does not verify with the provider's keys");
}

function sameKey(a: VerificationKey, b: VerificationKey): boolean {
  const x = a.publicJwk;
  const y = b.publicJwk;
  return (
    x.kty === y.kty && x.n === y.n && x.e === y.e && x.x === y.x && x.y === y.y && x.crv === y.crv
  );
}

async function verifyAny(token: ParsedJws, alg: JwsAlgorithm, keys: VerificationKey[]) {
  for (const key of keys.slice(0, MAX_KEY_CANDIDATES)) {
    let cryptoKey = importedKey(key, alg);
    if (!cryptoKey) {
      try {
        cryptoKey = await importVerificationKey(key, alg);
      } catch {
        continue;
      }
    }
    if (await verify(token, alg, cryptoKey)) return true;
  }
  return false;
}

/** ECDSA and EdDSA signatures have one length: any other never verifies. */
function fitsSignatureLength(token: ParsedJws, alg: JwsAlgorithm): boolean {
  const length = ALGORITHMS[alg].signatureLength;
  return length === undefined || token.signature.length === length;
}

function verify(token: ParsedJws, alg: JwsAlgorithm, key: CryptoKey): Promise<boolean> {
  if (!fitsSignatureLength(token, alg)) return Promise.resolve(false);
  return verifyParsedJws(ALGORITHMS[alg].verify, key, token).catch(() => false); // WebCrypto throws, rather than returning false, for some malformed input.
}
