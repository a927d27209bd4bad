/**
 * Reading JSON responses safely: content-type check, strict UTF-8, `JSON.parse` only.
 *
 * `JSON.parse` defines a `"__proto__"` member as an own data property, so it never changes an
 * object's prototype; the library never copies parsed objects with assignment (`Object.assign`,
 * `obj[key] = …` loops), which is where such a key would become a prototype.
 *
 * @module
 */

import { HttpError } from '../errors.js';
import type { HttpResponse } from './request.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A JSON value as parsed: objects are plain records of unknown values. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A parsed JSON object. */
export type JsonObject = { [key: string]: JsonValue | undefined };

/** The media type of a `Content-Type` header, lower-cased, without parameters. */
export function mediaType(response: HttpResponse): string {
  return (response.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/** True for `application/json` and any `application/*+json` type (e.g. `jwk-set+json`). */
export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** Throws `ERR_HTTP_STATUS` unless the status is 2xx. */
export function assertOk(response: HttpResponse, what = 'Request'): void {
  if (response.status < 200 || response.status > 299) {
    throw new HttpError(
      'ERR_HTTP_STATUS',
      `${what} to ${response.url} failed with HTTP ${response.status}`,
      {
        url: response.url,
        httpStatus: response.status,
      },
    );
  }
}

/** Decodes the body as strict UTF-8. Throws `ERR_INVALID_JSON` for invalid bytes. */
export function decodeUtf8(response: HttpResponse): string {
  try {
    return strictUtf8.decode(response.body);
  } catch (cause) {
    throw new HttpError('ERR_INVALID_JSON', `Response from ${response.url} is not valid UTF-8`, {
      url: response.url,
      httpStatus: response.status,
      cause,
    });
  }
}

/**
 * Parses a JSON text. Throws `ERR_INVALID_JSON` (naming `url`, when given) when it is not JSON.
 */
export function parseJson(text: string, url?: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (cause) {
    throw new HttpError(
      'ERR_INVALID_JSON',
      `Response from ${url ?? 'the server'} is not valid JSON`,
      url === undefined ? { cause } : { url, cause },
    );
  }
}

/** True when `value` is a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a JSON object body: checks the content type (`application/json` or `+json`), decodes
 * strict UTF-8 and parses. Throws `ERR_CONTENT_TYPE` or `ERR_INVALID_JSON`.
 */
export function readJsonObject(response: HttpResponse): JsonObject {
  return jsonObjectOf(response, response.url, 'ERR_INVALID_JSON');
}

/**
 * @internal {@link readJsonObject} for `url`, with `notObject` the code for JSON that is not an
 * object (the endpoint layer's answers call that a protocol breach, `ERR_INVALID_RESPONSE`).
 * Every error carries the URL and the status.
 */
export function jsonObjectOf(
  response: HttpResponse,
  url: string,
  notObject: 'ERR_INVALID_JSON' | 'ERR_INVALID_RESPONSE',
): JsonObject {
  const type = mediaType(response);
  const facts = { url, httpStatus: response.status };
  if (!isJsonMediaType(type)) {
    throw new HttpError(
      'ERR_CONTENT_TYPE',
      `Response from ${url} has content type "${type || '(none)'}", expected JSON`,
      facts,
    );
  }
  const text = decodeUtf8(response);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new HttpError('ERR_INVALID_JSON', `Response from ${url} is not valid JSON`, {
      ...facts,
      cause,
    });
  }
  if (!isJsonObject(value)) {
    throw new HttpError(notObject, `Response from ${url} is not a JSON object`, facts);
  }
  return value;
}
