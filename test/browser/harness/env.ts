/**
 * The browser tests' world: a real oidc-provider, the demo API, the test app serving the
 * stand-alone worker, wired together; plus helpers to sign in through the provider's pages.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { DEFAULT_API_RESOURCE, type DemoProvider, startProvider } from '../../../demo/provider.js';
import { type ApiServer, startApiServer } from './api-server.js';
import { type AppServer, startAppServer } from './app-server.js';
import { goToProvider, submitLogin } from './provider-pages.js';

export interface Env {
  op: DemoProvider;
  api: ApiServer;
  app: AppServer;
}

/** Starts the world; `providerOptions` e.g. `{ apiAccessTokenTTL: 120 }`. */
export async function startEnv(
  providerOptions: Parameters<typeof startProvider>[0] = {},
): Promise<Env> {
  const app = await startAppServer();
  const op = await startProvider({
    redirectUris: [`${app.origin}/callback`],
    postLogoutRedirectUris: [`${app.origin}/`],
    ...providerOptions,
  });
  const api = await startApiServer({
    issuer: op.issuer,
    resource: DEFAULT_API_RESOURCE,
    appOrigin: app.origin,
  });
  app.config = {
    issuer: op.issuer,
    clientId: 'demo-spa',
    redirectUri: `${app.origin}/callback`,
    postLogoutRedirectUri: `${app.origin}/`,
    scope: 'openid profile email api:read',
    apis: [{ url: `${api.origin()}/v1/`, resource: DEFAULT_API_RESOURCE }],
    pageTokenUrls: [
      { url: `ws://api.test.com:${api.port}/socket`, resource: DEFAULT_API_RESOURCE },
    ],
  };
  return { op, api, app };
}

export async function stopEnv(env: Env | undefined): Promise<void> {
  await env?.api.close();
  await env?.app.close();
  await env?.op.close();
}

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
