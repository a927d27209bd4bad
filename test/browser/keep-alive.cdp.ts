/**
 * Issue 8 item 3, "keep-alive while pages are open", in real Chromium with no debugger on the
 * service worker (harness/cdp.ts): a debugger keeps a worker alive, so under Playwright an idle
 * worker is never stopped and these cases would pass for the wrong reason.
 *
 * Chromium stops a service worker about 30 s after its last event, also while a page is open,
 * and the tokens in its memory die with it. The client sends `keepAlive` while the session is
 * `authenticated`. The four cases run at once, each in its own browser context (own worker).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Browser, launchChromium, type PageSession, sleep } from './harness/cdp.js';
import { startCdpApp } from './harness/cdp-app.js';
import { callApi, getUser, openApp, signIn } from './harness/cdp-sign-in.js';
import { type Env, startEnv, stopEnv } from './harness/world.js';

let browser: Browser;
let env: Env;
let app: Awaited<ReturnType<typeof startCdpApp>>;

beforeAll(async () => {
  app = await startCdpApp();
  env = await startEnv({}, app);
  // These cases are about the worker's own life: without the silent sign-in a restarted worker
  // would try (recover.cdp.ts covers it), its tokens are simply gone.
  env.app.config = { ...env.app.config!, silentRecovery: false };
  browser = await launchChromium(['api.test.com']);
});
afterAll(async () => {
  await browser?.close();
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
