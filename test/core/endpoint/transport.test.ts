/**
 * The endpoint layer's transport (src/core/endpoint/transport.ts), driven through
 * requestClientCredentialsToken: the retry policy of a token POST
 * (only what the server cannot have processed), refused connections, hostile token responses
 * and the https rule for the token endpoint.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpError } from '../../../src/core/errors.js';
import type { FetchLike } from '../../../src/core/http/defaults.js';
import { requestClientCredentialsToken } from '../../../src/core/token/index.js';
import { refusedUrl, startServer, type TestServer } from '../../support/server.js';
import {
  type Answer,
  failure,
  sleepRecorder,
  success,
  TOKEN_BODY,
  tokenRoute,
} from '../token/token-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
});

const CLIENT = { clientId: 'service', clientSecret: 'secret' } as const;

describe('retry policy of the token POST', () => {
  it.each([429, 503])(
    'retries %i with Retry-After once, waiting as asked, then succeeds',
    async (status) => {
      const route = tokenRoute(
        server,
        { status, headers: { 'retry-after': '2' }, body: { error: 'temporarily_unavailable' } },
        { body: TOKEN_BODY },
      );
      const { delays, sleep } = sleepRecorder();
      const token = success(
        await requestClientCredentialsToken({ address: route.url, ...CLIENT, sleep }),
      );
      expect(token.accessToken).toBe('at-123');
      expect(delays).toEqual([2_000]);
      const [first, second] = route.seen();
      expect(route.seen()).toHaveLength(2);
      // The retry is the same request: same form, same credentials.
      expect(second!.body).toBe(first!.body);
      expect(second!.headers.authorization).toBe(first!.headers.authorization);
    },
  );

  it('does not retry 500: the server may have issued a token', async () => {
    const route = tokenRoute(server, { status: 500, body: { error: 'server_error' } });
    const { delays, sleep } = sleepRecorder();
    const token = failure(
      await requestClientCredentialsToken({ address: route.url, ...CLIENT, sleep }),
    );
    expect(route.seen()).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(token.httpStatus).toBe(500);
    expect(token.errorType).toBe('http');
    expect(token.errorCode).toBe('ERR_HTTP_STATUS');
  });

  it.each([502, 504])('does not retry %i', async (status) => {
    const route = tokenRoute(server, { status, headers: { 'retry-after': '1' } });
    const { delays, sleep } = sleepRecorder();
    const token = failure(
      await requestClientCredentialsToken({ address: route.url, ...CLIENT, sleep }),
    );
    expect(route.seen()).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(token.httpStatus).toBe(status);
  });

  it.each([503, 429])('does not retry %i without Retry-After', async (status) => {
    const route = tokenRoute(server, { status, body: { error: 'temporarily_unavailable' } });
    const { delays, sleep } = sleepRecorder();
    const token = failure(
      await requestClientCredentialsToken({ address: route.url, ...CLIENT, sleep }),
    );
    expect(route.seen()).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(token.httpStatus).toBe(status);
  });

  it('does not retry a 429 whose Retry-After exceeds maxRetryAfter', async () => {
    const route = tokenRoute(server, {
      status: 429,
      headers: { 'retry-after': '30' },
      body: { error: 'slow_down', error_description: 'too many requests' },
    });
    const { delays, sleep } = sleepRecorder();
    const token = failure(
      await requestClientCredentialsToken({
        address: route.url,
        ...CLIENT,
        sleep,
        maxRetryAfter: 10_000,
      }),
    );
    expect(route.seen()).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(token.httpStatus).toBe(429);
    expect(token.errorType).toBe('protocol');
    expect(token.error).toBe('slow_down');
    expect(token.errorDescription).toBe('too many requests');
  });

  it('stops after `retries` retries and returns the last answer', async () => {
    const route = tokenRoute(server, { status: 503, headers: { 'retry-after': '1' } });
    const { delays, sleep } = sleepRecorder();
    const token = failure(
      await requestClientCredentialsToken({ address: route.url, ...CLIENT, sleep, retries: 2 }),
    );
    expect(route.seen()).toHaveLength(3);
    expect(delays).toEqual([1_000, 1_000]);
    expect(token.httpStatus).toBe(503);
  });

  it('does not retry at all with retries: 0', async () => {
    const route = tokenRoute(server, { status: 503, headers: { 'retry-after': '1' } });
    const { delays, sleep } = sleepRecorder();
    failure(
      await requestClientCredentialsToken({ address: route.url, ...CLIENT, sleep, retries: 0 }),
    );
    expect(route.seen()).toHaveLength(1);
    expect(delays).toEqual([]);
  });
});

describe('refused connection', () => {
  it('is retried with backoff (Node reports ECONNREFUSED), then fails with ERR_NETWORK', async () => {
    const { url } = await refusedUrl();
    const { delays, sleep } = sleepRecorder();
    const fetchSpy = vi.fn<FetchLike>((input, init) => fetch(input, init));
    const token = failure(
      await requestClientCredentialsToken({
        address: `${url}/token`,
        ...CLIENT,
        sleep,
        fetch: fetchSpy,
        retries: 2,
        retryBaseDelay: 100,
      }),
    );
    expect(fetchSpy).toHaveBeenCalledTimes(3);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeGreaterThanOrEqual(100);
    expect(delays[1]).toBeLessThanOrEqual(200);
    expect(token.errorType).toBe('network');
    expect(token.errorCode).toBe('ERR_NETWORK');
    expect(token.httpStatus).toBeUndefined();
    expect(token.exception).toBeInstanceOf(HttpError);
    expect(token.errorMessage).not.toContain('secret');
  });

  it('is not retried when the failure is not a refused connection', async () => {
    const { delays, sleep } = sleepRecorder();
    const fetchSpy = vi.fn<FetchLike>(async () => {
      throw new TypeError('Failed to fetch');
    });
    const token = failure(
      await requestClientCredentialsToken({
        address: 'https://op.example.com/token',
        ...CLIENT,
        sleep,
        fetch: fetchSpy,
      }),
    );
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(delays).toEqual([]);
    expect(token.errorCode).toBe('ERR_NETWORK');
  });
});

describe('hostile token responses', () => {
  async function answer(...answers: Answer[]) {
    const route = tokenRoute(server, ...answers);
    const token = failure(await requestClientCredentialsToken({ address: route.url, ...CLIENT }));
    expect(route.seen()).toHaveLength(1);
    return token;
  }

  it('200 with an HTML page is invalid_response', async () => {
    const token = await answer({
      headers: { 'content-type': 'text/html' },
      body: '<!doctype html><title>Login</title>',
    });
    expect(token.errorType).toBe('invalid_response');
    expect(token.errorCode).toBe('ERR_CONTENT_TYPE');
    expect(token.httpStatus).toBe(200);
  });

  it('200 with broken JSON is invalid_response', async () => {
    const token = await answer({ body: '{"access_token":' });
    expect(token.errorType).toBe('invalid_response');
    expect(token.errorCode).toBe('ERR_INVALID_JSON');
    expect(token.httpStatus).toBe(200);
  });

  it.each([
    ['a JSON array', [TOKEN_BODY]],
    ['token_type "mac"', { ...TOKEN_BODY, token_type: 'mac' }],
    ['expires_in as the string "300"', { ...TOKEN_BODY, expires_in: '300' }],
    ['expires_in -1', { ...TOKEN_BODY, expires_in: -1 }],
    ['missing access_token', { token_type: 'Bearer', expires_in: 300 }],
    ['an empty access_token', { ...TOKEN_BODY, access_token: '' }],
    ['access_token as a number', { ...TOKEN_BODY, access_token: 42 }],
    ['missing token_type', { access_token: 'at', expires_in: 300 }],
    ['scope as an array', { ...TOKEN_BODY, scope: ['a', 'b'] }],
    ['refresh_token as a number', { ...TOKEN_BODY, refresh_token: 1 }],
  ])('200 with %s is ERR_INVALID_RESPONSE', async (_, body) => {
    const token = await answer({ body });
    expect(token.errorType).toBe('invalid_response');
    expect(token.errorCode).toBe('ERR_INVALID_RESPONSE');
    expect(token.httpStatus).toBe(200);
    expect(() => Reflect.get(token, 'accessToken')).toThrow();
  });

  it('an id_token in a client credentials response is refused, never handed out unvalidated', async () => {
    const token = await answer({ body: { ...TOKEN_BODY, id_token: 'eyJ.e30.sig' } });
    expect(token.errorCode).toBe('ERR_INVALID_RESPONSE');
    expect(() => (token as unknown as { idToken: string }).idToken).toThrow();
  });

  it('a 302 redirect is ERR_HTTP_REDIRECT and the target is never called', async () => {
    const target = '/redirect-target';
    server.route('POST', target, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(TOKEN_BODY));
    });
    server.route('GET', target, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(TOKEN_BODY));
    });
    const token = await answer({
      status: 302,
      headers: { location: `${server.url}${target}` },
      body: '',
    });
    expect(token.errorCode).toBe('ERR_HTTP_REDIRECT');
    expect(token.errorType).toBe('invalid_response');
    expect(token.httpStatus).toBe(302);
    expect(server.count(target)).toBe(0);
  });

  it.each([true, false])(
    'a body over 1 MiB is ERR_BODY_TOO_LARGE (Content-Length sent: %s)',
    async (contentLength) => {
      const route = tokenRoute(server);
      const big = JSON.stringify({ ...TOKEN_BODY, access_token: 'a'.repeat(1024 * 1024) });
      server.route('POST', route.path, (_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          ...(contentLength ? { 'content-length': String(Buffer.byteLength(big)) } : {}),
        });
        for (let i = 0; i < big.length; i += 64 * 1024) res.write(big.slice(i, i + 64 * 1024));
        res.end();
      });
      const token = failure(await requestClientCredentialsToken({ address: route.url, ...CLIENT }));
      expect(token.errorCode).toBe('ERR_BODY_TOO_LARGE');
      expect(token.errorType).toBe('invalid_response');
      expect(token.httpStatus).toBe(200);
    },
  );

  it('a body just under 1 MiB is read', async () => {
    const accessToken = 'a'.repeat(1024 * 1024 - 100);
    const route = tokenRoute(server, { body: { ...TOKEN_BODY, access_token: accessToken } });
    const token = success(await requestClientCredentialsToken({ address: route.url, ...CLIENT }));
    expect(token.accessToken).toBe(accessToken);
  });

  it('"__proto__" in a token response is plain data', async () => {
    const route = tokenRoute(server, {
      body: `{"access_token":"at","token_type":"Bearer","__proto__":{"polluted":true}}`,
    });
    const token = success(await requestClientCredentialsToken({ address: route.url, ...CLIENT }));
    expect(Object.getPrototypeOf(token.raw)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(token.raw, '__proto__')).toBe(true);
  });
});

describe('https rule for the token endpoint', () => {
  it.each([
    'http://op.example.com/token',
    'http://127.0.0.1.evil.example/token',
    'http://localhost.evil.example/token',
  ])('refuses %s before any request (errorType policy)', async (address) => {
    const fetchSpy = vi.fn<FetchLike>((input, init) => fetch(input, init));
    const token = failure(
      await requestClientCredentialsToken({ address, ...CLIENT, fetch: fetchSpy }),
    );
    expect(token.errorCode).toBe('ERR_ENDPOINT_HTTPS_REQUIRED');
    expect(token.errorType).toBe('policy');
    expect(token.httpStatus).toBeUndefined();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('allows http on loopback (127.0.0.1, localhost)', async () => {
    const route = tokenRoute(server);
    success(await requestClientCredentialsToken({ address: route.url, ...CLIENT }));
    const local = route.url.replace('127.0.0.1', 'localhost');
    const fetchSpy = vi.fn<FetchLike>((_input, init) => fetch(route.url, init));
    success(await requestClientCredentialsToken({ address: local, ...CLIENT, fetch: fetchSpy }));
    expect(fetchSpy.mock.calls[0]![0]).toBe(local);
    expect(route.seen()).toHaveLength(2);
  });

  it('requireHttps: false allows http on any host', async () => {
    const fetchSpy = vi.fn<FetchLike>(
      async () =>
        new Response(JSON.stringify(TOKEN_BODY), {
          headers: { 'content-type': 'application/json' },
        }),
    );
    const token = success(
      await requestClientCredentialsToken({
        address: 'http://op.example.com/token',
        ...CLIENT,
        requireHttps: false,
        fetch: fetchSpy,
      }),
    );
    expect(token.accessToken).toBe('at-123');
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(fetchSpy.mock.calls[0]![0]).toBe('http://op.example.com/token');
  });
});
