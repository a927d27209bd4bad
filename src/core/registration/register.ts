/**
 * Dynamic client registration (RFC 7591 §3, OpenID Connect Dynamic Client Registration 1.0 §3).
 *
 * @module
 */

import * as oauth from 'oauth4webapi';
import { checkBearerToken, resourceCall } from '../endpoint/resource.js';
import type { EndpointOptions } from '../endpoint/transport.js';
import { assertObject } from '../lib/assert.js';
import {
  type ClientRegistrationResponse,
  clientInformation,
  REGISTRATION_FIELDS,
  type RegistrationMetadata,
} from './response.js';

/** Arguments of {@link registerClient}. */
export interface ClientRegistrationRequest extends EndpointOptions {
  /** The registration endpoint URL (e.g. `disco.registrationEndpoint`). */
  address: string;
  /** The client metadata to register, as sent (snake_case members, RFC 7591 §2). */
  metadata: RegistrationMetadata;
  /**
   * The initial access token of a protected registration endpoint, sent as
   * `Authorization: Bearer` (RFC 7591 §3). Without it, an open endpoint is assumed.
   */
  initialAccessToken?: string;
}

/** @internal Throws `ConfigurationError` unless `metadata` is a plain JSON object. */
export function checkMetadata(metadata: unknown, path: string): RegistrationMetadata {
  assertObject(metadata, path);
  return metadata as RegistrationMetadata;
}

/**
 * Registers a client (`POST` of the metadata as JSON, RFC 7591 §3.1) and resolves to its
 * information: `clientId`, `clientSecret` (when issued), `clientSecretExpiresAt`, and for later
 * management (RFC 7592) `registrationAccessToken` and `registrationClientUri`; `raw` has every
 * member the server sent, the registered metadata included (the server may change or add
 * values). The server must answer `201 Created`.
 *
 * Failures are response objects: an OAuth error (e.g. `invalid_redirect_uri`,
 * `invalid_client_metadata`, RFC 7591 §3.2.2; or `invalid_token` when the initial access token is
 * missing or wrong, with `httpStatus` 401 and the `wwwAuthenticate` challenge) has
 * `errorType: 'protocol'` and the server's `error` and `errorDescription`. Retried only when the
 * server cannot have processed the request. Bad arguments throw a `ConfigurationError`.
 *
 * @example
 * ```ts
 * const client = await registerClient({
 *   address: disco.registrationEndpoint,
 *   initialAccessToken: process.env.INITIAL_ACCESS_TOKEN,
 *   metadata: {
 *     client_name: 'Reporting job',
 *     redirect_uris: ['https://app.example/callback'],
 *     token_endpoint_auth_method: 'client_secret_basic',
 *   },
 * });
 * if (!client.isSuccessful) throw client.exception;
 * store(client.clientId, client.clientSecret, client.registrationAccessToken);
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3
 * @see https://openid.net/specs/openid-connect-registration-1_0.html#ClientRegistration
 */
export async function registerClient(
  request: ClientRegistrationRequest,
): Promise<ClientRegistrationResponse> {
  const metadata = checkMetadata(request.metadata, 'metadata');
  const initialAccessToken =
    request.initialAccessToken === undefined
      ? undefined
      : checkBearerToken(request.initialAccessToken, 'initialAccessToken');
  return resourceCall(request, {
    address: request.address,
    path: 'address',
    retry: 'unprocessed',
    send: (url, options) =>
      oauth.dynamicClientRegistrationRequest(
        { issuer: url.origin, registration_endpoint: url.href },
        metadata as Parameters<typeof oauth.dynamicClientRegistrationRequest>[1],
        initialAccessToken === undefined ? options : { ...options, initialAccessToken },
      ),
    expect: [201],
    successFields: REGISTRATION_FIELDS,
    finish: clientInformation,
  });
}
