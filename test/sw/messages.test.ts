/**
 * The worker's message handler (sw/messages.ts): which messages it takes, the protocol version
 * check, malformed requests answered with typed errors, and each request type's reply. Runs the
 * real handler, context and token source against a local provider (see fake-worker.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MESSAGE_TAG,
  PROTOCOL_VERSION,
  type ReplyEnvelope,
  type SerializedError,
} from '../../src/protocol/messages.js';
import { logoutRoute } from '../../sw/logout-route.js';
import { createMessageHandler, type MessageHandler } from '../../sw/messages.js';
import { claimsAt, jwks, makeKey, NOW, sign } from '../support/hostile-op.js';
import { type FakeOp, type FakeWorker, fakeWorker, startFakeOp } from './fake-worker.js';

let op: FakeOp;
let worker: FakeWorker;
let handler: MessageHandler;
let claims: number;

function setUp(config: Parameters<typeof fakeWorker>[1] = {}) {
  worker = fakeWorker(op, config);
  claims = 0;
  handler = createMessageHandler(worker.context, worker.tokens, async () => {
    claims++;
  });
}

beforeEach(async () => {
  op = await startFakeOp();
  setUp();
});
afterEach(() => op.close());

/** Delivers `data` as a page's message; resolves once the handler's work is done. */
async function deliver(data: unknown): Promise<{ handled: boolean; replies: ReplyEnvelope[] }> {
  const replies: ReplyEnvelope[] = [];
  const work: Promise<unknown>[] = [];
  const event = {
    data,
    ports: [{ postMessage: (reply: ReplyEnvelope) => replies.push(reply) }],
    waitUntil: (promise: Promise<unknown>) => work.push(promise),
  } as unknown as ExtendableMessageEvent;
  const handled = handler(event);
  await Promise.all(work);
  return { handled, replies };
}

/** A request of this protocol version. */
const request = (type: string, payload?: unknown) => ({
  tag: MESSAGE_TAG,
  v: PROTOCOL_VERSION,
  type,
  ...(payload === undefined ? {} : { payload }),
});

/** Sends a request that must succeed; returns its result. */
async function ok(type: string, payload?: unknown): Promise<Record<string, unknown>> {
  const { handled, replies } = await deliver(request(type, payload));
  expect(handled).toBe(true);
  expect(replies).toHaveLength(1);
  const reply = replies[0]!;
  if (!reply.ok)
    throw new Error(`expected success, got ${reply.error.code}: ${reply.error.message}`);
  expect(reply.tag).toBe(MESSAGE_TAG);
  expect(reply.v).toBe(PROTOCOL_VERSION);
  return reply.result as Record<string, unknown>;
}

/** Delivers `data`, which must be answered with an error `code`; returns the error. */
async function refused(data: unknown, code: string): Promise<SerializedError> {
  const { handled, replies } = await deliver(data);
  expect(handled).toBe(true);
  expect(replies).toHaveLength(1);
  const reply = replies[0]!;
  if (reply.ok) throw new Error(`expected ${code}, got ${JSON.stringify(reply.result)}`);
  expect(reply.tag).toBe(MESSAGE_TAG);
  expect(reply.v).toBe(PROTOCOL_VERSION);
  expect(reply.error.code, reply.error.message).toBe(code);
  return reply.error;
}

describe('routing', () => {
  it.each([
    ['null', null],
    ['a string', 'identity-model-web'],
    ['another tag', { tag: 'workbox', v: PROTOCOL_VERSION, type: 'hello' }],
    ['no tag', { v: PROTOCOL_VERSION, type: 'hello' }],
  ])('leaves %s to the app (not handled, no reply)', async (_name, data) => {
    expect(await deliver(data)).toEqual({ handled: false, replies: [] });
  });

  it.each([
    ['a newer version', PROTOCOL_VERSION + 1],
    ['the version as a string', String(PROTOCOL_VERSION)],
    ['no version', undefined],
  ])('refuses %s with ERR_PROTOCOL_VERSION', async (_name, v) => {
    const error = await refused({ ...request('hello'), v }, 'ERR_PROTOCOL_VERSION');
    expect(error.name).toBe('WorkerError');
    expect(error.message).toContain(`protocol version ${PROTOCOL_VERSION}`);
  });

  it.each([
    ['an unknown type', 'steal'],
    ['an inherited name', 'constructor'],
    ['__proto__', '__proto__'],
    ['a non-string type', 7],
    ['no type', undefined],
  ])('refuses %s with ERR_INVALID_MESSAGE', async (_name, type) => {
    const error = await refused(
      { tag: MESSAGE_TAG, v: PROTOCOL_VERSION, type },
      'ERR_INVALID_MESSAGE',
    );
    expect(error.name).toBe('WorkerError');
  });

  it.each([
    ['an array', []],
    ['a string', 'x'],
    ['null', null],
    ['a number', 1],
  ])('refuses a payload that is %s', async (_name, payload) => {
    await refused({ ...request('getUser'), payload }, 'ERR_INVALID_MESSAGE');
  });

  it('answers nothing when the page sent no port, and still handles the message', async () => {
    const work: Promise<unknown>[] = [];
    const event = {
      data: request('claim'),
      ports: [],
      waitUntil: (promise: Promise<unknown>) => work.push(promise),
    } as unknown as ExtendableMessageEvent;
    expect(handler(event)).toBe(true);
    await Promise.all(work);
    expect(claims).toBe(1);
  });
});

describe('hello, getUser, keepAlive, claim', () => {
  it('hello gives the protocol version and the session state', async () => {
    expect(await ok('hello')).toEqual({
      protocolVersion: PROTOCOL_VERSION,
      state: 'unauthenticated',
      user: null,
    });
  });

  it('getUser shows claims and expiry but never a token or the nonce', async () => {
    const session = await worker.signIn({
      accessToken: 'secret-access-token',
      expiresAt: NOW + 60_000,
      refreshToken: 'secret-refresh-token',
    });
    (session.idTokenClaims as Record<string, unknown>).nonce = 'secret-nonce';
    const result = await ok('getUser', {});
    expect(result).toEqual({
      state: 'authenticated',
      user: {
        sub: 'user-1',
        claims: { iss: op.issuer, sub: 'user-1', aud: 'spa' },
        expiresAt: NOW + 60_000,
        scope: undefined,
      },
    });
    expect(JSON.stringify(result)).not.toMatch(/secret/);
  });

  it('keepAlive answers with the session state only (issue 8 item 3)', async () => {
    expect(await ok('keepAlive', {})).toEqual({ state: 'unauthenticated' });
    await worker.signIn({ accessToken: 'secret-access-token', expiresAt: NOW + 60_000 });
    expect(await ok('keepAlive', {})).toEqual({ state: 'authenticated' });
  });

  it('claim asks the worker to take control of the page', async () => {
    expect(await ok('claim')).toEqual({ claimed: true });
    expect(claims).toBe(1);
  });
});

describe('login', () => {
  it('builds a PKCE S256 authorization URL and keeps the transaction', async () => {
    const { url } = (await ok('login', {
      currentUrl: 'https://app.test/orders?page=2',
      prompt: 'login',
      maxAge: 0,
    })) as { url: string };
    const sent = new URL(url);
    expect(`${sent.origin}${sent.pathname}`).toBe(`${op.issuer}/authorize`);
    const params = sent.searchParams;
    expect(params.get('client_id')).toBe('spa');
    expect(params.get('redirect_uri')).toBe('https://app.test/callback');
    expect(params.get('response_type')).toBe('code');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('prompt')).toBe('login');
    expect(params.get('max_age')).toBe('0');
    expect(params.getAll('resource')).toEqual(['urn:other']);
    const saved = worker.transactions.saved.get(params.get('state')!);
    expect(saved).toMatchObject({
      nonce: params.get('nonce'),
      returnTo: 'https://app.test/orders?page=2',
      maxAge: 0,
      expiresAt: NOW + 600_000,
    });
  });

  it('lands on the origin root when asked to return to another origin', async () => {
    const { url } = (await ok('login', {
      currentUrl: 'https://app.test/',
      returnTo: 'https://evil.test/',
    })) as { url: string };
    const state = new URL(url).searchParams.get('state')!;
    expect(worker.transactions.saved.get(state)?.returnTo).toBe('https://app.test/');
  });

  it.each([
    ['a negative maxAge', { maxAge: -1 }],
    ['a fractional maxAge', { maxAge: 1.5 }],
    ['maxAge as a string', { maxAge: '5' }],
    ['a non-string prompt', { prompt: ['login'] }],
    ['an overlong login hint', { loginHint: 'x'.repeat(2049) }],
  ])('refuses %s before any request', async (_name, payload) => {
    await refused(
      request('login', { currentUrl: 'https://app.test/', ...payload }),
      'ERR_INVALID_MESSAGE',
    );
    expect(op.op.discoveryFetches()).toBe(0);
    expect(worker.transactions.saved.size).toBe(0);
  });
});

describe('callback', () => {
  it.each([
    ['no url', {}],
    ['an empty url', { url: '' }],
    ['a relative url', { url: '/callback?code=c&state=s' }],
    ['an overlong url', { url: `https://app.test/callback?code=${'c'.repeat(8192)}` }],
  ])('refuses %s', async (_name, payload) => {
    await refused(request('callback', payload), 'ERR_INVALID_MESSAGE');
  });

  it('refuses a URL that is not the redirect URI, with the parameter at fault', async () => {
    const error = await refused(
      request('callback', { url: 'https://app.test/other?code=c&state=s' }),
      'ERR_CALLBACK_INVALID',
    );
    expect(error.parameter).toBe('redirect_uri');
  });

  it('refuses a state no sign-in is waiting for, sending nothing to the provider', async () => {
    const error = await refused(
      request('callback', { url: 'https://app.test/callback?code=c&state=unknown' }),
      'ERR_STATE_MISMATCH',
    );
    expect(error.parameter).toBe('state');
    expect(op.tokenRequests).toHaveLength(0);
  });
});

describe('getAccessToken', () => {
  beforeEach(() => {
    setUp({ pageTokenUrls: [{ url: 'wss://api.test/live' }] });
  });

  it('refuses a URL the configuration does not list', async () => {
    await worker.signIn({ accessToken: 'at', expiresAt: NOW + 3_600_000 });
    await refused(
      request('getAccessToken', { url: 'https://api.test/v1/orders' }),
      'ERR_TOKEN_NOT_ALLOWED',
    );
  });

  it('refuses without a session', async () => {
    await refused(request('getAccessToken', { url: 'wss://api.test/live' }), 'ERR_LOGIN_REQUIRED');
  });

  it('refuses a missing url', async () => {
    await refused(request('getAccessToken', {}), 'ERR_INVALID_MESSAGE');
  });

  it('gives the token and its expiry for a listed URL', async () => {
    await worker.signIn({ accessToken: 'at', expiresAt: NOW + 3_600_000 });
    expect(await ok('getAccessToken', { url: 'wss://api.test/live' })).toEqual({
      accessToken: 'at',
      expiresAt: NOW + 3_600_000,
    });
  });
});

describe('validateToken', () => {
  it.each([
    ['no token', {}],
    ['an empty token', { token: '' }],
    ['an audience of numbers', { token: 'a.b.c', audience: [1] }],
    ['an audience object', { token: 'a.b.c', audience: {} }],
    ['an overlong typ', { token: 'a.b.c', typ: 'x'.repeat(257) }],
  ])('refuses %s', async (_name, payload) => {
    await refused(request('validateToken', payload), 'ERR_INVALID_MESSAGE');
  });

  it('validates with the provider keys and the configured audience', async () => {
    setUp({ validationAudience: 'api' });
    const key = await makeKey('RS256');
    op.op.setJwks(jwks(key));
    const token = await sign(key, claimsAt(op.issuer));
    const result = await ok('validateToken', { token });
    expect(result).toEqual({ claims: claimsAt(op.issuer) });

    // The configured audience applies when the page names none; the page's replaces it.
    const other = await sign(key, claimsAt(op.issuer, { aud: 'other' }));
    const error = await refused(
      request('validateToken', { token: other }),
      'ERR_JWT_AUDIENCE_INVALID',
    );
    expect(error.claim).toBe('aud');
    expect(await ok('validateToken', { token: other, audience: ['other'] })).toEqual({
      claims: claimsAt(op.issuer, { aud: 'other' }),
    });
  });
});

describe('logout', () => {
  it('refuses a post-logout URI other than the configured one', async () => {
    await worker.signIn({ accessToken: 'at', expiresAt: NOW + 3_600_000 });
    await refused(
      request('logout', { postLogoutRedirectUri: 'https://evil.test/' }),
      'ERR_INVALID_MESSAGE',
    );
    expect(worker.context.session).toBeDefined();
  });

  it('revokes the tokens, ends the session and gives the end-session URL', async () => {
    const revoked: URLSearchParams[] = [];
    op.op.server.route('POST', '/revoke', (_req, res, body) => {
      revoked.push(new URLSearchParams(body));
      res.writeHead(200).end();
    });
    op.op.setDiscovery({
      revocation_endpoint: `${op.issuer}/revoke`,
      end_session_endpoint: `${op.issuer}/logout`,
    });
    await worker.signIn({ accessToken: 'at', expiresAt: NOW + 3_600_000 });
    const { endSessionUrl } = (await ok('logout', {})) as { endSessionUrl: string };
    // The page gets the worker's logout route with a ticket, never the ID token…
    const route = new URL(endSessionUrl);
    expect(`${route.origin}${route.pathname}`).toBe('https://app.test/logout');
    expect([...route.searchParams.keys()]).toEqual(['logout_ticket']);
    expect(endSessionUrl).not.toContain('id-token');
    // …and the worker answers the navigation there with the end-session URL, once.
    const answer = logoutRoute(worker.context).answer(route);
    expect(answer?.status).toBe(303);
    expect(answer?.headers.get('referrer-policy')).toBe('no-referrer');
    const url = new URL(answer!.headers.get('location')!);
    expect(`${url.origin}${url.pathname}`).toBe(`${op.issuer}/logout`);
    expect(url.searchParams.get('id_token_hint')).toBe('id-token');
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe('https://app.test/');
    expect(logoutRoute(worker.context).answer(route)).toBeUndefined();
    expect(revoked.map((form) => [form.get('token'), form.get('token_type_hint')]).sort()).toEqual([
      ['at', 'access_token'],
      ['rt-0', 'refresh_token'],
    ]);
    expect(worker.context.session).toBeUndefined();
    expect(worker.events.map((event) => event.type)).toEqual(['userchanged', 'userchanged']);
    expect(await ok('getUser')).toEqual({ state: 'unauthenticated', user: null });
  });

  it('the logout route answers only tickets it issued, within their minute', async () => {
    op.op.setDiscovery({ end_session_endpoint: `${op.issuer}/logout` });
    const route = logoutRoute(worker.context);
    expect(route.matches(new URL('https://app.test/logout'))).toBe(true);
    expect(route.matches(new URL('https://app.test/logout/x'))).toBe(false);
    expect(route.matches(new URL('https://other.test/logout'))).toBe(false);
    expect(route.answer(new URL('https://app.test/logout'))).toBeUndefined();
    expect(route.answer(new URL('https://app.test/logout?logout_ticket=guess'))).toBeUndefined();
    await worker.signIn({ accessToken: 'at', expiresAt: NOW + 3_600_000 });
    const { endSessionUrl } = (await ok('logout', {})) as { endSessionUrl: string };
    worker.clock.advance(60_000);
    expect(route.answer(new URL(endSessionUrl))).toBeUndefined();
  });

  it('logoutPath is configurable and checked', () => {
    setUp({ logoutPath: '/auth/sign-out' });
    const issued = new URL(logoutRoute(worker.context).issue('https://op.test/end'));
    expect(issued.pathname).toBe('/auth/sign-out');
    for (const logoutPath of ['logout', '//evil.test/x', '/a?b', '/a#b']) {
      expect(() => setUp({ logoutPath }), logoutPath).toThrow(/config\.logoutPath/);
    }
  });
});
