/**
 * Several tabs, one worker: a sign-in in one tab reaches the others, and a sign-out revokes the
 * refresh token at the provider, tells every tab, ends the provider session and leaves API calls
 * without a token.
 */
import { call, events } from './harness/app-page.js';
import { type Env, expect, openApp, signIn, startEnv, stopEnv, test } from './harness/env.js';
import {
  introspect,
  lastRefreshToken,
  recordTokenResponses,
  type TokenResponse,
  useRefreshToken,
} from './harness/provider-tap.js';

let env: Env;
let responses: TokenResponse[];
test.beforeAll(async () => {
  env = await startEnv();
  responses = recordTokenResponses(env.op);
});
test.afterAll(async () => {
  await stopEnv(env);
});

const signedIn = expect.objectContaining({
  type: 'userchanged',
  state: 'authenticated',
  user: expect.objectContaining({ sub: 'alice' }),
});
const signedOut = { type: 'userchanged', state: 'unauthenticated', user: null };

test('a sign-in in one tab tells the other open tabs, which then call the API with a token', async ({
  context,
  page,
}) => {
  const others = [await context.newPage(), await context.newPage()];
  for (const tab of others) await openApp(tab, env);
  for (const tab of others) expect(await events(tab)).toEqual([]);

  await signIn(page, env, 'alice');

  for (const tab of others) {
    await expect.poll(() => events(tab)).toContainEqual(signedIn);
    expect(await tab.evaluate(() => window.identity.getUser())).toMatchObject({
      state: 'authenticated',
      user: { sub: 'alice' },
    });
  }
  // The event carries the user's claims, never a token.
  expect(JSON.stringify(await events(others[0]!))).not.toMatch(/eyJ/);
  const before = env.api.requests.length;
  const result = await call(others[1]!, `${env.api.origin()}/v1/me`);
  expect(result.status).toBe(200);
  expect(env.api.requests.slice(before)).toEqual([
    expect.objectContaining({ path: '/v1/me', valid: true }),
  ]);
});

test('sign-out revokes the refresh token, tells every tab, ends the provider session, and API calls carry no token', async ({
  context,
  page,
}) => {
  const other = await context.newPage();
  await openApp(other, env);
  await signIn(page, env, 'alice');
  await expect.poll(() => events(other)).toContainEqual(signedIn);

  const refreshToken = lastRefreshToken(responses);
  expect(await introspect(env.op, refreshToken, 'refresh_token')).toMatchObject({
    active: true,
    client_id: 'demo-spa',
    sub: 'alice',
  });
  const revocations = env.op.counts['/token/revocation'] ?? 0;

  const issuerOrigin = new URL(env.op.issuer).origin;
  await Promise.all([
    page.waitForURL((url) => url.origin === issuerOrigin),
    // Not awaited in the page: the navigation it starts may destroy the page first.
    page.evaluate(() => {
      void window.identity.logout();
    }),
  ]);
  // RP-Initiated Logout: the provider is told who and where to send the user back.
  const endSession = new URL(page.url());
  expect(endSession.searchParams.get('client_id')).toBe('demo-spa');
  expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${env.app.origin}/`);
  expect(endSession.searchParams.get('id_token_hint')).toMatch(/^eyJ/);

  // Every tab is told, including the one that stayed on the app.
  await expect.poll(() => events(other)).toContainEqual(signedOut);
  expect(await other.evaluate(() => window.identity.getUser())).toEqual({
    state: 'unauthenticated',
    user: null,
  });

  // The refresh token is dead at the provider: inactive, and refused at the token endpoint.
  expect(env.op.counts['/token/revocation']).toBeGreaterThan(revocations);
  expect(await introspect(env.op, refreshToken, 'refresh_token')).toEqual({ active: false });
  expect(await useRefreshToken(env.op, refreshToken)).toMatchObject({
    status: 400,
    body: { error: 'invalid_grant' },
  });

  // The provider asks; once confirmed, it sends the user back to the post-logout redirect URI.
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await page.waitForURL(`${env.app.origin}/`);
  await expect(page.locator('body[data-ready=true]')).toBeAttached({ timeout: 15_000 });
  expect(await page.evaluate(() => window.identity.getUser())).toEqual({
    state: 'unauthenticated',
    user: null,
  });

  // No tab's API call carries a token any more.
  const before = env.api.requests.length;
  for (const tab of [page, other]) {
    expect((await call(tab, `${env.api.origin()}/v1/me`)).status).toBe(401);
  }
  expect(env.api.requests.slice(before)).toEqual([
    expect.objectContaining({ path: '/v1/me', authorization: null }),
    expect.objectContaining({ path: '/v1/me', authorization: null }),
  ]);

  // The provider session is over too: a new sign-in asks for the login again.
  await Promise.all([
    page.waitForURL((url) => url.origin === issuerOrigin),
    // Not awaited in the page: the navigation it starts may destroy the page first.
    page.evaluate(() => {
      void window.identity.login();
    }),
  ]);
  await expect(page.locator('input[name=login]')).toBeVisible();
});
