/**
 * The worker's life in real Chromium: the browser stops it (CDP, as it does to idle workers)
 * and the next event starts a new instance without the tokens, which were in memory only; and a
 * hard reload, which leaves the page uncontrolled until the client asks the worker to claim it.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { DEFAULT_API_RESOURCE, DEMO_CLIENTS } from '../../demo/provider.js';
import { type Env, expect, openApp, signIn, startEnv, stopEnv, test } from './harness/env.js';
import {
  call,
  getUser,
  type PageIdentity,
  pageEvents,
  type WorkerControl,
  workerControl,
} from './harness/worker.js';

let env: Env;
test.beforeAll(async () => {
  env = await startEnv();
  // A restarted worker's tokens are gone: the case without the silent sign-in it would try
  // (recover.cdp.ts covers that).
  env.app.config = { ...env.app.config!, silentRecovery: false };
});
test.afterAll(async () => {
  await stopEnv(env);
});

const DISCOVERY = '/.well-known/openid-configuration';
const JWKS = '/jwks';
/** Discovery and JWKS requests at the provider (from the worker, or the API's own first look). */
function metadataRequests(): number {
  // The keys are right: sign-in fetched both once.
  expect(env.op.counts[DISCOVERY]).toBeGreaterThan(0);
  expect(env.op.counts[JWKS]).toBeGreaterThan(0);
  return env.op.counts[DISCOVERY]! + env.op.counts[JWKS]!;
}
const api = (path: string) => `${env.api.origin()}/v1/${path}`;

/** Signs in on a first tab and opens a second one. */
async function twoTabs(context: BrowserContext): Promise<[Page, Page]> {
  const first = await context.newPage();
  await signIn(first, env);
  const second = await context.newPage();
  await openApp(second, env);
  return [first, second];
}

/**
 * Stops the app's worker the way the browser does (CDP `ServiceWorker.stopWorker`), and waits
 * until CDP reports it stopped. (Playwright's `Worker` handle does not notice the stop.)
 */
async function stopWorker(context: BrowserContext, page: Page): Promise<WorkerControl> {
  const control = await workerControl(context, page);
  await control.stop(env.app.origin);
  expect(control.status(env.app.origin)).toBe('stopped');
  return control;
}

/**
 * Signs in again in a context where the provider still has the user's session: the provider
 * sends the browser straight back (no page of its own is ever shown), to `returnTo`.
 */
async function signInAgain(page: Page, returnTo = '/again'): Promise<void> {
  await Promise.all([
    page.waitForURL((url) => url.origin === env.app.origin && url.pathname === returnTo),
    page.evaluate(
      (returnTo) =>
        (window as unknown as { identity: { login(o: object): Promise<void> } }).identity.login({
          returnTo,
        }),
      returnTo,
    ),
  ]);
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
}

const eventTypes = async (page: Page) => (await pageEvents(page)).map((event) => event.type);

/** A JWT access token for the demo API, from the provider to Node (client credentials). */
async function apiToken(): Promise<string> {
  const { clientId, clientSecret } = DEMO_CLIENTS.basic;
  const response = await fetch(`${env.op.issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: DEFAULT_API_RESOURCE }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

test('an API fetch restarts a stopped worker: no token, no metadata requests, every tab told the session expired; signing in again works', async ({
  context,
}) => {
  const [first, second] = await twoTabs(context);
  expect((await call(first, api('me'))).status).toBe(200);
  expect(env.api.requests.at(-1)).toMatchObject({ valid: true });

  const control = await stopWorker(context, first);
  const metadataBefore = metadataRequests();
  const before = env.api.requests.length;

  // The first event of the new instance is this fetch: it goes out, without a token.
  const result = await call(second, api('after-restart'));
  await expect.poll(() => control.status(env.app.origin)).toBe('running');
  expect(result.status).toBe(401);
  expect(env.api.requests.slice(before)).toEqual([
    expect.objectContaining({ path: '/v1/after-restart', authorization: null }),
  ]);
  for (const page of [first, second]) {
    await expect.poll(() => eventTypes(page)).toContain('sessionexpired');
    expect(await getUser(page)).toEqual({ state: 'expired', user: null });
  }
  expect(metadataRequests()).toBe(metadataBefore);

  // Signing in again (discovery and keys from IndexedDB) puts tokens back on API calls.
  await signInAgain(first);
  expect(await getUser(first)).toMatchObject({ state: 'authenticated', user: { sub: 'alice' } });
  expect(await getUser(second)).toMatchObject({ state: 'authenticated', user: { sub: 'alice' } });
  await expect.poll(() => eventTypes(second)).toContain('userchanged');
  expect((await call(second, api('me'))).status).toBe(200);
  expect(env.api.requests.at(-1)).toMatchObject({ path: '/v1/me', valid: true });
  expect(metadataRequests()).toBe(metadataBefore);
});

test('a page message restarts a stopped worker: validateToken uses the stored keys, getUser says expired, a later restart is quiet', async ({
  context,
}) => {
  const [first, second] = await twoTabs(context);
  const jwt = await apiToken();
  const control = await stopWorker(context, first);
  const metadataBefore = metadataRequests();

  // The first message of the new instance: validation with discovery and JWKS from IndexedDB.
  const claims = await second.evaluate(
    ({ jwt, audience }) =>
      (window as unknown as { identity: PageIdentity }).identity.validateToken(jwt, {
        audience,
        typ: 'at+jwt',
      }),
    { jwt, audience: DEFAULT_API_RESOURCE },
  );
  await expect.poll(() => control.status(env.app.origin)).toBe('running');
  expect(claims).toMatchObject({ client_id: DEMO_CLIENTS.basic.clientId, iss: env.op.issuer });
  expect(metadataRequests()).toBe(metadataBefore);

  for (const page of [first, second]) {
    expect(await getUser(page)).toEqual({ state: 'expired', user: null });
    await expect.poll(() => eventTypes(page)).toContain('sessionexpired');
  }
  const before = env.api.requests.length;
  expect((await call(first, api('me'))).status).toBe(401);
  expect(env.api.requests.slice(before).map((r) => r.authorization)).toEqual([null]);

  // The pages were told once: the next restart reports no session and sends no event.
  const told = (await eventTypes(first)).length;
  await control.stop(env.app.origin);
  expect(await getUser(first)).toEqual({ state: 'unauthenticated', user: null });
  expect(await eventTypes(first)).toHaveLength(told);
  expect(metadataRequests()).toBe(metadataBefore);
});

test('after a hard reload the page is claimed: ready() resolves and its API calls carry a token', async ({
  page,
  context,
}) => {
  await signIn(page, env);
  // Whether a worker controlled the page when its first script ran.
  await page.addInitScript(() => {
    (window as unknown as { controlledAtStart: boolean }).controlledAtStart =
      navigator.serviceWorker.controller !== null;
  });
  await page.reload();
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  expect(
    await page.evaluate(() => (window as { controlledAtStart?: boolean }).controlledAtStart),
  ).toBe(true);

  const cdp = await context.newCDPSession(page);
  await cdp.send('Page.enable');
  const loaded = new Promise((resolve) => cdp.once('Page.loadEventFired', resolve));
  await cdp.send('Page.reload', { ignoreCache: true });
  await loaded;
  await cdp.detach();
  expect(
    await page.evaluate(() => (window as { controlledAtStart?: boolean }).controlledAtStart),
  ).toBe(false);

  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  expect(await getUser(page)).toMatchObject({ state: 'authenticated', user: { sub: 'alice' } });
  const before = env.api.requests.length;
  expect((await call(page, api('me'))).status).toBe(200);
  expect(env.api.requests.slice(before)).toEqual([
    expect.objectContaining({ path: '/v1/me', valid: true }),
  ]);
});
