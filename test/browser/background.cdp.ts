/**
 * Issue 8 Tests "Background", a measurement (opt-in), signed-in pages hidden behind another tab:
 * the keep-alive's dedicated-worker clock against the page-timer fallback.
 * - `IMW_BACKGROUND=1 npm run test:browser:cdp -- background` (about 4 minutes): Chromium's
 *   intensive wake-up throttling (timers of a page hidden for 5 minutes fire once a minute)
 *   brought forward to 10 s of hiding
 *   (`--enable-features=IntensiveWakeUpThrottling:grace_period_seconds/10`), hidden 3 minutes.
 * - `IMW_BACKGROUND=real ...` (about 8 minutes): the browser's own throttling, hidden 7 minutes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Browser, launchChromium, type PageSession, sleep } from './harness/cdp.js';
import { startCdpApp } from './harness/cdp-app.js';
import { openApp, signIn } from './harness/cdp-sign-in.js';
import { type Env, startEnv, stopEnv } from './harness/world.js';

const mode = process.env.IMW_BACKGROUND;
const enabled = mode === '1' || mode === 'real';
/** How long the pages stay hidden, in milliseconds. */
const HIDDEN = mode === 'real' ? 420_000 : 180_000;
let browser: Browser;
let env: Env;
let app: Awaited<ReturnType<typeof startCdpApp>>;

beforeAll(async () => {
  if (!enabled) return;
  app = await startCdpApp();
  env = await startEnv({}, app);
  browser = await launchChromium(
    ['api.test.com'],
    mode === 'real' ? [] : ['--enable-features=IntensiveWakeUpThrottling:grace_period_seconds/10'],
  );
});
afterAll(async () => {
  await browser?.close();
  if (enabled) await stopEnv(env);
});

/** Signs in on a fresh context's page at `path`, then hides it behind a new tab. */
async function hiddenSignedIn(path: string): Promise<PageSession> {
  const context = await browser.newContext();
  const page = await browser.newPage(context);
  await openApp(page, env, path);
  await signIn(page, env);
  await browser.newTabInFront(context);
  await page.waitFor("document.visibilityState === 'hidden'", 'the page to be hidden', 5_000);
  // A chained page timer, to show what the throttling does to the page's own timers.
  await page.evaluate(
    'window.pageTicks = []; setInterval(() => window.pageTicks.push(Date.now()), 1000)',
  );
  return page;
}

const gaps = (ticks: number[]) => ticks.slice(1).map((at, i) => (at - (ticks[i] ?? at)) / 1000);

describe.skipIf(!enabled).concurrent('background tab (issue 8 Tests "Background")', () => {
  for (const [clock, path] of [
    ['dedicated worker', '/?keepAlive=20'],
    ['page timer', '/?keepAlive=20&pageTimer=1'],
  ] as const) {
    test(
      `keep-alive from the ${clock}, page hidden for ${HIDDEN / 60_000} minutes`,
      async () => {
        const page = await hiddenSignedIn(path);
        const start = Date.now();
        await sleep(HIDDEN);
        const ticks = await page.evaluate<number[]>(
          `window.keepAlives.map((k) => k.at).filter((at) => at >= ${start})`,
        );
        const pageTicks = await page.evaluate<number[]>('window.pageTicks');
        const workers = browser.workers.filter((w) => w.browserContextId === page.browserContextId);
        const stopped = workers.filter((w) => w.destroyedAt !== undefined);
        const after = await page.evaluate<number>(
          `fetch(${JSON.stringify(`${env.api.origin()}/v1/background`)}).then((r) => r.status)`,
        );
        console.log(
          `${clock}: keep-alive gaps ${gaps(ticks)
            .map((g) => g.toFixed(0))
            .join(' ')} s; ` +
            `1 s page timer: ${pageTicks.length} ticks, last gaps ${gaps(pageTicks)
              .slice(-4)
              .map((g) => g.toFixed(0))
              .join(' ')} s; ` +
            `worker targets destroyed: ${stopped.length}; next API call ${after}`,
        );
        if (clock === 'dedicated worker') {
          expect(stopped).toEqual([]);
          expect(after).toBe(200);
        }
      },
      HIDDEN + 120_000,
    );
  }
});
