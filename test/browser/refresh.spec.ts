/**
 * Refresh in real Chromium: one refresh for many tabs, one refresh and one replay after a 401,
 * the session ending on `invalid_grant`, back-off with the refresh token kept on a 5xx, and
 * tokens shorter-lived than the refresh skew.
 *
 * Time moves on the worker's clock only (`__clockOffset`): the API access tokens live 120 s and
 * the worker refreshes 30 s before expiry (`refreshSkew`), so 110 s ahead is "nearly expired"
 * while the ID token (1 h) and the tokens at the API (real time) stay valid.
 */
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { type Env, expect, openApp, signIn, startEnv, stopEnv, test } from './harness/env.js';
import { installProviderHooks, type ProviderHooks } from './harness/provider-hooks.js';
import {
  call,
  callMany,
  finishCalls,
  freezeWorkerClock,
  getUser,
  pageEvents,
  serviceWorker,
  setWorkerClock,
  startCalls,
} from './harness/worker.js';

const ACCESS_TOKEN_TTL = 120;

let env: Env;
let hooks: ProviderHooks;
test.beforeAll(async () => {
  env = await startEnv({ apiAccessTokenTTL: ACCESS_TOKEN_TTL });
  hooks = installProviderHooks(env.op);
});
test.afterAll(async () => {
  await stopEnv(env);
});

const refreshes = () => env.op.counts['token:refresh_token'] ?? 0;
const api = (path: string) => `${env.api.origin()}/v1/${path}`;
const bearer = (authorization: string | null) => authorization?.replace(/^Bearer /, '') ?? null;

/** `count` signed-in tabs of one browser context, and their (one) worker. */
async function signedInTabs(context: BrowserContext, count: number) {
  const pages: Page[] = [await context.newPage()];
  await signIn(pages[0]!, env);
  for (let i = 1; i < count; i++) {
    const page = await context.newPage();
    await openApp(page, env);
    pages.push(page);
  }
  const worker = await serviceWorker(context, env.app.origin);
  return { pages, worker };
}

/** The token the API saw on one call from `page` (and that it accepted it). */
async function currentToken(page: Page): Promise<string> {
  const before = env.api.requests.length;
  expect((await call(page, api('me'))).status).toBe(200);
  const [seen] = env.api.requests.slice(before);
  expect(seen).toMatchObject({ valid: true });
  return bearer(seen!.authorization)!;
}

/** Moves the worker's clock to 10 s before the access token expires (inside the refresh skew). */
async function nearExpiry(page: Page, worker: Worker) {
  const { user } = await getUser(page);
  expect(user).not.toBeNull();
  const offset = user!.expiresAt - 10_000 - Date.now();
  expect(offset).toBeGreaterThan(60_000); // the token really was fresh before
  await setWorkerClock(worker, offset);
  return offset;
}

test('30 concurrent calls over three tabs with a nearly expired token cause one refresh', async ({
  context,
}) => {
  const { pages, worker } = await signedInTabs(context, 3);
  const old = await currentToken(pages[0]!);
  await nearExpiry(pages[0]!, worker);

  const refreshesBefore = refreshes();
  const before = env.api.requests.length;
  const release = hooks.holdRefreshes();
  try {
    await Promise.all(
      pages.map((page, tab) =>
        startCalls(
          page,
          Array.from({ length: 10 }, (_, i) => api(`items/${tab * 10 + i}`)),
        ),
      ),
    );
    // The refresh is at the provider and every call waits for it: none went out meanwhile.
    await expect.poll(() => hooks.heldRefreshes).toBe(1);
    expect(env.api.requests.length).toBe(before);
  } finally {
    release();
  }
  const results = (await Promise.all(pages.map(finishCalls))).flat();
  expect(results.map((r) => r.status)).toEqual(Array(30).fill(200));
  expect(refreshes() - refreshesBefore).toBe(1);

  const seen = env.api.requests.slice(before);
  expect(seen).toHaveLength(30);
  expect(new Set(seen.map((r) => r.path)).size).toBe(30);
  expect(seen.every((r) => r.valid === true)).toBe(true);
  const tokens = new Set(seen.map((r) => bearer(r.authorization)));
  expect(tokens.size).toBe(1);
  expect(tokens.has(old)).toBe(false);

  // The new token is fresh: more calls need no refresh.
  expect((await callMany(pages[2]!, [api('a'), api('b')])).map((r) => r.status)).toEqual([
    200, 200,
  ]);
  expect(refreshes() - refreshesBefore).toBe(1);
});

test('a 401 invalid_token causes one refresh and one replay; a JSON POST is replayed with its body', async ({
  page,
}) => {
  await signIn(page, env);
  const old = await currentToken(page);
  env.api.revokeToken(old);

  const refreshesBefore = refreshes();
  const before = env.api.requests.length;
  const body = JSON.stringify({ item: 'book', quantity: 2, note: 'é ✓' });
  const result = await call(page, api('orders'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  expect(result.status).toBe(200);
  expect(JSON.parse(result.body)).toMatchObject({ method: 'POST', body, sub: 'alice' });
  expect(refreshes() - refreshesBefore).toBe(1);

  const seen = env.api.requests.slice(before);
  expect(seen).toHaveLength(2);
  expect(seen[0]).toMatchObject({ method: 'POST', path: '/v1/orders', valid: false, body });
  expect(bearer(seen[0]!.authorization)).toBe(old);
  expect(seen[1]).toMatchObject({ method: 'POST', path: '/v1/orders', valid: true, body });
  const renewed = bearer(seen[1]!.authorization);
  expect(renewed).not.toBe(old);

  // The refused token is forgotten: the next call uses the new one at once.
  expect(await currentToken(page)).toBe(renewed);
  expect(refreshes() - refreshesBefore).toBe(1);
});

test('concurrent 401s from two tabs share one refresh, and each refused call is replayed once', async ({
  context,
}) => {
  const { pages } = await signedInTabs(context, 2);
  const old = await currentToken(pages[0]!);
  env.api.revokeToken(old);

  const refreshesBefore = refreshes();
  const before = env.api.requests.length;
  const refused = () => env.api.requests.slice(before).filter((r) => r.valid === false);
  const json = { method: 'POST', headers: { 'content-type': 'application/json' } };
  const release = hooks.holdRefreshes();
  try {
    await startCalls(
      pages[0]!,
      Array.from({ length: 10 }, (_, i) => api(`get/${i}`)),
    );
    await startCalls(
      pages[1]!,
      Array.from({ length: 10 }, (_, i) => api(`post/${i}`)),
      { ...json, body: '{"n":1}' },
    );
    // Several calls have had their 401 while the one refresh is held at the provider. (Calls
    // that reach the worker after the first 401 wait for the refresh without a token.)
    await expect.poll(() => hooks.heldRefreshes).toBe(1);
    await expect.poll(() => refused().length).toBeGreaterThanOrEqual(2);
  } finally {
    release();
  }
  const results = (await Promise.all(pages.map(finishCalls))).flat();
  expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
  expect(refreshes() - refreshesBefore).toBe(1);

  const seen = env.api.requests.slice(before);
  expect(refused().map((r) => bearer(r.authorization))).toEqual(Array(refused().length).fill(old));
  const accepted = seen.filter((r) => r.valid === true);
  expect(accepted.map((r) => r.path).sort()).toEqual(
    [
      ...Array.from({ length: 10 }, (_, i) => `/v1/get/${i}`),
      ...Array.from({ length: 10 }, (_, i) => `/v1/post/${i}`),
    ].sort(),
  );
  expect(seen).toHaveLength(20 + refused().length); // each refused call replayed once, no more
  const renewed = new Set(accepted.map((r) => bearer(r.authorization)));
  expect(renewed.size).toBe(1);
  expect(renewed.has(old)).toBe(false);
  expect(seen.filter((r) => r.method === 'POST').every((r) => r.body === '{"n":1}')).toBe(true);
});

test('invalid_grant ends the session: every tab is told, calls go out without a token, no retries', async ({
  context,
}) => {
  const issued = hooks.refreshTokens.length;
  const { pages, worker } = await signedInTabs(context, 2);
  expect(hooks.refreshTokens.length).toBe(issued + 1); // the code exchange's refresh token
  await hooks.revokeRefreshToken(hooks.refreshTokens.at(-1)!);
  const offset = await nearExpiry(pages[0]!, worker);

  const refreshesBefore = refreshes();
  const before = env.api.requests.length;
  const results = await callMany(pages[0]!, [api('x/1'), api('x/2'), api('x/3')]);
  expect(refreshes() - refreshesBefore).toBe(1);
  // The token still has 10 s to live, but its session is over: no call carries it.
  expect(results.map((r) => r.status)).toEqual([401, 401, 401]);
  expect(env.api.requests.slice(before).map((r) => r.authorization)).toEqual([null, null, null]);

  for (const page of pages) {
    await expect
      .poll(async () => (await pageEvents(page)).map((e) => e.type))
      .toContain('sessionexpired');
    expect(await getUser(page)).toEqual({ state: 'expired', user: null });
  }

  // Later calls, even past the token's expiry, neither carry a token nor try again.
  await setWorkerClock(worker, offset + 60_000);
  const later = env.api.requests.length;
  expect((await callMany(pages[1]!, [api('y/1'), api('y/2')])).map((r) => r.status)).toEqual([
    401, 401,
  ]);
  expect(env.api.requests.slice(later).map((r) => r.authorization)).toEqual([null, null]);
  expect(refreshes() - refreshesBefore).toBe(1);
  expect(await getUser(pages[1]!)).toEqual({ state: 'expired', user: null });
});

test('a 5xx at the token endpoint keeps the refresh token and backs off; it works once the provider is back', async ({
  page,
  context,
}) => {
  await signIn(page, env);
  const worker = await serviceWorker(context, env.app.origin);
  const old = await currentToken(page);
  const refreshesBefore = refreshes();
  const failedBefore = hooks.failedRefreshes;
  const failed = () => hooks.failedRefreshes - failedBefore;

  hooks.failRefreshes = true;
  try {
    // The worker's clock stands still from here on: a loaded machine once spent more than the
    // back-off between two steps, and real time would then have counted.
    const { user } = await getUser(page);
    const at = user!.expiresAt - 10_000;
    await freezeWorkerClock(worker, at);
    // The refresh fails; the token, still valid for 10 s, is used meanwhile.
    expect(await currentToken(page)).toBe(old);
    expect(failed()).toBe(1);
    // Within the back-off (1 s after the first failure) nobody asks the provider again.
    const results = await callMany(page, [api('z/1'), api('z/2'), api('z/3'), api('z/4')]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(failed()).toBe(1);
    // Past it, one more try, which fails too: the back-off doubles (2 s).
    await freezeWorkerClock(worker, at + 1_500);
    expect(await currentToken(page)).toBe(old);
    expect(failed()).toBe(2);
    await freezeWorkerClock(worker, at + 3_000);
    expect(await currentToken(page)).toBe(old);
    expect(failed()).toBe(2);
  } finally {
    hooks.failRefreshes = false;
    await freezeWorkerClock(worker, undefined);
  }
  expect(refreshes()).toBe(refreshesBefore); // none of these reached the provider's grant

  // The provider is back and the back-off has passed: the kept refresh token works.
  await setWorkerClock(worker, (await nearExpiry(page, worker)) + 4_000);
  const renewed = await currentToken(page);
  expect(renewed).not.toBe(old);
  expect(refreshes() - refreshesBefore).toBe(1);
  expect(failed()).toBe(2);
  expect((await getUser(page)).state).toBe('authenticated');
});

test.describe('access tokens that live no longer than the refresh skew', () => {
  let short: Env;
  test.beforeAll(async () => {
    short = await startEnv({ apiAccessTokenTTL: 20 }); // refreshSkew is 30 s
  });
  test.afterAll(async () => {
    await stopEnv(short);
  });

  test('are renewed at half their lifetime, not on every call', async ({ page, context }) => {
    await signIn(page, short);
    const worker = await serviceWorker(context, short.app.origin);
    const count = () => short.op.counts['token:refresh_token'] ?? 0;
    const me = `${short.api.origin()}/v1/me`;
    const tokens = () => new Set(short.api.withToken().map((r) => r.authorization));

    for (let i = 0; i < 4; i++) expect((await call(page, me)).status).toBe(200);
    expect(count()).toBe(0);
    expect(tokens().size).toBe(1);

    // 11 s on: past half of the 20 s lifetime, one refresh; its token is then fresh for 10 s.
    await setWorkerClock(worker, 11_000);
    for (let i = 0; i < 4; i++) expect((await call(page, me)).status).toBe(200);
    expect(count()).toBe(1);
    expect(tokens().size).toBe(2);
    expect(short.api.withToken().every((r) => r.valid)).toBe(true);
  });
});
