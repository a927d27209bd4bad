/**
 * Sending one request that oauth4webapi built, through the library's transport: the one place
 * every endpoint request (token, PAR, device, introspection, revocation, UserInfo,
 * registration) goes out, and the one place oauth4webapi's errors are mapped.
 *
 * @module
 */

import * as oauth from 'oauth4webapi';
import {
  ConfigurationError,
  DpopError,
  HttpError,
  IdentityModelError,
  ProtocolError,
} from '../errors.js';
import type { HttpResponse } from '../http/request.js';
import { failureOf } from './answer.js';
import { dpopChallengeError } from './challenge.js';
import type { OAuthTransport } from './transport.js';

/**
 * Maps what an oauth4webapi request function threw: an argument error becomes a
 * {@link ConfigurationError}, another oauth4webapi error an `ERR_INVALID_RESPONSE`; library
 * errors (from the transport) and bugs pass through.
 */
function requestError(error: unknown, url: string): unknown {
  if (error instanceof IdentityModelError) return error;
  if (
    error instanceof oauth.OperationProcessingError ||
    error instanceof oauth.UnsupportedOperationError
  ) {
    return new HttpError('ERR_INVALID_RESPONSE', `Invalid response from ${url}: ${error.message}`, {
      url,
      cause: error,
    });
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (
    error instanceof TypeError &&
    (code === 'ERR_INVALID_ARG_TYPE' || code === 'ERR_INVALID_ARG_VALUE')
  ) {
    return new ConfigurationError(error.message, { cause: error });
  }
  return error;
}

/**
 * True when the answer asks for a DPoP nonce (RFC 9449 §8, §9): a 400 `use_dpop_nonce` error
 * body (token endpoint, PAR) or a 401 whose `DPoP` challenge says `use_dpop_nonce` (a resource).
 */
function asksForNonce(response: HttpResponse, url: string): boolean {
  if (response.status === 400) {
    const failure = failureOf(response, url);
    return failure instanceof ProtocolError && failure.error === 'use_dpop_nonce';
  }
  if (response.status !== 401) return false;
  return dpopChallengeError(response.headers.get('www-authenticate')) === 'use_dpop_nonce';
}

/**
 * Sends the request `send` builds with `transport`'s options and returns the answer as
 * received, unread: the answer is read by `answer.ts` alone. oauth4webapi's request functions do
 * not read answers, except `protectedResourceRequest`, which throws on any `WWW-Authenticate`
 * challenge; that answer is returned like any other.
 *
 * With a DPoP handle, an answer asking for a nonce that came with a `DPoP-Nonce` header is sent
 * once more (the handle has remembered the nonce, so the new proof carries it); asking again
 * fails with `ERR_DPOP_NONCE_LOOP` (RFC 9449 §8, §9). A request is never sent a third time.
 */
export async function sendRequest(
  transport: OAuthTransport,
  url: string,
  send: (options: OAuthTransport['options']) => Promise<Response>,
): Promise<HttpResponse> {
  const first = await sendOnce(transport, url, send);
  if (!transport.options.DPoP || !first.headers.has('dpop-nonce') || !asksForNonce(first, url)) {
    return first;
  }
  const second = await sendOnce(transport, url, send);
  if (asksForNonce(second, url)) {
    throw new DpopError(
      'ERR_DPOP_NONCE_LOOP',
      `${url} answered use_dpop_nonce again to a proof carrying the nonce it had just sent`,
      { httpStatus: second.status, cause: failureOf(second, url) },
    );
  }
  return second;
}

async function sendOnce(
  transport: OAuthTransport,
  url: string,
  send: (options: OAuthTransport['options']) => Promise<Response>,
): Promise<HttpResponse> {
  const before = transport.last();
  try {
    await send(transport.options);
  } catch (caught) {
    const last = transport.last();
    // By its documented code, not `instanceof`: the class would be the only reason to bundle it
    // (the stand-alone worker has no resource calls, the only requests that throw it).
    const challenged =
      (caught as { code?: unknown } | null)?.code === oauth.WWW_AUTHENTICATE_CHALLENGE;
    if (!challenged || !last || last === before) {
      throw requestError(caught, url);
    }
  }
  const last = transport.last();
  if (!last || last === before) {
    throw new ConfigurationError('The injected fetch returned no response');
  }
  return last;
}
