/**
 * Runs oauth4webapi's requests through the library's HTTP layer (timeout, no redirects, size
 * cap, retry policy), and keeps the raw response for the response objects.
 *
 * `oauthTransport` builds the request options of every endpoint call, so an option every
 * request needs (oauth4webapi's `DPoP` handle, RFC 9449) is added here once.
 *
 * @module
 */

import * as oauth from 'oauth4webapi';
import { type DpopOptions, oauthDpop } from '../dpop/handle.js';
import { type HttpOptions, resolveHttpOptions } from '../http/defaults.js';
import { type HttpResponse, httpRequest } from '../http/request.js';
import type { RetryMode } from '../http/retry.js';

/** Options shared by every endpoint call. */
export interface EndpointOptions extends HttpOptions {
  /**
   * Require `https` for the endpoint (`http` on loopback stays allowed). Default `true`.
   * An `http` endpoint on another host gives a failed response with `errorType: 'policy'`
   * (`ERR_ENDPOINT_HTTPS_REQUIRED`), and nothing is sent.
   * Turning it off sends credentials in clear text: for local development only.
   */
  requireHttps?: boolean;
}

/** oauth4webapi request options wired to the library's transport. */
export interface OAuthTransport {
  readonly options: {
    [oauth.customFetch]: (
      url: string,
      init: oauth.CustomFetchOptions<string, unknown>,
    ) => Promise<Response>;
    [oauth.allowInsecureRequests]: boolean;
    /** oauth4webapi's DPoP handle: signs each request and remembers nonces (RFC 9449). */
    DPoP?: oauth.DPoPHandle;
  };
  /** The last response received (its body already read), for `raw` and `httpStatus`. */
  last(): HttpResponse | undefined;
}

/**
 * A transport for one call; `retry` says which failures may be retried (see {@link RetryMode}).
 * A `dpop` handle in `http` signs every request built with these options.
 */
export function oauthTransport(http: HttpOptions & DpopOptions, retry: RetryMode): OAuthTransport {
  const settings = resolveHttpOptions(http);
  const dpop = http.dpop === undefined ? undefined : oauthDpop(http.dpop);
  let last: HttpResponse | undefined;
  return {
    options: {
      async [oauth.customFetch](url, init) {
        const response = await httpRequest(
          {
            url,
            method: init.method,
            headers: init.headers as HeadersInit,
            ...(init.body === undefined || init.body === null
              ? {}
              : { body: init.body as string | URLSearchParams }),
            retry,
          },
          settings,
        );
        last = response;
        const empty = response.body.length === 0 || [204, 205, 304].includes(response.status);
        return new Response(empty ? null : (response.body as Uint8Array<ArrayBuffer>), {
          status: response.status,
          headers: response.headers,
        });
      },
      // The library applies its own https rule (assertSecureEndpoint) before any request.
      [oauth.allowInsecureRequests]: true,
      ...(dpop ? { DPoP: dpop } : {}),
    },
    last: () => last,
  };
}
