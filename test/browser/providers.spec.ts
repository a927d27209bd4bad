/**
 * One browser flow against every real provider (harness/browser-providers.ts): sign-in through
 * the worker, an API call with the token, a refresh, and logout through the provider's end
 * session, in real Chromium. Glewlwyd skips with a message on a machine without it, except
 * under CI.
 *
 * Glewlwyd's deviations met on the way (test/support/glewlwyd/README.md): its refresh answers
 * carry no ID token (the worker keeps the sign-in one); a public client cannot revoke (the
 * worker's revocation at logout fails quietly, and the end session ends the tokens).
 */
import { expect, test } from '@playwright/test';
import { call } from './harness/app-page.js';
import {
  type BrowserWorld,
  glewlwydBrowser,
  oidcProviderBrowser,
} from './harness/browser-providers.js';
import { getUser, serviceWorker, setWorkerClock } from './harness/worker.js';

/** Short-lived API tokens: the refresh step moves the worker's clock near their expiry. */
const ACCESS_TOKEN_TTL = 120;

const bearer = (authorization: string | null) => authorization?.replace(/^Bearer /, '') ?? null;

for (const provider of [oidcProviderBrowser, glewlwydBrowser]) {
  if (provider.skipReason) console.warn(`[${provider.name}] skipped: ${provider.skipReason}`);
  test.describe(provider.name, () => {
    test.skip(provider.skipReason !== undefined, `${provider.name}: ${provider.skipReason}`);

    let world: BrowserWorld;
    test.beforeAll(async () => {
      world = await provider.start(ACCESS_TOKEN_TTL);
    });
    test.afterAll(async () => {
      await world?.close();
    });
    const api = (path: string) => `${world.api.origin()}/v1/${path}`;

    test(`${provider.name}: sign-in through the worker, API call, refresh, logout through the end session`, async ({
      page,
      context,
    }) => {
      await world.signIn(page);
      const signedIn = await getUser(page);
      expect(signedIn).toMatchObject({
        state: 'authenticated',
        user: { claims: { name: world.userName } },
      });
      expect(JSON.stringify(signedIn)).not.toMatch(/eyJ/); // no token reaches the page

      // An API call carries a token the API accepts (an at+jwt for the API's resource).
      let before = world.api.requests.length;
      expect((await call(page, api('me'))).status).toBe(200);
      const [first] = world.api.requests.slice(before);
      expect(first).toMatchObject({ valid: true });
      const firstToken = bearer(first!.authorization);

      // Near expiry on the worker's clock: the next call gets a refreshed token, and the session
      // and its user stay (Glewlwyd's refresh answer has no ID token; the worker keeps its own).
      const worker = await serviceWorker(context, world.app.origin);
      const offset = signedIn.user!.expiresAt - 10_000 - Date.now();
      expect(offset).toBeGreaterThan(60_000);
      await setWorkerClock(worker, offset);
      before = world.api.requests.length;
      expect((await call(page, api('items/1'))).status).toBe(200);
      const [second] = world.api.requests.slice(before);
      expect(second).toMatchObject({ valid: true });
      expect(bearer(second!.authorization)).not.toBe(firstToken);
      const refreshed = await getUser(page);
      expect(refreshed).toMatchObject({
        state: 'authenticated',
        user: { sub: signedIn.user!.sub, claims: { name: world.userName } },
      });
      expect(refreshed.user!.expiresAt).toBeGreaterThan(signedIn.user!.expiresAt);
      await setWorkerClock(worker, 0);

      // Logout: the worker ends its session and sends the browser to the end session, which
      // brings it back to the app signed out.
      await Promise.all([
        page.waitForURL((url) => url.origin === world.issuerOrigin),
        // Not awaited in the page: the navigation it starts may destroy the page first.
        page.evaluate(() => {
          void window.identity.logout();
        }),
      ]);
      const endSession = new URL(page.url());
      expect(endSession.searchParams.get('client_id')).toBe(world.clientId);
      await world.confirmLogout(page);
      await page.waitForURL((url) => url.origin === world.app.origin && url.pathname === '/');
      await expect(page.locator('body[data-ready=true]')).toBeAttached({ timeout: 15_000 });
      expect(await getUser(page)).toEqual({ state: 'unauthenticated', user: null });

      // No API call carries a token any more.
      before = world.api.requests.length;
      expect((await call(page, api('me'))).status).toBe(401);
      expect(world.api.requests.slice(before)).toMatchObject([{ authorization: null }]);
    });
  });
}
