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
import { type ResolvedConfig, resolveConfig, type TokenValidationConfig } from './config.js';
import { type ParsedJws, parseJws } from './decode.js';
import { prepareExplicitKey } from './explicit-key.js';
import { checkHeader } from './header.js';
import type { JwtClaims, JwtHeader } from './types.js';
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

async function validate(
  jwt: string,
  config: TokenValidationConfig,
  issuer: string | undefined,
  withHeader: false,
): Promise<JwtClaims>;
async function validate(
  jwt: string,
  config: TokenValidationConfig,
  issuer: string | undefined,
  withHeader: true,
): Promise<ValidatedToken>;
async function validate(
  jwt: string,
  config: TokenValidationConfig,
  issuer: string | undefined,
  withHeader: boolean,
): Promise<JwtClaims | ValidatedToken> {
  const resolved = resolveConfig(config);
  const now = resolved.now ?? resolved.cache?.now ?? getDefaultCache().now;
  let issuers = expectedIssuers(resolved, undefined);
  let token = resolved.verified?.get(jwt, now());
  if (token) {
    if (resolved.performDisco && !resolved.issuers) {
      const discovery = handlesFor(resolved, issuer).discovery;
      issuers = expectedIssuers(resolved, (discovery.peek() ?? (await discovery.get())).issuer);
    }
  } else {
    const decoded = parseJws(jwt, resolved.maxTokenSize);
    token = decoded;
    if (resolved.performDisco) {
      const handles = handlesFor(resolved, issuer);
      const disco = handles.discovery.peek() ?? (await handles.discovery.get());
      if (!resolved.issuers) issuers = expectedIssuers(resolved, disco.issuer);
      const alg = checkHeader(decoded.header, allowedForDiscovery(resolved, disco), resolved.typ);
      const jwksUri = disco.jwksUri;
      if (jwksUri === undefined) {
        throw new ConfigurationError('The discovery document has no "jwks_uri" to verify with');
      }
      await verifyWithKeySet(decoded, alg, handles.keySet(jwksUri));
    } else if (STANDALONE_WORKER) {
      // The stand-alone worker always discovers its keys: the configured-key path stays out.
      throw new ConfigurationError('The stand-alone worker verifies with discovered keys only');
    } else {
      const key = prepareExplicitKey(resolved.key!);
      const allowed = resolved.algorithms
        ? resolved.algorithms.filter((alg) => key.algorithms.includes(alg as JwsAlgorithm))
        : key.algorithms;
      const alg = checkHeader(decoded.header, allowed, resolved.typ);
      if (!(await verify(decoded, alg, await key.cryptoKey(alg)))) {
        throw new SignatureInvalidError('JWT signature does not verify with the configured key');
      }
    }
    resolved.verified?.set(jwt, token, now());
  }
  checkClaims(token.payload, resolved, issuers, now() / 1000);
  if (resolved.claimsValidator) {
    try {
      await resolved.claimsValidator(token.payload, token.header);
    } catch (error) {
      if (error instanceof TokenValidationError) throw error;
      throw new InvalidClaimError(
        `Custom claims validation failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  return withHeader ? { claims: token.payload, header: token.header } : token.payload;
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
  // A discovered template (Entra's `{tenantid}` issuer) is never an issuer a token may name
  // literally: such tokens are matched against the templates, and with none the list stays empty.
  const base =
    config.issuers ??
    (discovered === undefined ? undefined : isIssuerTemplate(discovered) ? [] : [discovered]);
  // The stand-alone worker sets no allowedIssuers (and resolves a new config per token).
  if (STANDALONE_WORKER || config.allowedIssuers.length === 0) return base;
  const key = config.issuers ? '' : (discovered ?? '');
  let lists = issuerLists.get(config);
  if (!lists) {
    lists = new Map();
    issuerLists.set(config, lists);
  }
  let list = lists.get(key);
  if (!list) {
    list = [...(base ?? []), ...config.allowedIssuers];
    lists.set(key, list);
  }
  return list;
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

function verifyWithKeySet(
  token: ParsedJws,
  alg: JwsAlgorithm,
  handle: KeySetHandle,
): Promise<void> {
  // Warm path: the key set is in memory, one key fits and its CryptoKey is imported.
  const entry = handle.peek();
  const key = entry && soleCandidate(entry.value, alg, token.header.kid);
  const cryptoKey = key && importedKey(key, alg);
  if (!entry || !key || !cryptoKey) return verifyWithKeySetSlow(token, alg, handle, entry);
  const reload = () => verifyWithReload(token, alg, handle, entry, [key], false);
  if (!fitsSignatureLength(token, alg)) return reload();
  // One promise per token: the verdict and a WebCrypto rejection are handled in one step.
  return verifyParsedJws(ALGORITHMS[alg].verify, cryptoKey, token).then(
    (ok) => (ok ? undefined : reload()),
    reload,
  );
}

/** The one key that may verify the token, or `undefined` when none or several do. */
function soleCandidate(
  set: KeySet,
  alg: JwsAlgorithm,
  kid: string | undefined,
): VerificationKey | undefined {
  let found: VerificationKey | undefined;
  for (const key of set.keys) {
    if ((kid === undefined || key.kid === kid) && keyFitsAlgorithm(key, alg)) {
      if (found) return undefined;
      found = key;
    }
  }
  return found;
}

async function verifyWithKeySetSlow(
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
  return length === undefined || token.signatureLength === length;
}

function verify(token: ParsedJws, alg: JwsAlgorithm, key: CryptoKey): Promise<boolean> {
  if (!fitsSignatureLength(token, alg)) return Promise.resolve(false);
  return verifyParsedJws(ALGORITHMS[alg].verify, key, token).catch(() => false); // WebCrypto throws, rather than returning false, for some malformed input.
}
