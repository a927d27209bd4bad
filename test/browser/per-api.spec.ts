/**
 * Per-API token requests in real Chromium, against oidc-provider naming APIs by Auth0's
 * `audience` parameter rather than RFC 8707 `resource` (harness/audience-provider.ts): the
 * sign-in names the first API's audience and its token serves that API; every other API gets
 * its own token from a refresh asking for its audience and scope, which the provider honours;
 * entries asking for the same share one token; one refresh per key serves many concurrent calls;
 * a 401 renews only the refused API's token. Two APIs check the tokens they receive, each
 * accepting only its own audience.
 */
import type { Page } from '@playwright/test';
import { type ApiServer, startApiServer } from './harness/api-server.js';
import {
  acceptAudienceAtTokenEndpoint,
  audienceConfig,
  type EndpointRequest,
  recordEndpointRequests,
} from './harness/audience-provider.js';
import { type Env, expect, signIn, startEnv, stopEnv, test } from './harness/env.js';
import { installProviderHooks, type ProviderHooks } from './harness/provider-hooks.js';
import { call, finishCalls, startCalls } from './harness/worker.js';

const ORDERS = 'https://orders.example/';
const BILLING = 'https://billing.example/';
const SCOPE = 'openid profile orders:read orders:write billing:read';

let env: Env;
let orders: ApiServer;
let billing: ApiServer;
let hooks: ProviderHooks;
let requests: EndpointRequest[];

test.beforeAll(async () => {
  env = await startEnv({
    config: audienceConfig(
      [
        { audience: ORDERS, scope: 'orders:read orders:write' },
        { audience: BILLING, scope: 'billing:read' },
      ],
      3600,
    ),
  });
  await acceptAudienceAtTokenEndpoint(env.op);
  requests = recordEndpointRequests(env.op);
  hooks = installProviderHooks(env.op);
  const apiOptions = { issuer: env.op.issuer, appOrigin: env.app.origin };
  orders = await startApiServer({ ...apiOptions, resource: ORDERS });
  billing = await startApiServer({ ...apiOptions, resource: BILLING });
  env.app.config = {
    ...env.app.config!,
    scope: SCOPE,
    apis: [
      { url: `${orders.origin()}/v1/orders/`, parameters: { audience: ORDERS } },
      { url: `${billing.origin()}/v1/`, parameters: { audience: BILLING } },
      // Its own scope: a narrower token for the same audience.
      {
        url: `${orders.origin()}/v1/audit/`,
        parameters: { audience: ORDERS },
        scope: 'orders:read',
      },
      // The same token requests as the first entry: the same token.
      { url: `${orders.origin()}/v1/legacy/`, parameters: { audience: ORDERS } },
    ],
    pageTokenUrls: [],
  };
});
test.afterAll(async () => {
  await orders?.close();
  await billing?.close();
  await stopEnv(env);
});

const bearer = (authorization: string | null) => authorization?.replace(/^Bearer /, '') ?? null;
/** What the worker sent to the token endpoint, without the values that change every time. */
const tokenRequests = (grantType: string) =>
  requests
    .filter((request) => request.route === 'token' && request.params.grant_type === grantType)
    .map(({ params, status }) => {
      const { refresh_token: _rt, code: _code, code_verifier: _cv, ...rest } = params;
      return { ...rest, status };
    });
/** The requests `api` received under `path`, each with its token and the claims it verified. */
const received = (api: ApiServer, path: string) =>
  api.requests
    .filter((request) => request.path.startsWith(path))
    .map((request) => ({
      token: bearer(request.authorization),
      valid: request.valid,
      aud: request.claims?.aud,
      scope: request.claims?.scope,
    }));
/** The one token every request in `seen` carried. */
function oneToken(seen: ReturnType<typeof received>): string {
  const tokens = new Set(seen.map((request) => request.token));
  expect(tokens.size).toBe(1);
  return [...tokens][0]!;
}

let page: Page;

test('each API gets a token for its audience and scope: the sign-in’s, or one refresh per key for many calls', async ({
  browser,
}) => {
  page = await browser.newPage();
  await signIn(page, env);

  // The sign-in names the first API's audience (PAR: the provider advertises it) and no resource.
  const pushed = requests.filter((request) => request.route === 'pushed_authorization_request');
  expect(pushed).toHaveLength(1);
  expect(pushed[0]!.params).toMatchObject({ audience: ORDERS, scope: SCOPE });
  expect(pushed[0]!.params.resource).toBeUndefined();
  expect(tokenRequests('authorization_code')).toEqual([
    {
      grant_type: 'authorization_code',
      client_id: 'demo-spa',
      redirect_uri: `${env.app.origin}/callback`,
      audience: ORDERS,
      status: 200,
    },
  ]);
  expect(tokenRequests('refresh_token')).toEqual([]);

  // 26 calls at once, to four entries (three token keys), while the first refresh is held at the
  // provider: the other refresh waits in the worker behind it (one use of the refresh token at a
  // time), and every call waits on its key's.
  const release = hooks.holdRefreshes();
  const urls = [
    ...Array.from({ length: 8 }, (_, i) => `${billing.origin()}/v1/invoices/${i}`),
    ...Array.from({ length: 8 }, (_, i) => `${orders.origin()}/v1/audit/${i}`),
    ...Array.from({ length: 5 }, (_, i) => `${orders.origin()}/v1/orders/${i}`),
    ...Array.from({ length: 5 }, (_, i) => `${orders.origin()}/v1/legacy/${i}`),
  ];
  await startCalls(page, urls);
  await expect.poll(() => hooks.heldRefreshes, { timeout: 15_000 }).toBe(1);
  // The sign-in's token served its two entries without waiting for any refresh.
  await expect
    .poll(() => received(orders, '/v1/orders/').length + received(orders, '/v1/legacy/').length)
    .toBe(10);
  release();
  const results = await finishCalls(page);
  expect(results.map((result) => result.status)).toEqual(urls.map(() => 200));

  // Two refreshes, one per key without a token, each asking for that API's audience and scope.
  const refreshes = tokenRequests('refresh_token');
  expect(refreshes).toHaveLength(2);
  expect(refreshes).toEqual(
    expect.arrayContaining([
      {
        grant_type: 'refresh_token',
        client_id: 'demo-spa',
        audience: BILLING,
        status: 200,
      },
      {
        grant_type: 'refresh_token',
        client_id: 'demo-spa',
        audience: ORDERS,
        scope: 'orders:read',
        status: 200,
      },
    ]),
  );

  // What each API received: one token per key, for its audience and scope, all accepted.
  const signedIn = received(orders, '/v1/orders/');
  const legacy = received(orders, '/v1/legacy/');
  const audit = received(orders, '/v1/audit/');
  const invoices = received(billing, '/v1/invoices/');
  for (const seen of [signedIn, legacy, audit, invoices]) {
    expect(seen.every((request) => request.valid === true)).toBe(true);
  }
  expect(oneToken([...signedIn, ...legacy])).not.toBe(oneToken(audit));
  expect(signedIn[0]).toMatchObject({ aud: ORDERS, scope: 'orders:read orders:write' });
  expect(audit[0]).toMatchObject({ aud: ORDERS, scope: 'orders:read' });
  expect(oneToken(invoices)).not.toBe(oneToken(audit));
  expect(invoices[0]).toMatchObject({ aud: BILLING, scope: 'billing:read' });
  expect(audit).toHaveLength(8);
  expect(invoices).toHaveLength(8);
});

test('a 401 renews only the refused API’s token, with its audience and scope', async () => {
  const audit = oneToken(received(orders, '/v1/audit/'));
  const signedIn = oneToken(received(orders, '/v1/orders/'));
  const invoices = oneToken(received(billing, '/v1/invoices/'));
  orders.revokeToken(audit);
  const before = requests.length;

  expect((await call(page, `${orders.origin()}/v1/audit/again`)).status).toBe(200);
  const [refused, replayed] = received(orders, '/v1/audit/again');
  expect(refused).toMatchObject({ token: audit, valid: false });
  expect(replayed).toMatchObject({ valid: true, aud: ORDERS, scope: 'orders:read' });
  expect(replayed!.token).not.toBe(audit);
  const renewal = requests.slice(before).map(({ route, params, status }) => {
    const { refresh_token: _rt, ...rest } = params;
    return { route, ...rest, status };
  });
  expect(renewal).toEqual([
    {
      route: 'token',
      grant_type: 'refresh_token',
      client_id: 'demo-spa',
      audience: ORDERS,
      scope: 'orders:read',
      status: 200,
    },
  ]);

  // The other keys keep their tokens: no refresh for them.
  expect((await call(page, `${orders.origin()}/v1/orders/again`)).status).toBe(200);
  expect((await call(page, `${billing.origin()}/v1/invoices/again`)).status).toBe(200);
  expect(received(orders, '/v1/orders/again')).toMatchObject([{ token: signedIn, valid: true }]);
  expect(received(billing, '/v1/invoices/again')).toMatchObject([{ token: invoices, valid: true }]);
  expect(requests.length).toBe(before + 1);
  await page.close();
});
