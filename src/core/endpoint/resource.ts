/**
 * One request to a resource protected by a bearer token (RFC 6750): the UserInfo endpoint and
 * the RFC 7592 client configuration endpoint. The request goes through oauth4webapi
 * (`protectedResourceRequest`, which a DPoP handle in the transport's options can sign) over the
 * library's transport; the answer is read by `answer.ts` into the library's response objects.
 *
 * @module
 */

import * as oauth from 'oauth4webapi';
import { ConfigurationError, ProtocolError } from '../errors.js';
import type { HttpResponse } from '../http/request.js';
import type { RetryMode } from '../http/retry.js';
import { assertSecureEndpoint, parseEndpoint } from '../lib/endpoint.js';
import { failureOf } from './answer.js';
import { type EndpointFailure, endpointCall } from './failure.js';
import { sendRequest } from './send.js';
import { type EndpointOptions, type OAuthTransport, oauthTransport } from './transport.js';

/** @internal How one protected-resource call is sent and finished. */
export interface ResourceCallSpec<S extends object> {
  /** The endpoint URL, as given by the caller. */
  address: unknown;
  /** Which argument named the endpoint, for error messages (e.g. `registrationClientUri`). */
  path: string;
  /** Which failures may be retried. */
  retry: RetryMode;
  /** Builds and sends the request with oauth4webapi, with the transport's options. */
  send: (url: URL, options: OAuthTransport['options']) => Promise<Response>;
  /** Success statuses; any other is read as a failure (`failureOf`). Default `[200]`. */
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
  const result = await endpointCall(spec.successFields, async () => {
    assertSecureEndpoint(url, spec.path, http.requireHttps);
    const response = await sendRequest(oauthTransport(http, spec.retry), url.href, (options) =>
      spec.send(url, options),
    );
    if (!(spec.expect ?? [200]).includes(response.status)) throw failureOf(response, url.href);
    return spec.finish(response, url.href);
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
