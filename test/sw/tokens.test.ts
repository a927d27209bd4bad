/**
 * The worker's token source (sw/tokens.ts) on a test clock against a real local token endpoint:
 * when a token counts as fresh, single-flight and serialised refresh, back-off after transient
 * failures, and the end of the session on `invalid_grant`. The browser suite covers the same
 * behaviour end to end; these fail in seconds.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DISCOVERY_PATH, NOW, NOW_S, unsigned } from '../support/hostile-op.js';
import { type FakeOp, type FakeWorker, fakeWorker, startFakeOp } from './fake-worker.js';

let op: FakeOp;
let worker: FakeWorker;

beforeEach(async () => {
  op = await startFakeOp();
  worker = fakeWorker(op);
});
afterEach(() => op.close());

const API = 'https://api.test/v1/';
const OTHER = 'https://other.test/';

/** Waits (briefly, in real time) until the token endpoint has seen `count` requests. */
async function requestsReach(count: number): Promise<void> {
  for (let i = 0; i < 500 && op.tokenRequests.length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(op.tokenRequests.length).toBe(count);
}

/** The refresh tokens sent, in order. */
const sentRefreshTokens = () => op.tokenRequests.map((form) => form.get('refresh_token'));

describe('when a token is fresh', () => {
  it.each([
    { refreshSkew: undefined, margin: 30_000 },
    { refreshSkew: 0, margin: 0 },
    { refreshSkew: 120, margin: 120_000 },
  ])(
    'with refreshSkew $refreshSkew, refreshes $margin ms before expiry and not earlier',
    async ({ refreshSkew, margin }) => {
      worker = fakeWorker(op, refreshSkew === undefined ? {} : { refreshSkew });
      const api = worker.api(API);
      // An opaque token: its lifetime is unknown, so the margin is refreshSkew itself.
      const expiresAt = NOW + 3_600_000;
      await worker.signIn({ accessToken: 'opaque', expiresAt });

      worker.clock.set(expiresAt - margin - 1);
      expect(worker.tokens.fresh(api)?.token).toBe('opaque');
      expect((await worker.tokens.get(api))?.token).toBe('opaque');
      expect(op.tokenRequests).toHaveLength(0);

      worker.clock.set(expiresAt - margin);
      expect(worker.tokens.fresh(api)).toBeUndefined();
      expect((await worker.tokens.get(api))?.token).toBe('at-1');
      expect(sentRefreshTokens()).toEqual(['rt-0']);
      expect(op.tokenRequests[0]!.get('grant_type')).toBe('refresh_token');
      expect(op.tokenRequests[0]!.get('client_id')).toBe('spa');
    },
  );

  it('caps the margin at half the lifetime of a JWT shorter-lived than refreshSkew', async () => {
    const api = worker.api(API);
    // 20 s from iat to exp: with the 30 s margin it would never be fresh.
    const jwt = unsigned({ iat: NOW_S, exp: NOW_S + 20 });
    await worker.signIn({ accessToken: jwt, expiresAt: NOW + 20_000 });

    worker.clock.set(NOW + 9_999);
    expect((await worker.tokens.get(api))?.token).toBe(jwt);
    expect(op.tokenRequests).toHaveLength(0);

    worker.clock.set(NOW + 10_000);
    expect((await worker.tokens.get(api))?.token).toBe('at-1');
    expect(op.tokenRequests).toHaveLength(1);
  });

  it('caps the margin of a refreshed token at half its lifetime as received (expires_in)', async () => {
    const api = worker.api(API);
    op.answer = (_form, call) => ({
      body: {
        access_token: `at-${call}`,
        token_type: 'Bearer',
        expires_in: 20,
        refresh_token: `rt-${call}`,
      },
    });
    await worker.signIn({ accessToken: 'opaque', expiresAt: NOW });
    expect((await worker.tokens.get(api))?.token).toBe('at-1');
    expect((await worker.tokens.get(api))?.token).toBe('at-1');

    worker.clock.advance(9_999);
    expect(worker.tokens.fresh(api)?.token).toBe('at-1');
    expect(op.tokenRequests).toHaveLength(1);

    worker.clock.advance(1);
    expect(worker.tokens.fresh(api)).toBeUndefined();
    expect((await worker.tokens.get(api))?.token).toBe('at-2');
    expect(sentRefreshTokens()).toEqual(['rt-0', 'rt-1']);
  });

  it('reads expiry from a JWT exp when the response has no expires_in, else assumes 5 minutes', async () => {
    const api = worker.api(API);
    const jwt = unsigned({ iat: NOW_S, exp: NOW_S + 600 });
    const answers = [jwt, 'opaque-2'];
    op.answer = (_form, call) => ({
      body: { access_token: answers[call - 1], token_type: 'Bearer', refresh_token: `rt-${call}` },
    });
    await worker.signIn({ accessToken: 'expired', expiresAt: NOW });
    const first = await worker.tokens.get(api);
    expect(first?.expiresAt).toBe((NOW_S + 600) * 1000);

    worker.clock.set(first!.expiresAt);
    const second = await worker.tokens.get(api);
    expect(second?.token).toBe('opaque-2');
    expect(second?.expiresAt).toBe(first!.expiresAt + 300_000);
  });
});

describe('single-flight, serialised refresh', () => {
  it('answers many concurrent requests for one API with one token request', async () => {
    const api = worker.api(API);
    await worker.signIn({ accessToken: 'expired', expiresAt: NOW });
    const release = op.hold();
    const pending = Array.from({ length: 8 }, () => worker.tokens.get(api));
    await requestsReach(1);
    release();
    const tokens = await Promise.all(pending);
    expect(tokens.map((token) => token?.token)).toEqual(Array(8).fill('at-1'));
    expect(op.tokenRequests).toHaveLength(1);
  });

  it('sends each rotated refresh token once, one refresh after the other, per resource', async () => {
    await worker.signIn({ accessToken: 'expired', expiresAt: NOW });
    const release = op.hold();
    const first = worker.tokens.get(worker.api(API));
    const other = worker.tokens.get(worker.api(OTHER));
    await requestsReach(1);
    // The second resource waits for the first refresh: the refresh token it holds is spent.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(op.tokenRequests).toHaveLength(1);
    release();
    expect((await first)?.token).toBe('at-1');
    expect((await other)?.token).toBe('at-2-urn:other');
    expect(sentRefreshTokens()).toEqual(['rt-0', 'rt-1']);
    expect(op.tokenRequests.map((form) => form.get('resource'))).toEqual([null, 'urn:other']);
    expect(worker.context.session?.refreshToken).toBe('rt-2');
  });

  it('a refresh that finished meanwhile serves the next caller without another request', async () => {
    const api = worker.api(API);
    await worker.signIn({ accessToken: 'expired', expiresAt: NOW });
    await worker.tokens.get(api);
    await worker.tokens.get(api);
    expect(worker.tokens.fresh(api)?.token).toBe('at-1');
    expect(op.tokenRequests).toHaveLength(1);
  });
});

describe('failures', () => {
  const unavailable = () => ({ status: 503, body: { error: 'temporarily_unavailable' } });

  it('backs off after a 5xx (1 s, then 2 s), keeping the refresh token and the session', async () => {
    const api = worker.api(API);
    op.answer = unavailable;
    // Inside the 30 s margin but not expired: the old token still serves.
    await worker.signIn({ accessToken: 'old', expiresAt: NOW + 20_000 });
    expect((await worker.tokens.get(api))?.token).toBe('old');
    expect(op.tokenRequests).toHaveLength(1);

    worker.clock.advance(999);
    expect((await worker.tokens.get(api))?.token).toBe('old');
    expect(op.tokenRequests).toHaveLength(1);

    worker.clock.advance(1);
    await worker.tokens.get(api);
    expect(op.tokenRequests).toHaveLength(2);

    worker.clock.advance(1_999);
    await worker.tokens.get(api);
    expect(op.tokenRequests).toHaveLength(2);

    worker.clock.advance(1);
    op.answer = (_form, call) => ({
      body: { access_token: `at-${call}`, token_type: 'Bearer', refresh_token: `rt-${call}` },
    });
    expect((await worker.tokens.get(api))?.token).toBe('at-3');
    expect(sentRefreshTokens()).toEqual(['rt-0', 'rt-0', 'rt-0']);
    expect(worker.context.session).toBeDefined();
    expect(worker.events.map((event) => event.type)).toEqual(['userchanged']);
  });

  it('gives no token once the old one has expired during a back-off', async () => {
    const api = worker.api(API);
    op.answer = unavailable;
    await worker.signIn({ accessToken: 'old', expiresAt: NOW + 500 });
    expect((await worker.tokens.get(api))?.token).toBe('old');
    worker.clock.advance(500);
    expect(await worker.tokens.get(api)).toBeUndefined();
    expect(op.tokenRequests).toHaveLength(1);
    expect(worker.context.session?.refreshToken).toBe('rt-0');
  });

  it('caps the back-off at 60 s', async () => {
    const api = worker.api(API);
    op.answer = unavailable;
    await worker.signIn({ accessToken: 'expired', expiresAt: NOW });
    for (let i = 0; i < 8; i++) {
      await worker.tokens.get(api);
      worker.clock.advance(60_000);
    }
    expect(op.tokenRequests).toHaveLength(8);
  });

  it('ends the session on invalid_grant and tells the pages', async () => {
    const api = worker.api(API);
    op.answer = () => ({ status: 400, body: { error: 'invalid_grant' } });
    await worker.signIn({ accessToken: 'old', expiresAt: NOW + 20_000 });
    expect(await worker.tokens.get(api)).toBeUndefined();
    expect(worker.context.session).toBeUndefined();
    expect(worker.events.map((event) => event.type)).toEqual(['userchanged', 'sessionexpired']);
    expect(worker.marker.marked).toBe(false);
    expect(await worker.context.userState()).toEqual({ state: 'expired', user: null });

    worker.clock.advance(60_000);
    expect(await worker.tokens.get(api)).toBeUndefined();
    expect(op.tokenRequests).toHaveLength(1);
  });

  it.each([
    ['400, empty body (Glewlwyd 2.7)', 400, ''],
    ['400, a JSON body without error', 400, { message: 'bad refresh token' }],
    ['401, an HTML body', 401, '<html><body>Unauthorized</body></html>'],
  ])('ends the session on a %s, as on invalid_grant', async (_, status, body) => {
    // Issue 9: kept the dead refresh token and backed off before.
    const api = worker.api(API);
    op.answer = () => ({ status, body });
    await worker.signIn({ accessToken: 'old', expiresAt: NOW + 20_000 });
    expect(await worker.tokens.get(api)).toBeUndefined();
    expect(worker.context.session).toBeUndefined();
    expect(worker.events.map((event) => event.type)).toEqual(['userchanged', 'sessionexpired']);
    worker.clock.advance(60_000);
    expect(await worker.tokens.get(api)).toBeUndefined();
    expect(op.tokenRequests).toHaveLength(1);
  });

  it.each([
    ['400 with an OAuth error other than invalid_grant', 400, { error: 'temporarily_unavailable' }],
    ['500 without a body', 500, ''],
    ['503 with an HTML body', 503, '<html>down</html>'],
  ])('a %s keeps the session and the refresh token, and backs off', async (_, status, body) => {
    const api = worker.api(API);
    op.answer = () => ({ status, body });
    await worker.signIn({ accessToken: 'old', expiresAt: NOW + 20_000 });
    expect((await worker.tokens.get(api))?.token).toBe('old');
    expect(worker.context.session?.refreshToken).toBe('rt-0');
    expect(worker.events.map((event) => event.type)).toEqual(['userchanged']);
    await worker.tokens.get(api);
    expect(op.tokenRequests).toHaveLength(1);
  });

  it('backs off without sending the refresh token when discovery fails', async () => {
    const api = worker.api(API);
    op.op.server.route('GET', DISCOVERY_PATH, (_req, res) => {
      res.writeHead(500).end();
    });
    await worker.signIn({ accessToken: 'old', expiresAt: NOW + 20_000 });
    expect((await worker.tokens.get(api))?.token).toBe('old');
    const discoveries = op.op.discoveryFetches();
    expect(discoveries).toBeGreaterThan(0);
    expect(op.tokenRequests).toHaveLength(0);
    // Backing off: the provider is not asked again within the second.
    await worker.tokens.get(api);
    expect(op.op.discoveryFetches()).toBe(discoveries);
    expect(worker.context.session?.refreshToken).toBe('rt-0');
  });

  it('a sign-out during a refresh stores no token, and keeps the rotated refresh token for revocation', async () => {
    const api = worker.api(API);
    const session = await worker.signIn({ accessToken: 'expired', expiresAt: NOW });
    const release = op.hold();
    const pending = worker.tokens.get(api);
    await requestsReach(1);
    await worker.context.endSession('unauthenticated');
    release();
    expect(await pending).toBeUndefined();
    await worker.tokens.idle();
    expect(session.refreshToken).toBe('rt-1');
    expect(session.accessTokens.get('')?.token).toBe('expired');
  });
});

describe('renew after the API refused a token', () => {
  it('refreshes once, replaces the refused token, and waits 10 s before another 401 may refresh', async () => {
    const api = worker.api(API);
    await worker.signIn({ accessToken: 'refused', expiresAt: NOW + 3_600_000 });
    expect((await worker.tokens.renew(api, 'refused'))?.token).toBe('at-1');
    expect(op.tokenRequests).toHaveLength(1);

    expect(await worker.tokens.renew(api, 'at-1')).toBeUndefined();
    expect(op.tokenRequests).toHaveLength(1);

    worker.clock.advance(10_000);
    expect((await worker.tokens.renew(api, 'at-1'))?.token).toBe('at-2');
    expect(sentRefreshTokens()).toEqual(['rt-0', 'rt-1']);
  });

  it('a token already replaced serves without a refresh', async () => {
    const api = worker.api(API);
    await worker.signIn({ accessToken: 'current', expiresAt: NOW + 3_600_000 });
    expect((await worker.tokens.renew(api, 'older'))?.token).toBe('current');
    expect(op.tokenRequests).toHaveLength(0);
  });
});
