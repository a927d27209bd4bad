/**
 * Dynamic client registration management (RFC 7592): read, update and delete a registered
 * client at its client configuration endpoint, with its registration access token.
 *
 * @module
 */

import {
  bearerRequest,
  checkBearerToken,
  type ResourceFailure,
  resourceCall,
} from '../endpoint/resource.js';
import type { EndpointOptions } from '../endpoint/transport.js';
import { HttpError } from '../errors.js';
import type { HttpResponse } from '../http/request.js';
import { assertString } from '../lib/assert.js';
import { checkMetadata } from './register.js';
import {
  type ClientRegistrationResponse,
  type ClientRegistrationSuccess,
  clientInformation,
  REGISTRATION_FIELDS,
  type RegistrationMetadata,
} from './response.js';

/** Arguments of {@link readClient} and {@link deleteClient}. */
export interface ClientConfigurationRequest extends EndpointOptions {
  /** The client configuration endpoint: `registrationClientUri` of the registration response. */
  registrationClientUri: string;
  /** The latest `registrationAccessToken` (servers may rotate it), sent as a Bearer token. */
  registrationAccessToken: string;
}

/** Arguments of {@link updateClient}. */
export interface ClientUpdateRequest extends ClientConfigurationRequest {
  /**
   * The client's complete metadata, `client_id` included (RFC 7592 §2.2): members left out are
   * removed or reset by the server. `registration_access_token`, `registration_client_uri`,
   * `client_secret_expires_at` and `client_id_issued_at`, which the request must not carry, are
   * dropped, so a read response's `raw` can be edited and sent back.
   */
  metadata: RegistrationMetadata & {
    /** The client's identifier, as registered: it must match the client being updated. */
    readonly client_id: string;
  };
}

/** A successful deletion (RFC 7592 §2.3). */
export interface ClientDeletionSuccess {
  /** Always `true` here: the call succeeded, and every success field can be read. */
  readonly isSuccessful: true;
  /** The HTTP status: `204` for a deletion (RFC 7592 §2.3). */
  readonly httpStatus: number;
}

/** What {@link deleteClient} resolves to: check `isSuccessful` first. */
export type ClientDeletionResponse = ClientDeletionSuccess | ResourceFailure;

/** Members RFC 7592 §2.2 forbids in an update request. */
const SERVER_MEMBERS = new Set([
  'registration_access_token',
  'registration_client_uri',
  'client_secret_expires_at',
  'client_id_issued_at',
]);

const JSON_HEADERS = { accept: 'application/json' } as const;

function target(request: ClientConfigurationRequest) {
  return {
    address: request.registrationClientUri,
    path: 'registrationClientUri',
    token: checkBearerToken(request.registrationAccessToken, 'registrationAccessToken'),
  };
}

/**
 * Reads a registered client's current information (`GET`, RFC 7592 §2.1). The response is the
 * same as a registration's; its `registrationAccessToken`, when present, replaces the old one.
 * A deleted client or a wrong token is a failure with `httpStatus` 401 (`invalid_token`).
 *
 * @example
 * ```ts
 * const current = await readClient({
 *   registrationClientUri: saved.registrationClientUri,
 *   registrationAccessToken: saved.registrationAccessToken,
 * });
 * if (current.isSuccessful) console.log(current.raw.redirect_uris);
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-2.1
 */
export async function readClient(
  request: ClientConfigurationRequest,
): Promise<ClientRegistrationResponse> {
  const { address, path, token } = target(request);
  return resourceCall(request, {
    address,
    path,
    retry: 'idempotent',
    send: (url, options) => bearerRequest(token, 'GET', url, JSON_HEADERS, null, options),
    successFields: REGISTRATION_FIELDS,
    finish: clientInformation,
  });
}

/**
 * Replaces a registered client's metadata (`PUT` of the complete metadata as JSON, RFC 7592
 * §2.2) and resolves to its new information. The returned `client_id` must be the one sent.
 * Servers may rotate the registration access token here (oidc-provider does): use the
 * returned `registrationAccessToken` from now on. Not retried once the server may have
 * processed it (the old token could already be revoked).
 *
 * @example
 * ```ts
 * const updated = await updateClient({
 *   registrationClientUri: saved.registrationClientUri,
 *   registrationAccessToken: saved.registrationAccessToken,
 *   metadata: { ...current.raw, client_id: current.clientId, client_name: 'Renamed' },
 * });
 * if (updated.isSuccessful) saved.registrationAccessToken = updated.registrationAccessToken;
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-2.2
 */
export async function updateClient(
  request: ClientUpdateRequest,
): Promise<ClientRegistrationResponse> {
  const { address, path, token } = target(request);
  const metadata = checkMetadata(request.metadata, 'metadata');
  const clientId = metadata.client_id;
  // RFC 7592 §2.2: the update carries the client id it was registered under.
  assertString(clientId, 'metadata.client_id');
  // Object.fromEntries defines properties: a "__proto__" member stays plain data.
  const body = JSON.stringify(
    Object.fromEntries(Object.entries(metadata).filter(([name]) => !SERVER_MEMBERS.has(name))),
  );
  return resourceCall(request, {
    address,
    path,
    retry: 'unprocessed',
    send: (url, options) =>
      bearerRequest(
        token,
        'PUT',
        url,
        { ...JSON_HEADERS, 'content-type': 'application/json' },
        body,
        options,
      ),
    successFields: REGISTRATION_FIELDS,
    finish: (response) => sameClient(clientInformation(response), clientId, response),
  });
}

function sameClient(
  information: ClientRegistrationSuccess,
  clientId: string,
  response: HttpResponse,
): ClientRegistrationSuccess {
  if (information.clientId !== clientId) {
    throw new HttpError(
      'ERR_INVALID_RESPONSE',
      `Client update response from ${response.url} is for another client_id`,
      { url: response.url, httpStatus: response.status },
    );
  }
  return information;
}

/**
 * Deletes a registered client (`DELETE`, RFC 7592 §2.3); the server answers `204 No Content`
 * (`200` is accepted too). Afterwards the client id, secret and registration access token are
 * invalid: reading the client fails with 401.
 *
 * @example
 * ```ts
 * const deleted = await deleteClient({
 *   registrationClientUri: saved.registrationClientUri,
 *   registrationAccessToken: saved.registrationAccessToken,
 * });
 * if (!deleted.isSuccessful) console.error(deleted.httpStatus, deleted.error);
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-2.3
 */
export async function deleteClient(
  request: ClientConfigurationRequest,
): Promise<ClientDeletionResponse> {
  const { address, path, token } = target(request);
  return resourceCall(request, {
    address,
    path,
    retry: 'unprocessed',
    expect: [204, 200],
    send: (url, options) => bearerRequest(token, 'DELETE', url, JSON_HEADERS, null, options),
    successFields: [],
    finish: (response) => ({ isSuccessful: true as const, httpStatus: response.status }),
  });
}
