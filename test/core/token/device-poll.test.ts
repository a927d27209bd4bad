/**
 * requestDeviceToken and pollDeviceToken against a local token endpoint that answers
 * `authorization_pending`, `slow_down`, `expired_token`, `access_denied`, hangs or succeeds
 * (RFC 8628 §3.4, §3.5). Sleeps are recorded, never waited, except where promptness is the point.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SleepFn } from '../../../src/core/http/defaults.js';
import {
  MIN_DEVICE_POLL_INTERVAL,
  pollDeviceToken,
  SLOW_DOWN_INCREMENT,
} from '../../../src/core/token/device-poll.js';
import { requestDeviceToken } from '../../../src/core/token/device-token.js';
import { expectConfigurationError, expectFailure, expectSuccess } from '../../support/result.js';
import { startServer, type TestServer } from '../../support/server.js';
import { type Answer, onlyRequest, sleepRecorder, TOKEN_BODY, tokenRoute } from './token-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
});

const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';
const oauthError = (error: string, status = 400): Answer => ({
  status,
  body: { error, error_description: `${error} (test)` },
});
const PENDING = oauthError('authorization_pending');
const SLOW_DOWN = oauthError('slow_down');
const SUCCESS: Answer = { body: { ...TOKEN_BODY, refresh_token: 'rt-device' } };

/** A clock that the recorded sleeps move forward, so deadlines can be tested without waiting. */
function fakeTime(start = 1_700_000_000_000): {
  now: () => number;
  sleep: SleepFn;
  delays: number[];
} {
  let time = start;
  const delays: number[] = [];
  return {
    now: () => time,
    delays,
    sleep: async (ms) => {
      delays.push(ms);
      time += ms;
    },
  };
}

describe('requestDeviceToken: one poll', () => {
  it('sends the device_code grant and returns the token on success', async () => {
    const route = tokenRoute(server, SUCCESS);
    const token = expectSuccess(
      await requestDeviceToken({ address: route.url, clientId: 'tv-app', deviceCode: 'dc-1' }),
    );
    const request = onlyRequest(route);
    expect(request.form.get('grant_type')).toBe(DEVICE_CODE);
    expect(request.form.get('device_code')).toBe('dc-1');
    expect(request.form.get('client_id')).toBe('tv-app');
    expect(token.accessToken).toBe('at-123');
    expect(token.refreshToken).toBe('rt-device');
  });

  it('returns authorization_pending as a protocol failure', async () => {
    const route = tokenRoute(server, PENDING);
    const failure = expectFailure(
      await requestDeviceToken({ address: route.url, clientId: 'tv-app', deviceCode: 'dc-1' }),
      { errorType: 'protocol' },
    );
    expect(failure.error).toBe('authorization_pending');
    expect(failure.httpStatus).toBe(400);
  });

  it('throws ConfigurationError for a missing device code', async () => {
    const route = tokenRoute(server, SUCCESS);
    await expectConfigurationError(
      () => requestDeviceToken({ address: route.url, clientId: 'tv-app', deviceCode: '' }),
      /deviceCode/,
    );
    expect(route.seen()).toHaveLength(0);
  });
});

describe('pollDeviceToken', () => {
  it('keeps polling while authorization_pending, waiting the interval before each poll', async () => {
    const route = tokenRoute(server, PENDING, PENDING, SUCCESS);
    const { delays, sleep } = sleepRecorder();
    const token = expectSuccess(
      await pollDeviceToken({
        address: route.url,
        clientId: 'tv-app',
        deviceCode: 'dc-2',
        interval: 5,
        sleep,
      }),
    );
    expect(token.accessToken).toBe('at-123');
    expect(delays).toEqual([5000, 5000, 5000]);
    const seen = route.seen();
    expect(seen).toHaveLength(3);
    for (const request of seen) {
      expect(request.form.get('grant_type')).toBe(DEVICE_CODE);
      expect(request.form.get('device_code')).toBe('dc-2');
    }
  });

  it('adds 5 seconds to the interval on each slow_down, for every later poll (RFC 8628 §3.5)', async () => {
    const route = tokenRoute(server, SLOW_DOWN, PENDING, SLOW_DOWN, PENDING, SUCCESS);
    const { delays, sleep } = sleepRecorder();
    expectSuccess(
      await pollDeviceToken({
        address: route.url,
        clientId: 'tv-app',
        deviceCode: 'dc-3',
        interval: 5,
        sleep,
      }),
    );
    expect(SLOW_DOWN_INCREMENT).toBe(5);
    expect(delays).toEqual([5000, 10000, 10000, 15000, 15000]);
    expect(route.seen()).toHaveLength(5);
  });

  it('waits 5 seconds by default', async () => {
    const route = tokenRoute(server, PENDING, SUCCESS);
    const { delays, sleep } = sleepRecorder();
    expectSuccess(
      await pollDeviceToken({ address: route.url, clientId: 'tv-app', deviceCode: 'd', sleep }),
    );
    expect(delays).toEqual([5000, 5000]);
  });

  it('never polls more often than once a second, whatever the interval', async () => {
    const route = tokenRoute(server, PENDING, SUCCESS);
    const { delays, sleep } = sleepRecorder();
    expectSuccess(
      await pollDeviceToken({
        address: route.url,
        clientId: 'tv-app',
        deviceCode: 'd',
        interval: 0,
        sleep,
      }),
    );
    expect(MIN_DEVICE_POLL_INTERVAL).toBe(1);
    expect(delays).toEqual([1000, 1000]);
  });

  it.each([['expired_token'], ['access_denied'], ['invalid_grant']])(
    'stops at %s with that protocol failure',
    async (error) => {
      const route = tokenRoute(server, PENDING, oauthError(error), SUCCESS);
      const { delays, sleep } = sleepRecorder();
      const failure = expectFailure(
        await pollDeviceToken({
          address: route.url,
          clientId: 'tv-app',
          deviceCode: 'dc-4',
          interval: 5,
          sleep,
        }),
        { code: 'ERR_OAUTH_ERROR', errorType: 'protocol' },
      );
      expect(failure.error).toBe(error);
      expect(failure.errorDescription).toBe(`${error} (test)`);
      expect(failure.httpStatus).toBe(400);
      expect(route.seen()).toHaveLength(2);
      expect(delays).toEqual([5000, 5000]);
      expect(() => Reflect.get(failure, 'accessToken')).toThrow(/failed response/);
    },
  );

  it('stops with a local expired_token once the next poll would start after expiresIn', async () => {
    const route = tokenRoute(server, PENDING);
    const time = fakeTime();
    const failure = expectFailure(
      await pollDeviceToken({
        address: route.url,
        clientId: 'tv-app',
        deviceCode: 'dc-5',
        interval: 5,
        expiresIn: 12,
        sleep: time.sleep,
        now: time.now,
      }),
    );
    // Polls at 5 s and 10 s; one at 15 s would be past the 12 s lifetime, so it is not sent.
    expect(time.delays).toEqual([5000, 5000]);
    expect(route.seen()).toHaveLength(2);
    expect(failure.errorType).toBe('protocol');
    expect(failure.error).toBe('expired_token');
    expect(failure.httpStatus).toBeUndefined();
  });

  it('counts slow_down increments against the expiry', async () => {
    const route = tokenRoute(server, SLOW_DOWN);
    const time = fakeTime();
    const failure = expectFailure(
      await pollDeviceToken({
        address: route.url,
        clientId: 'tv-app',
        deviceCode: 'dc-6',
        interval: 5,
        expiresIn: 30,
        sleep: time.sleep,
        now: time.now,
      }),
    );
    // Polls at 5 s and (after slow_down) 15 s; the next, 15 s later, would fall on the expiry.
    expect(time.delays).toEqual([5000, 10000]);
    expect(route.seen()).toHaveLength(2);
    expect(failure.error).toBe('expired_token');
  });

  it('doubles the interval after a timed-out poll (RFC 8628 §3.5) and polls again', async () => {
    const path = '/device-token-hangs-once';
    let calls = 0;
    server.route('POST', path, (_req, res) => {
      if (++calls === 1) return; // never answers: the attempt times out
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(TOKEN_BODY));
    });
    const { delays, sleep } = sleepRecorder();
    const token = expectSuccess(
      await pollDeviceToken({
        address: `${server.url}${path}`,
        clientId: 'tv-app',
        deviceCode: 'dc-7',
        interval: 5,
        timeout: 200,
        sleep,
      }),
    );
    expect(token.accessToken).toBe('at-123');
    expect(delays).toEqual([5000, 10000]);
    expect(calls).toBe(2);
  });

  it('returns other failures (a server error) without polling again', async () => {
    const route = tokenRoute(server, {
      status: 500,
      body: 'oops',
      headers: { 'content-type': 'text/plain' },
    });
    const { delays, sleep } = sleepRecorder();
    const failure = expectFailure(
      await pollDeviceToken({ address: route.url, clientId: 'tv-app', deviceCode: 'd', sleep }),
    );
    expect(failure.errorType).not.toBe('protocol');
    expect(failure.httpStatus).toBe(500);
    expect(route.seen()).toHaveLength(1);
    expect(delays).toEqual([5000]);
  });

  it('stops promptly with ERR_ABORTED when the signal aborts during the wait (real timer)', async () => {
    const route = tokenRoute(server, PENDING);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const failure = expectFailure(
      await pollDeviceToken({
        address: route.url,
        clientId: 'tv-app',
        deviceCode: 'dc-8',
        interval: 5,
        signal: controller.signal,
      }),
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(failure.errorCode).toBe('ERR_ABORTED');
    expect(failure.errorType).toBe('network');
    expect(route.seen()).toHaveLength(0);
  });

  it('stops with ERR_ABORTED when the signal aborts during a poll', async () => {
    const path = '/device-token-hangs';
    const controller = new AbortController();
    server.route('POST', path, () => {
      controller.abort(); // the request arrived: abort while it is in flight
    });
    const { delays, sleep } = sleepRecorder();
    expectFailure(
      await pollDeviceToken({
        address: `${server.url}${path}`,
        clientId: 'tv-app',
        deviceCode: 'dc-9',
        interval: 5,
        signal: controller.signal,
        sleep,
      }),
      { code: 'ERR_ABORTED' },
    );
    expect(delays).toEqual([5000]);
    expect(server.count(path)).toBe(1);
  });

  it('sends no poll after an abort that an injected sleep ignored', async () => {
    const route = tokenRoute(server, PENDING);
    const controller = new AbortController();
    const delays: number[] = [];
    expectFailure(
      await pollDeviceToken({
        address: route.url,
        clientId: 'tv-app',
        deviceCode: 'dc-10',
        interval: 5,
        signal: controller.signal,
        sleep: async (ms) => {
          delays.push(ms);
          if (delays.length === 2) controller.abort();
        },
      }),
      { code: 'ERR_ABORTED' },
    );
    expect(delays).toEqual([5000, 5000]);
    expect(route.seen()).toHaveLength(1);
  });

  it('returns ERR_ABORTED at once for an already-aborted signal', async () => {
    const route = tokenRoute(server, SUCCESS);
    const { delays, sleep } = sleepRecorder();
    expectFailure(
      await pollDeviceToken({
        address: route.url,
        clientId: 'tv-app',
        deviceCode: 'd',
        signal: AbortSignal.abort(),
        sleep,
      }),
      { code: 'ERR_ABORTED' },
    );
    expect(delays).toEqual([]);
    expect(route.seen()).toHaveLength(0);
  });

  it.each([
    [{ interval: -1 }, /interval/],
    [{ interval: Number.NaN }, /interval/],
    [{ expiresIn: '600' as unknown as number }, /expiresIn/],
    [{ deviceCode: '' }, /deviceCode/],
    [{ address: 'ftp://op.example/token' }, /address/],
    [{ now: 5 as unknown as () => number }, /now/],
  ])('throws ConfigurationError for %o before any wait', async (change, message) => {
    const route = tokenRoute(server, SUCCESS);
    const { delays, sleep } = sleepRecorder();
    await expectConfigurationError(
      () =>
        pollDeviceToken({
          address: route.url,
          clientId: 'tv-app',
          deviceCode: 'd',
          sleep,
          ...change,
        }),
      message,
    );
    expect(delays).toEqual([]);
    expect(route.seen()).toHaveLength(0);
  });
});
