/**
 * The sign-in in steps, for tests that act between them: go to the provider, then sign in (or
 * cancel) on its dev pages and come back to the app, wherever the worker sends the browser.
 */
import { expect, type Page } from '@playwright/test';
import type { Env } from './env.js';

/** From an app page the worker controls: `identity.login()`, and wait for the provider's page. */
export async function goToProvider(page: Page, env: Env): Promise<void> {
  const issuerOrigin = new URL(env.op.issuer).origin;
  await Promise.all([
    page.waitForURL((url) => url.origin === issuerOrigin),
    // Not awaited in the page: the navigation it starts may destroy the page first.
    page.evaluate(() => {
      void window.identity.login();
    }),
  ]);
  await expect(page.locator('input[name=login]')).toBeVisible();
}

/** Back on the app after the callback: the URL the worker redirected to, once the page is ready. */
async function backOnApp(page: Page, env: Env): Promise<URL> {
  await page.waitForURL((url) => url.origin === env.app.origin && url.pathname !== '/callback');
  await expect(page.locator('body[data-ready=true]')).toBeAttached({ timeout: 15_000 });
  return new URL(page.url());
}

/** On the provider's login page: signs in as `login` (and consents when asked). */
export async function submitLogin(page: Page, env: Env, login = 'alice'): Promise<URL> {
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any');
  await page.locator('button[type=submit]').click();
  await page.waitForURL(
    (url) => url.origin === env.app.origin || url.pathname.includes('/interaction/'),
  );
  if (page.url().includes('/interaction/')) {
    await page.locator('button[type=submit]', { hasText: /continue/i }).click();
  }
  return backOnApp(page, env);
}

/** On the provider's login page: "[ Cancel ]", which answers the client with `access_denied`. */
export async function cancelLogin(page: Page, env: Env): Promise<URL> {
  await page.getByRole('link', { name: '[ Cancel ]' }).click();
  return backOnApp(page, env);
}

/**
 * Records the URLs of navigations to the app's redirect URI (the worker answers them; Chromium
 * still reports the page's navigation request).
 */
export function recordCallbacks(page: Page, env: Env): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.isNavigationRequest() && url.origin === env.app.origin) {
      if (url.pathname === '/callback') seen.push(request.url());
    }
  });
  return seen;
}
