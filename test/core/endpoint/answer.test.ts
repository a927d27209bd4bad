/**
 * The one reader of provider answers (src/core/endpoint/answer.ts): success JSON, OAuth error
 * bodies (RFC 6749 §5.2) and `WWW-Authenticate` challenges (RFC 6750 §3).
 */
import { describe, expect, it } from 'vitest';
import { failureOf, readOAuthJson } from '../../../src/core/endpoint/answer.js';
import { HttpError, ProtocolError } from '../../../src/core/errors.js';
import type { HttpResponse } from '../../../src/core/http/request.js';

const URL = 'https://op.example/token';

function answer(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return {
    url: URL,
    status,
    headers: new Headers(headers),
    body: new TextEncoder().encode(body),
  };
}

const json = { 'content-type': 'application/json' };

describe('failureOf', () => {
  it('reads a 4xx OAuth error body as a ProtocolError with its fields and the status', () => {
    const error = failureOf(
      answer(
        400,
        '{"error":"invalid_grant","error_description":"expired","error_uri":"https://op.example/e"}',
        json,
      ),
      URL,
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({
      error: 'invalid_grant',
      errorDescription: 'expired',
      errorUri: 'https://op.example/e',
      httpStatus: 400,
    });
  });

  it('prefers the body to the challenge of a 401 invalid_client (RFC 6749 §5.2)', () => {
    const error = failureOf(
      answer(401, '{"error":"invalid_client"}', {
        ...json,
        'www-authenticate': 'Basic realm="op", error="something_else"',
      }),
      URL,
    );
    expect(error).toMatchObject({
      error: 'invalid_client',
      wwwAuthenticate: 'Basic realm="op", error="something_else"',
    });
  });

  it('reads the challenge when there is no error body', () => {
    const error = failureOf(
      answer(401, '', {
        'www-authenticate':
          'Bearer realm="api", error="invalid_token", error_description="gone \\"now\\""',
      }),
      URL,
    );
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({
      error: 'invalid_token',
      errorDescription: 'gone "now"',
      httpStatus: 401,
    });
  });

  it('gives ERR_HTTP_STATUS for a challenge without error, a body without error, and any 5xx', () => {
    for (const response of [
      answer(401, '', { 'www-authenticate': 'Bearer realm="api"' }),
      answer(400, '{"message":"no"}', json),
      answer(500, '{"error":"server_error"}', json),
      answer(503, '', { 'www-authenticate': 'Bearer error="invalid_token"' }),
    ]) {
      const error = failureOf(response, URL);
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({ code: 'ERR_HTTP_STATUS', httpStatus: response.status });
    }
  });
});

describe('readOAuthJson', () => {
  it('returns the JSON object of the expected status', () => {
    expect(readOAuthJson(answer(201, '{"request_uri":"urn:x"}', json), URL, 201)).toEqual({
      request_uri: 'urn:x',
    });
  });

  it('throws the failure for another status', () => {
    expect(() => readOAuthJson(answer(400, '{"error":"invalid_request"}', json), URL)).toThrow(
      ProtocolError,
    );
  });

  it.each([
    ['ERR_CONTENT_TYPE', answer(200, '{}', { 'content-type': 'text/html' })],
    ['ERR_INVALID_JSON', answer(200, '{', json)],
    ['ERR_INVALID_RESPONSE', answer(200, '[1]', json)],
  ])('refuses a success that is not a JSON object: %s', (code, response) => {
    expect(() => readOAuthJson(response, URL)).toThrow(
      expect.objectContaining({ code, httpStatus: 200 }),
    );
  });

  it('keeps "__proto__" as plain data', () => {
    const value = readOAuthJson(answer(200, '{"__proto__":{"polluted":true}}', json), URL);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });
});
