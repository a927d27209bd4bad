/**
 * Client information responses (RFC 7591 §3.2.1, RFC 7592 §3) as response objects, and the
 * client metadata the requests send (RFC 7591 §2).
 *
 * @module
 */

import type { ResourceFailure } from '../endpoint/resource.js';
import { HttpError } from '../errors.js';
import { type JsonObject, readJsonObject } from '../http/json.js';
import type { HttpResponse } from '../http/request.js';
import { tryParseUrl } from '../lib/url.js';

/**
 * Client metadata as sent on the wire (RFC 7591 §2, OpenID Connect Dynamic Client Registration
 * §2, and any extension): snake_case names, JSON values. The common members are typed; any other
 * member is sent as given.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export interface RegistrationMetadata {
  redirect_uris?: readonly string[];
  token_endpoint_auth_method?: string;
  grant_types?: readonly string[];
  response_types?: readonly string[];
  client_name?: string;
  client_uri?: string;
  logo_uri?: string;
  scope?: string;
  contacts?: readonly string[];
  tos_uri?: string;
  policy_uri?: string;
  jwks_uri?: string;
  jwks?: { readonly keys: readonly JsonWebKey[] };
  software_id?: string;
  software_version?: string;
  software_statement?: string;
  application_type?: string;
  post_logout_redirect_uris?: readonly string[];
  backchannel_logout_uri?: string;
  backchannel_logout_session_required?: boolean;
  id_token_signed_response_alg?: string;
  userinfo_signed_response_alg?: string;
  readonly [member: string]: unknown;
}

/** A successful registration, read or update: the client's information. */
export interface ClientRegistrationSuccess {
  readonly isSuccessful: true;
  /** `client_id`. */
  readonly clientId: string;
  /** `client_secret`, when the server issued one. Keep it secret. */
  readonly clientSecret: string | undefined;
  /** `client_id_issued_at`, in seconds since the epoch. */
  readonly clientIdIssuedAt: number | undefined;
  /**
   * `client_secret_expires_at`, in seconds since the epoch; `0` means the secret never expires.
   * Always present when a secret was issued (RFC 7591 §3.2.1).
   */
  readonly clientSecretExpiresAt: number | undefined;
  /**
   * `registration_access_token` (RFC 7592 §3): the Bearer token for {@link readClient},
   * {@link updateClient} and {@link deleteClient}. A server may rotate it on any of these calls:
   * always keep the latest one.
   */
  readonly registrationAccessToken: string | undefined;
  /** `registration_client_uri` (RFC 7592 §3): the client configuration endpoint. */
  readonly registrationClientUri: string | undefined;
  /** Every member as the server sent it, including the registered metadata. */
  readonly raw: JsonObject;
  readonly httpStatus: number;
}

/** What registration, read and update resolve to: check `isSuccessful` first. */
export type ClientRegistrationResponse = ClientRegistrationSuccess | ResourceFailure;

/** @internal Success-only fields of client information responses. */
export const REGISTRATION_FIELDS = [
  'clientId',
  'clientSecret',
  'clientIdIssuedAt',
  'clientSecretExpiresAt',
  'registrationAccessToken',
  'registrationClientUri',
  'raw',
] as const;

function invalid(response: HttpResponse, message: string): HttpError {
  return new HttpError(
    'ERR_INVALID_RESPONSE',
    `Invalid client information response from ${response.url}: ${message}`,
    { url: response.url, httpStatus: response.status },
  );
}

function optionalString(raw: JsonObject, name: string, response: HttpResponse) {
  const value = raw[name];
  if (value !== undefined && (typeof value !== 'string' || value === '')) {
    throw invalid(response, `"${name}" must be a non-empty string`);
  }
  return value as string | undefined;
}

function optionalTime(raw: JsonObject, name: string, response: HttpResponse) {
  const value = raw[name];
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 0)) {
    throw invalid(response, `"${name}" must be a non-negative integer (seconds since the epoch)`);
  }
  return value as number | undefined;
}

/**
 * @internal Reads a client information response: a JSON object (`application/json`) with a
 * `client_id`, and the RFC 7591 §3.2.1 / RFC 7592 §3 members with their JSON types (never
 * coerced).
 */
export function clientInformation(response: HttpResponse): ClientRegistrationSuccess {
  const raw = readJsonObject(response);
  const clientId = optionalString(raw, 'client_id', response);
  if (clientId === undefined) throw invalid(response, '"client_id" is missing');
  const clientSecret = optionalString(raw, 'client_secret', response);
  const clientSecretExpiresAt = optionalTime(raw, 'client_secret_expires_at', response);
  if (clientSecret !== undefined && clientSecretExpiresAt === undefined) {
    throw invalid(response, '"client_secret_expires_at" is required with "client_secret"');
  }
  const registrationClientUri = optionalString(raw, 'registration_client_uri', response);
  if (registrationClientUri !== undefined && !tryParseUrl(registrationClientUri)) {
    throw invalid(response, '"registration_client_uri" must be an absolute URL');
  }
  return {
    isSuccessful: true,
    clientId,
    clientSecret,
    clientIdIssuedAt: optionalTime(raw, 'client_id_issued_at', response),
    clientSecretExpiresAt,
    registrationAccessToken: optionalString(raw, 'registration_access_token', response),
    registrationClientUri,
    raw,
    httpStatus: response.status,
  };
}
