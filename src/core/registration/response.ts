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
  /**
   * Redirection URIs for the authorization code flow (RFC 7591 §2), compared exactly by the server.
   */
  redirect_uris?: readonly string[];
  /**
   * How the client authenticates at the token endpoint (RFC 7591 §2): `client_secret_basic` (the
   * server's usual default), `client_secret_post`, `private_key_jwt`, `none` (a public client).
   */
  token_endpoint_auth_method?: string;
  /**
   * Grant types the client will use (RFC 7591 §2), e.g. `authorization_code`, `refresh_token`. The
   * server's default is `authorization_code`.
   */
  grant_types?: readonly string[];
  /** Response types the client will use (RFC 7591 §2). The server's default is `code`. */
  response_types?: readonly string[];
  /** Name shown to the End-User, e.g. on a consent page (RFC 7591 §2). */
  client_name?: string;
  /** URL of the client's home page (RFC 7591 §2). */
  client_uri?: string;
  /** URL of the client's logo (RFC 7591 §2). */
  logo_uri?: string;
  /** Scopes the client may request, space-delimited (RFC 7591 §2). */
  scope?: string;
  /** Contacts for the client, usually e-mail addresses (RFC 7591 §2). */
  contacts?: readonly string[];
  /** URL of the client's terms of service (RFC 7591 §2). */
  tos_uri?: string;
  /** URL of the client's privacy policy (RFC 7591 §2). */
  policy_uri?: string;
  /**
   * URL of the client's JWK Set, e.g. for `private_key_jwt` (RFC 7591 §2); never together with
   * `jwks`.
   */
  jwks_uri?: string;
  /** The client's JWK Set by value (RFC 7591 §2); never together with `jwks_uri`. */
  jwks?: {
    /** The keys (RFC 7517 §5.1). */
    readonly keys: readonly JsonWebKey[];
  };
  /** Identifier of the client software, the same for every instance (RFC 7591 §2). */
  software_id?: string;
  /** Version of the client software (RFC 7591 §2). */
  software_version?: string;
  /**
   * A signed JWT asserting the metadata (RFC 7591 §2.3); its claims take precedence at the server.
   */
  software_statement?: string;
  /** `web` (the default) or `native` (OpenID Connect Dynamic Client Registration 1.0 §2). */
  application_type?: string;
  /**
   * Where the provider may send the user after logout (OpenID Connect RP-Initiated Logout 1.0
   * §3.1).
   */
  post_logout_redirect_uris?: readonly string[];
  /** Where the provider posts logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.2). */
  backchannel_logout_uri?: string;
  /**
   * Whether logout tokens must carry `sid` (OpenID Connect Back-Channel Logout 1.0 §2.2). Default
   * `false`.
   */
  backchannel_logout_session_required?: boolean;
  /**
   * The `alg` for ID tokens issued to the client (OpenID Connect Dynamic Client Registration 1.0
   * §2). Default `RS256`.
   */
  id_token_signed_response_alg?: string;
  /**
   * The `alg` for signed UserInfo responses; absent: plain JSON (OpenID Connect Dynamic Client
   * Registration 1.0 §2).
   */
  userinfo_signed_response_alg?: string;
  readonly [member: string]: unknown;
}

/** A successful registration, read or update: the client's information. */
export interface ClientRegistrationSuccess {
  /** Always `true` here: the call succeeded, and every success field can be read. */
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
  /**
   * The HTTP status: `201` for a registration (RFC 7591 §3.2.1), `200` for a read or an update (RFC
   * 7592).
   */
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
