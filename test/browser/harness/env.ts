/**
 * The browser tests' world: a real oidc-provider, the demo API, the test app serving the
 * stand-alone worker, wired together; plus helpers to sign in through the provider's pages.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { goToProvider, submitLogin } from './provider-pages.js';
import { type Env, startEnv, stopEnv } from './world.js';

export { type Env, startEnv, stopEnv };

/** Opens the app and waits until the worker controls it. */
export async function openApp(page: Page, env: Env, path = '/'): Promise<void> {
  await page.goto(`${env.app.origin}${path}`);
  await expect(page.locator('body[data-ready=true]')).toBeAttached({ timeout: 15_000 });
}

/**
 * Signs in through the provider's dev login and consent pages, and waits until the app is back
 * and the worker reports the user.
 */
export async function signIn(page: Page, env: Env, login = 'alice'): Promise<void> {
  await openApp(page, env);
  await goToProvider(page, env);
  await submitLogin(page, env, login);
}

/** A test with a fresh world per file (`test.describe.configure({ mode: 'serial' })` is not needed). */
export const test = base;
export { expect };
