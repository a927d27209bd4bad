/**
 * Sending one request that oauth4webapi built, through the library's transport: the one place
 * every endpoint request (token, PAR, device, introspection, revocation, UserInfo,
 * registration) goes out, and the one place oauth4webapi's errors are mapped.
 *
 * @module
 */

import * as oauth from 'oauth4webapi';
import { ConfigurationError, HttpError, IdentityModelError } from '../errors.js';
import type { HttpResponse } from '../http/request.js';
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
 * Sends the request `send` builds with `transport`'s options and returns the answer as
 * received, unread: the answer is read by `answer.ts` alone. oauth4webapi's request functions do
 * not read answers, except `protectedResourceRequest`, which throws on any `WWW-Authenticate`
 * challenge; that answer is returned like any other.
 */
export async function sendRequest(
  transport: OAuthTransport,
  url: string,
  send: (options: OAuthTransport['options']) => Promise<Response>,
): Promise<HttpResponse> {
  try {
    await send(transport.options);
  } catch (caught) {
    if (!(caught instanceof oauth.WWWAuthenticateChallengeError) || !transport.last()) {
      throw requestError(caught, url);
    }
  }
  const last = transport.last();
  if (!last) throw new ConfigurationError('The injected fetch returned no response');
  return last;
}
