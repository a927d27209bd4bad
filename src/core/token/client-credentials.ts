/**
 * The client credentials grant (RFC 6749 §4.4).
 *
 * @module
 */

import * as oauth from 'oauth4webapi';
import { ConfigurationError } from '../errors.js';
import { type ClientCredentialsOptions, prepareClient } from './client-auth.js';
import { toLibraryError } from './errors.js';
import {
  endpointCall,
  rawJson,
  TOKEN_FIELDS,
  type TokenResponse,
  tokenFields,
} from './response.js';
import {
  assertSecureEndpoint,
  type EndpointOptions,
  oauthTransport,
  parseEndpoint,
} from './transport.js';

/** Arguments of {@link requestClientCredentialsToken}. */
export interface ClientCredentialsTokenRequest extends ClientCredentialsOptions, EndpointOptions {
  /** The token endpoint URL (e.g. `disco.tokenEndpoint`). */
  address: string;
  /** Requested scope(s); an array is sent space-delimited (RFC 6749 §3.3). */
  scope?: string | readonly string[];
  /** Resource indicator(s) (RFC 8707); each is sent as its own `resource` parameter. */
  resource?: string | readonly string[];
  /** Extra form parameters. They cannot replace `grant_type`, `scope`, `resource` or client credentials. */
  parameters?: Readonly<Record<string, string>>;
}

const RESERVED = new Set([
  'grant_type',
  'scope',
  'resource',
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
]);

/** Builds the form of a token request: extras first, then the library's own parameters. */
export function tokenForm(
  own: Readonly<Record<string, string | readonly string[] | undefined>>,
  extra: Readonly<Record<string, string>> | undefined,
  reserved: ReadonlySet<string> = RESERVED,
): URLSearchParams {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (reserved.has(name) || Object.hasOwn(own, name)) {
      throw new ConfigurationError(`"parameters.${name}" cannot be set through extra parameters`);
    }
    if (typeof value !== 'string')
      throw new ConfigurationError(`"parameters.${name}" must be a string`);
    form.append(name, value);
  }
  for (const [name, value] of Object.entries(own)) {
    if (value === undefined) continue;
    if (typeof value === 'string') form.append(name, value);
    else for (const item of value) form.append(name, item);
  }
  return form;
}

/** `scope` as sent: an array joined with single spaces. */
export function scopeParameter(scope: string | readonly string[] | undefined): string | undefined {
  if (scope === undefined) return undefined;
  if (typeof scope === 'string') return scope;
  if (!Array.isArray(scope) || scope.some((item) => typeof item !== 'string')) {
    throw new ConfigurationError('"scope" must be a string or an array of strings');
  }
  return scope.join(' ');
}

/**
 * Requests an access token for the client itself (no user), with `client_secret_basic` (the
 * default with a secret; id and secret form-encoded per RFC 6749 §2.3.1), `client_secret_post`,
 * `private_key_jwt` (RFC 7523) or `none`. Retried only when the server cannot have processed
 * the request (429/503 with `Retry-After`, a refused connection).
 *
 * Resolves to a response object: on success `accessToken`, `tokenType`, `expiresIn`, `scope`,
 * `refreshToken`, `idToken`, `raw`, `httpStatus`; on failure `errorType`, `errorCode`,
 * `httpStatus` and, for `errorType: 'protocol'`, the server's `error`, `errorDescription` and
 * `errorUri`. An `http` address off loopback is a `'policy'` failure unless `requireHttps` is
 * `false`. Bad arguments throw a `ConfigurationError` before any request.
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
  // Argument errors throw before anything else; the https rule is a policy failure (a response).
  const url = parseEndpoint(request.address, 'address');
  const form = tokenForm(
    { scope: scopeParameter(request.scope), resource: request.resource },
    request.parameters,
  );
  const { client, auth } = await prepareClient(request, url.href);
  return endpointCall(url.href, TOKEN_FIELDS, async () => {
    assertSecureEndpoint(url, 'address', request.requireHttps);
    const transport = oauthTransport(request, 'unprocessed');
    const as: oauth.AuthorizationServer = { issuer: url.origin, token_endpoint: url.href };
    let status: number;
    try {
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        client,
        auth,
        form,
        transport.options,
      );
      status = response.status;
      await oauth.processClientCredentialsResponse(as, client, response);
    } catch (caught) {
      throw toLibraryError(caught, url.href, transport.last());
    }
    const last = transport.last();
    return {
      isSuccessful: true as const,
      ...tokenFields(rawJson(last, url.href), last?.status ?? status, url.href),
    };
  });
}
