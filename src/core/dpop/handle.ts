/**
 * The DPoP handle a client passes to the endpoint layer (RFC 9449): it signs a fresh proof for
 * every request and remembers each server's nonce. Proofs are made by oauth4webapi's `DPoP()`
 * handle, never by hand-written JOSE.
 *
 * @module
 */

import * as oauth from 'oauth4webapi';
import { ConfigurationError } from '../errors.js';

/**
 * Signs DPoP proofs with one key pair and remembers server nonces per origin (the last 100
 * origins). Make one with {@link createDpopHandle} and pass it as `dpop` to the token grants,
 * `pushAuthorizationRequest` and `getUserInfo`. Keep one handle per key pair: the nonces live in
 * it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449 RFC 9449
 */
export interface DpopHandle {
  /** The key pair the proofs are signed with. */
  readonly keyPair: CryptoKeyPair;
  /**
   * The RFC 7638 SHA-256 thumbprint of the public key, base64url: the `dpop_jkt` authorization
   * request parameter (RFC 9449 §10) and the `cnf.jkt` of tokens bound to this key (§6.1).
   */
  thumbprint(): Promise<string>;
}

/** Options of {@link createDpopHandle}. */
export interface DpopHandleOptions {
  /**
   * Seconds added to the local clock for the proofs' `iat`, for a device whose clock is known to
   * be off. Default `0`.
   */
  clockSkew?: number;
}

/**
 * @internal The two methods every oauth4webapi request function calls on its `DPoP` option (see
 * its `resourceRequest`): not in its published types, so named here. The endpoint layer's form
 * POST (endpoint/post.ts) and `sendWithDpop` call them directly, which keeps oauth4webapi's
 * request builders and challenge parser out of the worker bundle.
 * test/core/dpop/resource.test.ts fails if they change.
 */
export interface ProofSigner {
  addProof(url: URL, headers: Headers, htm: string, accessToken?: string): Promise<void>;
  cacheNonce(response: Response, url: URL): void;
}

/** What the endpoint layer needs of a request that may carry DPoP proofs. */
export interface DpopOptions {
  /**
   * Sign every request of this call with a DPoP proof (RFC 9449): a `DPoP` header on token,
   * PAR and UserInfo requests; at UserInfo also `Authorization: DPoP <token>` and a proof whose
   * `ath` is the token's hash (§7.1), so pass it only with a DPoP-bound access token there. A
   * `use_dpop_nonce` answer is retried once with the server's new nonce (§8); a second one in a
   * row fails with `ERR_DPOP_NONCE_LOOP`. Default: no DPoP.
   */
  dpop?: DpopHandle;
}

const handles = new WeakMap<DpopHandle, oauth.DPoPHandle>();

/**
 * Creates a {@link DpopHandle} over `keyPair` (e.g. from `generateDpopKeyPair`). The private
 * key may be (and should be) non-extractable; the public key must be extractable, as WebCrypto
 * makes it. A key pair oauth4webapi cannot sign proofs with is a `ConfigurationError`.
 *
 * @example
 * ```ts
 * const dpop = createDpopHandle(await generateDpopKeyPair());
 * const token = await requestClientCredentialsToken({ address, clientId, clientSecret, dpop });
 * if (token.isSuccessful) console.log(token.tokenType); // "DPoP"
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4 RFC 9449 §4
 */
export function createDpopHandle(
  keyPair: CryptoKeyPair,
  options: DpopHandleOptions = {},
): DpopHandle {
  const { clockSkew = 0 } = options;
  if (typeof clockSkew !== 'number' || !Number.isFinite(clockSkew)) {
    throw new ConfigurationError('"options.clockSkew" must be a finite number of seconds');
  }
  let inner: oauth.DPoPHandle;
  try {
    inner = oauth.DPoP({ [oauth.clockSkew]: clockSkew }, keyPair);
  } catch (cause) {
    throw new ConfigurationError(
      `"keyPair" cannot sign DPoP proofs: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  const handle: DpopHandle = Object.freeze({
    keyPair,
    thumbprint: () => inner.calculateThumbprint(),
  });
  handles.set(handle, inner);
  return handle;
}

/**
 * @internal oauth4webapi's handle behind `handle`; a `ConfigurationError` for anything that
 * {@link createDpopHandle} did not make.
 */
export function oauthDpop(handle: unknown, path = 'dpop'): oauth.DPoPHandle {
  const inner = handles.get(handle as DpopHandle);
  if (!inner) throw new ConfigurationError(`"${path}" must be a handle from createDpopHandle`);
  return inner;
}
