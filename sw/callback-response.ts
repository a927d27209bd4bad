/**
 * The fragment rule of the redirect URI. The worker asks only for `response_mode=query` (the
 * default of the code flow), so an authorization response in a fragment or in a form POST is
 * one it did not ask for: script in the page started it (RFC 10017's "acquiring new tokens").
 * Such a response is refused before any transaction is looked at, and every redirect the worker
 * answers on the redirect URI carries an explicit (empty) fragment: a `Location` without one
 * would let the browser carry the callback's `#code=…` over to the page (Fetch §4.4, HTTP-redirect
 * fetch step "if locationURL's fragment is null, set it to the request's current URL's fragment").
 *
 * @module
 */

import { AuthorizationResponseError } from '../src/core/errors.js';

/** Parameters that make a query or fragment an authorization response (RFC 6749 §4.1.2). */
const RESPONSE_PARAMETERS = ['code', 'state', 'error', 'id_token', 'access_token', 'response'];

function hasResponseParameter(params: URLSearchParams): boolean {
  return RESPONSE_PARAMETERS.some((name) => params.has(name));
}

/**
 * Why the callback `url` (reached with `method`) is not a response to the worker's own
 * authorization request, or `undefined` when it may be one. A navigation to the redirect URI
 * without a query is how a `response_mode=fragment` response looks to a worker (a request
 * carries no fragment to it), so it is refused as well: nothing from it is passed on.
 */
export function responseModeRefusal(
  method: string,
  url: URL,
): AuthorizationResponseError | undefined {
  const refuse = (message: string) =>
    new AuthorizationResponseError('ERR_RESPONSE_MODE_REFUSED', message, {
      parameter: 'response_mode',
    });
  if (method !== 'GET') {
    return refuse(
      'An authorization response in a form POST: this worker asks only for response_mode=query',
    );
  }
  if (hasResponseParameter(new URLSearchParams(url.hash.slice(1)))) {
    return refuse(
      'An authorization response in the fragment: this worker asks only for response_mode=query',
    );
  }
  if (url.search === '' || url.search === '?') {
    return refuse(
      'A callback without a query (a response_mode=fragment response, or none): this worker asks only for response_mode=query',
    );
  }
  return undefined;
}

/**
 * A `303 See Other` to `target` with an explicit fragment (the target's own, else an empty
 * one), never stored and sent on without a referrer: the browser then drops whatever fragment
 * the redirect URI was reached with, and no later request names the callback.
 */
export function redirectWithFragment(target: string): Response {
  const url = new URL(target);
  const location = url.hash === '' ? `${url.href.replace(/#$/, '')}#` : url.href;
  return new Response(null, {
    status: 303,
    headers: {
      location,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
  });
}
