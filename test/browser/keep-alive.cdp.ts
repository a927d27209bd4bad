/**
 * Issue 8 item 3, "keep-alive while pages are open", in real Chromium with no debugger on the
 * service worker (harness/cdp.ts): a debugger keeps a worker alive, so under Playwright an idle
 * worker is never stopped and these cases would pass for the wrong reason.
 *
 * Chromium stops a service worker about 30 s after its last event, also while a page is open,
 * and the tokens in its memory die with it. The client sends `keepAlive` while the session is
 * `authenticated`. The five cases run at once, each in its own browser context (own worker); the
 * DPoP case has its own app and API (DPoP-bound tokens only) at the same provider.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_API_RESOURCE, DEMO_CLIENTS } from '../../demo/provider.js';
import { type Browser, launchChromium, type PageSession, sleep } from './harness/cdp.js';
import { startCdpApp } from './harness/cdp-app.js';
import { callApi, getUser, openApp, signIn } from './harness/cdp-sign-in.js';
import { type DpopApi, startDpopApi } from './harness/dpop-api.js';
import { type ProviderTap, tapProvider } from './harness/provider-record.js';
import { type Env, startEnv, stopEnv } from './harness/world.js';

let browser: Browser;
let env: Env;
let app: Awaited<ReturnType<typeof startCdpApp>>;
/** The DPoP case's own app (origin, so worker and IndexedDB) and API: DPoP-bound tokens only. */
let dpopApp: Awaited<ReturnType<typeof startCdpApp>>;
let dpopApi: DpopApi;
let tap: ProviderTap;

beforeAll(async () => {
  app = await startCdpApp();
  dpopApp = await startCdpApp();
  const apps = [app, dpopApp];
  env = await startEnv(
    {
      redirectUris: apps.map((a) => `${a.origin}/callback`),
      postLogoutRedirectUris: apps.map((a) => `${a.origin}/`),
    },
    app,
  );
  // These cases are about the worker's own life: without the silent sign-in a restarted worker
  // would try (recover.cdp.ts covers it), its tokens are simply gone.
  env.app.config = { ...env.app.config!, silentRecovery: false };
  tap = tapProvider(env.op);
  dpopApi = await startDpopApi({ issuer: env.op.issuer, resource: DEFAULT_API_RESOURCE });
  dpopApp.config = {
    issuer: env.op.issuer,
    clientId: DEMO_CLIENTS.spaDpop.clientId,
    redirectUri: `${dpopApp.origin}/callback`,
    postLogoutRedirectUri: `${dpopApp.origin}/`,
    scope: 'openid profile email api:read',
    apis: [{ url: `${dpopApi.origin()}/v1/`, resource: DEFAULT_API_RESOURCE }],
    silentRecovery: false,
  };
  browser = await launchChromium(['api.test.com']);
});
afterAll(async () => {
  await browser?.close();
  tap?.remove();
  await dpopApi?.close();
  await dpopApp?.close();
  await stopEnv(env);
});

/** A page in a fresh browser context (so with its own service worker). */
async function freshPage(): Promise<PageSession> {
  return browser.newPage(await browser.newContext());
}

/** The app's service-worker targets of `page`'s context, in the order they appeared. */
function workersOf(page: PageSession) {
  return browser.workers.filter(
    (worker) =>
      worker.browserContextId === page.browserContextId && worker.url.startsWith(app.origin),
  );
}

/** Waits until no worker target of `page`'s context is alive; returns when that happened. */
async function workerStopped(page: PageSession, timeout: number): Promise<number> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const workers = workersOf(page);
    if (workers.length > 0 && workers.every((w) => w.destroyedAt !== undefined)) {
      return Math.max(...workers.map((w) => w.destroyedAt ?? 0));
    }
    if (Date.now() > deadline) {
      const ticks = await page.evaluate<number[]>('window.keepAlives.map((k) => k.at)');
      throw new Error(
        `the worker was not stopped within ${timeout} ms: targets ${JSON.stringify(workers)}, keep-alives at ${ticks.join(' ')}`,
      );
    }
    await sleep(250);
  }
}

/** A fetch from the page through its worker, and what the demo API saw of it. */
const call = (page: PageSession, path: string) => callApi(page, env, path);
/** The DPoP world as the sign-in helpers see it: its app and the shared provider. */
const dpopEnv = () => ({ op: env.op, app: dpopApp }) as unknown as Env;
/** A fetch from the page through its worker to the DPoP API's `/v1/<path>`, and what it saw. */
async function dpopCall(page: PageSession, path: string) {
  const before = dpopApi.requests.length;
  const status = await page.evaluate<number>(
    `fetch(${JSON.stringify(`${dpopApi.origin()}/v1/${path}`)}).then((r) => r.status)`,
  );
  const seen = dpopApi.requests.slice(before).filter((r) => r.path === `/v1/${path}`);
  return { status, seen };
}

const keepAlives = (page: PageSession) =>
  page.evaluate<number[]>('window.keepAlives.map((k) => k.at)');
const eventTypes = (page: PageSession) =>
  page.evaluate<string[]>('window.events.map((e) => e.type)');

describe.concurrent('keep-alive (issue 8 item 3), no debugger on the worker', () => {
  test('baseline (issue 8 "the problem, measured"): with the keep-alive off, an idle signed-in page loses its worker in about 30 s and the next API call goes out without a token', async () => {
    const page = await freshPage();
    await openApp(page, env, '/?keepAlive=0');
    await signIn(page, env);
    const signedIn = await call(page, 'baseline-before');
    expect(signedIn.status).toBe(200);
    expect(signedIn.seen).toEqual([expect.objectContaining({ valid: true })]);
    const lastEvent = Date.now();

    const stoppedAt = await workerStopped(page, 60_000);
    const lifetime = (stoppedAt - lastEvent) / 1000;
    console.log(`baseline: worker target destroyed ${lifetime.toFixed(1)} s after the last event`);
    expect(lifetime).toBeGreaterThan(20);
    expect(lifetime).toBeLessThan(45);
    expect(await keepAlives(page)).toEqual([]);

    // What users met: the restarted worker has no tokens.
    const after = await call(page, 'baseline-after');
    expect(after.status).toBe(401);
    expect(after.seen).toEqual([expect.objectContaining({ authorization: null })]);
    expect(await getUser(page)).toEqual({ state: 'expired', user: null });
    expect(await eventTypes(page)).toContain('sessionexpired');
  });

  test('idle (issue 8 Tests "Idle"): signed in, the page visible and idle for 3 minutes, the worker is never stopped and the next API call carries a valid token, no new login', async () => {
    const page = await freshPage();
    await openApp(page, env);
    await signIn(page, env);
    const before = await call(page, 'idle-before');
    expect(before.status).toBe(200);
    const url = await page.evaluate<string>('location.href');
    expect(await page.evaluate<string>('document.visibilityState')).toBe('visible');
    const workers = workersOf(page);
    const start = Date.now();

    await sleep(180_000);

    expect(workersOf(page)).toEqual(workers);
    expect(workers.filter((w) => w.destroyedAt === undefined)).toHaveLength(1);
    const ticks = (await keepAlives(page)).filter((at) => at >= start);
    const gaps = ticks.slice(1).map((at, i) => (at - (ticks[i] ?? at)) / 1000);
    console.log(
      `idle: ${ticks.length} keep-alives in ${(Date.now() - start) / 1000} s, gaps ${gaps.map((g) => g.toFixed(1)).join(' ')} s`,
    );
    expect(ticks.length).toBeGreaterThanOrEqual(8);
    expect(Math.max(...gaps)).toBeLessThan(25);

    const after = await call(page, 'idle-after');
    expect(after.status).toBe(200);
    expect(after.seen).toEqual([
      expect.objectContaining({ valid: true, authorization: expect.stringMatching(/^Bearer /) }),
    ]);
    // No new login: same page, same session, never told it expired.
    expect(await page.evaluate<string>('location.href')).toBe(url);
    expect(await eventTypes(page)).not.toContain('sessionexpired');
    expect(await getUser(page)).toMatchObject({ state: 'authenticated', user: { sub: 'alice' } });
  });

  test('idle with DPoP (issue 8 Tests "Idle", with DPoP at the provider): signed in with a DPoP-bound session, the page visible and idle for 3 minutes, the next API call carries the same DPoP-bound token with a fresh valid proof, and no authorization or token request of this client reached the provider', async () => {
    const page = await browser.newPage(await browser.newContext());
    await openApp(page, dpopEnv());
    await signIn(page, dpopEnv());
    const before = await dpopCall(page, 'idle-dpop-before');
    expect(before.status).toBe(200);
    expect(before.seen).toEqual([
      expect.objectContaining({ valid: true, authorization: expect.stringMatching(/^DPoP /) }),
    ]);
    const url = await page.evaluate<string>('location.href');
    expect(await page.evaluate<string>('document.visibilityState')).toBe('visible');
    const workers = browser.workers.filter(
      (w) => w.browserContextId === page.browserContextId && w.url.startsWith(dpopApp.origin),
    );
    // Requests of this client only: the other cases sign in at the same provider meanwhile.
    const mine = () =>
      tap.hits
        .filter((hit) => hit.params.client_id === DEMO_CLIENTS.spaDpop.clientId)
        .map((hit) => `${hit.route ?? hit.path}:${String(hit.params.grant_type ?? '')}`);
    const sent = mine().length;
    const start = Date.now();

    await sleep(180_000);

    const after = await dpopCall(page, 'idle-dpop-after');
    expect(after.status).toBe(200);
    expect(after.seen).toHaveLength(1);
    const [seen] = after.seen;
    // The token bound at sign-in (no refresh, no new sign-in), with a proof made for this call.
    expect(seen).toMatchObject({ valid: true, authorization: before.seen[0]!.authorization });
    expect(seen!.proof).toMatchObject({
      htm: 'GET',
      htu: `${dpopApi.origin()}/v1/idle-dpop-after`,
    });
    expect(seen!.proof!.jti).not.toBe(before.seen[0]!.proof!.jti);
    expect(seen!.proof!.iat as number).toBeGreaterThanOrEqual(Math.floor(start / 1000) + 179);
    expect(mine().slice(sent)).toEqual([]);
    // The keep-alive held the worker the whole time: the same one answered, never restarted.
    expect(workers.filter((w) => w.destroyedAt === undefined)).toHaveLength(1);
    expect(
      browser.workers.filter(
        (w) => w.browserContextId === page.browserContextId && w.url.startsWith(dpopApp.origin),
      ),
    ).toEqual(workers);
    expect(await page.evaluate<string>('location.href')).toBe(url);
    expect(await eventTypes(page)).not.toContain('sessionexpired');
    expect(await getUser(page)).toMatchObject({ state: 'authenticated', user: { sub: 'alice' } });
  });

  test('signed out: no keep-alive messages before sign-in or after sign-out, and the worker is allowed to stop', async () => {
    const page = await freshPage();
    // One a second, so that any message sent while signed out would show at once.
    await openApp(page, env, '/?keepAlive=1');
    await sleep(3_000);
    expect(await keepAlives(page)).toEqual([]);

    await signIn(page, env);
    await page.waitFor('window.keepAlives.length >= 2', 'keep-alives once signed in', 5_000);

    await page.evaluate('window.identity.logout()');
    expect(await page.evaluate<string>('window.endSessionUrl')).toMatch(/\/logout\?logout_ticket=/);
    expect(await getUser(page)).toEqual({ state: 'unauthenticated', user: null });
    const signedOutAt = Date.now();
    const sent = (await keepAlives(page)).length;

    const stoppedAt = await workerStopped(page, 60_000);
    console.log(
      `signed out: worker target destroyed ${((stoppedAt - signedOutAt) / 1000).toFixed(1)} s after sign-out`,
    );
    expect(await keepAlives(page)).toHaveLength(sent);
    // The last keep-alive went out before the sign-out was known.
    expect(Math.max(...(await keepAlives(page)))).toBeLessThanOrEqual(signedOutAt);
  });

  test('stop: ServiceWorker.stopAllWorkers (from the page, no debugger on the worker) under the keep-alive; the next tick finds no tokens, the page says expired and the keep-alive stops', async ({
    expect,
  }) => {
    const page = await freshPage();
    await openApp(page, env, '/?keepAlive=1');
    await signIn(page, env);
    await page.waitFor('window.keepAlives.length >= 2', 'keep-alives once signed in', 5_000);
    const [first] = workersOf(page);

    await page.stopAllWorkers();
    await expect.poll(() => first?.destroyedAt, { timeout: 5_000 }).toBeDefined();
    // The next keep-alive starts a new instance, which holds no tokens (DPoP-bound sessions that
    // survive this come later) and tells the page.
    await page.waitFor(
      "window.events.some((e) => e.type === 'sessionexpired')",
      'sessionexpired',
      5_000,
    );
    expect(workersOf(page).length).toBeGreaterThanOrEqual(2);
    expect(await getUser(page)).toEqual({ state: 'expired', user: null });
    const sent = (await keepAlives(page)).length;
    await sleep(3_000);
    expect(await keepAlives(page)).toHaveLength(sent);
    const after = await call(page, 'stop-after');
    expect(after.status).toBe(401);
    expect(after.seen).toEqual([expect.objectContaining({ authorization: null })]);
  });
});

// Alone, after the concurrent cases: a new worker version reaches every context of the shared app
// server at its next update check, which would restart the workers the other cases watch stop.
describe('keep-alive across a worker update, no debugger on the worker', () => {
  test('update: a new worker version activates while the keep-alive runs, and the keep-alive follows the new controller', async () => {
    const page = await freshPage();
    await openApp(page, env, '/?keepAlive=1');
    await signIn(page, env);
    await page.waitFor('window.keepAlives.length >= 2', 'keep-alives once signed in', 5_000);
    const [first] = workersOf(page);
    await page.evaluate(`(() => {
      window.firstController = navigator.serviceWorker.controller;
      navigator.serviceWorker.addEventListener('controllerchange', () => {
        window.controllerChanged = true;
      });
    })()`);

    app.version += 1;
    await page.evaluate('navigator.serviceWorker.getRegistration().then((r) => r.update())');
    // The whole case, sign-in included, took 7.4 s in an earlier fresh-clone run; one at load 23
    // on two cores did not see the take-over within 15 s. What is checked is that it happens.
    await page.waitFor('window.controllerChanged === true', 'the new worker to take over', 60_000);
    expect(
      await page.evaluate<boolean>('navigator.serviceWorker.controller !== window.firstController'),
    ).toBe(true);
    await expect.poll(() => first?.destroyedAt, { timeout: 30_000 }).toBeDefined();

    // The old worker's tokens lived in its memory (persisted DPoP-bound sessions come later):
    // sign in again (the provider still has the session), and the ticks go to the new worker.
    if ((await getUser(page)).state !== 'authenticated') {
      await page.evaluate('void window.identity.login()');
      await page.waitFor(
        `location.origin === ${JSON.stringify(app.origin)} && document.body?.dataset.ready === 'true' && window.identity.getUser().then((u) => u.state === 'authenticated')`,
        'signed in again',
      );
    }
    const since = Date.now();
    await page.waitFor(
      `window.keepAlives.filter((k) => k.at > ${since}).length >= 2 && window.keepAlives.at(-1).to === navigator.serviceWorker.controller`,
      'keep-alives to the new worker',
      5_000,
    );
    expect(workersOf(page).filter((w) => w.destroyedAt === undefined)).toHaveLength(1);
    expect((await call(page, 'update-after')).status).toBe(200);
  });
});
