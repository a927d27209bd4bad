/**
 * Token endpoint responses (RFC 6749 §5.1, §5.2) as response objects.
 *
 * @module
 */

import type { EndpointFailure } from '../endpoint/failure.js';
import { HttpError } from '../errors.js';
import type { JsonObject } from '../http/json.js';

/** The fields of a successful token response (RFC 6749 §5.1), camelCase, as sent. */
export interface TokenFields {
  /**
   * The `access_token` (RFC 6749 §5.1): never empty. Send it as the request says (`tokenType`), and
   * keep it out of logs and storage page script can read.
   */
  readonly accessToken: string;
  /** As sent (`Bearer`, `DPoP`, `N_A`, …); compare case-insensitively. */
  readonly tokenType: string;
  /** Lifetime of the access token in seconds, when sent. */
  readonly expiresIn: number | undefined;
  /**
   * The `refresh_token` (RFC 6749 §5.1, §6), when the server issued one (often only with the
   * `offline_access` scope).
   */
  readonly refreshToken: string | undefined;
  /** The `id_token` (OpenID Connect Core 1.0 §3.1.3.3), as the compact JWT the server sent. */
  readonly idToken: string | undefined;
  /**
   * The granted scopes, space-delimited (RFC 6749 §5.1: sent when they differ from the requested
   * ones).
   */
  readonly scope: string | undefined;
  /** The whole JSON response. */
  readonly raw: JsonObject;
  /** The HTTP status of the token response (200 for a success). */
  readonly httpStatus: number;
}

/** A successful token response. */
export type TokenSuccess = TokenFields & {
  /** Always `true` here: the call succeeded, and every success field can be read. */
  readonly isSuccessful: true;
};

/** What a token request resolves to: check `isSuccessful` first. */
export type TokenResponse = TokenSuccess | EndpointFailure;

/** Success-only fields of token responses. */
export const TOKEN_FIELDS = [
  'accessToken',
  'tokenType',
  'expiresIn',
  'refreshToken',
  'idToken',
  'scope',
  'raw',
] as const;

function invalid(url: string, status: number, message: string): HttpError {
  return new HttpError('ERR_INVALID_RESPONSE', `Invalid token response from ${url}: ${message}`, {
    url,
    httpStatus: status,
  });
}

/**
 * Reads the token fields from `raw`, with the checks RFC 6749 §5.1 implies and oauth4webapi
 * leaves lenient: `expires_in` must be a non-negative JSON number (never a string), optional
 * members must be strings.
 */
export function tokenFields(raw: JsonObject, status: number, url: string): TokenFields {
  const { access_token, token_type, expires_in, refresh_token, id_token, scope } = raw;
  if (typeof access_token !== 'string' || access_token === '') {
    throw invalid(url, status, '"access_token" is missing');
  }
  if (typeof token_type !== 'string' || token_type === '')
    throw invalid(url, status, '"token_type" is missing');
  if (
    expires_in !== undefined &&
    (typeof expires_in !== 'number' || !Number.isFinite(expires_in) || expires_in < 0)
  ) {
    throw invalid(url, status, '"expires_in" must be a non-negative number');
  }
  for (const [name, value] of [
    ['refresh_token', refresh_token],
    ['id_token', id_token],
    ['scope', scope],
  ] as const) {
    if (value !== undefined && typeof value !== 'string')
      throw invalid(url, status, `"${name}" must be a string`);
  }
  return {
    accessToken: access_token,
    tokenType: token_type,
    expiresIn: expires_in as number | undefined,
    refreshToken: refresh_token as string | undefined,
    idToken: id_token as string | undefined,
    scope: scope as string | undefined,
    raw,
    httpStatus: status,
  };
}
