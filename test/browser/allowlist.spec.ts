/**
 * The allowlist cannot be fooled (DESIGN §3): after sign-in, only requests whose URL parses to the
 * entry's scheme, host and port, under its path at a segment boundary, carry the token. Every
 * request that must not carry one is checked where it lands (the server records its headers),
 * so a test also fails when the request never left the browser.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { DEFAULT_API_RESOURCE } from '../../demo/provider.js';
import { type ApiRequest, type ApiServer, startApiServer } from './harness/api-server.js';
import { type DualProtocolFront, startDualProtocolFront } from './harness/dual-protocol.js';
import { type Env, expect, signIn, startEnv, stopEnv, test } from './harness/env.js';
import { type ProviderTap, tapProvider } from './harness/provider-record.js';

type Outcome = { status: number } | { error: string };

/** A fetch from the page (through the worker, if it takes it): the status, or the error. */
function fetchFrom(page: Page, url: string, init: RequestInit = {}): Promise<Outcome> {
  return page.evaluate(
    async ({ url, init }) => {
      try {
        return { status: (await fetch(url, init)).status };
      } catch (error) {
        return { error: String(error) };
      }
    },
    { url, init },
  );
}

const BEARER = /^Bearer eyJ[\w-]+\.[\w-]+\.[\w-]+$/;

/** The one request `server` recorded since `before` (besides CORS preflights). */
function onlyRequest(server: ApiServer, before: number): ApiRequest {
  const seen = server.requests.slice(before).filter((r) => r.method !== 'OPTIONS');
  expect(seen, 'exactly one request reached the server').toHaveLength(1);
  return seen[0]!;
}

let env: Env;
let front: DualProtocolFront;
let evil: ApiServer;
let context: BrowserContext;
let page: Page;
/** `http://api.test.com:<front port>`: the allowlisted API origin (http and https on one port). */
let API: string;

test.beforeAll(async ({ browser }) => {
  env = await startEnv();
  // The API answers http and https on the front's port: `https://` differs only in its scheme.
  front = await startDualProtocolFront(env.api.port, ['api.test.com']);
  evil = await startApiServer({
    issuer: env.op.issuer,
    resource: DEFAULT_API_RESOURCE,
    appOrigin: env.app.origin,
  });
  API = `http://api.test.com:${front.port}`;
  env.app.config = {
    ...env.app.config!,
    apis: [
      { url: `${API}/v1/`, resource: DEFAULT_API_RESOURCE },
      // A same-origin API: its navigations and images do pass through the worker.
      { url: `${env.app.origin}/api/`, resource: DEFAULT_API_RESOURCE },
    ],
  };
  context = await browser.newContext({ ignoreHTTPSErrors: true });
  page = await context.newPage();
  await signIn(page, env, 'alice');
});
test.afterAll(async () => {
  await context?.close();
  await front?.close();
  await evil?.close();
  await stopEnv(env);
});

test('URLs at or under the entry carry a token the API accepts', async () => {
  for (const path of ['/v1/me', '/v1', '/v1/a/b', '/v1/me?next=/admin#frag', '/v1//me']) {
    const before = env.api.requests.length;
    const outcome = await fetchFrom(page, `${API}${path}`);
    expect(outcome, path).toEqual({ status: 200 });
    const seen = onlyRequest(env.api, before);
    expect(seen, path).toMatchObject({ host: `api.test.com:${front.port}`, valid: true });
    expect(seen.authorization).toMatch(BEARER);
  }
  // The same-origin entry too (the app server records the header).
  const before = env.app.requests.length;
  expect(await fetchFrom(page, `${env.app.origin}/api/data`)).toEqual({ status: 200 });
  expect(env.app.requests.slice(before)).toEqual([
    expect.objectContaining({ path: '/api/data', authorization: expect.stringMatching(BEARER) }),
  ]);
});

test('look-alike hosts, another port and another scheme reach their server with no token', async () => {
  const cases = [
    { url: `http://api.test.com.evil.net:${front.port}/v1/me`, host: 'api.test.com.evil.net' },
    { url: `http://apixtest.com:${front.port}/v1/me`, host: 'apixtest.com' },
    { url: `http://API.TEST.COM.evil.net:${front.port}/v1/me`, host: 'api.test.com.evil.net' },
    // The very same API server, on its own port instead of the allowlisted one.
    { url: `http://api.test.com:${env.api.port}/v1/me`, host: 'api.test.com', port: env.api.port },
    { url: `https://api.test.com:${front.port}/v1/me`, host: 'api.test.com' },
  ];
  for (const { url, host, port = front.port } of cases) {
    const before = env.api.requests.length;
    const https = front.connections.https;
    expect(await fetchFrom(page, url), url).toEqual({ status: 401 });
    expect(onlyRequest(env.api, before), url).toMatchObject({
      host: `${host}:${port}`,
      path: '/v1/me',
      authorization: null,
    });
    if (url.startsWith('https:')) expect(front.connections.https).toBeGreaterThan(https);
  }
});

test('paths outside the prefix get no token, however they are spelled', async () => {
  const cases: [request: string, arrives: string][] = [
    ['/v1x/me', '/v1x/me'],
    ['/v10/me', '/v10/me'],
    ['/V1/me', '/V1/me'],
    ['/public/v1/me', '/public/v1/me'],
    // Normalised by the browser before anyone sees it:
    ['/v1/../admin', '/admin'],
    ['/v1/%2e%2e/admin', '/admin'],
    ['/v1/.%2E/admin', '/admin'],
    ['/v1\\..\\admin', '/admin'],
    ['/v1/./../admin', '/admin'],
    // Not normalised by the URL parser, but by many servers (an encoded slash or backslash
    // decoded into a separator, Tomcat's `..;` path parameter, a second decoding):
    ['/v1/..%2fadmin', '/v1/..%2fadmin'],
    ['/v1/..%2Fadmin', '/v1/..%2Fadmin'],
    ['/v1/..%5cadmin', '/v1/..%5cadmin'],
    ['/v1/..;/admin', '/v1/..;/admin'],
    ['/v1/%252e%252e/admin', '/v1/%252e%252e/admin'],
    ['/v1%2fme', '/v1%2fme'],
  ];
  for (const [request, arrives] of cases) {
    const before = env.api.requests.length;
    const outcome = await fetchFrom(page, `${API}${request}`);
    expect(outcome, request).toHaveProperty('status');
    expect(onlyRequest(env.api, before), request).toMatchObject({
      path: arrives,
      authorization: null,
    });
  }
});

test('user info in the URL: fetch refuses it, and nothing is sent', async () => {
  const before = env.api.requests.length;
  for (const url of [
    `http://user:pass@api.test.com:${front.port}/v1/me`,
    `http://user@api.test.com:${front.port}/v1/me`,
  ]) {
    const outcome = await fetchFrom(page, url);
    expect(outcome, url).toEqual({ error: expect.stringMatching(/credentials/i) });
  }
  // A moment for anything that did go out to land.
  await fetchFrom(page, `${API}/public/ping`);
  expect(env.api.requests.slice(before).map((r) => r.path)).toEqual(['/public/ping']);
});

test('a redirect from an allowlisted URL does not take the token to another origin', async () => {
  const targets = [
    { to: `http://evil.test:${evil.port}/steal`, server: () => evil, path: '/steal' },
    // Same host, another port: another origin.
    { to: `http://api.test.com:${env.api.port}/v1/me`, server: () => env.api, path: '/v1/me' },
  ];
  for (const { to, server, path } of targets) {
    const before = env.api.requests.length;
    const beforeTarget = server().requests.length;
    await fetchFrom(page, `${API}/v1/redirect?to=${encodeURIComponent(to)}`);
    // The allowlisted request itself carried the token…
    const redirect = env.api.requests
      .slice(before)
      .find((r) => r.path === '/v1/redirect' && r.method === 'GET');
    expect(redirect?.authorization, to).toMatch(BEARER);
    // …and the redirect arrived where it pointed, without it.
    const landed = server()
      .requests.slice(beforeTarget)
      .filter((r) => r.path === path && r.method === 'GET');
    expect(landed, to).toEqual([expect.objectContaining({ authorization: null })]);
  }
});

// A worker cannot see where a redirect it follows goes (a manual redirect is opaque to it), so
// it relies on the browser, which drops Authorization on a redirect to another origin (the Fetch
// standard) and keeps it within the origin. This pins that limit: should it change, the security
// notes in docs/security.md change with it.
test('limit: a redirect within the allowlisted origin keeps the header, even off the prefix', async () => {
  const before = env.api.requests.length;
  await fetchFrom(page, `${API}/v1/redirect?to=${encodeURIComponent('/public/landing')}`);
  const landed = env.api.requests.slice(before).filter((r) => r.path === '/public/landing');
  expect(landed).toEqual([expect.objectContaining({ valid: true })]);
});

test('navigations carry no token: goto, a link, location.assign, a same-origin frame', async () => {
  const tab = await context.newPage();
  try {
    // (The browser may ask the API for /favicon.ico too: it gets no token either.)
    let before = env.api.requests.length;
    await tab.goto(`${API}/v1/me`);
    expect(env.api.requests.slice(before)).toContainEqual(
      expect.objectContaining({ path: '/v1/me', authorization: null }),
    );
    expect(env.api.withToken().filter((r) => env.api.requests.indexOf(r) >= before)).toEqual([]);

    // Same-origin navigations pass through the worker's fetch handler (mode "navigate").
    const appBefore = env.app.requests.length;
    await tab.goto(`${env.app.origin}/api/page`);
    await tab.evaluate((href) => {
      const link = document.createElement('a');
      link.href = href;
      link.textContent = 'link';
      document.body.append(link);
    }, `${env.app.origin}/api/linked`);
    await Promise.all([tab.waitForURL('**/api/linked'), tab.click('a')]);
    await Promise.all([
      tab.waitForURL('**/api/assigned'),
      tab.evaluate(() => location.assign('/api/assigned')),
    ]);
    await tab.evaluate(
      () =>
        new Promise((resolve) => {
          const frame = document.createElement('iframe');
          frame.src = '/api/framed';
          frame.onload = resolve;
          document.body.append(frame);
        }),
    );
    const navigations = env.app.requests
      .slice(appBefore)
      .filter((r) => ['/api/page', '/api/linked', '/api/assigned', '/api/framed'].includes(r.path));
    expect(navigations.map((r) => r.path).sort()).toEqual([
      '/api/assigned',
      '/api/framed',
      '/api/linked',
      '/api/page',
    ]);
    for (const request of navigations) {
      expect(request, request.path).toMatchObject({ mode: 'navigate', authorization: null });
    }

    // A link and location.assign to the cross-origin API, from a page the worker controls.
    before = env.api.requests.length;
    await tab.evaluate((href) => {
      const link = document.createElement('a');
      link.href = href;
      link.id = 'api';
      link.textContent = 'api';
      document.body.append(link);
    }, `${API}/v1/linked`);
    await Promise.all([tab.waitForURL('**/v1/linked'), tab.click('#api')]);
    await tab.goto(`${env.app.origin}/`);
    await Promise.all([
      tab.waitForURL('**/v1/assigned'),
      tab.evaluate((href) => location.assign(href), `${API}/v1/assigned`),
    ]);
    const api = env.api.requests.slice(before);
    expect(api.map((r) => r.path).filter((path) => path !== '/favicon.ico')).toEqual([
      '/v1/linked',
      '/v1/assigned',
    ]);
    for (const request of api) expect(request.authorization, request.path).toBeNull();
  } finally {
    await tab.close();
  }
});

test('no-cors requests carry no token: images and fetch(…, { mode: "no-cors" })', async () => {
  // The control: the same URL fetched with CORS does get the token.
  let before = env.api.requests.length;
  await fetchFrom(page, `${API}/v1/pixel.png`);
  expect(onlyRequest(env.api, before).authorization).toMatch(BEARER);

  for (const src of [`${API}/v1/pixel.png?img`, `${env.app.origin}/api/pixel.png?img`]) {
    const server = src.startsWith(API) ? env.api.requests : env.app.requests;
    before = server.length;
    await page.evaluate(
      (src) =>
        new Promise((resolve) => {
          const image = new Image();
          image.onload = image.onerror = resolve;
          image.src = src;
        }),
      src,
    );
    const seen = server.slice(before).filter((r) => r.path.endsWith('/pixel.png'));
    expect(seen, src).toEqual([expect.objectContaining({ authorization: null })]);
  }

  before = env.api.requests.length;
  expect(await fetchFrom(page, `${API}/v1/me`, { mode: 'no-cors' })).toEqual({ status: 0 });
  expect(onlyRequest(env.api, before)).toMatchObject({ path: '/v1/me', authorization: null });
});

test("a page's own Authorization header to a URL off the allowlist goes out unchanged", async () => {
  const init = { headers: { authorization: 'Bearer page-token' } };
  for (const [server, url] of [
    [evil, `http://evil.test:${evil.port}/v1/me`],
    [env.api, `${API}/public/info`],
  ] as const) {
    const before = server.requests.length;
    await fetchFrom(page, url, init);
    expect(onlyRequest(server, before), url).toMatchObject({ authorization: 'Bearer page-token' });
  }
});

test.describe('with the provider itself on the allowlist', () => {
  let envOp: Env;
  let tap: ProviderTap;
  let opPage: Page;
  let opContext: BrowserContext;

  test.beforeAll(async ({ browser }) => {
    envOp = await startEnv();
    tap = tapProvider(envOp.op);
    envOp.app.config = {
      ...envOp.app.config!,
      apis: [...(envOp.app.config!.apis ?? []), { url: `${envOp.op.issuer}/` }],
    };
    opContext = await browser.newContext();
    opPage = await opContext.newPage();
    await signIn(opPage, envOp, 'alice');
  });
  test.afterAll(async () => {
    await opContext?.close();
    tap?.remove();
    await stopEnv(envOp);
  });

  test('discovery, JWKS and the token endpoints never get the token', async () => {
    const form = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_id=demo-spa&grant_type=refresh_token&refresh_token=x&token=x',
    };
    // Each path is one the provider serves as that endpoint (it routes case-insensitively and
    // with a trailing slash).
    const cases: [path: string, init: RequestInit, route: string][] = [
      ['/.well-known/openid-configuration', {}, 'discovery'],
      ['/.well-known/openid-configuration/', {}, 'discovery'],
      ['/.WELL-KNOWN/openid-configuration', {}, 'discovery'],
      ['/.well-known/oauth-authorization-server', {}, 'discovery'],
      ['/jwks', {}, 'jwks'],
      ['/JWKS/', {}, 'jwks'],
      ['/jwks?x=1', {}, 'jwks'],
      ['/token', form, 'token'],
      ['/TOKEN', form, 'token'],
      ['/token/', form, 'token'],
      ['/token/introspection', form, 'introspection'],
      ['/token/revocation', form, 'revocation'],
      ['/request', form, 'pushed_authorization_request'],
      ['/device/auth', form, 'device_authorization'],
    ];
    for (const [path, init, route] of cases) {
      const before = tap.hits.length;
      await fetchFrom(opPage, `${envOp.op.issuer}${path}`, init);
      const hits = tap.hits.slice(before);
      // Had the worker added the header, the browser would have asked first (a preflight).
      expect(
        hits.filter((h) => h.preflightHeaders?.includes('authorization')),
        path,
      ).toEqual([]);
      expect(
        hits.filter((h) => h.method !== 'OPTIONS'),
        path,
      ).toEqual([expect.objectContaining({ route, authorization: null })]);
    }
  });

  test('the control: another URL on the provider under the entry does get the token', async () => {
    // UserInfo is deliberately not excluded: an app may allowlist it to call it with the token.
    const before = tap.hits.length;
    await fetchFrom(opPage, `${envOp.op.issuer}/me`);
    const userinfo = tap.hits.slice(before).filter((h) => h.method === 'GET');
    expect(userinfo.length).toBeGreaterThan(0);
    expect(userinfo[0]).toMatchObject({ route: 'userinfo' });
    expect(userinfo[0]!.authorization).toMatch(BEARER);
  });
});
