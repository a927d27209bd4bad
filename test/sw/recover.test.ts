/**
 * The silent sign-in of a restarted worker (sw/recover.ts), as a state machine on a test clock:
 * the real context, sign-in code and recovery, a local provider (discovery, JWKS, a scripted
 * token endpoint), and windows that accept, ignore or appear late. Time moves only when a test
 * advances the clock; the recovery's waits are tied to it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetadataCache } from '../../src/core/cache/metadata-cache.js';
import { MESSAGE_TAG, PROTOCOL_VERSION, type WorkerEvent } from '../../src/protocol/messages.js';
import { resolveConfig, type TokenHandlerConfig } from '../../sw/config.js';
import { createContext, type WorkerContext } from '../../sw/context.js';
import { ACK_WAIT, createRecovery, LOOK_AGAIN, type Recovery } from '../../sw/recover.js';
import {
  claimsAt,
  jwks,
  makeKey,
  sign,
  type TestClock,
  type TestKey,
  testClock,
} from '../support/hostile-op.js';
import { type FakeOp, memoryMarker, memoryTransactions, startFakeOp } from './fake-worker.js';

/** A page as the worker sees it; `behaviour` says what it does with a silentSignIn request. */
interface FakeWindow {
  id: string;
  url: string;
  focused: boolean;
  visibilityState: 'visible' | 'hidden';
  frameType: 'top-level' | 'nested';
  behaviour: 'accept' | 'ignore';
  /** The silentSignIn commands it received. */
  commands: { mode: string; url: string; timeout: number }[];
  /** Whether the worker told it to remove the frame. */
  removed: boolean;
  postMessage(message: unknown, transfer?: MessagePort[]): void;
}

function fakeWindow(id: string, options: Partial<FakeWindow> = {}): FakeWindow {
  const window: FakeWindow = {
    id,
    url: `https://app.test/${id}`,
    focused: false,
    visibilityState: 'visible',
    frameType: 'top-level',
    behaviour: 'accept',
    commands: [],
    removed: false,
    ...options,
    postMessage(message, transfer = []) {
      const envelope = message as { event?: WorkerEvent; command?: FakeWindow['commands'][0] };
      if (!envelope.command) return;
      window.commands.push(envelope.command);
      const port = transfer[0];
      if (!port || window.behaviour === 'ignore') return;
      port.onmessage = (event: MessageEvent<{ remove?: boolean }>) => {
        if (event.data.remove === true) window.removed = true;
        port.close();
      };
      port.postMessage({ tag: MESSAGE_TAG, v: PROTOCOL_VERSION, accepted: true });
    },
  };
  return window;
}

/** Lets pending promise jobs and MessagePort deliveries run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Waits tied to the test clock: `advance` moves it in steps and resolves what fell due. */
function clockedWaits(clock: TestClock) {
  const due: { at: number; resolve: () => void }[] = [];
  return {
    wait: (ms: number) =>
      new Promise<void>((resolve) => {
        due.push({ at: clock.now() + ms, resolve });
      }),
    async advance(ms: number, step = LOOK_AGAIN) {
      for (let moved = 0; moved < ms; moved += step) {
        clock.advance(Math.min(step, ms - moved));
        for (const entry of due.filter((d) => d.at <= clock.now())) {
          due.splice(due.indexOf(entry), 1);
          entry.resolve();
        }
        await settle();
      }
    },
  };
}

let op: FakeOp;
let key: TestKey;
let clock: TestClock;
let waits: ReturnType<typeof clockedWaits>;
let windows: FakeWindow[];
let events: WorkerEvent[];
let transactions: ReturnType<typeof memoryTransactions>;
let marker: ReturnType<typeof memoryMarker>;
let context: WorkerContext;
let recovery: Recovery;

function setUp(config: Partial<TokenHandlerConfig> = {}) {
  clock = testClock();
  waits = clockedWaits(clock);
  const resolved = resolveConfig({
    issuer: op.issuer,
    clientId: 'spa',
    redirectUri: 'https://app.test/callback',
    apis: [{ url: 'https://api.test/v1/' }],
    retries: 0,
    par: false,
    now: clock.now,
    ...config,
  });
  events = [];
  const clients = {
    matchAll: async () => [
      ...windows,
      // Every window also hears broadcasts; this one records them.
      { postMessage: (m: { event: WorkerEvent }) => events.push(m.event), frameType: 'none' },
    ],
  };
  transactions = memoryTransactions();
  marker = memoryMarker();
  marker.marked = true; // the worker had a session before it was stopped
  context = createContext(resolved, clients as never, clock.now, {
    cache: createMetadataCache({ now: clock.now }),
    transactions,
    marker,
  });
  // The recovery asks the pages themselves (the recorder above only hears broadcasts).
  recovery = createRecovery(context, { matchAll: async () => windows } as never, waits.wait);
  context.setResumer(recovery.run);
}

beforeEach(async () => {
  op = await startFakeOp();
  key = await makeKey('RS256');
  op.op.setJwks(jwks(key));
  windows = [fakeWindow('a')];
  setUp();
});
afterEach(() => op.close());

/** The provider's token answer for the pending sign-in, with an ID token carrying `nonce`. */
async function answerWithTokens(nonce: string) {
  const idToken = await sign(
    key,
    claimsAt(op.issuer, { aud: 'spa', nonce, sub: 'alice' }, clock.now() / 1000),
  );
  op.answer = () => ({
    body: { access_token: 'at-1', token_type: 'Bearer', expires_in: 3600, id_token: idToken },
  });
}

/** Wakes the worker and lets it ask the windows; returns the authorization URL asked for. */
async function wakeAndAsk(): Promise<URL> {
  await context.wake();
  expect(context.state).toBe('resuming');
  // The authorization URL needs discovery from the local provider (real I/O, no clock).
  const accepted = () => windows.find((w) => w.commands.length > 0 && w.behaviour === 'accept');
  for (let i = 0; i < 2_000 && !accepted(); i++) await settle();
  const asked = accepted();
  if (!asked) throw new Error('no window accepted');
  return new URL(asked.commands[0]!.url);
}

const callback = (query: string) => new Request(`https://app.test/callback?${query}`);

describe('silent recovery (issue 8 item 4)', () => {
  it('asks a page for a prompt=none frame, completes the sign-in from the callback, and answers with the redirect URI, a one-time landing mark, an explicit fragment', async () => {
    const url = await wakeAndAsk();
    expect(windows[0]!.commands[0]).toMatchObject({ type: 'silentSignIn', mode: 'iframe' });
    expect(windows[0]!.commands[0]!.timeout).toBe(10_000);
    expect(url.origin + url.pathname).toBe(`${op.issuer}/authorize`);
    expect(url.searchParams.get('prompt')).toBe('none');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const state = url.searchParams.get('state')!;
    await answerWithTokens(url.searchParams.get('nonce')!);

    const answer = recovery.answer(callback(`code=c-1&state=${state}`));
    expect(answer).toBeDefined();
    const response = await answer!;
    expect(response.status).toBe(303);
    const landing = response.headers.get('location')!;
    expect(landing).toMatch(/^https:\/\/app\.test\/callback\?landing=[\w-]+#$/);
    // The landing page is answered once for that mark; a bare redirect-URI navigation (what a
    // fragment-mode response looks like to a worker) is not the recovery's: the ordinary
    // callback refuses it.
    const frame = (href: string) => new Request(href.replace('#', ''));
    expect((await recovery.answer(frame(landing))!).status).toBe(200);
    expect(recovery.answer(frame(landing))).toBeUndefined();
    expect(recovery.answer(frame('https://app.test/callback'))).toBeUndefined();
    await context.resuming;
    await settle();

    expect(context.state).toBe('authenticated');
    expect(context.session?.accessTokens.get('')?.token).toBe('at-1');
    expect(op.tokenRequests).toHaveLength(1);
    expect(op.tokenRequests[0]!.get('code')).toBe('c-1');
    expect(op.tokenRequests[0]!.get('code_verifier')).toBeTruthy();
    expect(events.map((e) => [e.type, 'state' in e ? e.state : undefined])).toEqual([
      ['userchanged', 'resuming'],
      ['userchanged', 'authenticated'],
    ]);
    expect(windows[0]!.removed).toBe(true);
    expect(marker.marked).toBe(true);
  });

  it.each([
    'login_required',
    'interaction_required',
    'consent_required',
    'account_selection_required',
  ])('%s: expired, sessionexpired, no error event, no token request', async (error) => {
    const url = await wakeAndAsk();
    const state = url.searchParams.get('state')!;
    const response = await recovery.answer(callback(`error=${error}&state=${state}`))!;
    expect(response.headers.get('location')).toMatch(
      /^https:\/\/app\.test\/callback\?landing=[\w-]+#$/,
    );
    await context.resuming;
    await settle();
    expect(context.state).toBe('expired');
    expect(op.tokenRequests).toHaveLength(0);
    expect(events.map((e) => e.type)).toEqual(['userchanged', 'sessionexpired']);
    expect(marker.marked).toBe(false);
    expect(windows[0]!.removed).toBe(true);
  });

  it('another provider error is reported as an error event, and still ends in expired', async () => {
    const url = await wakeAndAsk();
    const state = url.searchParams.get('state')!;
    await recovery.answer(callback(`error=server_error&state=${state}`));
    await context.resuming;
    expect(context.state).toBe('expired');
    expect(events.map((e) => e.type)).toEqual(['userchanged', 'error', 'sessionexpired']);
  });

  it('times out after silentRecoveryTimeout (default 10 s): expired, the transaction is gone, a late callback is not the recovery’s', async () => {
    const url = await wakeAndAsk();
    const state = url.searchParams.get('state')!;
    await waits.advance(9_750);
    expect(context.state).toBe('resuming');
    await waits.advance(250);
    await context.resuming;
    expect(context.state).toBe('expired');
    expect(events.map((e) => e.type)).toEqual(['userchanged', 'sessionexpired']);
    expect(transactions.saved.has(state)).toBe(false);
    expect(windows[0]!.removed).toBe(true);
    // A frame that still navigates gets the landing redirect once, and nothing is exchanged.
    const late = await recovery.answer(callback(`code=late&state=${state}`))!;
    expect(late.headers.get('location')).toMatch(
      /^https:\/\/app\.test\/callback\?landing=[\w-]+#$/,
    );
    expect(op.tokenRequests).toHaveLength(0);
    expect(recovery.answer(callback(`code=late&state=${state}`))).toBeUndefined();
  });

  it('the timeout is configurable', async () => {
    setUp({ silentRecoveryTimeout: 3 });
    await wakeAndAsk();
    expect(windows[0]!.commands[0]!.timeout).toBe(3_000);
    await waits.advance(3_000);
    await context.resuming;
    expect(context.state).toBe('expired');
  });

  it('asks the focused page first, and passes over a page that does not accept within a second', async () => {
    windows = [
      fakeWindow('hidden', { visibilityState: 'hidden' }),
      fakeWindow('frame', { frameType: 'nested' }),
      fakeWindow('focused', { focused: true, behaviour: 'ignore' }),
    ];
    setUp();
    await context.wake();
    for (let i = 0; i < 2_000 && windows[2]!.commands.length === 0; i++) await settle();
    expect(windows.map((w) => w.commands.length)).toEqual([0, 0, 1]);
    await waits.advance(ACK_WAIT);
    expect(windows.map((w) => w.commands.length)).toEqual([1, 0, 1]);
    // A nested frame (e.g. the silent frame's own landing page) is never asked.
    await waits.advance(5_000);
    expect(windows[1]!.commands).toHaveLength(0);
    expect(context.state).toBe('resuming');
  });

  it('with no page open it looks again until one appears; with none at all it expires at the timeout', async () => {
    windows = [];
    setUp();
    await context.wake();
    // The authorization URL is ready once its transaction is kept (real I/O, no clock).
    for (let i = 0; i < 2_000 && transactions.saved.size === 0; i++) await settle();
    await waits.advance(2_000);
    windows.push(fakeWindow('late'));
    await waits.advance(LOOK_AGAIN);
    expect(windows[0]!.commands).toHaveLength(1);

    windows = [];
    setUp();
    await context.wake();
    await waits.advance(10_000);
    await context.resuming;
    expect(context.state).toBe('expired');
  });

  it('redirect mode: the page goes itself, and lands back where it was', async () => {
    setUp({ silentRecovery: 'redirect' });
    const url = await wakeAndAsk();
    expect(windows[0]!.commands[0]!.mode).toBe('redirect');
    await answerWithTokens(url.searchParams.get('nonce')!);
    const response = await recovery.answer(
      callback(`code=c-2&state=${url.searchParams.get('state')}`),
    )!;
    expect(response.headers.get('location')).toBe('https://app.test/a#');
    await context.resuming;
    expect(context.state).toBe('authenticated');
  });

  it('a sign-out during recovery stands: the callback does not start a session', async () => {
    const url = await wakeAndAsk();
    await context.endSession('unauthenticated');
    await answerWithTokens(url.searchParams.get('nonce')!);
    await recovery.answer(callback(`code=c-3&state=${url.searchParams.get('state')}`));
    await context.resuming;
    expect(context.state).toBe('unauthenticated');
    expect(context.session).toBeUndefined();
    expect(op.tokenRequests).toHaveLength(0);
  });

  it('answers nothing for another state, or another path', async () => {
    await wakeAndAsk();
    expect(recovery.answer(callback('code=x&state=other'))).toBeUndefined();
    expect(recovery.answer(new Request('https://app.test/elsewhere?state=x'))).toBeUndefined();
  });

  it('without a resumer (silentRecovery: false) a restarted worker says expired at once', async () => {
    setUp({ silentRecovery: false });
    const plain = createContext(context.config, { matchAll: async () => [] }, clock.now, {
      cache: createMetadataCache({ now: clock.now }),
      transactions,
      marker,
    });
    await plain.wake();
    expect(plain.state).toBe('expired');
    expect(plain.config.silentRecovery).toBe(false);
  });
});
