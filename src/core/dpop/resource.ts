/**
 * DPoP on a request to a resource server that the caller sends itself (the worker's allowlisted
 * API calls): oauth4webapi builds the `Authorization: DPoP` header and the proof, and reads the
 * server's `DPoP-Nonce` from the answer.
 *
 * @module
 */

import * as oauth from 'oauth4webapi';
import { type DpopHandle, oauthDpop } from './handle.js';

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
  const options = {
    DPoP: oauthDpop(handle),
    // The caller decides where its requests may go (the worker's allowlist); http on loopback
    // and in development is its business.
    [oauth.allowInsecureRequests]: true,
    [oauth.customFetch]: (_url: string, init: oauth.CustomFetchOptions<string, unknown>) => {
      const headers = init.headers as Record<string, string>;
      return send({ authorization: headers.authorization ?? '', dpop: headers.dpop ?? '' });
    },
  };
  try {
    return await oauth.protectedResourceRequest(
      accessToken,
      method,
      new URL(url),
      undefined,
      null,
      options,
    );
  } catch (error) {
    // protectedResourceRequest throws on any `WWW-Authenticate` challenge, after it has
    // remembered the nonce; the answer itself is the caller's to read.
    if (error instanceof oauth.WWWAuthenticateChallengeError) return error.response;
    throw error;
  }
}
