/**
 * The form POST of the endpoint layer (token, PAR, revocation, introspection and device
 * authorization endpoints): the body as the caller built it, the client authentication
 * (oauth4webapi's `ClientAuth`), the `accept` header, a DPoP proof (oauth4webapi's handle,
 * RFC 9449 §4) where the endpoint takes one, sent through the transport's fetch.
 *
 * oauth4webapi's request builders did the same with checks the layer has already made
 * (`callEndpoint` parses the one endpoint and applies its own https rule before this runs), and
 * cost the stand-alone worker about 0.8 KB gzip (DESIGN.md §4).
 *
 * @module
 */

import * as oauth from 'oauth4webapi';
import type { ProofSigner } from '../dpop/handle.js';
import type { OAuthTransport } from './transport.js';

/** What differs between the endpoints' POSTs. */
export interface FormPost {
  /** The endpoint's member of `as` (`callEndpoint` puts the one endpoint called there). */
  readonly endpoint: keyof oauth.AuthorizationServer;
  /** The form, without client authentication (added here). */
  readonly body: URLSearchParams;
  /** The `accept` header. Default: none (a revocation answer has no body to negotiate). */
  readonly accept?: string;
  /** Sign the request with the transport's DPoP handle, when it has one (RFC 9449 §5, §7.1 PAR). */
  readonly dpop?: boolean;
}

/**
 * POSTs `post.body` to `as[post.endpoint]`: client authentication first (it may add to the body
 * and set `authorization`), then the form content type, with `redirect: 'manual'` (the transport
 * refuses redirects). A DPoP proof signs `POST` and the URL; a `DPoP-Nonce` in the answer is
 * remembered for the next proof to that origin (RFC 9449 §8).
 */
export async function postForm(
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  auth: oauth.ClientAuth,
  options: OAuthTransport['options'],
  post: FormPost,
): Promise<Response> {
  const url = new URL(as[post.endpoint] as string);
  const headers = new Headers();
  if (post.accept !== undefined) headers.set('accept', post.accept);
  const signer = post.dpop ? (options.DPoP as ProofSigner | undefined) : undefined;
  await signer?.addProof(url, headers, 'POST');
  await auth(as, client, post.body, headers);
  headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
  // A record, as oauth4webapi hands its fetch (forEach: the worker's lib has no iterable Headers).
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  const response = await options[oauth.customFetch](url.href, {
    method: 'POST',
    headers: record,
    body: post.body,
    redirect: 'manual',
  });
  signer?.cacheNonce(response, url);
  return response;
}
