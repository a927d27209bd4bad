/**
 * No secret lands where page script can read it back (DESIGN §3: tokens live in worker memory).
 * The secrets are captured where they travel (the provider's PAR and token endpoints, the API's
 * Authorization header), then searched for in every storage kind of every origin involved: the
 * app, the provider, the API. Each scan first finds a marker planted in each kind, so a scan
 * that reads nothing fails.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from '@playwright/test';
import { type Env, expect, openApp, signIn, startEnv, stopEnv, test } from './harness/env.js';
import { submitLogin } from './harness/provider-pages.js';
import { type ProviderTap, tapProvider } from './harness/provider-record.js';
import {
  dumpStorage,
  type Finding,
  findIn,
  plantCookieMarkers,
  plantMarkers,
  type StorageDump,
} from './harness/storage-scan.js';

let env: Env;
let tap: ProviderTap;
test.beforeAll(async () => {
  env = await startEnv();
  tap = tapProvider(env.op);
});
test.afterAll(async () => {
  tap?.remove();
  await stopEnv(env);
});

type Identity = { identity: { login(): Promise<void>; getUser(): Promise<unknown> } };
type Secrets = Record<string, string>;

/** The URLs whose storage is scanned (cookies: every origin; localhost's serve app and provider). */
const origins = () => [env.app.origin, env.op.issuer, env.api.origin()];

/** Plants `marker` on `page`'s origin, then reads everything back. */
async function scan(page: Page, marker: string): Promise<StorageDump> {
  await plantMarkers(page, marker);
  return dumpStorage(page);
}

/** Asserts the scan saw `marker` in every kind each origin has: the scan itself works. */
function expectMarkerEverywhere(
  marker: string,
  dumps: readonly StorageDump[],
  cookiesSeen: Finding[],
) {
  for (const dump of dumps) {
    const found = findIn(marker, [dump]).map((f) => f.kind);
    const kinds = ['localStorage', 'sessionStorage', 'indexedDB'];
    if (dump.caches) kinds.push('caches');
    expect(new Set(found), `marker on ${dump.origin}`).toEqual(new Set(kinds));
  }
  // One marker cookie set by page script, one by the context, on each of the two hosts.
  expect(new Set(cookiesSeen.map((f) => f.origin))).toEqual(new Set(['localhost', 'api.test.com']));
}

/** Where each secret was found (an empty list each when nowhere). */
function locate(secrets: Secrets, dumps: readonly StorageDump[], context: CookiesOf) {
  return Object.fromEntries(
    Object.entries(secrets).map(([name, value]) => [name, findIn(value, dumps, context.cookies)]),
  );
}
type CookiesOf = { cookies: Awaited<ReturnType<BrowserContext['cookies']>> };

/** Goes through the provider's dev login and consent, back to the app. */
async function finishSignIn(page: Page): Promise<void> {
  await submitLogin(page, env, 'alice');
}

/** Scans the app (in `page`, the tab that signed in), the provider and the API (in a new tab). */
async function scanAll(context: BrowserContext, page: Page, marker: string) {
  const tab = await context.newPage();
  try {
    const app = await scan(page, marker);
    await tab.goto(`${env.op.issuer}/.well-known/openid-configuration`);
    const provider = await scan(tab, marker);
    await tab.goto(`${env.api.origin()}/public/info`);
    const api = await scan(tab, marker);
    const cookies = await context.cookies(origins());
    // Playwright's own reading of the same storage, as a second opinion.
    const state = JSON.stringify(await context.storageState({ indexedDB: true }));
    return { dumps: [app, provider, api], cookies, state };
  } finally {
    await tab.close();
  }
}

test('during sign-in only the transaction is in IndexedDB; after the callback no secret is anywhere', async ({
  context,
  page,
}) => {
  const marker = `marker-${randomUUID()}`;
  await plantCookieMarkers(context, marker, origins());
  await openApp(page, env);
  const since = tap.hits.length;
  await Promise.all([
    page.waitForURL((url) => url.origin === new URL(env.op.issuer).origin),
    page.evaluate(() => (window as unknown as Identity).identity.login()),
  ]);
  await expect(page.locator('input[name=login]')).toBeVisible();

  // The user is at the provider. The app's storage, from another tab:
  const tab = await context.newPage();
  await openApp(tab, env);
  const during = [await scan(tab, marker), await scan(page, marker)];
  const duringCookies = { cookies: await context.cookies(origins()) };
  await tab.close();

  await finishSignIn(page);

  // The secrets, from where they travelled.
  const hits = tap.hits.slice(since);
  const par = hits.find((h) => h.route === 'pushed_authorization_request' && h.status === 201);
  const exchange = hits.find(
    (h) => h.route === 'token' && h.params.grant_type === 'authorization_code',
  );
  expect(par, 'the worker pushed the authorization request').toBeDefined();
  expect(exchange, 'the worker exchanged the code').toMatchObject({ status: 200 });
  const tokens = exchange!.body as Record<string, string>;
  const verifier = exchange!.params.code_verifier as string;
  // The verifier captured is the one the challenge was made from (S256).
  expect(createHash('sha256').update(verifier).digest('base64url')).toBe(
    par!.params.code_challenge,
  );
  const before = env.api.requests.length;
  expect(
    await page.evaluate(async (url) => (await fetch(url)).status, `${env.api.origin()}/v1/me`),
  ).toBe(200);
  expect(env.api.requests[before]?.authorization).toBe(`Bearer ${tokens.access_token}`);

  const secrets: Secrets = {
    accessToken: tokens.access_token!,
    refreshToken: tokens.refresh_token!,
    idToken: tokens.id_token!,
    codeVerifier: verifier,
    nonce: par!.params.nonce as string,
    state: par!.params.state as string,
    code: exchange!.params.code as string,
  };
  for (const [name, value] of Object.entries(secrets)) {
    expect(typeof value === 'string' && value.length >= 16, name).toBe(true);
  }

  // During sign-in: the transaction (state, nonce, verifier) is in IndexedDB, by design: it has
  // to survive the worker being stopped while the user is away. Nothing else is anywhere.
  const markerCookies = findIn(marker, [], duringCookies.cookies);
  expectMarkerEverywhere(marker, during, markerCookies);
  const transaction = {
    kind: 'indexedDB',
    origin: env.app.origin,
    where: 'identity-model-web-login/transactions',
  };
  expect(locate(secrets, during, duringCookies)).toEqual({
    accessToken: [],
    refreshToken: [],
    idToken: [],
    codeVerifier: [transaction],
    nonce: [transaction],
    state: [transaction],
    code: [],
  });

  // After the callback: nowhere, on any origin, in any kind; the transaction is gone.
  const after = await scanAll(context, page, marker);
  expectMarkerEverywhere(marker, after.dumps, findIn(marker, [], after.cookies));
  expect(after.state).toContain(marker);
  expect(locate(secrets, after.dumps, after)).toEqual(
    Object.fromEntries(Object.keys(secrets).map((name) => [name, []])),
  );
  for (const [name, value] of Object.entries(secrets)) {
    expect(after.state.includes(value), `${name} in Playwright's storage state`).toBe(false);
  }
  const transactions = after.dumps[0]!.indexedDB.find(
    (s) => s.database === 'identity-model-web-login',
  );
  expect(transactions?.text ?? '').not.toContain('login:');

  // Nor does the page hold one: not in its URL, its events, or what the worker tells it (the
  // user's claims are the ID token's without its protocol claims: no nonce, at_hash or c_hash).
  const user = await page.evaluate(() => (window as unknown as Identity).identity.getUser());
  expect(user).toMatchObject({ user: { sub: 'alice' } });
  expect(Object.keys((user as { user: { claims: object } }).user.claims)).not.toContain('nonce');
  const visible = JSON.stringify({
    url: page.url(),
    user,
    events: await page.evaluate(() => (window as unknown as { events: unknown[] }).events),
    cookie: await page.evaluate(() => document.cookie),
  });
  for (const [name, value] of Object.entries(secrets)) {
    expect(visible.includes(value), `${name} visible to the page`).toBe(false);
  }
});

test('after a refresh, neither the rotated refresh token nor the new access token is stored', async ({
  context,
  page,
}) => {
  const marker = `marker-${randomUUID()}`;
  await plantCookieMarkers(context, marker, origins());
  const since = tap.hits.length;
  await signIn(page, env, 'alice');
  const first = tap.tokenResponses().length;
  // Nearly an hour on, in the worker's clock: the access token (3600 s) is within the refresh
  // skew (30 s), so the next call refreshes. (Further on, the new ID token would look expired.)
  const worker =
    context.serviceWorkers().find((w) => w.url().startsWith(env.app.origin)) ??
    (await context.waitForEvent('serviceworker'));
  await worker.evaluate(() => {
    (self as unknown as { __clockOffset: number }).__clockOffset = 3585 * 1000;
  });
  const before = env.api.requests.length;
  expect(
    await page.evaluate(async (url) => (await fetch(url)).status, `${env.api.origin()}/v1/me`),
  ).toBe(200);

  const responses = tap.hits
    .slice(since)
    .filter((h) => h.route === 'token' && h.status === 200)
    .map((h) => ({ grant: h.params.grant_type, body: h.body as Record<string, string> }));
  expect(responses.map((r) => r.grant)).toEqual(['authorization_code', 'refresh_token']);
  expect(tap.tokenResponses().length).toBe(first + 1);
  const [initial, refreshed] = responses as [(typeof responses)[0], (typeof responses)[0]];
  expect(refreshed.body.refresh_token).not.toBe(initial.body.refresh_token); // rotated
  expect(env.api.requests[before]?.authorization).toBe(`Bearer ${refreshed.body.access_token}`);

  const secrets: Secrets = {
    accessToken: initial.body.access_token!,
    refreshToken: initial.body.refresh_token!,
    newAccessToken: refreshed.body.access_token!,
    newRefreshToken: refreshed.body.refresh_token!,
  };
  if (refreshed.body.id_token) secrets.newIdToken = refreshed.body.id_token;
  const after = await scanAll(context, page, marker);
  expectMarkerEverywhere(marker, after.dumps, findIn(marker, [], after.cookies));
  expect(locate(secrets, after.dumps, after)).toEqual(
    Object.fromEntries(Object.keys(secrets).map((name) => [name, []])),
  );
});
