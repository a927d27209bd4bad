/**
 * Driving the fetch benchmark's pages: timed fetches in a page, sign-in through the provider's
 * dev pages, and stopping service workers through CDP.
 */

/** @typedef {import('@playwright/test').Page} Page */

/**
 * Runs in the page: `count` sequential fetches of `url&i=N`, each timed with `performance.now()`
 * around `await fetch()` plus reading the body. Milliseconds.
 * @param {{ url: string, count: number, authorization: string | null }} options
 */
export const timeFetches = ({ url, count, authorization }) =>
  (async () => {
    const init = authorization ? { headers: { authorization } } : {};
    const times = [];
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      const response = await fetch(`${url}&i=${i}`, init);
      await response.text();
      times.push(performance.now() - start);
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    }
    return times;
  })();

/** The `data-state` of a page once `data-ready` is set; throws on `data-error`. */
async function readyState(/** @type {Page} */ page, /** @type {string} */ origin) {
  const { state, error } = await page.evaluate(() => ({ ...document.body.dataset }));
  if (error) throw new Error(`${origin}: ${error}`);
  return state;
}

/** Loads `origin/` in `page` and returns its `data-state` (e.g. `authenticated`). */
export async function openPage(/** @type {Page} */ page, /** @type {string} */ origin) {
  await page.goto(`${origin}/`);
  await page.waitForSelector('body[data-ready=true], body[data-error]', {
    state: 'attached',
    timeout: 20_000,
  });
  return readyState(page, origin);
}

/**
 * Starts a sign-in with `trigger` (run in the page) and follows the provider's pages: the dev
 * login form, then consent, each only when shown (a second sign-in rides on the provider's
 * session and may come straight back), until a new document of `origin` is ready. Returns its
 * `data-state`.
 * @param {Page} page @param {string} origin @param {() => unknown} trigger
 */
export async function signIn(page, origin, trigger) {
  // A marker on the current document tells it apart from the next one (same URL or not).
  const mark = () =>
    page.evaluate(() => {
      /** @type {any} */ (window).__benchOld = true;
    });
  await mark();
  await page.evaluate(trigger);
  for (let step = 0; step < 8; step++) {
    await page.waitForFunction(
      () =>
        !(/** @type {any} */ (window).__benchOld) &&
        document.readyState === 'complete' &&
        (document.body?.dataset.ready !== undefined ||
          document.body?.dataset.error !== undefined ||
          location.pathname.includes('/interaction/')),
      null,
      { timeout: 20_000 },
    );
    if (new URL(page.url()).origin === origin) return readyState(page, origin);
    const login = page.locator('input[name=login]');
    if (await login.count()) {
      await login.fill('alice');
      await page.locator('input[name=password]').fill('any');
    }
    await mark();
    await page.locator('button[type=submit]').first().click();
  }
  throw new Error(`sign-in did not finish: ${page.url()}`);
}

/**
 * Stops every service worker of the browser context (CDP `ServiceWorker.stopAllWorkers`), as
 * the browser does to idle workers.
 * @param {import('@playwright/test').BrowserContext} context
 * @param {Page} page a page the CDP session attaches through
 */
export async function workerStopper(context, page) {
  const cdp = await context.newCDPSession(page);
  /** @type {Map<string, { scriptURL: string, status: string, runningStatus: string }>} */
  const versions = new Map();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions: updated }) => {
    for (const version of updated) versions.set(version.versionId, version);
  });
  // Redundant versions (replaced, unregistered) are gone whatever CDP last said of them.
  const running = () =>
    [...versions.values()].filter(
      (version) => version.status !== 'redundant' && version.runningStatus !== 'stopped',
    );
  await cdp.send('ServiceWorker.enable');
  return {
    /** Stops them all and waits until CDP reports every version stopped, then 250 ms more. */
    async stopAll() {
      await cdp.send('ServiceWorker.stopAllWorkers');
      const deadline = Date.now() + 15_000;
      for (let tick = 1; running().length > 0; tick++) {
        // A worker woken again meanwhile (a page's message) is stopped again.
        if (tick % 100 === 0) await cdp.send('ServiceWorker.stopAllWorkers');
        if (Date.now() > deadline) {
          const left = running().map((v) => `${v.scriptURL} ${v.status} ${v.runningStatus}`);
          throw new Error(`service workers did not stop: ${left.join(', ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // Let the browser settle (process teardown) before the timed fetch.
      await new Promise((resolve) => setTimeout(resolve, 250));
    },
    detach: () => cdp.detach(),
  };
}
