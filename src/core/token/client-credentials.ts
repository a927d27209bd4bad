/**
 * The client credentials grant (RFC 6749 §4.4).
 *
 * @module
 */

import { requestGrant, type TokenEndpointRequest } from './grant.js';
import type { TokenResponse } from './response.js';
import { scopeParameter } from './scope.js';

/** Arguments of {@link requestClientCredentialsToken}. */
export interface ClientCredentialsTokenRequest extends TokenEndpointRequest {
  /** Requested scope(s); an array is sent space-delimited (RFC 6749 §3.3). */
  scope?: string | readonly string[];
  /** Resource indicator(s) (RFC 8707); each is sent as its own `resource` parameter. */
  resource?: string | readonly string[];
}

/**
 * Requests an access token for the client itself (no user), with `client_secret_basic` (the
 * default with a secret; id and secret form-encoded per RFC 6749 §2.3.1), `client_secret_post`,
 * `private_key_jwt` (RFC 7523) or `none`. Retried only when the server cannot have processed
 * the request (429/503 with `Retry-After`, a refused connection).
 *
 * Resolves to a response object: on success `accessToken`, `tokenType`, `expiresIn`, `scope`,
 * `raw`; on failure the server's `error`, `errorDescription`, `errorUri` and `httpStatus`. Bad
 * arguments throw a `ConfigurationError` before any request; an `http:` endpoint on a
 * non-loopback host is a failed response (`errorType: 'policy'`) unless `requireHttps: false`.
 *
 * @example
 * ```ts
 * const token = await requestClientCredentialsToken({
 *   address: disco.tokenEndpoint,
 *   clientId: 'service',
 *   clientSecret: process.env.CLIENT_SECRET,
 *   scope: ['api:read', 'api:write'],
 *   resource: 'urn:example:api',
 * });
 * if (token.isSuccessful) use(token.accessToken);
 * else console.error(token.error, token.errorDescription);
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
export async function requestClientCredentialsToken(
  request: ClientCredentialsTokenRequest,
): Promise<TokenResponse> {
  return requestGrant(request, {
    grantType: 'client_credentials',
    own: { scope: scopeParameter(request.scope), resource: request.resource },
    retry: 'unprocessed',
  });
}
