import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, HttpError } from '../../../src/core/errors.js';
import { type FetchLike, resolveHttpOptions } from '../../../src/core/http/defaults.js';
import { httpRequest } from '../../../src/core/http/request.js';
import { startServer, type TestServer } from '../../support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
});

/** Awaits a promise that must reject with an HttpError, and returns the error. */
async function httpFailure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

/** A route whose handler never answers. */
function hang(path: string): void {
  server.route('GET', path, () => {});
}

/** A route that sends `size` bytes, with or without `Content-Length`, in 16 KiB writes. */
function sized(path: string, size: number, contentLength: boolean): void {
  server.route('GET', path, (_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(contentLength ? { 'content-length': String(size) } : {}),
    });
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    for (let left = size; left > 0; left -= chunk.length) {
      res.write(left >= chunk.length ? chunk : chunk.subarray(0, left));
    }
    res.end();
  });
}

const noSleep = async () => {};

describe('httpRequest basics', () => {
  it('returns status, headers and the body bytes', async () => {
    server.json('/doc', { hello: 'world' }, { headers: { 'x-extra': 'yes' } });
    const response = await httpRequest({ url: `${server.url}/doc` });
    expect(response.url).toBe(`${server.url}/doc`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-extra')).toBe('yes');
    expect(response.body).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(response.body)).toBe('{"hello":"world"}');
  });

  it('returns an empty body for 204', async () => {
    server.route('GET', '/empty', (_req, res) => {
      res.writeHead(204).end();
    });
    const response = await httpRequest({ url: `${server.url}/empty` });
    expect(response.status).toBe(204);
    expect(response.body.byteLength).toBe(0);
  });

  it('returns HTTP error statuses instead of throwing, body included', async () => {
    server.route('POST', '/token', (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
    });
    const response = await httpRequest({ url: `${server.url}/token`, method: 'POST', body: 'x' });
    expect(response.status).toBe(400);
    expect(new TextDecoder().decode(response.body)).toBe('{"error":"invalid_grant"}');
  });

  it('sends the method, headers and body', async () => {
    server.route('POST', '/echo', (_req, res) => {
      res.writeHead(200).end();
    });
    const before = server.requests.length;
    await httpRequest({
      url: `${server.url}/echo`,
      method: 'POST',
      headers: { accept: 'application/json', 'x-test': '1' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'a b' }),
    });
    const seen = server.requests.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/echo' });
    expect(seen[0]!.body).toBe('grant_type=client_credentials&scope=a+b');
    expect(seen[0]!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(seen[0]!.headers['x-test']).toBe('1');
  });

  it('uses an injected fetch, with redirect "manual", no HTTP cache and a signal', async () => {
    const fetch = vi.fn<FetchLike>(async () => new Response('{}', { status: 200 }));
    const response = await httpRequest(
      { url: 'https://op.example/x', method: 'POST', headers: { a: 'b' }, body: 'q=1' },
      { fetch },
    );
    expect(response.status).toBe(200);
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://op.example/x');
    expect(init).toMatchObject({
      method: 'POST',
      redirect: 'manual',
      cache: 'no-store',
      headers: { a: 'b' },
      body: 'q=1',
    });
    expect(init.signal).toBeInstanceOf(AbortSignal);
  });

  it('accepts already-resolved settings', async () => {
    const fetch = vi.fn<FetchLike>(async () => new Response('ok'));
    const settings = resolveHttpOptions({ fetch, timeout: 1234 });
    await httpRequest({ url: 'https://op.example/' }, settings);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('checks options even when they look resolved', async () => {
    // Every member a resolved object has, but an invalid timeout: must not slip past the checks.
    const fetch = vi.fn<FetchLike>(async () => new Response('ok'));
    const call = httpRequest(
      { url: 'https://op.example/' },
      { fetch, sleep: noSleep, timeout: 0, retries: 0, maxBodySize: 10 },
    );
    await expect(call).rejects.toBeInstanceOf(ConfigurationError);
    await expect(call).rejects.toMatchObject({ code: 'ERR_CONFIGURATION' });
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('redirects', () => {
  it.each([301, 302, 303, 307, 308])(
    'refuses a %i and never requests the target',
    async (status) => {
      const target = `/target-${status}`;
      server.json(target, { followed: true });
      server.route('GET', `/redirect-${status}`, (_req, res) => {
        res.writeHead(status, { location: `${server.url}${target}` }).end();
      });
      const error = await httpFailure(httpRequest({ url: `${server.url}/redirect-${status}` }));
      expect(error.code).toBe('ERR_HTTP_REDIRECT');
      expect(error.httpStatus).toBe(status);
      expect(error.url).toBe(`${server.url}/redirect-${status}`);
      expect(error.message).toContain(target);
      expect(server.count(target)).toBe(0);
    },
  );

  it('refuses a redirect of a POST, which is not retried either', async () => {
    server.route('POST', '/moved', (_req, res) => {
      res.writeHead(307, { location: '/elsewhere' }).end();
    });
    const error = await httpFailure(
      httpRequest({ url: `${server.url}/moved`, method: 'POST', body: 'code=abc' }),
    );
    expect(error.code).toBe('ERR_HTTP_REDIRECT');
    expect(server.count('/moved')).toBe(1);
    expect(server.count('/elsewhere')).toBe(0);
  });

  it('refuses an opaque redirect (what browsers return for redirect: "manual")', async () => {
    const response = new Response(null);
    Object.defineProperty(response, 'type', { value: 'opaqueredirect' });
    const error = await httpFailure(
      httpRequest({ url: 'https://op.example/' }, { fetch: async () => response }),
    );
    expect(error.code).toBe('ERR_HTTP_REDIRECT');
  });

  it('refuses a response an injected fetch reached by following a redirect', async () => {
    const response = new Response('{}', { status: 200 });
    Object.defineProperty(response, 'redirected', { value: true });
    const error = await httpFailure(
      httpRequest({ url: 'https://op.example/' }, { fetch: async () => response }),
    );
    expect(error.code).toBe('ERR_HTTP_REDIRECT');
  });
});

describe('body size cap', () => {
  it('refuses a body over the cap announced by Content-Length', async () => {
    sized('/big-declared', 2_000, true);
    const error = await httpFailure(
      httpRequest({ url: `${server.url}/big-declared` }, { maxBodySize: 1_000 }),
    );
    expect(error.code).toBe('ERR_BODY_TOO_LARGE');
    expect(error.httpStatus).toBe(200);
  });

  it('refuses a chunked body (no Content-Length) once it passes the cap', async () => {
    sized('/big-chunked', 100_000, false);
    const error = await httpFailure(
      httpRequest({ url: `${server.url}/big-chunked` }, { maxBodySize: 50_000 }),
    );
    expect(error.code).toBe('ERR_BODY_TOO_LARGE');
  });

  it('stops reading an endless body', async () => {
    server.route('GET', '/endless', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {
          // keep the socket buffer full
        }
      };
      res.on('drain', pump);
      pump();
    });
    const error = await httpFailure(
      httpRequest({ url: `${server.url}/endless` }, { maxBodySize: 64 * 1024 }),
    );
    expect(error.code).toBe('ERR_BODY_TOO_LARGE');
  });

  it('accepts a body of exactly the cap, with or without Content-Length', async () => {
    sized('/exact-declared', 1_000, true);
    sized('/exact-chunked', 1_000, false);
    for (const path of ['/exact-declared', '/exact-chunked']) {
      const response = await httpRequest({ url: `${server.url}${path}` }, { maxBodySize: 1_000 });
      expect(response.body.byteLength).toBe(1_000);
    }
  });

  it('defaults to 1 MiB', async () => {
    const MiB = 1024 * 1024;
    sized('/mib', MiB, false);
    sized('/mib-plus-one', MiB + 1, false);
    sized('/mib-plus-one-declared', MiB + 1, true);
    expect((await httpRequest({ url: `${server.url}/mib` })).body.byteLength).toBe(MiB);
    for (const path of ['/mib-plus-one', '/mib-plus-one-declared']) {
      const error = await httpFailure(httpRequest({ url: `${server.url}${path}` }));
      expect(error.code).toBe('ERR_BODY_TOO_LARGE');
    }
  });
});

describe('timeouts', () => {
  it('times out a server that never answers, promptly, and does not retry', async () => {
    hang('/hang');
    const started = Date.now();
    const error = await httpFailure(
      httpRequest({ url: `${server.url}/hang` }, { timeout: 200, retries: 3, sleep: noSleep }),
    );
    const elapsed = Date.now() - started;
    expect(error.code).toBe('ERR_TIMEOUT');
    expect(error.url).toBe(`${server.url}/hang`);
    expect(error.message).toContain('200 ms');
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(5_000);
    expect(server.count('/hang')).toBe(1);
  });

  it('times out a server that sends headers and then stalls the body', async () => {
    server.route('GET', '/stall', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
    });
    const started = Date.now();
    const error = await httpFailure(httpRequest({ url: `${server.url}/stall` }, { timeout: 200 }));
    expect(error.code).toBe('ERR_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('clears the timer and the abort listener once the call is done', async () => {
    let inner: AbortSignal | undefined;
    const fetch: FetchLike = async (_url, init) => {
      inner = init.signal ?? undefined;
      return new Response('{}');
    };
    const caller = new AbortController();
    await httpRequest(
      { url: 'https://op.example/' },
      { fetch, timeout: 20, signal: caller.signal },
    );
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(inner?.aborted).toBe(false);
    caller.abort();
    expect(inner?.aborted).toBe(false);
  });
});

describe('caller abort', () => {
  it('fails at once, without a request, when the signal is already aborted', async () => {
    server.json('/never-asked', {});
    const reason = new Error('user left');
    const error = await httpFailure(
      httpRequest({ url: `${server.url}/never-asked` }, { signal: AbortSignal.abort(reason) }),
    );
    expect(error.code).toBe('ERR_ABORTED');
    expect(error.cause).toBe(reason);
    expect(server.count('/never-asked')).toBe(0);
  });

  it('aborts a request waiting for headers', async () => {
    hang('/hang-abort');
    const controller = new AbortController();
    const call = httpRequest({ url: `${server.url}/hang-abort` }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 50);
    const error = await httpFailure(call);
    expect(error.code).toBe('ERR_ABORTED');
    expect((error.cause as Error).message).toBe('stop');
  });

  it('aborts a request whose body is stalled', async () => {
    server.route('GET', '/stall-abort', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
    });
    const controller = new AbortController();
    const call = httpRequest({ url: `${server.url}/stall-abort` }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const error = await httpFailure(call);
    expect(error.code).toBe('ERR_ABORTED');
  });
});

describe('network errors', () => {
  it('wraps a failed fetch in ERR_NETWORK with the cause', async () => {
    const cause = new TypeError('fetch failed');
    const fetch = vi.fn<FetchLike>(async () => {
      throw cause;
    });
    const error = await httpFailure(
      httpRequest({ url: 'https://op.example/token', method: 'POST' }, { fetch }),
    );
    expect(error.code).toBe('ERR_NETWORK');
    expect(error.cause).toBe(cause);
    expect(error.url).toBe('https://op.example/token');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('reports a body that breaks off mid-stream as ERR_NETWORK', async () => {
    server.route('GET', '/broken', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"a":', () => res.destroy());
    });
    const error = await httpFailure(
      httpRequest({ url: `${server.url}/broken` }, { retries: 0, timeout: 5_000 }),
    );
    expect(error.code).toBe('ERR_NETWORK');
    expect(error.httpStatus).toBe(200);
  });
});
