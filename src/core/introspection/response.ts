/**
 * Token introspection responses (RFC 7662 §2.2) as response objects, with the members' JSON
 * types checked.
 *
 * @module
 */

import type { EndpointFailure } from '../endpoint/failure.js';
import { HttpError } from '../errors.js';
import type { JsonObject, JsonValue } from '../http/json.js';

/**
 * The members of a successful introspection response, camelCase. The typed members are set only
 * for an active token; for `active: false` they are all `undefined` (RFC 7662 §2.2: an inactive
 * token's response should say nothing else), whatever the server sent.
 */
export interface IntrospectionFields {
  /** Whether the token is currently active. The only member RFC 7662 requires. */
  readonly active: boolean;
  /** `scope`: space-separated scopes. */
  readonly scope: string | undefined;
  /** `client_id` of the client the token was issued to. */
  readonly clientId: string | undefined;
  /** `username`: a human-readable identifier of the resource owner. */
  readonly username: string | undefined;
  /** `token_type`, e.g. `Bearer`. */
  readonly tokenType: string | undefined;
  /** `exp`: expiry, NumericDate (seconds since the epoch). */
  readonly exp: number | undefined;
  /** `iat`: issue time, NumericDate. */
  readonly iat: number | undefined;
  /** `nbf`: not before, NumericDate. */
  readonly nbf: number | undefined;
  /** `sub`: the subject of the token. */
  readonly sub: string | undefined;
  /** `aud`: one audience or several. */
  readonly aud: string | readonly string[] | undefined;
  /** `iss`: the issuer of the token. */
  readonly iss: string | undefined;
  /** `jti`: the token's identifier. */
  readonly jti: string | undefined;
  /**
   * Every member of the introspection response, as sent (for a signed response: the
   * `token_introspection` claim). Extension members are read here.
   */
  readonly claims: JsonObject;
  /** The whole JSON response; for a signed response, the verified JWT claims. */
  readonly raw: JsonObject;
  /** The signed response (RFC 9701) as received, a compact JWT; `undefined` for plain JSON. */
  readonly jwt: string | undefined;
  /** The HTTP status of the introspection response (`200`). */
  readonly httpStatus: number;
}

/** A successful introspection call (the token itself may still be inactive: check `active`). */
export type IntrospectionSuccess = IntrospectionFields & {
  /** Always `true` here: the call succeeded, and every success field can be read. */
  readonly isSuccessful: true;
};

/** What {@link introspectToken} resolves to: check `isSuccessful`, then `active`. */
export type TokenIntrospectionResponse = IntrospectionSuccess | EndpointFailure;

/** @internal Success-only fields of introspection responses. */
export const INTROSPECTION_FIELDS = [
  'active',
  'scope',
  'clientId',
  'username',
  'tokenType',
  'exp',
  'iat',
  'nbf',
  'sub',
  'aud',
  'iss',
  'jti',
  'claims',
  'raw',
  'jwt',
] as const;

const STRING_MEMBERS = ['scope', 'client_id', 'username', 'token_type', 'sub', 'iss', 'jti'];
const NUMBER_MEMBERS = ['exp', 'iat', 'nbf'];

function invalid(url: string, status: number, message: string): HttpError {
  return new HttpError(
    'ERR_INVALID_RESPONSE',
    `Invalid introspection response from ${url}: ${message}`,
    {
      url,
      httpStatus: status,
    },
  );
}

function isAudience(value: JsonValue): boolean {
  return (
    typeof value === 'string' ||
    (Array.isArray(value) && value.every((item) => typeof item === 'string'))
  );
}

/**
 * @internal Reads the members of an introspection response, never coercing: `active` must be a JSON
 * boolean (`"true"` is refused), and for an active token the standard members must have their
 * RFC 7662 §2.2 types (strings; `exp`, `iat`, `nbf` finite numbers; `aud` a string or an array
 * of strings). Throws `HttpError` `ERR_INVALID_RESPONSE` otherwise.
 */
export function introspectionFields(
  claims: JsonObject,
  raw: JsonObject,
  jwt: string | undefined,
  status: number,
  url: string,
): IntrospectionSuccess {
  const { active } = claims;
  if (typeof active !== 'boolean') throw invalid(url, status, '"active" must be a boolean');
  const typed = active ? claims : {};
  for (const name of STRING_MEMBERS) {
    const value = typed[name];
    if (value !== undefined && typeof value !== 'string') {
      throw invalid(url, status, `"${name}" must be a string`);
    }
  }
  for (const name of NUMBER_MEMBERS) {
    const value = typed[name];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw invalid(url, status, `"${name}" must be a number`);
    }
  }
  if (typed.aud !== undefined && !isAudience(typed.aud)) {
    throw invalid(url, status, '"aud" must be a string or an array of strings');
  }
  return {
    isSuccessful: true,
    active,
    scope: typed.scope as string | undefined,
    clientId: typed.client_id as string | undefined,
    username: typed.username as string | undefined,
    tokenType: typed.token_type as string | undefined,
    exp: typed.exp as number | undefined,
    iat: typed.iat as number | undefined,
    nbf: typed.nbf as number | undefined,
    sub: typed.sub as string | undefined,
    aud: typed.aud as string | string[] | undefined,
    iss: typed.iss as string | undefined,
    jti: typed.jti as string | undefined,
    claims,
    raw,
    jwt,
    httpStatus: status,
  };
}
