/**
 * One request to a resource protected by a bearer token (RFC 6750): the UserInfo endpoint and
 * the RFC 7592 client configuration endpoint. The request goes through oauth4webapi
 * (`protectedResourceRequest`, which a DPoP handle can later sign) over the library's transport;
 * the answer is mapped onto the library's errors and response objects.
 *
 * @module
 */

import * as oauth from 'oauth4webapi';
import { ConfigurationError, ProtocolError } from '../errors.js';
import type { HttpResponse } from '../http/request.js';
import type { RetryMode } from '../http/retry.js';
import { toLibraryError } from '../token/errors.js';
import { failureOf } from '../token/oauth-response.js';
import { type EndpointFailure, endpointCall } from '../token/response.js';
import {
  assertSecureEndpoint,
  type EndpointOptions,
  type OAuthTransport,
  oauthTransport,
  parseEndpoint,
} from '../token/transport.js';

/** @internal How one protected-resource call is sent and finished. */
export interface ResourceCallSpec<S extends object> {
  /** The endpoint URL, as given by the caller. */
  address: unknown;
  /** Which argument named the endpoint, for error messages (e.g. `registrationClientUri`). */
  path: string;
  /** Which failures may be retried. */
  retry: RetryMode;
  /** Makes the request with oauth4webapi, with the transport's options. */
  send: (url: URL, options: OAuthTransport['options']) => Promise<Response>;
  /** Checks the response with oauth4webapi; without it, the status must be one of `expect`. */
  process?: (response: Response) => Promise<unknown>;
  /** Success statuses when there is no `process`. Default `[200]`. */
  expect?: readonly number[];
  /** Builds the success object from the response as received. */
  finish: (response: HttpResponse, url: string) => S | Promise<S>;
  /** Success-only field names of `S`. */
  successFields: readonly string[];
}

/** The failure half of protected-resource responses: adds the `WWW-Authenticate` challenge. */
export interface ResourceFailure extends EndpointFailure {
  /**
   * The `WWW-Authenticate` header of a challenge (RFC 6750 §3), e.g.
   * `Bearer error="invalid_token"`; its `error` and `error_description` are in `error` and
   * `errorDescription`.
   */
  readonly wwwAuthenticate: string | undefined;
}

/** @internal Throws `ConfigurationError` unless `token` is non-empty visible ASCII. */
export function checkBearerToken(token: unknown, path: string): string {
  // RFC 6750 §2.1 b64token is narrower; visible ASCII keeps odd-but-harmless tokens working while
  // refusing what would break the header (spaces, CR/LF, non-ASCII).
  if (typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(token)) {
    throw new ConfigurationError(
      `"${path}" must be a non-empty string of visible ASCII characters`,
    );
  }
  return token;
}

/**
 * @internal Calls a protected resource. Bad arguments throw a `ConfigurationError` before any
 * request; everything else (the https rule, transport failures, `WWW-Authenticate` challenges,
 * OAuth error bodies, unexpected statuses, a failing `finish`) resolves to a failed response
 * object, whose `wwwAuthenticate` is the challenge when there was one.
 */
export async function resourceCall<S extends object>(
  http: EndpointOptions,
  spec: ResourceCallSpec<S>,
): Promise<S | ResourceFailure> {
  const url = parseEndpoint(spec.address, spec.path);
  const result = await endpointCall(url.href, spec.successFields, async () => {
    assertSecureEndpoint(url, spec.path, http.requireHttps);
    const transport = oauthTransport(http, spec.retry);
    try {
      const response = await spec.send(url, transport.options);
      await spec.process?.(response);
    } catch (caught) {
      throw toLibraryError(caught, url.href, transport.last());
    }
    const last = transport.last();
    if (!last) throw new ConfigurationError('The injected fetch returned no response');
    if (!spec.process && !(spec.expect ?? [200]).includes(last.status)) {
      throw failureOf(last, url.href);
    }
    return spec.finish(last, url.href);
  });
  if ((result as { isSuccessful?: unknown }).isSuccessful !== false) return result as S;
  const failure = result as EndpointFailure;
  const challenge = failure.exception instanceof ProtocolError ? failure.exception : undefined;
  return Object.defineProperty(failure, 'wwwAuthenticate', {
    value: challenge?.wwwAuthenticate,
    enumerable: true,
  }) as ResourceFailure;
}

/**
 * @internal `protectedResourceRequest` with the library's transport options. A DPoP handle
 * (oauth4webapi's `DPoP` option) added to `options` signs the request and switches the scheme.
 */
export function bearerRequest(
  token: string,
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: string | null,
  options: OAuthTransport['options'],
): Promise<Response> {
  return oauth.protectedResourceRequest(token, method, url, new Headers(headers), body, options);
}
