/**
 * DPoP on a request to a resource server that the caller sends itself (the worker's allowlisted
 * API calls): oauth4webapi's DPoP handle signs the proof and reads the server's `DPoP-Nonce`
 * from the answer.
 *
 * @module
 */

import { type DpopHandle, oauthDpop, type ProofSigner } from './handle.js';

/**
 * Sends one request to a resource with a DPoP-bound access token (RFC 9449 §7.1).
 * `send` receives the two headers to add: `authorization` (`DPoP <token>`) and `dpop`, a fresh
 * proof signed by `handle` with `htm` = `method`, `htu` = `url` without query and fragment,
 * `iat`, a random `jti`, `ath` (the token's SHA-256 hash) and the nonce `handle` last saw from
 * `url`'s origin. Whatever the answer, a `DPoP-Nonce` header on it is remembered for that origin
 * (§8.2: also on a success), and the answer is returned as received, challenges included.
 *
 * @example
 * ```ts
 * const response = await sendWithDpop(dpop, token, 'GET', url, (headers) => fetch(url, { headers }));
 * ```
 */
export async function sendWithDpop(
  handle: DpopHandle,
  accessToken: string,
  method: string,
  url: string,
  send: (headers: { authorization: string; dpop: string }) => Promise<Response>,
): Promise<Response> {
  const signer = oauthDpop(handle) as unknown as ProofSigner;
  const target = new URL(url);
  const headers = new Headers();
  await signer.addProof(target, headers, method.toUpperCase(), accessToken);
  const response = await send({
    authorization: `DPoP ${accessToken}`,
    dpop: headers.get('dpop') ?? '',
  });
  signer.cacheNonce(response, target);
  return response;
}
