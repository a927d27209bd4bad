import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/core/errors.js';
import {
  assertOk,
  decodeUtf8,
  isJsonMediaType,
  isJsonObject,
  mediaType,
  parseJson,
  readJsonObject,
} from '../../../src/core/http/json.js';
import { type HttpResponse, httpRequest } from '../../../src/core/http/request.js';
import { startServer, type TestServer } from '../../support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
});

/** Serves raw bytes with a content type, fetches them through httpRequest and reads JSON. */
async function serveAndRead(
  body: string | Buffer,
  contentType: string | undefined,
  status = 200,
): Promise<unknown> {
  const path = `/doc-${Math.random().toString(36).slice(2)}`;
  server.route('GET', path, (_req, res) => {
    res.writeHead(status, contentType === undefined ? {} : { 'content-type': contentType });
    res.end(body);
  });
  const response = await httpRequest({ url: `${server.url}${path}` });
  return readJsonObject(response);
}

async function failureCode(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return (error as HttpError).code;
}

function fakeResponse(init: { status?: number; type?: string; body?: Uint8Array }): HttpResponse {
  const headers = new Headers(init.type === undefined ? {} : { 'content-type': init.type });
  return {
    url: 'https://op.example/doc',
    status: init.status ?? 200,
    headers,
    body: init.body ?? new Uint8Array(),
  };
}

describe('content type', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/jwk-set+json',
    'application/problem+json',
  ])('accepts %s', async (type) => {
    expect(await serveAndRead('{"keys":[]}', type)).toEqual({ keys: [] });
  });

  it.each([
    ['text/html'],
    ['text/plain'],
    ['text/json'],
    ['application/jsonp'],
    ['application/jwt'],
    ['application/octet-stream'],
  ])('refuses %s with ERR_CONTENT_TYPE, even when the body is JSON', async (type) => {
    expect(await failureCode(serveAndRead('{"a":1}', type))).toBe('ERR_CONTENT_TYPE');
  });

  it('refuses a missing content type', async () => {
    const error = await serveAndRead('{"a":1}', undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ code: 'ERR_CONTENT_TYPE', httpStatus: 200 });
    expect((error as Error).message).toContain('(none)');
  });

  it('reads the media type without parameters, lower-cased', () => {
    expect(mediaType(fakeResponse({ type: ' Application/JWK-Set+JSON ; charset=UTF-8' }))).toBe(
      'application/jwk-set+json',
    );
    expect(mediaType(fakeResponse({}))).toBe('');
    expect(isJsonMediaType('application/json')).toBe(true);
    expect(isJsonMediaType('application/+json')).toBe(true);
    expect(isJsonMediaType('text/+json')).toBe(false);
  });
});

describe('body', () => {
  it('refuses a body that is not JSON', async () => {
    expect(await failureCode(serveAndRead('{"a":', 'application/json'))).toBe('ERR_INVALID_JSON');
    expect(await failureCode(serveAndRead('', 'application/json'))).toBe('ERR_INVALID_JSON');
    expect(await failureCode(serveAndRead("{'a':1}", 'application/json'))).toBe('ERR_INVALID_JSON');
  });

  it('refuses invalid UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"a":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    expect(await failureCode(serveAndRead(bytes, 'application/json'))).toBe('ERR_INVALID_JSON');
    // An overlong encoding of "/" (0xC0 0xAF): lenient decoders turn it into a character.
    const overlong = Buffer.concat([
      Buffer.from('{"a":"'),
      Buffer.from([0xc0, 0xaf]),
      Buffer.from('"}'),
    ]);
    expect(await failureCode(serveAndRead(overlong, 'application/json'))).toBe('ERR_INVALID_JSON');
  });

  it('reads valid UTF-8 text', async () => {
    expect(await serveAndRead('{"name":"Zoë 🔑"}', 'application/json')).toEqual({
      name: 'Zoë 🔑',
    });
  });

  it.each([
    ['an array', '[{"a":1}]'],
    ['null', 'null'],
    ['a string', '"text"'],
    ['a number', '42'],
  ])('refuses %s where an object is expected', async (_, body) => {
    expect(await failureCode(serveAndRead(body, 'application/json'))).toBe('ERR_INVALID_JSON');
  });

  it('names the URL in errors', () => {
    const response = fakeResponse({
      type: 'application/json',
      body: new TextEncoder().encode('nope'),
    });
    let error: unknown;
    try {
      readJsonObject(response);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_JSON', url: 'https://op.example/doc' });
    expect((error as Error).message).toContain('https://op.example/doc');
  });
});

describe('__proto__ and friends stay plain data', () => {
  it('keeps a top-level "__proto__" as an own data property', async () => {
    const parsed = (await serveAndRead(
      '{"__proto__": {"polluted": true}, "issuer": "https://op.example"}',
      'application/json',
    )) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(parsed.polluted).toBeUndefined();
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    const descriptor = Object.getOwnPropertyDescriptor(parsed, '__proto__');
    expect(descriptor).toMatchObject({
      value: { polluted: true },
      writable: true,
      enumerable: true,
    });
    expect(Object.keys(parsed)).toEqual(['__proto__', 'issuer']);
  });

  it('keeps nested "__proto__" and "constructor.prototype" as data', async () => {
    const parsed = (await serveAndRead(
      '{"a": {"__proto__": {"polluted": 1}}, "constructor": {"prototype": {"polluted": 2}}}',
      'application/json',
    )) as Record<string, Record<string, unknown>>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed.a)).toBe(Object.prototype);
    expect(parsed.a!.polluted).toBeUndefined();
    expect(Object.hasOwn(parsed.a!, '__proto__')).toBe(true);
    expect(Object.hasOwn(parsed, 'constructor')).toBe(true);
    expect(Object.prototype.constructor).toBe(Object);
  });

  it('parseJson behaves the same without a response', () => {
    const parsed = parseJson('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(parsed.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('helpers', () => {
  it('assertOk accepts 2xx only', () => {
    for (const status of [200, 201, 204, 299]) {
      expect(() => assertOk(fakeResponse({ status }))).not.toThrow();
    }
    for (const status of [199, 300, 400, 401, 500]) {
      let error: unknown;
      try {
        assertOk(fakeResponse({ status }), 'Discovery request');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({
        code: 'ERR_HTTP_STATUS',
        httpStatus: status,
        url: 'https://op.example/doc',
      });
      expect((error as Error).message).toMatch(/^Discovery request to .* failed with HTTP \d+$/);
    }
  });

  it('decodeUtf8 decodes strictly', () => {
    expect(decodeUtf8(fakeResponse({ body: new TextEncoder().encode('é') }))).toBe('é');
    expect(() => decodeUtf8(fakeResponse({ body: new Uint8Array([0xe9]) }))).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_JSON' }),
    );
  });

  it('parseJson reports ERR_INVALID_JSON with the URL only when one is given', () => {
    expect(() => parseJson('{', 'https://op.example/x')).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_JSON', url: 'https://op.example/x' }),
    );
    expect(() => parseJson('{')).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_JSON', url: undefined }),
    );
  });

  it('isJsonObject is true for objects only', () => {
    expect(isJsonObject({})).toBe(true);
    expect(isJsonObject([])).toBe(false);
    expect(isJsonObject(null)).toBe(false);
    expect(isJsonObject('x')).toBe(false);
  });
});
