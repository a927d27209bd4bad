/**
 * Opening the app and signing in through the provider's dev pages, over CDP (`Runtime.evaluate`
 * on the page): the same steps as provider-pages.ts does with Playwright.
 */
import type { PageSession } from './cdp.js';
import type { Env } from './world.js';

/** What these steps need of a page: script evaluation and navigation (every engine adapter has it). */
export type ScriptedPage = Pick<PageSession, 'evaluate' | 'waitFor' | 'goto'>;

/** Opens `path` of the app and waits until the client is ready (the worker controls the page). */
export async function openApp(page: ScriptedPage, env: Env, path = '/'): Promise<void> {
  await page.goto(`${env.app.origin}${path}`);
  await page.waitFor(
    `location.origin === ${JSON.stringify(env.app.origin)} && document.body?.dataset.ready === 'true'`,
    'the app to be ready',
  );
}

/**
 * From an app page: `identity.login()`, the provider's login form as `login`, its consent page
 * when shown, and back on the app (the worker answered the callback) once it is ready.
 */
export async function signIn(page: ScriptedPage, env: Env, login = 'alice'): Promise<void> {
  const provider = JSON.stringify(new URL(env.op.issuer).origin);
  const app = JSON.stringify(env.app.origin);
  await page.evaluate('void window.identity.login()');
  await page.waitFor(
    `location.origin === ${provider} && !!document.querySelector('input[name=login]')`,
    "the provider's login page",
  );
  await page.evaluate(`(() => {
    document.querySelector('input[name=login]').value = ${JSON.stringify(login)};
    document.querySelector('input[name=password]').value = 'any';
    document.querySelector('button[type=submit]').click();
  })()`);
  const backOnApp = `location.origin === ${app} && location.pathname !== '/callback' && document.body?.dataset.ready === 'true'`;
  const where = await page.waitFor<string>(
    `(${backOnApp}) ? 'app' : location.pathname.includes('/interaction/') && [...document.querySelectorAll('button[type=submit]')].some((b) => /continue/i.test(b.textContent)) ? 'consent' : ''`,
    'the consent page or the app',
  );
  if (where === 'consent') {
    await page.evaluate(
      `[...document.querySelectorAll('button[type=submit]')].find((b) => /continue/i.test(b.textContent)).click()`,
    );
    await page.waitFor(backOnApp, 'the app after the callback');
  }
  await page.waitFor(
    `window.identity.getUser().then((u) => u.state === 'authenticated')`,
    'the worker to report the user',
  );
}

/** The session state the page's client reports (`window.identity.getUser()`). */
export function getUser(page: ScriptedPage) {
  return page.evaluate<{ state: string; user: { sub: string } | null }>(
    'window.identity.getUser()',
  );
}

/**
 * A fetch from the page to the demo API's `/v1/<path>` (through the worker): the status, and the
 * requests the API saw at that path.
 */
export async function callApi(page: ScriptedPage, env: Env, path: string) {
  const before = env.api.requests.length;
  const status = await page.evaluate<number>(
    `fetch(${JSON.stringify(`${env.api.origin()}/v1/${path}`)}).then((r) => r.status)`,
  );
  const seen = env.api.requests.slice(before).filter((r) => r.path === `/v1/${path}`);
  return { status, seen };
}
