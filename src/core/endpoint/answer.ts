/**
 * The one reader of provider answers: a JSON object on success (RFC 6749 §5.1); on failure an
 * OAuth error body (RFC 6749 §5.2), or a `WWW-Authenticate` challenge (RFC 6750 §3).
 *
 * Every endpoint's answer is read here, never by oauth4webapi's `process*` functions: the
 * library checks members more strictly (never coercing), validates ID tokens and signed answers
 * itself, and one reader cannot drift from another. oauth4webapi's processing (and its ID token
 * machinery, the larger part of its code) stays out of bundles.
 *
 * @module
 */

import { HttpError, ProtocolError } from '../errors.js';
import {
  decodeUtf8,
  isJsonMediaType,
  isJsonObject,
  type JsonObject,
  jsonObjectOf,
  mediaType,
} from '../http/json.js';
import type { HttpResponse } from '../http/request.js';
import { challengeParameter } from './challenge.js';

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The RFC 6749 §5.2 error body of a 4xx JSON response: an object with a non-empty `error`. */
function oauthErrorBody(response: HttpResponse | undefined): JsonObject | undefined {
  if (!response || response.status < 400 || response.status > 499) return undefined;
  if (!isJsonMediaType(mediaType(response))) return undefined;
  try {
    const value: unknown = JSON.parse(decodeUtf8(response));
    return isJsonObject(value) && typeof value.error === 'string' && value.error !== ''
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The error a failed response stands for: for a 4xx, its OAuth error body, else the `error` of
 * its `WWW-Authenticate` challenge (both a {@link ProtocolError}); otherwise `ERR_HTTP_STATUS`
 * (a 5xx is never read as an OAuth error: RFC 6749 §5.2 errors are 400 and 401).
 */
export function failureOf(response: HttpResponse, url: string): ProtocolError | HttpError {
  const wwwAuthenticate =
    response.status >= 400 && response.status < 500
      ? (response.headers.get('www-authenticate') ?? undefined)
      : undefined;
  const body = oauthErrorBody(response);
  const error = body
    ? (body.error as string)
    : wwwAuthenticate && challengeParameter(wwwAuthenticate, 'error');
  if (error) {
    const description = body
      ? text(body.error_description)
      : wwwAuthenticate && challengeParameter(wwwAuthenticate, 'error_description');
    return new ProtocolError(
      `${url} answered HTTP ${response.status} with error "${error}"${description ? `: ${description}` : ''}`,
      {
        error,
        errorDescription: description,
        errorUri: body
          ? text(body.error_uri)
          : wwwAuthenticate && challengeParameter(wwwAuthenticate, 'error_uri'),
        httpStatus: response.status,
        wwwAuthenticate,
      },
    );
  }
  return new HttpError('ERR_HTTP_STATUS', `${url} answered HTTP ${response.status}`, {
    url,
    httpStatus: response.status,
  });
}

/**
 * The JSON object of a successful answer (`expected` status, 200 by default); throws the
 * failure otherwise: {@link failureOf} for another status, `ERR_CONTENT_TYPE` for a body that is
 * not JSON, `ERR_INVALID_JSON` for one that does not parse, `ERR_INVALID_RESPONSE` for JSON that
 * is not an object. Every error carries the status.
 */
export function readOAuthJson(response: HttpResponse, url: string, expected = 200): JsonObject {
  if (response.status !== expected) throw failureOf(response, url);
  return jsonObjectOf(response, url, 'ERR_INVALID_RESPONSE');
}
