/**
 * The page client (src/client/client.ts) against a fake `navigator.serviceWorker`: events reach
 * every listener (one that throws does not keep them from the others), foreign events are
 * ignored, requests time out, a failed start is retried, and replies come back typed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIdentityClient, type IdentityClient } from '../../src/client/client.js';
import { WorkerError } from '../../src/protocol/errors.js';
import { MESSAGE_TAG, PROTOCOL_VERSION, type WorkerEvent } from '../../src/protocol/messages.js';
import { rejectionOf } from '../support/hostile-op.js';
import {
  FakeContainer,
  type FakeServiceWorker,
  fakeServiceWorker,
  type Received,
  registrationOf,
  replyOk,
} from './fake-container.js';

const SIGNED_OUT = { state: 'unauthenticated', user: null } as const;

let fake: FakeServiceWorker;
let container: FakeContainer;
let navigated: string[];

/** Answers hello with SIGNED_OUT, and `others` for the other types. */
function answering(others: Record<string, unknown> = {}) {
  return (received: Received) => {
    const { type } = received.data;
    if (type === 'hello') replyOk(received, { protocolVersion: PROTOCOL_VERSION, ...SIGNED_OUT });
    else if (type in others) replyOk(received, others[type]);
  };
}

function client(timeout = 1000): IdentityClient {
  return createIdentityClient({
    serviceWorker: container.registration,
    timeout,
    navigate: (url) => navigated.push(url),
  });
}

beforeEach(() => {
  fake = fakeServiceWorker(answering());
  container = new FakeContainer(registrationOf(fake.worker));
  navigated = [];
  vi.stubGlobal('navigator', { serviceWorker: container });
  vi.stubGlobal('location', { href: 'https://app.test/orders' });
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const event = (data: WorkerEvent) => ({ tag: MESSAGE_TAG, v: PROTOCOL_VERSION, event: data });
const EXPIRED: WorkerEvent = { type: 'sessionexpired', state: 'expired', user: null };

describe('events', () => {
  it('starts the message queue and gives each event to every listener', () => {
    const identity = client();
    expect(container.started).toBe(true);
    const first: WorkerEvent[] = [];
    const second: WorkerEvent[] = [];
    identity.subscribe((e) => first.push(e));
    const unsubscribe = identity.subscribe((e) => second.push(e));
    container.deliver(event(EXPIRED));
    unsubscribe();
    container.deliver(event(EXPIRED));
    expect(first).toEqual([EXPIRED, EXPIRED]);
    expect(second).toEqual([EXPIRED]);
  });

  it('a listener that throws does not keep the event from the others; its error is rethrown apart', () => {
    const rethrown: (() => void)[] = [];
    vi.stubGlobal('queueMicrotask', (task: () => void) => rethrown.push(task));
    const identity = client();
    const seen: WorkerEvent[] = [];
    const failure = new Error('listener bug');
    identity.subscribe(() => {
      throw failure;
    });
    identity.subscribe((e) => seen.push(e));
    container.deliver(event(EXPIRED));
    expect(seen).toEqual([EXPIRED]);
    expect(rethrown).toHaveLength(1);
    expect(() => rethrown[0]!()).toThrow(failure);
  });

  it.each([
    ['another protocol version', { tag: MESSAGE_TAG, v: PROTOCOL_VERSION + 1, event: EXPIRED }],
    ['an untagged message', { v: PROTOCOL_VERSION, event: EXPIRED }],
    ['an envelope without an event', { tag: MESSAGE_TAG, v: PROTOCOL_VERSION }],
    ['a string', 'sessionexpired'],
  ])('ignores %s', (_name, data) => {
    const identity = client();
    const seen: WorkerEvent[] = [];
    identity.subscribe((e) => seen.push(e));
    container.deliver(data);
    expect(seen).toEqual([]);
  });
});

describe('requests', () => {
  it('greets the worker once, then sends typed requests', async () => {
    fake.answer = answering({ getUser: SIGNED_OUT, login: { url: 'https://op.test/authorize?x' } });
    const identity = client();
    expect(await identity.ready()).toEqual({ protocolVersion: PROTOCOL_VERSION, ...SIGNED_OUT });
    expect(await identity.getUser()).toEqual(SIGNED_OUT);
    await identity.login({ prompt: 'login' });
    expect(fake.received.map((r) => r.data.type)).toEqual(['hello', 'getUser', 'login']);
    expect(fake.received[2]!.data.payload).toEqual({
      prompt: 'login',
      currentUrl: 'https://app.test/orders',
    });
    expect(navigated).toEqual(['https://op.test/authorize?x']);
  });

  it('times out a request the worker does not answer', async () => {
    vi.useFakeTimers();
    const identity = client(3000);
    await identity.ready();
    const pending = rejectionOf(identity.getUser());
    await vi.advanceTimersByTimeAsync(3000);
    const error = await pending;
    expect(error).toBeInstanceOf(WorkerError);
    expect((error as WorkerError).code).toBe('ERR_WORKER_TIMEOUT');
  });

  it('retries the greeting after a failed start', async () => {
    vi.useFakeTimers();
    fake.answer = () => {};
    const identity = client(3000);
    const first = rejectionOf(identity.ready());
    await vi.advanceTimersByTimeAsync(3000);
    expect((await first) as WorkerError).toMatchObject({ code: 'ERR_WORKER_TIMEOUT' });
    fake.answer = answering();
    expect(await identity.ready()).toMatchObject(SIGNED_OUT);
    expect(fake.received.map((r) => r.data.type)).toEqual(['hello', 'hello']);
  });

  it("rejects with the worker's typed error", async () => {
    fake.answer = (received) => {
      if (received.data.type === 'hello') return answering()(received);
      received.port.postMessage({
        tag: MESSAGE_TAG,
        v: PROTOCOL_VERSION,
        ok: false,
        error: { name: 'WorkerError', code: 'ERR_TOKEN_NOT_ALLOWED', message: 'no' },
      });
    };
    const error = await rejectionOf(client().getAccessToken('wss://api.test/'));
    expect(error).toBeInstanceOf(WorkerError);
    expect((error as WorkerError).code).toBe('ERR_TOKEN_NOT_ALLOWED');
  });

  it('refuses to start without service workers', () => {
    vi.stubGlobal('navigator', {});
    expect(() => client()).toThrow(
      expect.objectContaining({ code: 'ERR_WORKER_UNAVAILABLE' }) as unknown as Error,
    );
  });
});

describe('keep-alive (issue 8 item 3)', () => {
  const SIGNED_IN = {
    state: 'authenticated',
    user: { sub: 'user-1', claims: {}, expiresAt: 0, scope: undefined },
  } as const;
  const keepAlives = () => fake.received.filter((r) => r.data.type === 'keepAlive').length;
  const changed = (state: 'authenticated' | 'unauthenticated'): WorkerEvent => ({
    type: 'userchanged',
    state,
    user: state === 'authenticated' ? SIGNED_IN.user : null,
  });

  /** Answers hello with `hello`, and keepAlive with the state `keepAliveState()` gives. */
  function worker(hello: object, keepAliveState: () => string = () => 'authenticated') {
    return (received: Received) => {
      const { type } = received.data;
      if (type === 'hello') replyOk(received, { protocolVersion: PROTOCOL_VERSION, ...hello });
      if (type === 'keepAlive') replyOk(received, { state: keepAliveState() });
    };
  }

  it('sends keepAlive every 20 s while the session is authenticated; stops when the reply says it is not', async () => {
    vi.useFakeTimers();
    let state = 'authenticated';
    fake.answer = worker(SIGNED_IN, () => state);
    await client().ready();
    await vi.advanceTimersByTimeAsync(19_999);
    expect(keepAlives()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(keepAlives()).toBe(1);
    await vi.advanceTimersByTimeAsync(40_000);
    expect(keepAlives()).toBe(3);
    expect(fake.received.at(-1)!.data).toMatchObject({ v: PROTOCOL_VERSION, payload: {} });
    state = 'expired';
    await vi.advanceTimersByTimeAsync(20_000);
    expect(keepAlives()).toBe(4);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(keepAlives()).toBe(4);
  });

  it('sends none while signed out; starts on sign-in, stops on sessionexpired and on sign-out', async () => {
    vi.useFakeTimers();
    fake.answer = worker(SIGNED_OUT);
    await client().ready();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(keepAlives()).toBe(0);
    container.deliver(event(changed('authenticated')));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(keepAlives()).toBe(1);
    container.deliver(event(EXPIRED));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(keepAlives()).toBe(1);
    container.deliver(event(changed('authenticated')));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(keepAlives()).toBe(2);
    container.deliver(event(changed('unauthenticated')));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(keepAlives()).toBe(2);
  });

  it('keepAliveInterval sets the period in seconds; 0 turns the keep-alive off', async () => {
    vi.useFakeTimers();
    fake.answer = worker(SIGNED_IN);
    const every5 = createIdentityClient({
      serviceWorker: container.registration,
      keepAliveInterval: 5,
    });
    await every5.ready();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(keepAlives()).toBe(4);
    container.deliver(event(EXPIRED));

    fake.received.length = 0;
    const off = createIdentityClient({
      serviceWorker: container.registration,
      keepAliveInterval: 0,
    });
    await off.ready();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(keepAlives()).toBe(0);
  });

  it('a keepAlive reply overtaken by an event does not count (sign-out while a tick is answered)', async () => {
    vi.useFakeTimers();
    const held: Received[] = [];
    fake.answer = (received) => {
      if (received.data.type === 'hello') worker(SIGNED_IN)(received);
      else held.push(received);
    };
    await client(60_000).ready();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(held).toHaveLength(1);
    // The worker answered the tick before the sign-out, but the page gets the event first.
    container.deliver(event(changed('unauthenticated')));
    replyOk(held[0]!, { state: 'authenticated' });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(keepAlives()).toBe(1);
  });

  it('a worker that refuses keepAlive (an older version) does not stop or break it', async () => {
    vi.useFakeTimers();
    fake.answer = (received) => {
      if (received.data.type === 'hello') return worker(SIGNED_IN)(received);
      received.port.postMessage({
        tag: MESSAGE_TAG,
        v: PROTOCOL_VERSION,
        ok: false,
        error: {
          name: 'WorkerError',
          code: 'ERR_INVALID_MESSAGE',
          message: 'Unknown request type',
        },
      });
    };
    await client().ready();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(keepAlives()).toBe(3);
  });
});

describe("the worker's silent sign-in request (sw/recover.ts)", () => {
  /** Delivers a silentSignIn command with a port; resolves with what came back on it. */
  async function command(mode: string, url: string, v = PROTOCOL_VERSION): Promise<unknown[]> {
    const channel = new MessageChannel();
    const answers: unknown[] = [];
    // The answer crosses a real MessageChannel: wait for it (a page answers at once, so the
    // bound only decides how long "no answer" is awaited).
    const answered = new Promise<void>((resolve) => {
      channel.port1.onmessage = (message) => {
        answers.push(message.data);
        resolve();
      };
    });
    const data = { tag: MESSAGE_TAG, v, command: { type: 'silentSignIn', mode, url, timeout: 1 } };
    container.dispatchEvent(new MessageEvent('message', { data, ports: [channel.port2] }));
    await Promise.race([answered, new Promise((resolve) => setTimeout(resolve, 500))]);
    channel.port1.close();
    return answers;
  }

  it('redirect mode: accepts on the port and navigates the page with the client’s navigate; listeners see no event', async () => {
    const identity = client();
    const seen: WorkerEvent[] = [];
    identity.subscribe((e) => seen.push(e));
    const url = 'https://op.test/authorize?prompt=none&state=s';
    expect(await command('redirect', url)).toEqual([
      { tag: MESSAGE_TAG, v: PROTOCOL_VERSION, accepted: true },
    ]);
    expect(navigated).toEqual([url]);
    expect(seen).toEqual([]);
  });

  it.each([
    ['a javascript: URL', 'redirect', 'javascript:alert(1)'],
    ['a data: URL', 'iframe', 'data:text/html,<script>parent.x=1</script>'],
    ['not a URL', 'redirect', 'nope'],
  ])('refuses %s: no answer, no navigation', async (_name, mode, url) => {
    client();
    expect(await command(mode, url)).toEqual([]);
    expect(navigated).toEqual([]);
  });

  it('ignores a request of another protocol version', async () => {
    client();
    expect(await command('redirect', 'https://op.test/authorize', PROTOCOL_VERSION + 1)).toEqual(
      [],
    );
    expect(navigated).toEqual([]);
  });
});
