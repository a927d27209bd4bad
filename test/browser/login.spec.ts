/**
 * Sign-in through the service worker against the real provider, and tokens on API calls.
 */
import { type Env, expect, signIn, startEnv, stopEnv, test } from './harness/env.js';

let env: Env;
test.beforeAll(async () => {
  env = await startEnv();
});
test.afterAll(async () => {
  await stopEnv(env);
});

type Page = import('@playwright/test').Page;
const call = (page: Page, url: string, init: RequestInit = {}) =>
  page.evaluate(
    async ({ url, init }) => {
      const response = await fetch(url, init);
      return { status: response.status, body: await response.text() };
    },
    { url, init },
  );

test('signs in through the provider and shows the user; API calls carry a token the API accepts', async ({
  page,
}) => {
  await signIn(page, env, 'alice');
  const state = await page.evaluate(() =>
    (window as unknown as { identity: { getUser(): Promise<unknown> } }).identity.getUser(),
  );
  expect(state).toMatchObject({
    state: 'authenticated',
    user: { sub: 'alice', claims: { sub: 'alice' } },
  });
  expect(JSON.stringify(state)).not.toMatch(/eyJ/); // no token reaches the page

  const before = env.api.requests.length;
  const result = await call(page, `${env.api.origin()}/v1/me`);
  expect(result.status).toBe(200);
  expect(JSON.parse(result.body)).toMatchObject({ sub: 'alice', clientId: 'demo-spa' });
  const seen = env.api.requests.slice(before).filter((r) => r.method === 'GET');
  expect(seen).toHaveLength(1);
  expect(seen[0]).toMatchObject({ valid: true });

  // Outside the allowlist: the request reaches the server with no Authorization header.
  const other = await call(page, `${env.api.origin()}/public/info`);
  expect(other.status).toBe(200);
  expect(env.api.requests.at(-1)).toMatchObject({ path: '/public/info', authorization: null });
});
