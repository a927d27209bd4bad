/**
 * The React bindings (`identity-model-web/react`) in real Chromium with React from npm: the
 * provider follows the worker's session, `RequireAuth` guards its children and can start the
 * sign-in, and a sign-out in another tab reaches the components through the worker's events.
 */

import { type Env, expect, openApp, signIn, stopEnv, test } from './harness/env.js';
import { submitLogin } from './harness/provider-pages.js';
import { startReactEnv } from './harness/react-app.js';

let env: Env;
test.beforeAll(async () => {
  env = await startReactEnv();
});
test.afterAll(async () => {
  await stopEnv(env);
});

test('signed out: RequireAuth shows its fallback, not its children', async ({ page }) => {
  await openApp(page, env);
  await expect(page.locator('#state')).toHaveText('unauthenticated');
  await expect(page.locator('#user')).toHaveText('nobody');
  await expect(page.locator('#fallback')).toBeVisible();
  await expect(page.locator('#protected')).toHaveCount(0);
});

test('sign-in: useIdentity and useUser follow, and a sign-out in another tab reaches them', async ({
  page,
  context,
}) => {
  await signIn(page, env, 'alice');
  await expect(page.locator('#state')).toHaveText('authenticated');
  await expect(page.locator('#user')).toHaveText('alice');
  await expect(page.locator('#protected')).toBeVisible();
  await expect(page.locator('#fallback')).toHaveCount(0);

  const other = await context.newPage();
  await openApp(other, env);
  await expect(other.locator('#user')).toHaveText('alice');
  await other.evaluate(() => {
    void (window as unknown as { identity: { logout(): Promise<void> } }).identity.logout();
  });
  // The first tab did nothing: the worker's userchanged event re-rendered it.
  await expect(page.locator('#state')).toHaveText('unauthenticated');
  await expect(page.locator('#user')).toHaveText('nobody');
  await expect(page.locator('#protected')).toHaveCount(0);
});

test('RequireAuth starts one sign-in by itself and returns to the page', async ({ page }) => {
  const issuerOrigin = new URL(env.op.issuer).origin;
  const authorizations: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(issuerOrigin) && request.url().includes('/auth?')) {
      authorizations.push(request.url());
    }
  });
  await page.goto(`${env.app.origin}/auto`);
  await page.waitForURL((url) => url.origin === issuerOrigin);
  await expect(page.locator('input[name=login]')).toBeVisible();
  const returned = await submitLogin(page, env, 'bob');
  expect(returned.pathname).toBe('/auto');
  await expect(page.locator('#user')).toHaveText('bob');
  await expect(page.locator('#protected')).toBeVisible();
  expect(authorizations).toHaveLength(1);
});
