import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, HttpError } from '../../../src/core/errors.js';
import {
  checkHttpOptions,
  configureHttp,
  DEFAULT_MAX_BODY_SIZE,
  type FetchLike,
  resetEnvironmentDefaults,
  resolveHttpOptions,
  type SleepFn,
} from '../../../src/core/http/defaults.js';
import { httpRequest } from '../../../src/core/http/request.js';
import { startServer, type TestServer } from '../../support/server.js';

const VARIABLES = [
  'HTTP_TIMEOUT',
  'HTTP_RETRY_COUNT',
  'HTTP_RETRY_MAX_ATTEMPTS',
  'HTTP_RETRY_BASE_DELAY',
] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

function setEnv(values: Partial<Record<(typeof VARIABLES)[number], string>>): void {
  for (const name of VARIABLES) delete process.env[name];
  Object.assign(process.env, values);
  resetEnvironmentDefaults();
}

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  setEnv({});
  configureHttp();
});

afterEach(() => {
  configureHttp();
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  resetEnvironmentDefaults();
});

const okFetch = () => vi.fn<FetchLike>(async () => new Response('{}', { status: 200 }));

describe('built-in defaults', () => {
  it('are 30 s timeout, 3 retries, 1 s base delay, 120 s Retry-After cap, 1 MiB body', () => {
    const settings = resolveHttpOptions();
    expect(settings).toMatchObject({
      timeout: 30_000,
      retries: 3,
      retryBaseDelay: 1_000,
      maxRetryAfter: 120_000,
      maxBodySize: 1_048_576,
      signal: undefined,
    });
    expect(DEFAULT_MAX_BODY_SIZE).toBe(1_048_576);
    expect(typeof settings.fetch).toBe('function');
    expect(typeof settings.sleep).toBe('function');
  });

  it('use globalThis.fetch at call time by default', async () => {
    const fetch = okFetch();
    vi.stubGlobal('fetch', fetch);
    try {
      await httpRequest({ url: 'https://op.example/' });
      expect(fetch).toHaveBeenCalledTimes(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('resolving resolved settings changes nothing', () => {
    const signal = new AbortController().signal;
    const once = resolveHttpOptions({ timeout: 5, signal });
    expect(resolveHttpOptions(once)).toEqual(once);
  });
});

describe('environment variables', () => {
  it('set timeout and base delay (seconds) and the retry count', () => {
    setEnv({ HTTP_TIMEOUT: '5', HTTP_RETRY_COUNT: '1', HTTP_RETRY_BASE_DELAY: '0.25' });
    expect(resolveHttpOptions()).toMatchObject({
      timeout: 5_000,
      retries: 1,
      retryBaseDelay: 250,
    });
  });

  it('accept the older HTTP_RETRY_MAX_ATTEMPTS, with HTTP_RETRY_COUNT winning', () => {
    setEnv({ HTTP_RETRY_MAX_ATTEMPTS: '2' });
    expect(resolveHttpOptions().retries).toBe(2);
    setEnv({ HTTP_RETRY_MAX_ATTEMPTS: '2', HTTP_RETRY_COUNT: '5' });
    expect(resolveHttpOptions().retries).toBe(5);
  });

  it('ignore empty values', () => {
    setEnv({ HTTP_TIMEOUT: '', HTTP_RETRY_COUNT: '  ' });
    expect(resolveHttpOptions()).toMatchObject({ timeout: 30_000, retries: 3 });
  });

  it('are read once, until reset', () => {
    setEnv({ HTTP_TIMEOUT: '5' });
    expect(resolveHttpOptions().timeout).toBe(5_000);
    process.env.HTTP_TIMEOUT = '7';
    expect(resolveHttpOptions().timeout).toBe(5_000);
    resetEnvironmentDefaults();
    expect(resolveHttpOptions().timeout).toBe(7_000);
  });

  it.each([
    ['HTTP_TIMEOUT', 'abc'],
    ['HTTP_TIMEOUT', '-1'],
    ['HTTP_TIMEOUT', '0'],
    ['HTTP_TIMEOUT', 'Infinity'],
    ['HTTP_TIMEOUT', '9999999'],
    ['HTTP_RETRY_COUNT', '1.5'],
    ['HTTP_RETRY_COUNT', '-1'],
    ['HTTP_RETRY_COUNT', 'three'],
    ['HTTP_RETRY_MAX_ATTEMPTS', 'x'],
    ['HTTP_RETRY_BASE_DELAY', '-0.5'],
    ['HTTP_RETRY_BASE_DELAY', 'NaN'],
  ] as const)('reject %s=%j with ERR_CONFIGURATION naming the variable', (name, value) => {
    setEnv({ [name]: value });
    let error: unknown;
    try {
      resolveHttpOptions();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'ERR_CONFIGURATION' });
    expect((error as Error).message).toContain(name);
    expect((error as Error).message).toContain(value);
  });

  it('a bad value fails the request before any traffic', async () => {
    setEnv({ HTTP_RETRY_COUNT: 'many' });
    const fetch = okFetch();
    await expect(httpRequest({ url: 'https://op.example/' }, { fetch })).rejects.toMatchObject({
      code: 'ERR_CONFIGURATION',
    });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('take effect on real requests: HTTP_RETRY_COUNT', async () => {
    setEnv({ HTTP_RETRY_COUNT: '1', HTTP_RETRY_BASE_DELAY: '0' });
    server.json('/env-down', {}, { status: 503 });
    const response = await httpRequest({ url: `${server.url}/env-down` });
    expect(response.status).toBe(503);
    expect(server.count('/env-down')).toBe(2);
  });

  it('take effect on real requests: HTTP_TIMEOUT', async () => {
    setEnv({ HTTP_TIMEOUT: '0.2' });
    server.route('GET', '/env-hang', () => {});
    const started = Date.now();
    const error = await httpRequest({ url: `${server.url}/env-hang` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ code: 'ERR_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('configureHttp', () => {
  it('sets defaults that per-call options override', () => {
    const globalFetch = okFetch();
    const callFetch = okFetch();
    configureHttp({ timeout: 10_000, retries: 1, maxBodySize: 2048, fetch: globalFetch });
    expect(resolveHttpOptions()).toMatchObject({
      timeout: 10_000,
      retries: 1,
      maxBodySize: 2048,
      retryBaseDelay: 1_000,
      fetch: globalFetch,
    });
    expect(resolveHttpOptions({ timeout: 500, fetch: callFetch })).toMatchObject({
      timeout: 500,
      retries: 1,
      fetch: callFetch,
    });
  });

  it('sits above the environment variables', () => {
    setEnv({ HTTP_TIMEOUT: '5', HTTP_RETRY_COUNT: '2' });
    configureHttp({ timeout: 9_000 });
    expect(resolveHttpOptions()).toMatchObject({ timeout: 9_000, retries: 2 });
    expect(resolveHttpOptions({ retries: 0 })).toMatchObject({ timeout: 9_000, retries: 0 });
  });

  it('is reset by calling it with no argument, and replaced (not merged) by each call', () => {
    configureHttp({ timeout: 10_000, retries: 1 });
    configureHttp({ retries: 2 });
    expect(resolveHttpOptions()).toMatchObject({ timeout: 30_000, retries: 2 });
    configureHttp();
    expect(resolveHttpOptions()).toMatchObject({ timeout: 30_000, retries: 3 });
  });

  it('copies its argument (later mutation has no effect)', () => {
    const defaults = { timeout: 10_000 };
    configureHttp(defaults);
    defaults.timeout = 1;
    expect(resolveHttpOptions().timeout).toBe(10_000);
  });

  it('rejects bad values quoting "defaults.…" and keeps the previous defaults', () => {
    configureHttp({ timeout: 10_000 });
    expect(() => configureHttp({ timeout: 0 })).toThrow(/"defaults\.timeout"/);
    expect(() => configureHttp({ retries: 1.5 })).toThrow(/"defaults\.retries"/);
    expect(resolveHttpOptions().timeout).toBe(10_000);
  });

  it('a globally injected fetch is used by requests; a per-call one wins', async () => {
    const globalFetch = okFetch();
    const callFetch = okFetch();
    configureHttp({ fetch: globalFetch });
    await httpRequest({ url: 'https://op.example/a' });
    expect(globalFetch).toHaveBeenCalledTimes(1);
    expect(globalFetch.mock.calls[0]![0]).toBe('https://op.example/a');
    await httpRequest({ url: 'https://op.example/b' }, { fetch: callFetch });
    expect(callFetch).toHaveBeenCalledTimes(1);
    expect(globalFetch).toHaveBeenCalledTimes(1);
  });

  it('a global retry count and sleep apply to requests', async () => {
    const delays: number[] = [];
    const sleep: SleepFn = async (ms) => {
      delays.push(ms);
    };
    configureHttp({ retries: 2, retryBaseDelay: 10, sleep });
    server.json('/global-down', {}, { status: 502 });
    const response = await httpRequest({ url: `${server.url}/global-down` });
    expect(response.status).toBe(502);
    expect(server.count('/global-down')).toBe(3);
    expect(delays).toHaveLength(2);
  });
});

describe('checkHttpOptions', () => {
  it.each([
    [{ timeout: 0 }, 'options.timeout'],
    [{ timeout: Number.NaN }, 'options.timeout'],
    [{ timeout: 2 ** 31 }, 'options.timeout'],
    [{ retries: -1 }, 'options.retries'],
    [{ retries: 0.5 }, 'options.retries'],
    [{ retryBaseDelay: -1 }, 'options.retryBaseDelay'],
    [{ maxRetryAfter: Number.POSITIVE_INFINITY }, 'options.maxRetryAfter'],
    [{ maxBodySize: 0 }, 'options.maxBodySize'],
    [{ maxBodySize: 10.5 }, 'options.maxBodySize'],
    [{ fetch: 'fetch' }, 'options.fetch'],
    [{ sleep: 1 }, 'options.sleep'],
    [{ timeout: '100' }, 'options.timeout'],
  ])('rejects %j quoting %s', (options, path) => {
    expect(() => checkHttpOptions(options as never)).toThrow(ConfigurationError);
    expect(() => checkHttpOptions(options as never)).toThrow(`"${path}"`);
  });

  it('accepts the boundaries', () => {
    expect(() =>
      checkHttpOptions({
        timeout: 1,
        retries: 0,
        retryBaseDelay: 0,
        maxRetryAfter: 0,
        maxBodySize: 1,
      }),
    ).not.toThrow();
    expect(() => checkHttpOptions({ timeout: 2 ** 31 - 1 })).not.toThrow();
  });
});
