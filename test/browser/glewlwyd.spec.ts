/**
 * The browser flow against Glewlwyd 2.7 (Debian's `glewlwyd`), the second real provider: sign-in
 * through the worker, an API call with the token, a refresh, and logout. The oidc-provider side
 * of the same flow is login.spec.ts, refresh.spec.ts and tabs.spec.ts. Skips with a message on a
 * machine without Glewlwyd, except under CI.
 *
 * Glewlwyd's deviations met on the way (test/support/glewlwyd/README.md): its refresh answers
 * carry no ID token (the worker keeps the sign-in one); a public client cannot revoke (the
 * worker's revocation at logout fails quietly, and the end session ends the tokens).
 */
import { expect, test } from '@playwright/test';
import { glewlwydSkipReason } from '../support/glewlwyd/index.js';
import { call } from './harness/app-page.js';
import {
  confirmGlewlwydLogout,
  type GlewlwydEnv,
  signInWithGlewlwyd,
  startGlewlwydEnv,
  stopGlewlwydEnv,
} from './harness/glewlwyd.js';
import { getUser, serviceWorker, setWorkerClock } from './harness/worker.js';

const skipReason = glewlwydSkipReason();
test.skip(skipReason !== undefined, `Glewlwyd: ${skipReason}`);

let env: GlewlwydEnv;
test.beforeAll(async () => {
  env = await startGlewlwydEnv();
});
test.afterAll(async () => {
  await stopGlewlwydEnv(env);
});

const api = (path: string) => `${env.api.origin()}/v1/${path}`;
const bearer = (authorization: string | null) => authorization?.replace(/^Bearer /, '') ?? null;

test('Glewlwyd: sign-in through the worker, API call, refresh without a new ID token, logout through the end session', async ({
  page,
  context,
}) => {
  await signInWithGlewlwyd(page, env);
  const signedIn = await getUser(page);
  expect(signedIn).toMatchObject({ state: 'authenticated', user: { claims: { name: 'Alice' } } });
  expect(JSON.stringify(signedIn)).not.toMatch(/eyJ/); // no token reaches the page

  // An API call carries a token the API accepts (Glewlwyd's at+jwt with the resource as aud).
  let before = env.api.requests.length;
  expect((await call(page, api('me'))).status).toBe(200);
  const [first] = env.api.requests.slice(before);
  expect(first).toMatchObject({ valid: true });
  const firstToken = bearer(first!.authorization);

  // Near expiry on the worker's clock: the next call gets a refreshed token. Glewlwyd's refresh
  // answer has no ID token; the worker keeps the session and its user.
  const worker = await serviceWorker(context, env.app.origin);
  const offset = signedIn.user!.expiresAt - 10_000 - Date.now();
  expect(offset).toBeGreaterThan(60_000);
  await setWorkerClock(worker, offset);
  before = env.api.requests.length;
  expect((await call(page, api('items/1'))).status).toBe(200);
  const [second] = env.api.requests.slice(before);
  expect(second).toMatchObject({ valid: true });
  expect(bearer(second!.authorization)).not.toBe(firstToken);
  const refreshed = await getUser(page);
  expect(refreshed).toMatchObject({ state: 'authenticated', user: { sub: signedIn.user!.sub } });
  expect(refreshed.user!.expiresAt).toBeGreaterThan(signedIn.user!.expiresAt);
  await setWorkerClock(worker, 0);

  // Logout: the worker ends its session and sends the browser to Glewlwyd's end session.
  await page.evaluate(() => {
    void window.identity.logout();
  });
  const params = await confirmGlewlwydLogout(page, env);
  expect(params.get('client_id')).toBe(env.glewlwyd.clients.spa.clientId);
  await page.waitForURL((url) => url.origin === env.app.origin && url.pathname === '/');
  await expect(page.locator('body[data-ready=true]')).toBeAttached({ timeout: 15_000 });
  expect(await getUser(page)).toEqual({ state: 'unauthenticated', user: null });

  // No API call carries a token any more.
  before = env.api.requests.length;
  expect((await call(page, api('me'))).status).toBe(401);
  expect(env.api.requests.slice(before)).toMatchObject([{ authorization: null }]);
});
