/**
 * One call to a client-authenticated endpoint (token, PAR, device authorization, introspection,
 * revocation): argument checks, client authentication, the https rule, the retry rule, and the
 * answer handed to the caller's `finish` as received.
 *
 * @module
 */

import type * as oauth from 'oauth4webapi';
import type { HttpResponse } from '../http/request.js';
import type { RetryMode } from '../http/retry.js';
import { assertSecureEndpoint, parseEndpoint } from '../lib/endpoint.js';
import { type ClientCredentialsOptions, prepareClient } from './client-auth.js';
import { type EndpointFailure, endpointCall } from './failure.js';
import { sendRequest } from './send.js';
import { type EndpointOptions, type OAuthTransport, oauthTransport } from './transport.js';

/** One call to an authenticated endpoint (token, PAR, device, introspection, revocation). */
export interface EndpointCallSpec<S extends object> {
  /** Which member of the request names the endpoint (for error messages). Default `address`. */
  path?: string;
  /** Which failures may be retried. */
  retry: RetryMode;
  /** The issuer, when known: the audience of `private_key_jwt` assertions (else the endpoint URL). */
  issuer?: string;
  /** Builds and sends the request: `postForm` (post.ts), or an oauth4webapi request builder. */
  send: (
    as: oauth.AuthorizationServer,
    client: oauth.Client,
    auth: oauth.ClientAuth,
    options: OAuthTransport['options'],
  ) => Promise<Response>;
  /** Reads the answer as received (with `answer.ts`) into the success object, or throws. */
  finish: (response: HttpResponse, url: string) => S | Promise<S>;
  /** Success-only field names of `S`. */
  successFields: readonly string[];
  /** The endpoint's metadata name in `oauth.AuthorizationServer` (e.g. `introspection_endpoint`). */
  endpoint: keyof oauth.AuthorizationServer;
}

/**
 * Calls an authenticated endpoint. Bad arguments throw a `ConfigurationError` before any
 * request; everything else (the https rule, transport failures, OAuth error responses,
 * malformed responses, a failing `finish`) resolves to a failed response object.
 */
export async function callEndpoint<S extends object>(
  request: ClientCredentialsOptions & EndpointOptions & { address: string },
  spec: EndpointCallSpec<S>,
): Promise<S | EndpointFailure> {
  const path = spec.path ?? 'address';
  const url = parseEndpoint(request.address, path);
  const { client, auth } = await prepareClient(request, spec.issuer ?? url.href);
  return endpointCall(spec.successFields, async () => {
    assertSecureEndpoint(url, path, request.requireHttps);
    const as = {
      issuer: spec.issuer ?? url.origin,
      [spec.endpoint]: url.href,
    } as oauth.AuthorizationServer;
    const response = await sendRequest(oauthTransport(request, spec.retry), url.href, (options) =>
      spec.send(as, client, auth, options),
    );
    return spec.finish(response, url.href);
  });
}
