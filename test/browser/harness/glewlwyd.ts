/**
 * The browser world with Glewlwyd as the provider (test/support/glewlwyd): the test app with
 * the stand-alone worker, the demo API accepting Glewlwyd's `at+jwt` tokens for its resource,
 * and the steps of Glewlwyd's login page, which the harness does not serve: the browser is
 * redirected to `login.html`, and the test does what that page would do through Glewlwyd's API
 * with the browser context's own cookies (`context.request`), then lets the browser continue.
 */
import { expect, type Page } from '@playwright/test';
import { type GlewlwydServer, startGlewlwyd } from '../../support/glewlwyd/index.js';
import { type ApiServer, startApiServer } from './api-server.js';
import { type AppServer, startAppServer } from './app-server.js';

/** The API's resource indicator: Glewlwyd 2.7 refuses URNs (`invalid_target`), so a URL. */
export const GLEWLWYD_API_RESOURCE = 'https://api.example.com/';

export interface GlewlwydEnv {
  glewlwyd: GlewlwydServer;
  api: ApiServer;
  app: AppServer;
}

/** Starts the world; access tokens live `accessTokenTtl` seconds (refresh tests move the clock). */
export async function startGlewlwydEnv(accessTokenTtl = 120): Promise<GlewlwydEnv> {
  const app = await startAppServer();
  const glewlwyd = await startGlewlwyd({
    redirectUris: [`${app.origin}/callback`],
    postLogoutRedirectUri: `${app.origin}/`,
    accessTokenDuration: accessTokenTtl,
    apiResource: GLEWLWYD_API_RESOURCE,
  });
  const api = await startApiServer({
    issuer: glewlwyd.issuer,
    resource: GLEWLWYD_API_RESOURCE,
    appOrigin: app.origin,
  });
  app.config = {
    issuer: glewlwyd.issuer,
    clientId: glewlwyd.clients.spa.clientId,
    redirectUri: `${app.origin}/callback`,
    postLogoutRedirectUri: `${app.origin}/`,
    scope: 'openid profile email api',
    apis: [{ url: `${api.origin()}/v1/`, resource: GLEWLWYD_API_RESOURCE }],
  };
  return { glewlwyd, api, app };
}

export async function stopGlewlwydEnv(env: GlewlwydEnv | undefined): Promise<void> {
  await env?.api.close();
  await env?.app.close();
  await env?.glewlwyd.close();
}

/** Waits until the browser is on Glewlwyd's `login.html` and returns its parameters. */
async function onLoginPage(page: Page, env: GlewlwydEnv): Promise<URLSearchParams> {
  const login = `${env.glewlwyd.origin}/login.html`;
  await page.waitForURL((url) => url.href.startsWith(login));
  return new URL(page.url()).searchParams;
}

/** A JSON call to Glewlwyd's API with the browser's cookies; fails the test unless 2xx. */
async function glewlwydApi(
  page: Page,
  env: GlewlwydEnv,
  method: string,
  path: string,
  data?: unknown,
) {
  const response = await page.context().request.fetch(`${env.glewlwyd.api}${path}`, {
    method,
    ...(data === undefined ? {} : { data }),
  });
  expect(response.status(), `${method} ${path}: ${await response.text()}`).toBeLessThan(300);
}

/**
 * From an app page the worker controls: `identity.login()`, then Glewlwyd's login page steps
 * (sign in, consent, `g_continue`), and back on the app once the worker has the session.
 */
export async function signInWithGlewlwyd(page: Page, env: GlewlwydEnv): Promise<void> {
  await page.goto(`${env.app.origin}/`);
  await expect(page.locator('body[data-ready=true]')).toBeAttached({ timeout: 15_000 });
  const [params] = await Promise.all([
    onLoginPage(page, env),
    // Not awaited in the page: the navigation it starts may destroy the page first.
    page.evaluate(() => {
      void window.identity.login();
    }),
  ]);
  const { username, password } = env.glewlwyd.user;
  await glewlwydApi(page, env, 'POST', '/auth/', { username, password });
  await glewlwydApi(page, env, 'PUT', `/auth/grant/${params.get('client_id')}`, {
    scope: params.get('scope'),
  });
  await page.goto(`${params.get('callback_url')}&g_continue`);
  await page.waitForURL((url) => url.origin === env.app.origin && url.pathname !== '/callback');
  await expect(page.locator('body[data-ready=true]')).toBeAttached({ timeout: 15_000 });
}

/**
 * After `identity.logout()` sent the browser to the end-session endpoint: Glewlwyd's login page
 * steps for `prompt=end_session` (end the OpenID session, then the Glewlwyd session), then on to
 * the post-logout redirect URI. Returns the end-session request's parameters.
 */
export async function confirmGlewlwydLogout(
  page: Page,
  env: GlewlwydEnv,
): Promise<URLSearchParams> {
  const params = await onLoginPage(page, env);
  expect(params.get('prompt')).toBe('end_session');
  await glewlwydApi(page, env, 'DELETE', `/${params.get('plugin')}/session/${params.get('sid')}`);
  await glewlwydApi(page, env, 'DELETE', '/auth/');
  await page.goto(params.get('callback_url')!);
  return params;
}
