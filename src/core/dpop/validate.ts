/**
 * Validating a DPoP-protected request at a resource server (RFC 9449 §4.3, §7.1): for Node and
 * Electron APIs. Not used by the worker, so it stays out of its bundle.
 *
 * @module
 */

import { DpopError, IdentityModelError } from '../errors.js';
import { checkJwk, keyFitsAlgorithm } from '../jwks/key.js';
import { ALGORITHMS, ASYMMETRIC_ALGORITHMS, type JwsAlgorithm } from '../jws/algorithms.js';
import { assertOptionalNumber } from '../lib/assert.js';
import { type DecodedJws, decodeJws } from '../validation/decode.js';
import { checkHeader } from '../validation/header.js';
import type { JwtClaims, JwtHeader } from '../validation/types.js';
import { createDpopReplayCache, type DpopReplayCache } from './replay-cache.js';
import { accessTokenHash, calculateJwkThumbprint } from './thumbprint.js';

/** Request headers as a `Headers` object or Node's `req.headers`. */
export type DpopRequestHeaders =
  | Headers
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Arguments of {@link validateDpopRequest}. */
export interface DpopRequestValidation {
  /** The request method, e.g. `GET` (compared with `htm` exactly). */
  method: string;
  /**
   * The URL the request was sent to, absolute (e.g. `https://api.example.com/orders?id=1`;
   * behind a proxy, the public URL). Its query and fragment are ignored (RFC 9449 §4.3).
   */
  url: string | URL;
  /**
   * The request's headers: `DPoP` (exactly one) and `Authorization` are read from them. A
   * request with `Authorization: DPoP <token>` has the token's `ath` checked.
   */
  headers: DpopRequestHeaders;
  /**
   * The access token, when not in the headers' `Authorization: DPoP` (e.g. already extracted);
   * the proof's `ath` must be its hash (§4.3 check 12).
   */
  accessToken?: string;
  /**
   * The validated access token's claims (e.g. from `validateToken`) or the introspection
   * response: its `cnf.jkt` must be the thumbprint of the proof's key (§6, §7.1). A token
   * without `cnf.jkt` fails with `ERR_DPOP_KEY_MISMATCH`.
   */
  accessTokenClaims?: object;
  /**
   * The nonce the server requires (§8, §9): a string, or a function saying whether a nonce is
   * acceptable (e.g. `(n) => issuer.check(n)` with `createDpopNonceIssuer`). Default: no nonce
   * required. A missing or refused nonce fails with `ERR_DPOP_NONCE_INVALID`.
   */
  nonce?: string | ((nonce: string) => boolean | Promise<boolean>);
  /**
   * Where accepted `jti`s are remembered (§11.1). Default: one in-memory cache per process
   * (`createDpopReplayCache()`), shared by every call without one.
   */
  replayCache?: DpopReplayCache;
  /** Accepted proof algorithms. Default: every asymmetric one (never `none` nor HMAC, §4.3). */
  algorithms?: readonly string[];
  /** Oldest accepted `iat`, in seconds before now. Default `300`. */
  maxAge?: number;
  /** Tolerated clock skew for an `iat` in the future, in seconds. Default `60`. */
  leeway?: number;
  /** Largest accepted proof, in characters. Default `8192`. */
  maxProofSize?: number;
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** A valid proof. */
export interface ValidatedDpopProof {
  /** The proof's payload (`jti`, `htm`, `htu`, `iat`, `ath`, `nonce`, …). */
  readonly claims: JwtClaims;
  /** The proof's protected header. */
  readonly header: JwtHeader;
  /** The proof's public key (the required members only). */
  readonly jwk: Readonly<JsonWebKey>;
  /** The RFC 7638 thumbprint of `jwk`: what bound tokens' `cnf.jkt` holds. */
  readonly jkt: string;
}

let defaultReplayCache: DpopReplayCache | undefined;

function fail(code: ConstructorParameters<typeof DpopError>[0], message: string, claim?: string) {
  return new DpopError(code, message, { claim });
}

function header(headers: DpopRequestHeaders, name: string): string[] {
  if (typeof (headers as Headers).get === 'function') {
    const value = (headers as Headers).get(name);
    return value === null ? [] : [value];
  }
  const value = (headers as Record<string, string | readonly string[] | undefined>)[name];
  return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
}

// RFC 3986 §6.2.2.1: percent-encodings compare case-insensitively.
function normalisedHtu(value: unknown): string | undefined {
  if (typeof value !== 'string' && !(value instanceof URL)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // URL lower-cases scheme and host, drops default ports and resolves dot segments (§6.2.2–3).
  const path = url.pathname.replace(/%[0-9a-f]{2}/gi, (percent) => percent.toUpperCase());
  return `${url.protocol}//${url.host}${path}`;
}

function proofOf(headers: DpopRequestHeaders, maxSize: number): DecodedJws & { raw: string } {
  const values = header(headers, 'dpop');
  // A comma means several headers joined (`Headers` and Node join repeats with ", ").
  if (values.length !== 1 || values[0]!.includes(',')) {
    throw fail(
      'ERR_DPOP_PROOF_INVALID',
      values.length === 0
        ? 'The request has no DPoP header'
        : 'The request has several DPoP headers',
    );
  }
  const raw = values[0]!.trim();
  try {
    return { ...decodeJws(raw, maxSize), raw };
  } catch (cause) {
    if (!(cause instanceof IdentityModelError)) throw cause;
    throw new DpopError('ERR_DPOP_PROOF_INVALID', `DPoP proof: ${cause.message}`, { cause });
  }
}

function dpopToken(headers: DpopRequestHeaders): string | undefined {
  const [authorization] = header(headers, 'authorization');
  const match = authorization && /^DPoP +([\x21-\x7e]+)$/i.exec(authorization.trim());
  return match ? match[1] : undefined;
}

/**
 * Validates the DPoP proof of a request to a resource server (RFC 9449 §4.3, §7.1), in this
 * order: exactly one `DPoP` header, a compact JWS within `maxProofSize`; `typ` `dpop+jwt`; an
 * asymmetric `alg` from `algorithms` (never `none` or HMAC), no `crit`; a public `jwk` with no
 * private members that fits `alg`; the signature; `jti`, `htm`, `htu`, `iat` present; `htm` =
 * `method`; `htu` = `url` (scheme, host, port, path after normalisation; query and fragment
 * ignored); `iat` no older than `maxAge` and no further ahead than `leeway`; the `nonce`;
 * `ath` = the hash of the access token (from `Authorization: DPoP` or `accessToken`);
 * `cnf.jkt` of `accessTokenClaims` = the key's thumbprint; and last the `jti` unseen (recorded
 * in `replayCache` until the proof is too old anyway), so that no forged proof fills the cache.
 *
 * Resolves to the proof's claims, header, key and thumbprint; throws {@link DpopError} with a
 * code per check (its `error` is the challenge's OAuth error) and `ConfigurationError` for bad
 * options. The access token itself (signature, expiry, audience) is validated separately, e.g.
 * with `validateAccessToken`, whose claims are then passed as `accessTokenClaims`.
 *
 * @example
 * ```ts
 * const nonces = createDpopNonceIssuer();
 * try {
 *   const token = /^DPoP (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
 *   const claims = await validateAccessToken(token, config, 'https://op.example');
 *   await validateDpopRequest({
 *     method: req.method,
 *     url: `https://api.example.com${req.url}`,
 *     headers: req.headers,
 *     accessTokenClaims: claims,
 *     nonce: (n) => nonces.check(n),
 *   });
 * } catch (e) {
 *   if (!(e instanceof DpopError)) throw e;
 *   res.setHeader('WWW-Authenticate', `DPoP error="${e.error}", algs="ES256 RS256"`);
 *   if (e.error === 'use_dpop_nonce') res.setHeader('DPoP-Nonce', await nonces.issue());
 *   res.writeHead(401).end();
 * }
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3 RFC 9449 §4.3
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1 RFC 9449 §7.1
 */
export async function validateDpopRequest(
  request: DpopRequestValidation,
): Promise<ValidatedDpopProof> {
  const { maxAge = 300, leeway = 60, maxProofSize = 8192, now = Date.now } = request;
  assertOptionalNumber(maxAge, 'maxAge', { min: 0, unit: 'seconds' });
  assertOptionalNumber(leeway, 'leeway', { min: 0, unit: 'seconds' });
  assertOptionalNumber(maxProofSize, 'maxProofSize', { integer: true, min: 1 });
  const proof = proofOf(request.headers, maxProofSize);

  const allowed = (request.algorithms ?? ASYMMETRIC_ALGORITHMS).filter((alg) =>
    ASYMMETRIC_ALGORITHMS.includes(alg as JwsAlgorithm),
  );
  let alg: JwsAlgorithm;
  try {
    alg = checkHeader(proof.header, allowed, ['dpop+jwt']);
  } catch (cause) {
    if (!(cause instanceof IdentityModelError)) throw cause;
    throw new DpopError('ERR_DPOP_PROOF_INVALID', `DPoP proof: ${cause.message}`, {
      cause,
      claim: (cause as { claim?: string }).claim,
    });
  }
  const checked = checkJwk(proof.header.jwk);
  if ('reason' in checked) {
    throw fail('ERR_DPOP_PROOF_INVALID', `DPoP proof "jwk" is refused: ${checked.reason}`, 'jwk');
  }
  if (!keyFitsAlgorithm(checked.key, alg)) {
    throw fail('ERR_DPOP_PROOF_INVALID', `DPoP proof "jwk" does not fit "alg" ${alg}`, 'jwk');
  }
  const info = ALGORITHMS[alg];
  const key = await crypto.subtle.importKey('jwk', checked.key.publicJwk, info.import, false, [
    'verify',
  ]);
  const valid =
    (info.signatureLength === undefined || proof.signature.length === info.signatureLength) &&
    (await crypto.subtle.verify(
      info.verify,
      key,
      proof.signature as Uint8Array<ArrayBuffer>,
      proof.signingInput as Uint8Array<ArrayBuffer>,
    ));
  if (!valid) throw fail('ERR_DPOP_PROOF_INVALID', 'DPoP proof signature is invalid');

  const { jti, htm, htu, iat } = proof.payload as Record<string, unknown>;
  if (typeof jti !== 'string' || jti === '' || jti.length > 256) {
    throw fail(
      'ERR_DPOP_PROOF_INVALID',
      'DPoP proof "jti" must be a string of 1–256 characters',
      'jti',
    );
  }
  if (typeof htm !== 'string')
    throw fail('ERR_DPOP_PROOF_INVALID', 'DPoP proof has no "htm"', 'htm');
  if (typeof htu !== 'string')
    throw fail('ERR_DPOP_PROOF_INVALID', 'DPoP proof has no "htu"', 'htu');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) {
    throw fail('ERR_DPOP_PROOF_INVALID', 'DPoP proof "iat" must be a number', 'iat');
  }
  if (htm !== request.method) {
    throw fail(
      'ERR_DPOP_HTM_MISMATCH',
      `DPoP proof "htm" ${JSON.stringify(htm)} is not ${request.method}`,
      'htm',
    );
  }
  const expectedHtu = normalisedHtu(request.url);
  if (expectedHtu === undefined) {
    throw new DpopError('ERR_DPOP_HTU_MISMATCH', '"url" must be an absolute http(s) URL', {
      claim: 'htu',
    });
  }
  if (normalisedHtu(htu) !== expectedHtu) {
    throw fail('ERR_DPOP_HTU_MISMATCH', `DPoP proof "htu" does not name ${expectedHtu}`, 'htu');
  }
  const time = now() / 1000;
  if (iat < time - maxAge || iat > time + leeway) {
    throw fail(
      'ERR_DPOP_IAT_INVALID',
      `DPoP proof "iat" is ${iat < time ? 'too old' : 'in the future'}`,
      'iat',
    );
  }

  if (request.nonce !== undefined) {
    const sent = (proof.payload as { nonce?: unknown }).nonce;
    const accepted =
      typeof sent === 'string' &&
      (typeof request.nonce === 'string' ? sent === request.nonce : await request.nonce(sent));
    if (!accepted) {
      throw fail(
        'ERR_DPOP_NONCE_INVALID',
        `DPoP proof ${typeof sent === 'string' ? 'carries a nonce the server does not accept' : 'has no "nonce"'}`,
        'nonce',
      );
    }
  }

  const token = request.accessToken ?? dpopToken(request.headers);
  if (token !== undefined) {
    const ath = (proof.payload as { ath?: unknown }).ath;
    if (ath !== (await accessTokenHash(token))) {
      throw fail(
        'ERR_DPOP_ATH_MISMATCH',
        `DPoP proof "ath" ${ath === undefined ? 'is missing' : 'is not the hash of the access token'}`,
        'ath',
      );
    }
  }

  const jkt = await calculateJwkThumbprint(checked.key.publicJwk);
  if (request.accessTokenClaims !== undefined) {
    const { cnf } = request.accessTokenClaims as { cnf?: { jkt?: unknown } };
    if (typeof cnf?.jkt !== 'string' || cnf.jkt !== jkt) {
      throw fail(
        'ERR_DPOP_KEY_MISMATCH',
        typeof cnf?.jkt === 'string'
          ? 'The access token is bound to another key than the DPoP proof\'s ("cnf.jkt")'
          : 'The access token is not DPoP-bound (no "cnf.jkt")',
        'cnf',
      );
    }
  }

  defaultReplayCache ??= request.replayCache ? undefined : createDpopReplayCache();
  const replayCache = request.replayCache ?? defaultReplayCache!;
  // Kept until the proof would be refused as too old anyway.
  if (!(await replayCache.use(jti, (iat + maxAge + leeway) * 1000))) {
    throw fail('ERR_DPOP_JTI_REPLAYED', 'DPoP proof "jti" was already used', 'jti');
  }
  return { claims: proof.payload, header: proof.header, jwk: checked.key.publicJwk, jkt };
}
