/**
 * One page → worker request (src/client/channel.ts): the envelope sent, typed replies, the
 * timeout (on fake timers), version and shape checks of the reply, and errors rebuilt with their
 * code and OAuth fields.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deserializeError, request } from '../../src/client/channel.js';
import { IdentityModelError } from '../../src/core/errors.js';
import { WorkerError } from '../../src/protocol/errors.js';
import {
  MESSAGE_TAG,
  PROTOCOL_VERSION,
  type SerializedError,
} from '../../src/protocol/messages.js';
import { rejectionOf } from '../support/hostile-op.js';
import { fakeServiceWorker, type Received, replyOk } from './fake-container.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('request', () => {
  it('sends a tagged, versioned envelope with one port and resolves with the result', async () => {
    const fake = fakeServiceWorker((received) => replyOk(received, { url: 'https://op.test/a' }));
    const reply = await request(fake.worker, 'login', { currentUrl: 'https://app.test/' }, 1000);
    expect(reply).toEqual({ url: 'https://op.test/a' });
    expect(fake.received.map((r) => r.data)).toEqual([
      {
        tag: MESSAGE_TAG,
        v: PROTOCOL_VERSION,
        type: 'login',
        payload: { currentUrl: 'https://app.test/' },
      },
    ]);
  });

  describe('timeout', () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });

    it('rejects with ERR_WORKER_TIMEOUT after exactly `timeout` ms, and ignores a late reply', async () => {
      const fake = fakeServiceWorker();
      let settled = false;
      const pending = rejectionOf(
        request(fake.worker, 'getUser', {}, 5000).finally(() => {
          settled = true;
        }),
      );
      await vi.advanceTimersByTimeAsync(4999);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const error = await pending;
      expect(error).toBeInstanceOf(WorkerError);
      expect((error as WorkerError).code).toBe('ERR_WORKER_TIMEOUT');
      expect((error as WorkerError).message).toContain('"getUser" within 5000 ms');
      // The port is closed: a reply now goes nowhere and throws nothing.
      replyOk(fake.received[0]!, { state: 'unauthenticated', user: null });
    });

    it('clears its timer once the worker has answered', async () => {
      const fake = fakeServiceWorker((received) => replyOk(received, { claimed: true }));
      const pending = request(fake.worker, 'claim', {}, 5000);
      await vi.waitFor(() => expect(vi.getTimerCount()).toBe(1));
      await expect(pending).resolves.toEqual({ claimed: true });
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  it.each([
    [
      'another protocol version',
      { tag: MESSAGE_TAG, v: PROTOCOL_VERSION + 1, ok: true, result: {} },
      'ERR_PROTOCOL_VERSION',
    ],
    ['an untagged reply', { v: PROTOCOL_VERSION, ok: true, result: {} }, 'ERR_INVALID_MESSAGE'],
    ['a reply that is not an object', 'ok', 'ERR_INVALID_MESSAGE'],
  ])('refuses %s', async (_name, reply, code) => {
    const fake = fakeServiceWorker((received: Received) => received.port.postMessage(reply));
    const error = await rejectionOf(request(fake.worker, 'hello', {}, 1000));
    expect(error).toBeInstanceOf(WorkerError);
    expect((error as WorkerError).code).toBe(code);
  });

  it("rejects with the worker's error, rebuilt", async () => {
    const serialized: SerializedError = {
      name: 'ProtocolError',
      code: 'ERR_OAUTH_ERROR',
      message: 'refused',
      error: 'invalid_grant',
      errorDescription: 'grant revoked',
      httpStatus: 400,
    };
    const fake = fakeServiceWorker((received) =>
      received.port.postMessage({
        tag: MESSAGE_TAG,
        v: PROTOCOL_VERSION,
        ok: false,
        error: serialized,
      }),
    );
    const error = await rejectionOf(request(fake.worker, 'logout', {}, 1000));
    expect(error).toBeInstanceOf(IdentityModelError);
    expect(error).toMatchObject({
      name: 'ProtocolError',
      code: 'ERR_OAUTH_ERROR',
      message: 'refused',
      error: 'invalid_grant',
      errorDescription: 'grant revoked',
      httpStatus: 400,
    });
  });
});

describe('deserializeError', () => {
  it.each([
    'ERR_PROTOCOL_VERSION',
    'ERR_WORKER_UNAVAILABLE',
    'ERR_WORKER_TIMEOUT',
    'ERR_INVALID_MESSAGE',
    'ERR_LOGIN_REQUIRED',
    'ERR_TOKEN_NOT_ALLOWED',
  ])('rebuilds %s as a WorkerError', (code) => {
    const error = deserializeError({ name: 'WorkerError', code, message: 'm' });
    expect(error).toBeInstanceOf(WorkerError);
    expect([error.name, error.code, error.message]).toEqual(['WorkerError', code, 'm']);
  });

  it('keeps the fields of a validation or callback error, and nothing undefined', () => {
    const error = deserializeError({
      name: 'AuthorizationResponseError',
      code: 'ERR_STATE_MISMATCH',
      message: 'm',
      parameter: 'state',
      claim: undefined,
    });
    expect(error).toBeInstanceOf(IdentityModelError);
    expect(error).not.toBeInstanceOf(WorkerError);
    expect((error as unknown as { parameter: string }).parameter).toBe('state');
    expect(Object.hasOwn(error, 'claim')).toBe(false);
  });
});
