/**
 * The library inside an app's OWN service worker (apps/composed-sw.ts imports the `./sw` entry):
 * the app's routes and messages and the library's token handling live in one worker, and the
 * library's handlers return `false` for whatever is not theirs, so the app's code takes it.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { COMPOSED_WORKER, startComposedEnv } from './harness/composed-app.js';
import { type Env, expect, openApp, signIn, stopEnv, test } from './harness/env.js';

let env: Env;
test.beforeAll(async () => {
  env = await startComposedEnv();
});
test.afterAll(async () => {
  await stopEnv(env);
});

/** What the app's own fetch handler saw (`mode origin+path`), read from the worker. */
async function appSeen(context: BrowserContext): Promise<string[]> {
  const worker = context
    .serviceWorkers()
    .find((w) => w.url() === `${env.app.origin}${COMPOSED_WORKER}`);
  if (!worker) throw new Error('The composed worker is not running');
  return worker.evaluate(() => (self as unknown as { appSeen: string[] }).appSeen);
}

/** A fetch from the page: status, JSON body (or null), and which code answered. */
function call(page: Page, url: string) {
  return page.evaluate(async (url) => {
    const response = await fetch(url);
    const text = await response.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, body, answeredBy: response.headers.get('x-answered-by') };
  }, url);
}

test('signed out: the app’s route and messages work, and the library leaves API calls to the app', async ({
  context,
  page,
}) => {
  await openApp(page, env);
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toBe(
    `${env.app.origin}${COMPOSED_WORKER}`,
  );

  // The app's own route, answered in the worker (the server would say 404).
  expect(await call(page, '/hello')).toEqual({
    status: 200,
    body: { from: 'the app worker' },
    answeredBy: 'app',
  });
  expect(env.app.hits.get('/hello')).toBeUndefined();

  // No session: the library does not take the allowlisted API call; the app's route does.
  const me = `${env.api.origin()}/v1/me`;
  expect(await call(page, me)).toMatchObject({ status: 401, answeredBy: 'app' });
  expect(env.api.requests.at(-1)).toMatchObject({ path: '/v1/me', authorization: null });
  expect(await appSeen(context)).toEqual(
    expect.arrayContaining([`cors ${env.app.origin}/hello`, `cors ${env.api.origin()}/v1/me`]),
  );

  // The app's message and the library's, on the same worker.
  const pong = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (event) => resolve(event.data);
        navigator.serviceWorker.controller!.postMessage({ app: 'ping' }, [channel.port2]);
      }),
  );
  expect(pong).toEqual({ app: 'pong', from: 'the app worker' });
  expect(await page.evaluate(() => window.identity.getUser())).toEqual({
    state: 'unauthenticated',
    user: null,
  });
});

test('signed in through the app’s worker: the library attaches tokens, the app keeps its routes', async ({
  context,
  page,
}) => {
  await signIn(page, env, 'alice');
  expect(await page.evaluate(() => window.identity.getUser())).toMatchObject({
    state: 'authenticated',
    user: { sub: 'alice' },
  });
  // The redirect-URI navigation was the library's: neither the app's code nor the server saw it.
  expect(env.app.hits.get('/callback')).toBeUndefined();
  expect((await appSeen(context)).filter((seen) => seen.includes('/callback'))).toEqual([]);

  const seenBefore = (await appSeen(context)).length;
  const before = env.api.requests.length;
  const me = await call(page, `${env.api.origin()}/v1/me`);
  expect(me).toEqual({
    status: 200,
    body: expect.objectContaining({ sub: 'alice', clientId: 'demo-spa' }),
    answeredBy: null,
  });
  const hello = await call(page, '/hello');
  expect(hello).toMatchObject({ status: 200, answeredBy: 'app' });
  const info = await call(page, `${env.api.origin()}/public/info`);
  expect(info).toMatchObject({ status: 200, answeredBy: 'app' });

  expect(env.api.requests.slice(before)).toEqual([
    expect.objectContaining({ path: '/v1/me', valid: true }),
    expect.objectContaining({ path: '/public/info', authorization: null }),
  ]);
  // The library took the API call; the app's handler got exactly the rest.
  expect((await appSeen(context)).slice(seenBefore)).toEqual([
    `cors ${env.app.origin}/hello`,
    `cors ${env.api.origin()}/public/info`,
  ]);
});
