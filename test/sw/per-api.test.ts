/**
 * Per-API token requests (allowlist `scope` and `parameters`, for providers that name an API by
 * Auth0's `audience` or Entra ID's `api://…/.default` scope rather than RFC 8707 `resource`):
 * how entries are checked, which entries share a token, and what the worker sends for each, at
 * sign-in and on refresh. Runs the real context, token source and sign-in against a local token
 * endpoint (fake-worker.ts); test/browser/per-api.spec.ts does the same with oidc-provider.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetadataCache } from '../../src/core/cache/metadata-cache.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { type ApiEntry, compileAllowlist } from '../../sw/allowlist.js';
import { createDpopKeyStore } from '../../sw/dpop-key.js';
import { prepareLogin } from '../../sw/login.js';
import { tokenKey } from '../../sw/session.js';
import { createSessionStore, sessionName } from '../../sw/session-store.js';
import { loginDatabase } from '../../sw/transactions.js';
import { NOW, testClock } from '../support/hostile-op.js';
import { type FakeOp, type FakeWorker, fakeWorker, rotating, startFakeOp } from './fake-worker.js';

const ORDERS = 'https://orders.test/';
const BILLING = 'https://billing.test/';
const REPORTS = 'https://reports.test/';
const ORDERS_V2 = 'https://orders.test/v2/';

/** Auth0-style: APIs named by `audience`, one with its own scope; Entra-style: scope only. */
const APIS: readonly ApiEntry[] = [
  { url: ORDERS, parameters: { audience: 'https://orders' } },
  { url: BILLING, parameters: { audience: 'https://billing' }, scope: 'billing:read' },
  { url: REPORTS, scope: 'api://reports/.default' },
  // The same token requests as ORDERS: the same token.
  { url: ORDERS_V2, parameters: { audience: 'https://orders' } },
];

describe('config.apis[].parameters', () => {
  const compile = (parameters: unknown) => () =>
    compileAllowlist([{ url: 'https://api.test/', parameters } as unknown as ApiEntry]);

  it('takes string values under names the worker does not set', () => {
    const [entry] = compileAllowlist([
      { url: 'https://api.test/', parameters: { audience: 'https://api', organization: 'org_1' } },
    ]);
    expect(entry!.entry.parameters).toEqual({ audience: 'https://api', organization: 'org_1' });
  });

  it.each([
    ['an array', ['audience']],
    ['a string', 'audience=https://api'],
    ['null', null],
  ])('refuses %s, quoting the path', (_name, parameters) => {
    expect(compile(parameters)).toThrow(ConfigurationError);
    expect(compile(parameters)).toThrow('"config.apis[0].parameters" must be an object');
  });

  it.each([
    ['a number', 1],
    ['an array', ['https://a', 'https://b']],
    ['an empty string', ''],
  ])('refuses %s as a value, quoting the parameter', (_name, value) => {
    expect(compile({ audience: value })).toThrow(ConfigurationError);
    expect(compile({ audience: value })).toThrow('"config.apis[0].parameters.audience" must be');
  });

  it.each([
    'grant_type',
    'refresh_token',
    'client_id',
    'client_secret',
    'code',
    'code_verifier',
    'redirect_uri',
    'response_type',
    'response_mode',
    'scope',
    'resource',
    'state',
    'nonce',
    'code_challenge',
    'code_challenge_method',
    'request',
    'request_uri',
    'dpop_jkt',
    'prompt',
    'max_age',
    'login_hint',
    'acr_values',
    'ui_locales',
    '',
  ])('refuses to set "%s", which the worker sets itself', (name) => {
    expect(compile({ [name]: 'x' })).toThrow(ConfigurationError);
    expect(compile({ [name]: 'x' })).toThrow(
      `"config.apis[0].parameters" cannot set "${name}": the worker sets it`,
    );
  });

  it('quotes pageTokenUrls entries too', () => {
    expect(() =>
      compileAllowlist(
        [{ url: 'wss://api.test/', parameters: { nonce: 'n' } }],
        'config.pageTokenUrls',
      ),
    ).toThrow('"config.pageTokenUrls[0].parameters" cannot set "nonce"');
  });
});

describe('token keys', () => {
  it('keep the resource indicator alone as the key without scope and parameters (persisted sessions)', () => {
    expect(tokenKey({})).toBe('');
    expect(tokenKey({ resource: 'urn:api' })).toBe('urn:api');
  });

  it('differ by resource, scope and parameters; parameter order does not count', () => {
    const keys = [
      tokenKey({}),
      tokenKey({ scope: 'api:read' }),
      tokenKey({ scope: 'api:write' }),
      tokenKey({ resource: 'urn:api' }),
      tokenKey({ resource: 'urn:api', scope: 'api:read' }),
      tokenKey({ parameters: { audience: 'https://a' } }),
      tokenKey({ parameters: { audience: 'https://b' } }),
      tokenKey({ parameters: { audience: 'https://a' }, scope: 'api:read' }),
      tokenKey({ parameters: { audience: 'https://a', organization: 'o' } }),
      tokenKey({ resource: 'urn:api', parameters: { audience: 'https://a' } }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(tokenKey({ parameters: { a: '1', b: '2' } })).toBe(
      tokenKey({ parameters: { b: '2', a: '1' } }),
    );
  });

  it('are computed once per compiled entry', () => {
    const compiled = compileAllowlist(APIS);
    expect(compiled.map((api) => api.key)).toEqual(APIS.map((entry) => tokenKey(entry)));
    expect(compiled[0]!.key).toBe(compiled[3]!.key);
    expect(new Set(compiled.map((api) => api.key)).size).toBe(3);
  });
});

describe('the worker', () => {
  let op: FakeOp;
  let worker: FakeWorker;

  beforeEach(async () => {
    op = await startFakeOp();
    // Access tokens named after what the request asked for, as a provider honouring it would.
    op.answer = (form, call) => {
      const { body } = rotating(form, call);
      const asked = [form.get('audience'), form.get('scope')].filter(Boolean).join('|');
      return { body: { ...(body as object), access_token: `at-${call}-${asked}` } };
    };
    worker = fakeWorker(op, { apis: APIS });
  });
  afterEach(() => op.close());

  /** The token request forms as plain objects, without the refresh token. */
  const sent = () =>
    op.tokenRequests.map((form) => {
      const { refresh_token: _rt, ...rest } = Object.fromEntries(form);
      return rest;
    });

  it('sends the first API’s parameters in the authorization request, with the resource indicators', async () => {
    const { url } = await prepareLogin(worker.context, {});
    const params = new URL(url).searchParams;
    expect(params.getAll('audience')).toEqual(['https://orders']);
    expect(params.get('scope')).toBe('openid profile');
    expect(params.has('resource')).toBe(false);

    worker = fakeWorker(op, {
      apis: [{ url: 'https://api.test/', resource: 'urn:api' }, ...APIS],
    });
    const first = new URL((await prepareLogin(worker.context, {})).url).searchParams;
    // The first entry with a resource or parameters decides: here the RFC 8707 one.
    expect(first.getAll('resource')).toEqual(['urn:api']);
    expect(first.has('audience')).toBe(false);
  });

  it('gets each API’s token by one refresh asking for its audience and scope, and shares equal ones', async () => {
    const session = await worker.signIn({ accessToken: 'signed-in', expiresAt: NOW + 3_600_000 });
    // The sign-in's token is the first API's (what completeLogin stores): no refresh for it.
    session.accessTokens.set(tokenKey({ parameters: { audience: 'https://orders' } }), {
      token: 'code-token',
      tokenType: 'Bearer',
      expiresAt: NOW + 3_600_000,
      scope: undefined,
    });
    const get = (url: string) => worker.tokens.get(worker.api(url));

    const release = op.hold();
    const calls = [ORDERS, BILLING, REPORTS, ORDERS_V2].flatMap((url) => [get(url), get(url)]);
    calls.push(...[1, 2, 3].map(() => get(BILLING)));
    // Every call is waiting while the first refresh is held at the token endpoint.
    for (let i = 0; i < 500 && op.tokenRequests.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    release();
    const tokens = (await Promise.all(calls)).map((token) => token?.token);
    expect(tokens).toEqual([
      'code-token',
      'code-token',
      'at-1-https://billing|billing:read',
      'at-1-https://billing|billing:read',
      'at-2-api://reports/.default',
      'at-2-api://reports/.default',
      'code-token',
      'code-token',
      'at-1-https://billing|billing:read',
      'at-1-https://billing|billing:read',
      'at-1-https://billing|billing:read',
    ]);
    // One refresh per key, one after the other (each spends the refresh token the last one gave).
    expect(sent()).toEqual([
      {
        grant_type: 'refresh_token',
        client_id: 'spa',
        audience: 'https://billing',
        scope: 'billing:read',
      },
      { grant_type: 'refresh_token', client_id: 'spa', scope: 'api://reports/.default' },
    ]);
    expect(op.tokenRequests.map((form) => form.get('refresh_token'))).toEqual(['rt-0', 'rt-1']);
    // The scope-only API no longer takes the default token (the key without scope).
    expect(worker.context.session?.accessTokens.get('')?.token).toBe('signed-in');
  });

  it('a 401 renews only the refused API’s token, with its own parameters', async () => {
    await worker.signIn({ accessToken: 'signed-in', expiresAt: NOW + 3_600_000 });
    const orders = (await worker.tokens.get(worker.api(ORDERS)))!.token;
    const billing = (await worker.tokens.get(worker.api(BILLING)))!.token;
    expect([orders, billing]).toEqual(['at-1-https://orders', 'at-2-https://billing|billing:read']);

    const renewed = await worker.tokens.renew(worker.api(BILLING), billing);
    expect(renewed?.token).toBe('at-3-https://billing|billing:read');
    expect(sent()[2]).toEqual({
      grant_type: 'refresh_token',
      client_id: 'spa',
      audience: 'https://billing',
      scope: 'billing:read',
    });
    expect(worker.tokens.fresh(worker.api(ORDERS))?.token).toBe(orders);
    expect(worker.tokens.fresh(worker.api(ORDERS_V2))?.token).toBe(orders);
    // The cooldown is per key: a 401 for the orders API still refreshes at once.
    expect((await worker.tokens.renew(worker.api(ORDERS_V2), orders))?.token).toBe(
      'at-4-https://orders',
    );
    expect(op.tokenRequests).toHaveLength(4);
  });
});

describe('a DPoP-bound session', () => {
  let op: FakeOp;
  afterEach(() => op.close());

  it('persists each API’s token under its key, and a restarted worker uses it without a request', async () => {
    op = await startFakeOp();
    op.answer = (form, call) => ({
      body: {
        access_token: `at-${call}-${form.get('audience') ?? form.get('scope')}`,
        token_type: 'DPoP',
        expires_in: 3600,
        refresh_token: `rt-${call}`,
      },
    });
    const clock = testClock();
    const database = `imw-per-api-${Math.random().toString(36).slice(2)}`;
    /** A worker on the same IndexedDB database and clock: a second one is a restart. */
    const start = () => {
      const db = loginDatabase(database);
      const dpopKeys = createDpopKeyStore(db, op.issuer, 'spa');
      return fakeWorker(
        op,
        { apis: APIS },
        {
          dpopKeys,
          sessions: createSessionStore(db, sessionName(op.issuer, 'spa'), dpopKeys.name),
          cache: createMetadataCache({ now: clock.now }),
        },
        clock,
      );
    };
    const first = start();
    const dpop = await first.context.dpopKeys.loadOrCreate('ES256');
    await first.context.startSession({
      idToken: 'id-token',
      idTokenClaims: { iss: op.issuer, sub: 'user-1', aud: 'spa' },
      refreshToken: 'rt-0',
      accessTokens: new Map(),
      scope: undefined,
      dpop,
    });
    expect((await first.tokens.get(first.api(BILLING)))?.token).toBe('at-1-https://billing');
    expect((await first.tokens.get(first.api(REPORTS)))?.token).toBe('at-2-api://reports/.default');

    const restarted = start();
    await restarted.context.wake();
    expect(restarted.context.session?.refreshToken).toBe('rt-2');
    expect(restarted.tokens.fresh(restarted.api(BILLING))?.token).toBe('at-1-https://billing');
    expect(restarted.tokens.fresh(restarted.api(REPORTS))?.token).toBe(
      'at-2-api://reports/.default',
    );
    expect(restarted.tokens.fresh(restarted.api(ORDERS))).toBeUndefined();
    expect(op.tokenRequests).toHaveLength(2);
    // The one API without a token yet gets it by a refresh with the persisted refresh token.
    expect((await restarted.tokens.get(restarted.api(ORDERS_V2)))?.token).toBe(
      'at-3-https://orders',
    );
    expect(op.tokenRequests[2]!.get('refresh_token')).toBe('rt-2');
  });
});
