/**
 * Pushed authorization requests (RFC 9126): the request parameters are sent to the PAR endpoint
 * with client authentication, and the browser only carries `client_id` and `request_uri`.
 *
 * @module
 */

import { type DpopOptions, oauthDpop } from '../dpop/handle.js';
import { readOAuthJson } from '../endpoint/answer.js';
import { callEndpoint } from '../endpoint/call.js';
import type { ClientCredentialsOptions } from '../endpoint/client-auth.js';
import type { EndpointFailure } from '../endpoint/failure.js';
import { postForm } from '../endpoint/post.js';
import type { EndpointOptions } from '../endpoint/transport.js';
import { HttpError } from '../errors.js';
import type { JsonObject } from '../http/json.js';
import { defined } from '../lib/assert.js';
import { assertSecureEndpoint } from '../lib/endpoint.js';
import { type AuthorizeParameters, authorizeParameters } from './parameters.js';
import { parseFrontChannelEndpoint, withParameters } from './url.js';

/** Arguments of {@link pushAuthorizationRequest}. */
export interface PushedAuthorizationRequest
  extends AuthorizeParameters,
    ClientCredentialsOptions,
    EndpointOptions,
    DpopOptions {
  /** The PAR endpoint (`disco.pushedAuthorizationRequestEndpoint`). */
  address: string;
  /** The authorization endpoint (`disco.authorizationEndpoint`), for the returned `url`. */
  authorizationEndpoint: string;
  /** The issuer, when known (the default audience of `private_key_jwt` assertions). */
  issuer?: string;
}

/** A successful pushed authorization response (RFC 9126 §2.2). */
export interface PushedAuthorizationSuccess {
  /** Always `true` here: the call succeeded, and every success field can be read. */
  readonly isSuccessful: true;
  /** The `request_uri` handle (e.g. `urn:ietf:params:oauth:request_uri:…`), used once. */
  readonly requestUri: string;
  /** Lifetime of `requestUri`, in seconds. */
  readonly expiresIn: number;
  /** The authorization endpoint with only `client_id` and `request_uri`: send the browser there. */
  readonly url: string;
  /** The whole JSON response. */
  readonly raw: JsonObject;
  /** The HTTP status: `201` (RFC 9126 §2.2). */
  readonly httpStatus: number;
}

/** What {@link pushAuthorizationRequest} resolves to: check `isSuccessful` first. */
export type PushedAuthorizationResponse = PushedAuthorizationSuccess | EndpointFailure;

const SUCCESS_FIELDS = ['requestUri', 'expiresIn', 'url', 'raw'] as const;

function invalid(url: string, status: number, message: string): HttpError {
  return new HttpError('ERR_INVALID_RESPONSE', `Invalid PAR response from ${url}: ${message}`, {
    url,
    httpStatus: status,
  });
}

/**
 * Pushes the authorization request parameters to the PAR endpoint (a form POST with client
 * authentication, as at the token endpoint: `client_secret_basic`, `client_secret_post`,
 * `private_key_jwt`, or `none` for a public client) and returns the `request_uri` with the URL
 * to send the browser to. The parameters are checked as by `createAuthorizeUrl` (PKCE S256
 * and `state` required). Retried only when the server cannot have processed the request.
 *
 * Resolves to a response object: on success `requestUri`, `expiresIn` (seconds), `url`, `raw`;
 * on failure `errorMessage`, `errorType` (`protocol` for an OAuth error body, `invalid_response` for a
 * response without `request_uri` or with a bad `expires_in`), the server's `error` and
 * `errorDescription`, `httpStatus`.
 * Bad arguments throw a `ConfigurationError`; `http:` endpoints off loopback are a `policy`
 * failure unless `requireHttps: false`.
 *
 * @example
 * ```ts
 * const { codeVerifier, codeChallenge } = await createPkce();
 * const state = createState();
 * const par = await pushAuthorizationRequest({
 *   address: disco.pushedAuthorizationRequestEndpoint,
 *   authorizationEndpoint: disco.authorizationEndpoint,
 *   clientId: 'web',
 *   clientSecret: 'secret',
 *   redirectUri: 'https://app.example/callback',
 *   scope: 'openid profile',
 *   state,
 *   codeChallenge,
 * });
 * if (!par.isSuccessful) throw par.exception;
 * location.assign(par.url);
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-2 RFC 9126 §2
 * @see https://www.rfc-editor.org/rfc/rfc9126#section-4 RFC 9126 §4
 */
export async function pushAuthorizationRequest(
  request: PushedAuthorizationRequest,
): Promise<PushedAuthorizationResponse> {
  // RFC 9449 §10.1: the proof binds the code already; `dpop_jkt` says so to servers that read it.
  const params = authorizeParameters(
    request.dpop && request.dpopJkt === undefined
      ? { ...request, dpopJkt: await oauthDpop(request.dpop).calculateThumbprint() }
      : request,
  );
  const authorization = parseFrontChannelEndpoint(
    request.authorizationEndpoint,
    'authorizationEndpoint',
  );
  return callEndpoint(request, {
    retry: 'unprocessed',
    ...defined({ issuer: request.issuer }),
    endpoint: 'pushed_authorization_request_endpoint',
    successFields: SUCCESS_FIELDS,
    send: (as, client, auth, options) => {
      // Checked here so that an http endpoint off loopback is a policy failure, as `address` is.
      assertSecureEndpoint(authorization, 'authorizationEndpoint', request.requireHttps);
      const body = new URLSearchParams(params);
      body.set('client_id', client.client_id);
      return postForm(as, client, auth, options, {
        endpoint: 'pushed_authorization_request_endpoint',
        body,
        accept: 'application/json',
        dpop: true,
      });
    },
    // The answer is read by the library (RFC 9126 §2.2: 201 and a JSON object; §2.3 errors).
    finish: (response, url) => {
      const raw = readOAuthJson(response, url, 201);
      const { request_uri: requestUri, expires_in: expiresIn } = raw;
      if (typeof requestUri !== 'string' || requestUri === '') {
        throw invalid(url, response.status, '"request_uri" is missing');
      }
      // RFC 9126 §2.2: a JSON number, a positive integer (oauth4webapi also accepts strings).
      if (typeof expiresIn !== 'number' || !Number.isSafeInteger(expiresIn) || expiresIn <= 0) {
        throw invalid(url, response.status, '"expires_in" must be a positive integer');
      }
      const query = new URLSearchParams({ client_id: request.clientId, request_uri: requestUri });
      return {
        isSuccessful: true as const,
        requestUri,
        expiresIn,
        url: withParameters(authorization, query),
        raw,
        httpStatus: response.status,
      };
    },
  });
}
