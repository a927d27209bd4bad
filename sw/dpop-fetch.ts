/**
 * Allowlisted API calls with a DPoP-bound access token (RFC 9449 §7): `Authorization: DPoP`
 * and a fresh proof per request (core's `sendWithDpop`, over oauth4webapi), the API's nonce
 * remembered per origin, and one retry when the API asks for a nonce.
 *
 * @module
 */

import { DpopError, type DpopHandle } from '../src/core/index.js';
import { dpopChallengeError, sendWithDpop } from '../src/core/worker-api.js';
import { serializeError } from '../src/protocol/messages.js';
import type { CompiledEntry } from './allowlist.js';
import type { WorkerContext } from './context.js';
import type { AccessToken } from './session.js';

/** Entries already warned about (one console warning per API per worker). */
const warned = new WeakSet<CompiledEntry>();

/**
 * True when `api` takes Bearer tokens only (`dpop: false`) and the session is DPoP-bound: its
 * requests then go out without a token (a bound token is useless as Bearer), and the worker
 * warns once.
 */
export function bearerOnly(context: WorkerContext, api: CompiledEntry): boolean {
  if (api.entry.dpop !== false || !context.session?.dpop) return false;
  if (!warned.has(api)) {
    warned.add(api);
    console.warn(
      `identity-model-web: ${api.entry.url} is configured with dpop: false, and the session's tokens are DPoP-bound; its requests go out without a token`,
    );
  }
  return true;
}

/**
 * A 401 whose `DPoP` challenge says `use_dpop_nonce` and that carries the nonce to use (RFC 9449
 * §9). Without a `DPoP-Nonce` header (or with one the API did not expose to CORS) a retry
 * would be the same request again.
 */
function asksForNonce(response: Response): boolean {
  return (
    response.status === 401 &&
    response.headers.has('dpop-nonce') &&
    dpopChallengeError(response.headers.get('www-authenticate')) === 'use_dpop_nonce'
  );
}

/**
 * Sends `request` with `token` and a proof signed by `dpop`. When the API answers
 * `use_dpop_nonce` with a nonce, the request is sent once more with a new proof carrying it
 * (only when the body is `replayable`: it was read into `body`); a second `use_dpop_nonce` goes
 * to the page as it is, and the worker reports `ERR_DPOP_NONCE_LOOP` to every page.
 */
export async function dpopFetch(
  context: WorkerContext,
  dpop: DpopHandle,
  request: Request,
  token: AccessToken,
  body: ArrayBuffer | undefined,
  replayable: boolean,
): Promise<Response> {
  const once = () =>
    sendWithDpop(dpop, token.token, request.method, request.url, ({ authorization, dpop }) => {
      const headers = new Headers(request.headers);
      headers.set('authorization', authorization);
      headers.set('dpop', dpop);
      return fetch(new Request(request, body === undefined ? { headers } : { headers, body }));
    });
  const first = await once();
  if (!replayable || !asksForNonce(first)) return first;
  const second = await once();
  if (asksForNonce(second)) {
    const error = new DpopError(
      'ERR_DPOP_NONCE_LOOP',
      `${new URL(request.url).origin} answered use_dpop_nonce again to a proof carrying the nonce it had just sent`,
      { httpStatus: second.status },
    );
    await context.broadcast({ type: 'error', error: serializeError(error) }).catch(() => {});
  }
  return second;
}
