/**
 * Issue 8 items 4-5, recovery without DPoP, in real Chromium with no debugger on the service
 * worker (harness/cdp.ts) and a real oidc-provider with DPoP off (Bearer tokens, which a worker
 * never writes to storage): the browser stops the worker (`ServiceWorker.stopAllWorkers` from the
 * page's session), and the restarted worker signs the user in again with `prompt=none` in a
 * hidden iframe the page creates on its request (sw/recover.ts, src/client/silent-frame.ts).
 *
 * The provider's session cookie reaches the iframe: the app and the provider are both on
 * `localhost` (ports do not make sites), and oidc-provider sends neither `X-Frame-Options` nor
 * `frame-ancestors` on its authorization endpoint. The first sign-in grants consent, so
 * `prompt=none` needs no interaction.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type Browser, launchChromium, type PageSession, sleep } from './harness/cdp.js';
import { startCdpApp } from './harness/cdp-app.js';
import { callApi, getUser, openApp, signIn } from './harness/cdp-sign-in.js';
import { type ProviderTap, tapProvider } from './harness/provider-record.js';
import { type Env, startEnv, stopEnv } from './harness/world.js';

let browser: Browser;
let env: Env;
let app: Awaited<ReturnType<typeof startCdpApp>>;
let tap: ProviderTap;

beforeAll(async () => {
  app = await startCdpApp();
  // A provider without DPoP: the worker's tokens are Bearer tokens, held in memory only.
  env = await startEnv({ config: { features: { dPoP: { enabled: false } } } }, app);
  tap = tapProvider(env.op);
  browser = await launchChromium(['api.test.com']);
});
// Each test's browser context goes with it: a page left open keeps its worker, which the next
// test's change of the served configuration updates (skipWaiting, claim); the new version holds
// no tokens and signs that page's user in again with prompt=none, at the same provider and with
// the same client_id, in the middle of the next test's counts.
const contexts: string[] = [];
async function newPage(): Promise<PageSession> {
  const context = await browser.newContext();
  contexts.push(context);
  return browser.newPage(context);
}
afterEach(async () => {
  for (const browserContextId of contexts.splice(0))
    await browser.cdp.send('Target.disposeBrowserContext', { browserContextId }).catch(() => {});
});
afterAll(async () => {
  tap?.remove();
  await browser?.close();
  await stopEnv(env);
});

/** The app's service-worker targets of `page`'s context. */
function workersOf(page: PageSession) {
  return browser.workers.filter(
    (worker) =>
      worker.browserContextId === page.browserContextId && worker.url.startsWith(app.origin),
  );
}

/** Stops the context's workers as the browser does, and waits until the targets are gone. */
async function stopWorkers(page: PageSession): Promise<void> {
  const running = workersOf(page).filter((w) => w.destroyedAt === undefined);
  if (running.length === 0) throw new Error('no running worker to stop');
  await page.stopAllWorkers();
  const deadline = Date.now() + 5_000;
  while (!running.every((w) => w.destroyedAt !== undefined)) {
    if (Date.now() > deadline) throw new Error('the worker was not stopped');
    await sleep(50);
  }
}

/** A fetch from the page through its worker, and what the demo API saw of it. */
const call = (page: PageSession, path: string) => callApi(page, env, path);

const events = (page: PageSession) =>
  page.evaluate<{ type: string; state?: string }[]>(
    'window.events.map((e) => ({ type: e.type, state: e.state }))',
  );

/**
 * Records what page script can read of every iframe the client adds: its location at each load
 * and just before the client removes it (same origin by then: the worker answered), its
 * document and its performance entries.
 */
async function watchFrames(page: PageSession): Promise<void> {
  await page.evaluate(`(() => {
    window.frameLog = [];
    window.framesAdded = 0;
    const read = (frame, when) => {
      let href, html = '', entries = '';
      try {
        href = frame.contentWindow.location.href;
        html = frame.contentDocument?.documentElement?.outerHTML ?? '';
        entries = JSON.stringify(frame.contentWindow.performance.getEntries());
      } catch {
        href = 'cross-origin';
      }
      window.frameLog.push({ when, href, html, entries });
    };
    const remove = Element.prototype.remove;
    Element.prototype.remove = function () {
      if (this instanceof HTMLIFrameElement) read(this, 'remove');
      return remove.call(this);
    };
    new MutationObserver((records) => {
      for (const record of records)
        for (const node of record.addedNodes)
          if (node instanceof HTMLIFrameElement) {
            window.framesAdded++;
            node.addEventListener('load', () => read(node, 'load'));
          }
    }).observe(document, { childList: true, subtree: true });
  })()`);
}

/** Everything page script can read that could hold `secret`, as one text. */
function pageReadable(page: PageSession): Promise<string> {
  return page.evaluate<string>(`(async () => {
    const parts = [location.href, document.documentElement.outerHTML, document.cookie,
      JSON.stringify(history.state), JSON.stringify(window.frameLog), JSON.stringify(window.events),
      JSON.stringify(performance.getEntries())];
    for (const store of [localStorage, sessionStorage])
      for (let i = 0; i < store.length; i++) parts.push(store.key(i), store.getItem(store.key(i)));
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const storeName of db.objectStoreNames) {
        const all = await new Promise((resolve) => {
          const request = db.transaction(storeName).objectStore(storeName).getAll();
          request.onsuccess = () => resolve(request.result);
        });
        parts.push(name, storeName, JSON.stringify(all));
      }
      db.close();
    }
    return parts.join('\\n');
  })()`);
}

/** Signs out at the provider (its end-session page, as a user would), then back on the app. */
async function endProviderSession(page: PageSession): Promise<void> {
  await page.goto(`${env.op.issuer}/session/end`);
  await page.waitFor(
    `!!document.querySelector('button[name=logout]')`,
    "the provider's sign-out page",
  );
  await page.evaluate(`document.querySelector('button[name=logout]').click()`);
  await page.waitFor(`document.title === 'Sign-out Success'`, "the provider's sign-out");
  await openApp(page, env);
}

const authorizations = (from: number) =>
  tap.hits.slice(from).filter((hit) => hit.route === 'authorization');
const tokenRequests = (from: number) => tap.hits.slice(from).filter((hit) => hit.route === 'token');

// One at a time: the provider counts are per test.
describe('silent recovery without DPoP (issue 8 items 4-5), no debugger on the worker', () => {
  test('worker stopped, provider session alive: the next API call carries a valid Bearer token after one prompt=none authorization request and one token request, and the page never sees the code', async () => {
    const page = await newPage();
    await openApp(page, env);
    await signIn(page, env);
    expect((await call(page, 'recover-before')).status).toBe(200);
    await watchFrames(page);
    const url = await page.evaluate<string>('location.href');
    const from = tap.hits.length;

    await stopWorkers(page);
    const started = Date.now();
    const after = await call(page, 'recover-after');
    console.log(
      `recover: the first API call after the stop answered in ${Date.now() - started} ms (silent sign-in included)`,
    );

    expect(after.status).toBe(200);
    expect(after.seen).toEqual([
      expect.objectContaining({ valid: true, authorization: expect.stringMatching(/^Bearer /) }),
    ]);
    // Counted at the provider (one context at a time: see afterEach).
    const mine = (hit: { params: Record<string, unknown> }) => hit.params.client_id === 'demo-spa';
    const auth = authorizations(from).filter(mine);
    expect(auth).toHaveLength(1);
    expect(auth[0]?.params).toMatchObject({ prompt: 'none', code_challenge_method: 'S256' });
    const tokens = tokenRequests(from).filter(
      (hit) => hit.params.grant_type === 'authorization_code',
    );
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.status).toBe(200);
    const code = tokens[0]?.params.code;
    expect(typeof code).toBe('string');

    expect(await getUser(page)).toMatchObject({ state: 'authenticated', user: { sub: 'alice' } });
    const seen = await events(page);
    const resuming = seen.findIndex((e) => e.type === 'userchanged' && e.state === 'resuming');
    const back = seen.findIndex(
      (e, i) => i > resuming && e.type === 'userchanged' && e.state === 'authenticated',
    );
    expect(resuming).toBeGreaterThanOrEqual(0);
    expect(back).toBeGreaterThan(resuming);
    expect(seen.map((e) => e.type)).not.toContain('sessionexpired');

    // The frame is gone, and page script never had the code: the frame's last location was the
    // worker's answer (the redirect URI, no query, an explicit fragment).
    await page.waitFor('document.querySelectorAll("iframe").length === 0', 'the frame removed');
    expect(await page.evaluate<number>('window.framesAdded')).toBe(1);
    const frames = await page.evaluate<{ when: string; href: string }[]>('window.frameLog');
    console.log(`recover: frame locations ${JSON.stringify(frames.map((f) => [f.when, f.href]))}`);
    expect(frames.some((f) => /^[^?]*\/callback\?landing=[\w-]+#$/.test(f.href))).toBe(true);
    expect(frames.every((f) => f.href === 'cross-origin' || !f.href.includes('code='))).toBe(true);
    expect(await page.evaluate<string>('location.href')).toBe(url);
    const readable = await pageReadable(page);
    expect(readable).toContain(app.origin); // the scan read something
    expect(readable).not.toContain(code);
  });

  test('worker stopped, provider session ended (login_required): sessionexpired, state expired, the API call goes out without a token', async () => {
    const page = await newPage();
    await openApp(page, env);
    await signIn(page, env, 'bob');
    await endProviderSession(page);
    expect(await getUser(page)).toMatchObject({ state: 'authenticated' });
    await watchFrames(page);
    const from = tap.hits.length;

    await stopWorkers(page);
    const started = Date.now();
    const after = await call(page, 'expired-after');
    const waited = Date.now() - started;

    expect(after.status).toBe(401);
    expect(after.seen).toEqual([expect.objectContaining({ authorization: null })]);
    // The provider refused at once: the call did not wait for the 10 s timeout.
    expect(waited).toBeLessThan(8_000);
    const auth = authorizations(from).filter((hit) => hit.params.client_id === 'demo-spa');
    expect(auth).toHaveLength(1);
    expect(auth[0]?.params).toMatchObject({ prompt: 'none' });
    expect(
      tokenRequests(from).filter((hit) => hit.params.grant_type === 'authorization_code'),
    ).toHaveLength(0);

    expect(await getUser(page)).toEqual({ state: 'expired', user: null });
    const seen = await events(page);
    expect(seen).toContainEqual({ type: 'userchanged', state: 'resuming' });
    expect(seen).toContainEqual({ type: 'sessionexpired', state: 'expired' });
    // login_required is the expected answer to prompt=none, not an error to show.
    expect(seen.map((e) => e.type)).not.toContain('error');
    await page.waitFor('document.querySelectorAll("iframe").length === 0', 'the frame removed');
    const frames = await page.evaluate<{ href: string }[]>('window.frameLog');
    expect(frames.some((f) => /^[^?]*\/callback\?landing=[\w-]+#$/.test(f.href))).toBe(true);
    expect(frames.every((f) => !f.href.includes('login_required'))).toBe(true);
  });

  test('silentRecovery: redirect: the page goes to the provider with prompt=none itself and comes back where it was, signed in', async () => {
    const config = env.app.config!;
    env.app.config = { ...config, silentRecovery: 'redirect' };
    try {
      const page = await newPage();
      await openApp(page, env, '/?here=1');
      await signIn(page, env, 'carol');
      await page.evaluate(`history.replaceState(null, '', '/?here=1')`);
      const from = tap.hits.length;

      await stopWorkers(page);
      // Any event wakes the worker; the page then navigates away and back.
      void page.evaluate('window.identity.getUser()').catch(() => {});
      await page.waitFor(
        `location.search === '?here=1' && document.body?.dataset.ready === 'true' && window.identity.getUser().then((u) => u.state === 'authenticated')`,
        'the app again, signed in',
      );
      expect(await page.evaluate<string>('location.href')).toBe(`${app.origin}/?here=1#`);
      const auth = authorizations(from).filter((hit) => hit.params.client_id === 'demo-spa');
      expect(auth).toHaveLength(1);
      expect(auth[0]?.params).toMatchObject({ prompt: 'none' });
      const tokens = tokenRequests(from).filter(
        (hit) => hit.params.grant_type === 'authorization_code',
      );
      expect(tokens).toHaveLength(1);
      const after = await call(page, 'redirect-after');
      expect(after.status).toBe(200);
      expect(after.seen).toEqual([expect.objectContaining({ valid: true })]);
      expect(await pageReadable(page)).not.toContain(tokens[0]?.params.code);
    } finally {
      env.app.config = config;
    }
  });
});
