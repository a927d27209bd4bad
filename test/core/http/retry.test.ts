import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpError } from '../../../src/core/errors.js';
import type { FetchLike, SleepFn } from '../../../src/core/http/defaults.js';
import { httpRequest } from '../../../src/core/http/request.js';
import {
  backoffDelay,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
} from '../../../src/core/http/retry.js';
import { refusedUrl, startServer, type TestServer } from '../../support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
});

/** A `sleep` that records the delays asked for and returns at once. */
function recorder() {
  const delays: number[] = [];
  const sleep: SleepFn = async (ms) => {
    delays.push(ms);
  };
  return { delays, sleep };
}

/** Answers the listed statuses in turn (with headers), then 200 `{"ok":true}` for ever. */
function sequence(
  method: string,
  path: string,
  answers: Array<{ status: number; headers?: Record<string, string> }>,
): void {
  let call = 0;
  server.route(method, path, (_req, res) => {
    const answer = answers[call++];
    if (answer) {
      res
        .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
        .end(`{"status":${answer.status}}`);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    }
  });
}

async function httpFailure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('parseRetryAfter', () => {
  const now = Date.UTC(2030, 0, 1, 12, 0, 0);

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
  });

  it('reads the three HTTP-date forms (RFC 9110 §5.6.7) as UTC', () => {
    expect(parseRetryAfter('Tue, 01 Jan 2030 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tuesday, 01-Jan-30 12:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Tue Jan  1 12:00:05 2030', now)).toBe(5_000);
  });

  it('gives 0 for a date in the past', () => {
    expect(parseRetryAfter('Mon, 31 Dec 2029 12:00:00 GMT', now)).toBe(0);
  });

  it.each(['', 'soon', '1.5', '-1', '2s', '0x10', '1e3', '2030-01-01T12:00:30Z', 'Jan 1 2030'])(
    'refuses %j',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );

  it('returns undefined for an absent header', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('is base × 2^attempt scaled into [0.5, 1]', () => {
    expect(backoffDelay(0, 1_000, 0)).toBe(500);
    expect(backoffDelay(1, 1_000, 0)).toBe(1_000);
    expect(backoffDelay(3, 1_000, 0)).toBe(4_000);
    expect(backoffDelay(2, 1_000, 0.5)).toBe(3_000);
    expect(backoffDelay(2, 1_000, 0.999_999)).toBeLessThanOrEqual(4_000);
    expect(backoffDelay(2, 1_000, 0.999_999)).toBeGreaterThan(3_990);
  });

  it('grows exponentially whatever the jitter: windows do not overlap', () => {
    for (let sample = 0; sample < 200; sample++) {
      const delays = [0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, 100));
      delays.forEach((delay, attempt) => {
        expect(delay).toBeGreaterThanOrEqual(50 * 2 ** attempt);
        expect(delay).toBeLessThanOrEqual(100 * 2 ** attempt);
      });
    }
  });

  it('jitters (not every delay is the same)', () => {
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(3, 1_000)));
    expect(seen.size).toBeGreaterThan(1);
  });
});

describe('retry decisions', () => {
  it.each([
    [429, null, true],
    [502, null, true],
    [503, null, true],
    [504, null, true],
    [500, null, false],
    [501, null, false],
    [408, null, false],
    [404, null, false],
    [200, null, false],
  ])('idempotent: %i → %s', (status, retryAfter, expected) => {
    expect(isRetryableStatus('idempotent', status, retryAfter)).toBe(expected);
  });

  it.each([
    [429, '1', true],
    [503, '1', true],
    [429, null, false],
    [503, null, false],
    [502, '1', false],
    [504, '1', false],
    [500, '1', false],
  ])('unprocessed: %i with Retry-After %s → %s', (status, retryAfter, expected) => {
    expect(isRetryableStatus('unprocessed', status, retryAfter)).toBe(expected);
  });

  it('never retries a status under "never"', () => {
    for (const status of [429, 502, 503, 504]) {
      expect(isRetryableStatus('never', status, '1')).toBe(false);
    }
  });

  it('retries network errors: any for idempotent, only a refused connection for unprocessed', () => {
    const refused = new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    const reset = new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    const opaque = new TypeError('Failed to fetch');
    expect(isRetryableNetworkError('idempotent', opaque)).toBe(true);
    expect(isRetryableNetworkError('unprocessed', refused)).toBe(true);
    expect(isRetryableNetworkError('unprocessed', reset)).toBe(false);
    expect(isRetryableNetworkError('unprocessed', opaque)).toBe(false);
    expect(isRetryableNetworkError('unprocessed', null)).toBe(false);
    expect(isRetryableNetworkError('never', refused)).toBe(false);
  });
});

describe('GET retries', () => {
  it('succeeds after one retry on 503, waiting within the first backoff window', async () => {
    sequence('GET', '/flaky', [{ status: 503 }]);
    const { delays, sleep } = recorder();
    const response = await httpRequest({ url: `${server.url}/flaky` }, { sleep });
    expect(response.status).toBe(200);
    expect(server.count('/flaky')).toBe(2);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(500);
    expect(delays[0]).toBeLessThanOrEqual(1_000);
  });

  it.each([429, 502, 504])('retries %i', async (status) => {
    sequence('GET', `/retry-${status}`, [{ status }]);
    const { sleep } = recorder();
    const response = await httpRequest({ url: `${server.url}/retry-${status}` }, { sleep });
    expect(response.status).toBe(200);
    expect(server.count(`/retry-${status}`)).toBe(2);
  });

  it.each([500, 404, 400])('does not retry %i', async (status) => {
    sequence('GET', `/final-${status}`, [{ status }]);
    const { delays, sleep } = recorder();
    const response = await httpRequest({ url: `${server.url}/final-${status}` }, { sleep });
    expect(response.status).toBe(status);
    expect(server.count(`/final-${status}`)).toBe(1);
    expect(delays).toEqual([]);
  });

  it('retries `retries` times with growing backoff, then returns the last response', async () => {
    server.json('/down', { down: true }, { status: 503 });
    const { delays, sleep } = recorder();
    const response = await httpRequest(
      { url: `${server.url}/down` },
      { sleep, retries: 4, retryBaseDelay: 100 },
    );
    expect(response.status).toBe(503);
    expect(new TextDecoder().decode(response.body)).toBe('{"down":true}');
    expect(server.count('/down')).toBe(5);
    expect(delays).toHaveLength(4);
    delays.forEach((delay, attempt) => {
      expect(delay).toBeGreaterThanOrEqual(50 * 2 ** attempt);
      expect(delay).toBeLessThanOrEqual(100 * 2 ** attempt);
    });
  });

  it('uses the default backoff when options merely look resolved', async () => {
    // fetch, sleep, timeout, retries and maxBodySize given: retryBaseDelay must still default.
    sequence('GET', '/flaky-full', [{ status: 503 }]);
    const { delays, sleep } = recorder();
    const response = await httpRequest(
      { url: `${server.url}/flaky-full` },
      {
        fetch: (url, init) => fetch(url, init),
        sleep,
        timeout: 5_000,
        retries: 1,
        maxBodySize: 10_000,
      },
    );
    expect(response.status).toBe(200);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(500);
    expect(delays[0]).toBeLessThanOrEqual(1_000);
  });

  it('does not retry when retries is 0', async () => {
    sequence('GET', '/no-retry', [{ status: 503 }]);
    const { delays, sleep } = recorder();
    const response = await httpRequest({ url: `${server.url}/no-retry` }, { sleep, retries: 0 });
    expect(response.status).toBe(503);
    expect(delays).toEqual([]);
  });

  it('treats a lower-case "get" as a GET', async () => {
    sequence('GET', '/lower', [{ status: 503 }]);
    const { sleep } = recorder();
    const response = await httpRequest({ url: `${server.url}/lower`, method: 'get' }, { sleep });
    expect(response.status).toBe(200);
    expect(server.count('/lower')).toBe(2);
  });

  it('waits with the real timer when no sleep is injected', async () => {
    sequence('GET', '/real-sleep', [{ status: 503 }]);
    const response = await httpRequest({ url: `${server.url}/real-sleep` }, { retryBaseDelay: 1 });
    expect(response.status).toBe(200);
    expect(server.count('/real-sleep')).toBe(2);
  });

  it('stops waiting when the caller aborts between attempts', async () => {
    sequence('GET', '/abort-wait', [{ status: 503 }]);
    const controller = new AbortController();
    const started = Date.now();
    const call = httpRequest(
      { url: `${server.url}/abort-wait` },
      { retryBaseDelay: 60_000, signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('enough')), 100);
    const error = await httpFailure(call);
    expect(error.code).toBe('ERR_ABORTED');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.count('/abort-wait')).toBe(1);
  });

  it('does not start the next attempt when the caller aborted during an injected sleep', async () => {
    sequence('GET', '/abort-sleep', [{ status: 503 }]);
    const controller = new AbortController();
    const sleep: SleepFn = async () => {
      controller.abort();
    };
    const error = await httpFailure(
      httpRequest({ url: `${server.url}/abort-sleep` }, { sleep, signal: controller.signal }),
    );
    expect(error.code).toBe('ERR_ABORTED');
    expect(server.count('/abort-sleep')).toBe(1);
  });
});

describe('Retry-After', () => {
  it('waits the seconds of a 429 Retry-After instead of the backoff', async () => {
    sequence('GET', '/slow-down', [{ status: 429, headers: { 'retry-after': '2' } }]);
    const { delays, sleep } = recorder();
    const response = await httpRequest({ url: `${server.url}/slow-down` }, { sleep });
    expect(response.status).toBe(200);
    expect(delays).toEqual([2_000]);
  });

  it('reads Retry-After as an HTTP date', async () => {
    let call = 0;
    server.route('GET', '/dated', (_req, res) => {
      if (call++ === 0) {
        res.writeHead(503, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() }).end();
      } else {
        res.writeHead(200).end();
      }
    });
    const { delays, sleep } = recorder();
    const response = await httpRequest({ url: `${server.url}/dated` }, { sleep });
    expect(response.status).toBe(200);
    expect(delays).toHaveLength(1);
    // The date has whole seconds; allow for them and for the round trip.
    expect(delays[0]).toBeGreaterThan(25_000);
    expect(delays[0]).toBeLessThanOrEqual(30_000);
  });

  it('falls back to the backoff for an unusable Retry-After', async () => {
    sequence('GET', '/odd-retry-after', [{ status: 503, headers: { 'retry-after': '1.5' } }]);
    const { delays, sleep } = recorder();
    await httpRequest({ url: `${server.url}/odd-retry-after` }, { sleep, retryBaseDelay: 100 });
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThanOrEqual(100);
  });

  it('returns the 429 without retrying when Retry-After exceeds the 120 s default cap', async () => {
    sequence('GET', '/too-long', [{ status: 429, headers: { 'retry-after': '121' } }]);
    const { delays, sleep } = recorder();
    const response = await httpRequest({ url: `${server.url}/too-long` }, { sleep });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('121');
    expect(server.count('/too-long')).toBe(1);
    expect(delays).toEqual([]);
  });

  it('waits exactly the cap, and honours a custom maxRetryAfter', async () => {
    sequence('GET', '/at-cap', [{ status: 429, headers: { 'retry-after': '120' } }]);
    const { delays, sleep } = recorder();
    expect((await httpRequest({ url: `${server.url}/at-cap` }, { sleep })).status).toBe(200);
    expect(delays).toEqual([120_000]);

    sequence('GET', '/custom-cap', [{ status: 503, headers: { 'retry-after': '6' } }]);
    const response = await httpRequest(
      { url: `${server.url}/custom-cap` },
      { sleep, maxRetryAfter: 5_000 },
    );
    expect(response.status).toBe(503);
    expect(server.count('/custom-cap')).toBe(1);
  });
});

describe('POST retries', () => {
  it('never retries by default, even a 503 with Retry-After', async () => {
    sequence('POST', '/code', [{ status: 503, headers: { 'retry-after': '1' } }]);
    const { delays, sleep } = recorder();
    const response = await httpRequest(
      { url: `${server.url}/code`, method: 'POST', body: 'grant_type=authorization_code' },
      { sleep },
    );
    expect(response.status).toBe(503);
    expect(server.count('/code')).toBe(1);
    expect(delays).toEqual([]);
  });

  it('"never" sends an authorization code once, whatever the failure', async () => {
    sequence('POST', '/code-never', [{ status: 429, headers: { 'retry-after': '0' } }]);
    const { sleep } = recorder();
    const response = await httpRequest(
      { url: `${server.url}/code-never`, method: 'POST', body: 'code=abc', retry: 'never' },
      { sleep, retries: 5 },
    );
    expect(response.status).toBe(429);
    expect(server.count('/code-never')).toBe(1);

    const { url } = await refusedUrl();
    const fetchSpy = vi.fn<FetchLike>((input, init) => fetch(input, init));
    const error = await httpFailure(
      httpRequest(
        { url: `${url}/token`, method: 'POST', body: 'code=abc', retry: 'never' },
        { sleep, fetch: fetchSpy, retries: 5 },
      ),
    );
    expect(error.code).toBe('ERR_NETWORK');
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it.each([
    [429, '1'],
    [503, '3'],
  ])(
    '"unprocessed" retries %i with Retry-After, resending the same body',
    async (status, after) => {
      const path = `/unprocessed-${status}`;
      sequence('POST', path, [{ status, headers: { 'retry-after': after } }]);
      const { delays, sleep } = recorder();
      const before = server.requests.length;
      const response = await httpRequest(
        {
          url: `${server.url}${path}`,
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'r1' }),
          retry: 'unprocessed',
        },
        { sleep },
      );
      expect(response.status).toBe(200);
      expect(delays).toEqual([Number(after) * 1000]);
      const bodies = server.requests.slice(before).map((r) => r.body);
      expect(bodies).toEqual([
        'grant_type=refresh_token&refresh_token=r1',
        'grant_type=refresh_token&refresh_token=r1',
      ]);
    },
  );

  it.each([
    [500, { 'retry-after': '1' }],
    [502, { 'retry-after': '1' }],
    [503, {}],
    [429, {}],
  ])('"unprocessed" does not retry %i with headers %j', async (status, headers) => {
    const path = `/processed-${status}-${Object.keys(headers).length}`;
    sequence('POST', path, [{ status, headers }]);
    const { delays, sleep } = recorder();
    const response = await httpRequest(
      { url: `${server.url}${path}`, method: 'POST', body: 'x', retry: 'unprocessed' },
      { sleep },
    );
    expect(response.status).toBe(status);
    expect(server.count(path)).toBe(1);
    expect(delays).toEqual([]);
  });

  it('"unprocessed" retries a refused connection (Node) until the server is up', async () => {
    const { url, port } = await refusedUrl();
    let late: TestServer | undefined;
    const delays: number[] = [];
    // The server comes up during the first wait.
    const sleep: SleepFn = async (ms) => {
      delays.push(ms);
      if (!late) {
        late = await startServer(port);
        late.route('POST', '/token', (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"at"}');
        });
      }
    };
    try {
      const response = await httpRequest(
        {
          url: `${url}/token`,
          method: 'POST',
          body: 'grant_type=client_credentials',
          retry: 'unprocessed',
        },
        { sleep, retryBaseDelay: 10 },
      );
      expect(response.status).toBe(200);
      expect(delays).toHaveLength(1);
      expect(late?.count('/token')).toBe(1);
    } finally {
      await late?.close();
    }
  });

  it('"unprocessed" gives up with ERR_NETWORK after `retries` refused connections', async () => {
    const { url } = await refusedUrl();
    const { delays, sleep } = recorder();
    const error = await httpFailure(
      httpRequest(
        { url: `${url}/token`, method: 'POST', body: 'x', retry: 'unprocessed' },
        { sleep, retries: 2, retryBaseDelay: 10 },
      ),
    );
    expect(error.code).toBe('ERR_NETWORK');
    expect((error.cause as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
    expect(delays).toHaveLength(2);
  });

  it('"unprocessed" does not retry other network errors (the request may have arrived)', async () => {
    const fetch = vi.fn<FetchLike>(async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    });
    const { delays, sleep } = recorder();
    const error = await httpFailure(
      httpRequest(
        { url: 'https://op.example/token', method: 'POST', retry: 'unprocessed' },
        { fetch, sleep },
      ),
    );
    expect(error.code).toBe('ERR_NETWORK');
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(delays).toEqual([]);
  });
});

describe('network errors under "idempotent"', () => {
  it('retries `retries` times, then fails with ERR_NETWORK', async () => {
    const { url } = await refusedUrl();
    const fetchSpy = vi.fn<FetchLike>((input, init) => fetch(input, init));
    const { delays, sleep } = recorder();
    const error = await httpFailure(
      httpRequest({ url: `${url}/.well-known/openid-configuration` }, { fetch: fetchSpy, sleep }),
    );
    expect(error.code).toBe('ERR_NETWORK');
    expect(error.url).toBe(`${url}/.well-known/openid-configuration`);
    expect(fetchSpy).toHaveBeenCalledTimes(4);
    expect(delays).toHaveLength(3);
    delays.forEach((delay, attempt) => {
      expect(delay).toBeGreaterThanOrEqual(500 * 2 ** attempt);
      expect(delay).toBeLessThanOrEqual(1_000 * 2 ** attempt);
    });
  });

  it('retries any failed fetch (browsers give no reason) and recovers', async () => {
    let calls = 0;
    const fetch: FetchLike = async () => {
      if (++calls < 3) throw new TypeError('Failed to fetch');
      return new Response('{}', { status: 200 });
    };
    const { delays, sleep } = recorder();
    const response = await httpRequest({ url: 'https://op.example/jwks' }, { fetch, sleep });
    expect(response.status).toBe(200);
    expect(calls).toBe(3);
    expect(delays).toHaveLength(2);
  });
});
