/**
 * The redirect-URI navigation, answered by the worker: a callback is accepted once, for a sign-in
 * this browser started, within its time; everything else is refused with a code in
 * `/?login_error=` and never reaches the token endpoint.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { call, events } from './harness/app-page.js';
import { type Env, expect, openApp, startEnv, stopEnv, test } from './harness/env.js';
import {
  cancelLogin,
  goToProvider,
  recordCallbacks,
  submitLogin,
} from './harness/provider-pages.js';

let env: Env;
test.beforeAll(async () => {
  env = await startEnv();
});
test.afterAll(async () => {
  await stopEnv(env);
});
test.beforeEach(() => {
  env.op.resetCounts();
  env.app.hits.clear();
});

/** Token endpoint requests since the test began, in total and as code exchanges. */
const tokenRequests = () => ({
  total: env.op.counts['/token'] ?? 0,
  codeExchanges: env.op.counts['token:authorization_code'] ?? 0,
});

const loginError = (url: URL) => url.searchParams.get('login_error');

/** The test app's worker in `context`. */
function appWorker(context: BrowserContext) {
  const worker = context.serviceWorkers().find((w) => w.url() === `${env.app.origin}/sw.js`);
  if (!worker) throw new Error('The app worker is not running');
  return worker;
}

/** Moves the worker's clock (the served config reads `self.__clockOffset`, in ms). */
async function moveWorkerClock(context: BrowserContext, offsetMs: number) {
  await appWorker(context).evaluate((offset) => {
    (self as unknown as { __clockOffset: number }).__clockOffset = offset;
  }, offsetMs);
}

async function user(page: Page) {
  return page.evaluate(() => window.identity.getUser());
}

/** Goes to `url` (a callback) and returns where the worker sent the browser. */
async function visitCallback(page: Page, url: string): Promise<URL> {
  await page.goto(url);
  await page.waitForURL((u) => u.pathname !== '/callback');
  await expect(page.locator('body[data-ready=true]')).toBeAttached({ timeout: 15_000 });
  return new URL(page.url());
}

/**
 * The states of the sign-ins waiting in IndexedDB (readable by page script, as docs/security.md
 * says: a transaction holds no token). PAR keeps `state` out of the provider URL; this is how a test
 * learns it.
 */
function pendingStates(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('identity-model-web-login');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const keys = db.transaction('transactions').objectStore('transactions').getAllKeys();
          keys.onerror = () => reject(keys.error);
          keys.onsuccess = () => {
            db.close();
            resolve(
              keys.result
                .map(String)
                .filter((key) => key.startsWith('login:'))
                .map((key) => key.slice('login:'.length)),
            );
          };
        };
      }),
  );
}

/** What `identity.handleCallback(url)` rejected with in `page` (or `resolved`). */
function handleCallback(page: Page, url: string): Promise<string> {
  return page.evaluate(async (url) => {
    try {
      await window.identity.handleCallback(url);
      return 'resolved';
    } catch (error) {
      return String((error as { code?: unknown }).code);
    }
  }, url);
}

test('a replayed callback is refused: one code exchange in all, and the session stays as it was', async ({
  context,
  page,
}) => {
  const callbacks = recordCallbacks(page, env);
  await openApp(page, env);
  await goToProvider(page, env);
  const landed = await submitLogin(page, env, 'alice');
  expect(loginError(landed)).toBeNull();
  expect(callbacks).toHaveLength(1);
  expect(new URL(callbacks[0]!).searchParams.get('code')).toBeTruthy();
  const signedIn = await user(page);
  expect(signedIn).toMatchObject({ state: 'authenticated', user: { sub: 'alice' } });
  expect(tokenRequests()).toEqual({ total: 1, codeExchanges: 1 });

  const watcher = await context.newPage();
  await openApp(watcher, env);
  const replayed = await visitCallback(page, callbacks[0]!);

  expect(replayed.pathname).toBe('/');
  expect(loginError(replayed)).toBe('ERR_STATE_MISMATCH');
  expect(tokenRequests()).toEqual({ total: 1, codeExchanges: 1 });
  // The worker answered: the callback never reached the app's server.
  expect(env.app.hits.get('/callback')).toBeUndefined();
  // Still the same session: no new user, no sign-out.
  expect(await user(page)).toEqual(signedIn);
  await expect
    .poll(() => events(watcher))
    .toEqual([{ type: 'error', error: expect.objectContaining({ code: 'ERR_STATE_MISMATCH' }) }]);
});

test('a callback with another state is refused, and the sign-in it did not match still completes', async ({
  context,
  page,
}) => {
  await openApp(page, env);
  await goToProvider(page, env);

  // Someone else's callback (a forged or stale link) arrives in another tab meanwhile.
  const other = await context.newPage();
  await openApp(other, env);
  const forged = new URL('/callback', env.app.origin);
  forged.search = new URLSearchParams({
    code: 'forged-code',
    state: 'not-the-state-sent',
    iss: env.op.issuer,
  }).toString();
  const refused = await visitCallback(other, forged.href);
  expect(loginError(refused)).toBe('ERR_STATE_MISMATCH');
  expect(tokenRequests().total).toBe(0);
  expect(await user(other)).toEqual({ state: 'unauthenticated', user: null });

  // The user's own sign-in goes on: the forged callback did not spend its transaction.
  const landed = await submitLogin(page, env, 'alice');
  expect(loginError(landed)).toBeNull();
  expect(await user(page)).toMatchObject({ state: 'authenticated', user: { sub: 'alice' } });
  expect(tokenRequests()).toEqual({ total: 1, codeExchanges: 1 });
});

test('access_denied from the provider (the user cancels) is refused without a token request', async ({
  context,
  page,
}) => {
  const callbacks = recordCallbacks(page, env);
  await openApp(page, env);
  const watcher = await context.newPage();
  await openApp(watcher, env);
  await goToProvider(page, env);
  const landed = await cancelLogin(page, env);

  expect(new URL(callbacks[0]!).searchParams.get('error')).toBe('access_denied');
  expect(loginError(landed)).toBe('ERR_OAUTH_ERROR');
  expect(tokenRequests().total).toBe(0);
  expect(await user(page)).toEqual({ state: 'unauthenticated', user: null });
  // Open tabs hear why (the message quotes the provider's error as text).
  await expect
    .poll(() => events(watcher))
    .toEqual([
      {
        type: 'error',
        error: expect.objectContaining({
          code: 'ERR_OAUTH_ERROR',
          message: expect.stringContaining('access_denied'),
        }),
      },
    ]);
  // The transaction is spent: the same callback again finds none.
  const again = await visitCallback(page, callbacks[0]!);
  expect(loginError(again)).toBe('ERR_STATE_MISMATCH');
  expect(tokenRequests().total).toBe(0);
});

test('a callback after the sign-in timed out (worker clock past loginTimeout) is refused', async ({
  context,
  page,
}) => {
  await openApp(page, env);
  await goToProvider(page, env);
  // The default loginTimeout is 600 s: the user comes back one second too late.
  await moveWorkerClock(context, 601_000);
  try {
    const landed = await submitLogin(page, env, 'alice');
    expect(loginError(landed)).toBe('ERR_STATE_MISMATCH');
    expect(tokenRequests().total).toBe(0);
    expect(await user(page)).toEqual({ state: 'unauthenticated', user: null });
  } finally {
    await moveWorkerClock(context, 0);
  }
});

test('a callback just inside loginTimeout is still accepted', async ({ context, page }) => {
  await openApp(page, env);
  await goToProvider(page, env);
  await moveWorkerClock(context, 590_000);
  try {
    const landed = await submitLogin(page, env, 'alice');
    expect(loginError(landed)).toBeNull();
    expect(await user(page)).toMatchObject({ state: 'authenticated', user: { sub: 'alice' } });
    expect(tokenRequests()).toEqual({ total: 1, codeExchanges: 1 });
  } finally {
    await moveWorkerClock(context, 0);
  }
});

test('a callback when no sign-in was started is refused without a token request', async ({
  page,
}) => {
  await openApp(page, env);
  const base = `${env.app.origin}/callback`;
  const unsolicited = [
    `${base}?${new URLSearchParams({ code: 'some-code', state: 'some-state', iss: env.op.issuer })}`,
    `${base}?code=some-code`,
  ];
  for (const url of unsolicited) {
    const landed = await visitCallback(page, url);
    expect(landed.pathname).toBe('/');
    expect(loginError(landed)).toBe('ERR_STATE_MISMATCH');
  }
  // No query at all is how a response_mode=fragment response looks to the worker: refused as
  // a response mode it never asks for (attacker.spec.ts), with the fragment dropped.
  const bare = await visitCallback(page, `${base}#code=some-code&state=some-state`);
  expect(bare.pathname).toBe('/');
  expect(bare.hash).toBe('');
  expect(loginError(bare)).toBe('ERR_RESPONSE_MODE_REFUSED');
  expect(tokenRequests().total).toBe(0);
  expect(env.app.hits.get('/callback')).toBeUndefined();
  expect(await user(page)).toEqual({ state: 'unauthenticated', user: null });
});

/**
 * Signs in at the provider but holds its redirect to the callback (consent, resume, callback):
 * returns the callback URL, not yet visited. Redirect hops are not routed, so they are followed
 * here, with the context's cookies.
 */
async function holdCallback(context: BrowserContext, page: Page): Promise<string> {
  await goToProvider(page, env);
  await page.locator('input[name=login]').fill('alice');
  await page.locator('input[name=password]').fill('any');
  await page.locator('button[type=submit]').click();
  await page.waitForURL((url) => url.pathname.includes('/interaction/'));
  let held = '';
  await page.route(page.url(), async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    let response = await route.fetch({ maxRedirects: 0 });
    while (response.status() >= 300 && response.status() < 400) {
      const location = new URL(response.headers().location!, response.url()).href;
      if (location.startsWith(`${env.app.origin}/callback`)) {
        held = location;
        break;
      }
      response = await context.request.get(location, { maxRedirects: 0 });
    }
    return route.fulfill({ status: 200, contentType: 'text/html', body: '<p>held</p>' });
  });
  await page.locator('button[type=submit]', { hasText: /continue/i }).click();
  await expect(page.getByText('held')).toBeVisible();
  expect(held).toMatch(/[?&]code=/);
  return held;
}

test('the same callback navigated to by two tabs at once is exchanged once', async ({
  context,
  page,
}) => {
  await openApp(page, env);
  const other = await context.newPage();
  await openApp(other, env);
  const held = await holdCallback(context, page);

  const landed = await Promise.all([visitCallback(page, held), visitCallback(other, held)]);
  expect(landed.map(loginError).sort()).toEqual(['ERR_STATE_MISMATCH', null]);
  expect(tokenRequests()).toEqual({ total: 1, codeExchanges: 1 });
  for (const tab of [page, other]) {
    expect(await user(tab)).toMatchObject({ state: 'authenticated', user: { sub: 'alice' } });
  }
  // A provider that sees a code twice revokes what it issued for it: the tokens still work.
  expect(await call(other, `${env.api.origin()}/v1/me`)).toMatchObject({ status: 200 });
});

test('the same callback sent twice at once by the page (handleCallback) is exchanged once', async ({
  context,
  page,
}) => {
  await openApp(page, env);
  const other = await context.newPage();
  await openApp(other, env);
  const held = await holdCallback(context, page);

  const outcomes = await other.evaluate(async (url) => {
    const results = await Promise.allSettled([
      window.identity.handleCallback(url),
      window.identity.handleCallback(url),
    ]);
    return results.map((r) =>
      r.status === 'fulfilled' ? r.value.state : (r.reason as { code: string }).code,
    );
  }, held);
  expect(outcomes.sort()).toEqual(['ERR_STATE_MISMATCH', 'authenticated']);
  expect(tokenRequests()).toEqual({ total: 1, codeExchanges: 1 });
  expect(await user(other)).toMatchObject({ state: 'authenticated', user: { sub: 'alice' } });
  expect(await call(other, `${env.api.origin()}/v1/me`)).toMatchObject({ status: 200 });
});

test('a callback URL that is not the redirect URI is refused without spending the sign-in it names', async ({
  context,
  page,
}) => {
  await openApp(page, env);
  await goToProvider(page, env);
  const other = await context.newPage();
  await openApp(other, env);
  const [state] = await pendingStates(other);
  expect(state).toBeTruthy();

  const params = new URLSearchParams({ code: 'some-code', state: state!, iss: env.op.issuer });
  for (const url of [
    `https://evil.example/callback?${params}`,
    `${env.app.origin}/callback/elsewhere?${params}`,
  ]) {
    expect(await handleCallback(other, url)).toBe('ERR_CALLBACK_INVALID');
  }
  expect(await handleCallback(other, 'not a url')).toBe('ERR_INVALID_MESSAGE');
  expect(tokenRequests().total).toBe(0);
  expect(await pendingStates(other)).toEqual([state]);

  const landed = await submitLogin(page, env, 'alice');
  expect(loginError(landed)).toBeNull();
  expect(tokenRequests()).toEqual({ total: 1, codeExchanges: 1 });
});

test('a callback with the right state but another issuer (mix-up) is refused with ERR_CALLBACK_ISSUER_MISMATCH', async ({
  context,
  page,
}) => {
  await openApp(page, env);
  await goToProvider(page, env);
  const other = await context.newPage();
  await openApp(other, env);
  const [state] = await pendingStates(other);

  const forged = new URL('/callback', env.app.origin);
  forged.search = new URLSearchParams({
    code: 'code-from-the-other-provider',
    state: state!,
    iss: 'https://evil.example',
  }).toString();
  const landed = await visitCallback(other, forged.href);
  expect(loginError(landed)).toBe('ERR_CALLBACK_ISSUER_MISMATCH');
  expect(tokenRequests().total).toBe(0);
  // The transaction is single-use whatever the outcome: the user's own callback is refused too.
  expect(await pendingStates(other)).toEqual([]);
  const own = await submitLogin(page, env, 'alice');
  expect(loginError(own)).toBe('ERR_STATE_MISMATCH');
  expect(tokenRequests().total).toBe(0);
});
