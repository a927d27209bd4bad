/**
 * Setup mistakes reach the page with a fix (issue 9): against the real oidc-provider and the
 * stand-alone worker in Chromium, a sign-in refused at PAR (`invalid_target`: an `apis` entry
 * names a resource the provider does not know) and a worker whose configuration script does
 * not set the configuration each make the page's call reject with a code and a hint; an API
 * whose 401 hides `WWW-Authenticate` from CORS is reported once as a warning. The worker
 * reports codes and facts; the hints ("To fix: …") are added by the page client.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { DEFAULT_API_RESOURCE } from '../../demo/provider.js';
import { type Env, expect, openApp, signIn, startEnv, stopEnv, test } from './harness/env.js';

let env: Env;

test.beforeEach(async () => {
  env = await startEnv();
});
test.afterEach(async () => {
  await stopEnv(env);
});

/** What `call` rejected with on the page (code, name, message), or null when it resolved. */
function rejection(page: Page, call: 'login' | 'ready') {
  return page.evaluate(
    (call) =>
      window.identity[call]().then(
        () => null,
        (error: { code: string; name: string; message: string }) => ({
          code: error.code,
          name: error.name,
          message: error.message,
        }),
      ),
    call,
  );
}

test('a resource the provider does not know: login() rejects with the invalid_target hint, and the error event carries it', async ({
  page,
}) => {
  env.app.config = {
    ...env.app.config!,
    apis: [{ url: `${env.api.origin()}/v1/`, resource: 'urn:example:unregistered-api' }],
  };
  await openApp(page, env);
  const refused = await rejection(page, 'login');
  expect(refused).toMatchObject({ name: 'ProtocolError', code: 'ERR_OAUTH_ERROR' });
  expect(refused?.message).toContain('invalid_target');
  // The worker says which request failed; the page client adds what to change.
  expect(refused?.message).toContain(
    'To fix: the provider must know each `resource` of `apis` (RFC 8707), or remove it.',
  );
  await expect
    .poll(() => page.evaluate(() => window.events.filter((event) => event.type === 'error')))
    .toEqual([
      {
        type: 'error',
        error: expect.objectContaining({
          code: 'ERR_OAUTH_ERROR',
          error: 'invalid_target',
          step: 'par',
          message: refused?.message,
        }),
      },
    ]);
  // The page stayed: nothing navigated to the provider.
  expect(new URL(page.url()).origin).toBe(env.app.origin);
});

test('a configuration script that does not set the configuration: ready() rejects with ERR_WORKER_UNAVAILABLE naming it', async ({
  page,
}) => {
  // The served script then throws: it cannot assign to an undefined configuration.
  env.app.config = undefined;
  await page.goto(env.app.origin);
  await expect(page.locator('body[data-error]')).toBeAttached({ timeout: 15_000 });
  expect(await page.locator('body').getAttribute('data-error')).toBe('ERR_WORKER_UNAVAILABLE');
  const refused = await rejection(page, 'ready');
  expect(refused).toMatchObject({ name: 'WorkerError', code: 'ERR_WORKER_UNAVAILABLE' });
  expect(refused?.message).toContain('To fix: serve identity-model-web.config.js');
  expect(refused?.message).toContain('self.identityModelWebConfig');
});

test('an API that does not expose WWW-Authenticate to CORS: one warning naming the header', async ({
  page,
}) => {
  // Allows the origin and the authorization header, answers 401 with a challenge, exposes nothing.
  const api = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-headers', 'authorization');
      res.writeHead(204).end();
      return;
    }
    res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  const hidden = `http://127.0.0.1:${(api.address() as AddressInfo).port}/`;
  try {
    env.app.config = {
      ...env.app.config!,
      apis: [...env.app.config!.apis!, { url: hidden, resource: DEFAULT_API_RESOURCE }],
    };
    await signIn(page, env, 'alice');
    const statuses = await page.evaluate(async (url) => {
      const first = await fetch(`${url}a`);
      const second = await fetch(`${url}b`);
      return [first.status, second.status];
    }, hidden);
    expect(statuses).toEqual([401, 401]);
    const warnings = () =>
      page.evaluate(() =>
        (window as unknown as { warnings: { code: string; message: string }[] }).warnings.filter(
          (warning) => warning.code === 'WARN_WWW_AUTHENTICATE_HIDDEN',
        ),
      );
    await expect.poll(async () => (await warnings()).length).toBe(1);
    const [warning] = await warnings();
    expect(warning?.message).toContain(
      `${hidden.slice(0, -1)} answered 401 with no WWW-Authenticate header readable through CORS. To fix: `,
    );
    expect(warning?.message).toContain('Access-Control-Expose-Headers: WWW-Authenticate');
  } finally {
    await new Promise((resolve) => api.close(resolve));
  }
});
