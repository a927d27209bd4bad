/**
 * The library's flows in each engine (issue 11), written once against the scenario layer:
 * sign-in through the worker and its callback, the user's claims, the allowlist (a token the API
 * validates on allowlisted calls, none elsewhere, none on look-alike hosts), refresh before
 * expiry and on 401, one refresh for several tabs, logout with revocation, the storage scan, and
 * the typed error where the engine offers no service workers; and the two behaviours of the
 * engine's own base64url decoder that the library's strict decoding relies on.
 *
 * Time moves on the worker's clock only (a page message, harness/app-server.ts): API access
 * tokens live 120 s and the worker refreshes 30 s before expiry.
 */
import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { installProviderHooks, type ProviderHooks } from '../harness/provider-hooks.js';
import { type ProviderHit, type ProviderTap, tapProvider } from '../harness/provider-record.js';
import { introspect } from '../harness/provider-tap.js';
import {
  bearer,
  call,
  type EngineContext,
  type EnginePage,
  finishCalls,
  getUser,
  openApp,
  setWorkerClock,
  signIn,
  startCalls,
  useScenario,
} from './scenario.js';
import { scanStorage } from './storage.js';

const scenario = useScenario({ apiAccessTokenTTL: 120 });
let hooks: ProviderHooks | undefined;
let tap: ProviderTap | undefined;
const env = () => scenario.env;
const provider = () => {
  hooks ??= installProviderHooks(env().op);
  tap ??= tapProvider(env().op);
  return { hooks, tap };
};
const refreshes = () => env().op.counts['token:refresh_token'] ?? 0;

/**
 * One session for the whole file, signed in as alice on its first page: a sign-in is the slow
 * part in every engine, and these specs do not disturb each other (each reads what the servers
 * saw from its own start; logout runs last). Any test alone signs in first.
 */
let session:
  | Promise<{ context: EngineContext; page: EnginePage; signInHits: ProviderHit[] }>
  | undefined;
function signedIn() {
  session ??= (async () => {
    const { tap } = provider();
    const since = tap.hits.length;
    const opened = await scenario.openContext('/', true);
    await signIn(opened.page, env());
    return { ...opened, signInHits: tap.hits.slice(since) };
  })();
  return session;
}

/** Calls the API once from `page`; returns the token the API saw, after checking it was valid. */
async function currentToken(page: EnginePage): Promise<string> {
  const before = env().api.requests.length;
  expect((await call(page, scenario.api('me'))).status).toBe(200);
  const seen = env().api.requests.slice(before);
  expect(seen).toEqual([expect.objectContaining({ path: '/v1/me', valid: true })]);
  return bearer(seen[0]!.authorization)!;
}

/** Moves the worker's clock to 10 s before the access token expires (inside the refresh skew). */
async function nearExpiry(page: EnginePage): Promise<void> {
  const { user } = await getUser(page);
  const offset = user!.expiresAt - 10_000 - Date.now();
  expect(offset).toBeGreaterThan(60_000); // the token really was fresh before
  await setWorkerClock(page, offset);
}

describe(`flows in ${process.env.IMW_ENGINE ?? 'chromium'}`, () => {
  test('sign-in through the worker and its callback; the user and their claims', async () => {
    const { page } = await signedIn();
    const callbacksAtServer = env().app.hits.get('/callback') ?? 0;
    expect(await getUser(page)).toMatchObject({
      state: 'authenticated',
      user: { sub: 'alice', claims: { sub: 'alice', iss: env().op.issuer, aud: 'demo-spa' } },
    });
    // The worker answered the redirect URI: no code or state in the page's URL, the callback
    // never reached the server.
    const url = new URL(await page.evaluate<string>('location.href'));
    expect(url.pathname).toBe('/');
    expect(url.search).not.toMatch(/code=|state=/);
    expect(callbacksAtServer).toBe(0);
  });

  test('an allowlisted call carries a token the API validates; other URLs and look-alike hosts get none', async () => {
    const { page } = await signedIn();
    const before = env().api.requests.length;
    const me = await call(page, scenario.api('me'));
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body)).toMatchObject({ sub: 'alice' });

    const port = env().api.port;
    const elsewhere = [
      `http://api.test.com:${port}/public/info`, // same host, outside the allowlisted path
      `http://api.test.com.evil.net:${port}/v1/me`,
      `http://apixtest.com:${port}/v1/me`,
      `http://evil.test:${port}/v1/me`,
      `http://localhost:${port}/v1/me`,
      `http://127.0.0.1:${port}/v1/me`,
    ];
    for (const url of elsewhere) await call(page, url);
    const seen = env().api.requests.slice(before);
    // Every look-alike was reached (this engine resolves them all to the API) and got no token.
    const where = (url: string) => `${new URL(url).host}${new URL(url).pathname}`;
    expect(seen.map((r) => `${r.host}${r.path}`)).toEqual(
      [scenario.api('me'), ...elsewhere].map(where),
    );
    expect(seen[0]).toMatchObject({
      valid: true,
      authorization: expect.stringMatching(/^Bearer /),
    });
    expect(seen.slice(1).map((r) => r.authorization)).toEqual(elsewhere.map(() => null));
  });

  test("the engine's setFromBase64 refuses, or under-fills, every input the library must refuse", async ({
    skip,
  }) => {
    // The sign-in above verified its ID token through this engine's own base64url decoder (where
    // it has one, src/core/lib/base64url.ts). The library holds it to strict base64url by two of
    // its behaviours (ECMA-262, lastChunkHandling "loose"): a character outside the alphabet
    // throws, and whitespace or "=" is skipped, so fewer bytes than the length promises are
    // written. Node 20 has no such decoder; this checks both behaviours in each engine.
    const { page } = await signedIn();
    const outcome = await page.evaluate<Record<string, string> | 'absent'>(`(() => {
      const proto = Uint8Array.prototype;
      if (typeof proto.setFromBase64 !== 'function') return 'absent';
      const options = { alphabet: 'base64url', lastChunkHandling: 'loose' };
      const read = (input) => {
        const length = (input.length * 3) >> 2;
        try {
          const { written } = new Uint8Array(length).setFromBase64(input, options);
          return written === length ? 'all' : 'fewer';
        } catch (error) {
          return error.name;
        }
      };
      return Object.fromEntries(
        ['Zm9vYmE', '-_-_', 'Zm9vYg==', 'Zm 9vYg', ' Zm9vYmE', 'Zm9vYmE\\n', 'Zm9v+/', 'Zm9\\u00e9', 'Zm.v']
          .map((input) => [input, read(input)]),
      );
    })()`);
    // Without one, the table decoder (tested in Node) serves this engine: reported as skipped.
    if (outcome === 'absent') skip();
    expect(outcome).toEqual({
      Zm9vYmE: 'all',
      '-_-_': 'all',
      'Zm9vYg==': 'fewer',
      'Zm 9vYg': 'fewer',
      ' Zm9vYmE': 'fewer',
      'Zm9vYmE\n': 'fewer',
      'Zm9v+/': 'SyntaxError',
      'Zm9\u00e9': 'SyntaxError',
      'Zm.v': 'SyntaxError',
    });
  });

  test('storage scan: no token, verifier or nonce anywhere page script can read', async () => {
    const marker = `marker-${randomUUID()}`;
    const { context, page, signInHits: hits } = await signedIn();
    const authorization = hits.find(
      (h) =>
        (h.route === 'pushed_authorization_request' && h.status === 201) ||
        (h.route === 'authorization' && typeof h.params.nonce === 'string'),
    );
    const exchange = hits.find(
      (h) => h.route === 'token' && h.params.grant_type === 'authorization_code',
    );
    expect(authorization).toBeDefined();
    expect(exchange).toMatchObject({ status: 200 });
    const tokens = exchange!.body as Record<string, string>;
    const verifier = exchange!.params.code_verifier as string;
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(
      authorization!.params.code_challenge,
    );
    expect(await currentToken(page)).toBe(tokens.access_token);
    const secrets: Record<string, string> = {
      accessToken: tokens.access_token!,
      refreshToken: tokens.refresh_token!,
      idToken: tokens.id_token!,
      codeVerifier: verifier,
      nonce: authorization!.params.nonce as string,
      state: authorization!.params.state as string,
      code: exchange!.params.code as string,
    };
    for (const [name, value] of Object.entries(secrets)) {
      expect(typeof value === 'string' && value.length >= 16, name).toBe(true);
    }

    // The app's origin (the page that signed in) and the provider's (in another tab).
    const app = await scanStorage(page, marker);
    const tab = await context.newPage();
    await tab.goto(`${env().op.issuer}/.well-known/openid-configuration`);
    await tab.waitFor(`location.origin === ${JSON.stringify(env().op.issuer)}`, 'the provider');
    const op = await scanStorage(tab, marker);
    await tab.close();
    for (const dump of [app, op]) {
      // The scan reads what it should: the planted marker is found in every kind.
      expect(dump.markerFoundIn, dump.origin).toEqual(dump.kinds);
      for (const [name, value] of Object.entries(secrets)) {
        expect(dump.find(value), `${name} on ${dump.origin}`).toEqual([]);
      }
    }
    // Nor does the page hold one: its URL, its events, what the worker tells it.
    const visible = JSON.stringify(
      await page.evaluate(
        '(async () => ({ url: location.href, events: window.events, user: await window.identity.getUser() }))()',
      ),
    );
    expect(JSON.stringify(await getUser(page))).not.toContain(secrets.nonce);
    for (const [name, value] of Object.entries(secrets)) {
      expect(visible.includes(value), `${name} visible to the page`).toBe(false);
    }
  });

  test('refresh before expiry: one refresh, and the new token is valid at the API', async () => {
    const { page } = await signedIn();
    const old = await currentToken(page);
    await nearExpiry(page);
    const before = refreshes();
    const renewed = await currentToken(page);
    expect(renewed).not.toBe(old);
    expect(refreshes() - before).toBe(1);
    // The new token is fresh: more calls need no refresh.
    expect(await currentToken(page)).toBe(renewed);
    expect(refreshes() - before).toBe(1);
  });

  test('a 401 invalid_token causes one refresh and one replay', async () => {
    const { page } = await signedIn();
    const old = await currentToken(page);
    env().api.revokeToken(old);
    const before = refreshes();
    const requests = env().api.requests.length;
    expect((await call(page, scenario.api('after-revoke'))).status).toBe(200);
    expect(refreshes() - before).toBe(1);
    const seen = env().api.requests.slice(requests);
    expect(seen.map((r) => [r.path, r.valid])).toEqual([
      ['/v1/after-revoke', false],
      ['/v1/after-revoke', true],
    ]);
    expect(bearer(seen[0]!.authorization)).toBe(old);
    expect(bearer(seen[1]!.authorization)).not.toBe(old);
  });

  test('three tabs, 15 concurrent calls with a nearly expired token: one refresh', async () => {
    const { hooks } = provider();
    const { context, page } = await signedIn();
    const pages = [page];
    for (let i = 1; i < 3; i++) {
      const tab = await context.newPage();
      await openApp(tab, env());
      pages.push(tab);
    }
    const old = await currentToken(page);
    await nearExpiry(page);
    const before = refreshes();
    const requests = env().api.requests.length;
    const release = hooks.holdRefreshes();
    try {
      for (const [tab, p] of pages.entries()) {
        await startCalls(
          p,
          Array.from({ length: 5 }, (_, i) => scenario.api(`items/${tab * 5 + i}`)),
        );
      }
      // The refresh is held at the provider and every call waits for it.
      await expect.poll(() => hooks.heldRefreshes, { timeout: 15_000 }).toBe(1);
      expect(env().api.requests.length).toBe(requests);
    } finally {
      release();
    }
    const results = [];
    for (const p of pages) results.push(...(await finishCalls(p)));
    expect(results.map((r) => r.status)).toEqual(Array(15).fill(200));
    expect(refreshes() - before).toBe(1);
    const seen = env().api.requests.slice(requests);
    expect(seen).toHaveLength(15);
    expect(seen.every((r) => r.valid === true)).toBe(true);
    const tokens = new Set(seen.map((r) => bearer(r.authorization)));
    expect(tokens.size).toBe(1);
    expect(tokens.has(old)).toBe(false);
    for (const tab of pages.slice(1)) await tab.close();
  });

  test('where the engine offers no service workers (a page that is not a secure context), createIdentityClient throws WorkerError ERR_WORKER_UNAVAILABLE', async () => {
    const context = await scenario.engine.newContext();
    try {
      const page = await context.newPage();
      // The app's own server under another name: http on a host other than localhost is not a
      // secure context, and no engine exposes navigator.serviceWorker there.
      const insecure = `http://evil.test:${env().app.port}`;
      await page.goto(`${insecure}/`);
      await page.waitFor(
        `location.origin === ${JSON.stringify(insecure)} && document.readyState === 'complete'`,
        'the app page on an insecure origin',
      );
      const outcome = await page.evaluate<unknown>(`import('/client.js').then((client) => {
        try {
          client.createIdentityClient({ serviceWorker: '/sw.js' });
          return 'created';
        } catch (error) {
          return { name: error.name, code: error.code, secure: isSecureContext, serviceWorker: 'serviceWorker' in navigator };
        }
      })`);
      expect(outcome).toEqual({
        name: 'WorkerError',
        code: 'ERR_WORKER_UNAVAILABLE',
        secure: false,
        serviceWorker: false,
      });
    } finally {
      await context.close();
    }
  });

  test('logout revokes the refresh token at the provider, and API calls carry no token', async () => {
    const { tap } = provider();
    const { page } = await signedIn();
    // The refresh token the worker holds now: the latest the token endpoint issued.
    const refreshToken = tap
      .tokenResponses()
      .slice(-1)
      .map((body) => body.refresh_token as string)[0]!;
    expect(await introspect(env().op, refreshToken, 'refresh_token')).toMatchObject({
      active: true,
    });
    const revocations = env().op.counts['/token/revocation'] ?? 0;

    await page.evaluate('window.identity.logout()');
    session = undefined; // later tests (run alone or added after this one) sign in again
    // The test app keeps the URL of the worker's logout route instead of following it: a
    // single-use ticket, and no ID token (the worker adds id_token_hint when it redirects).
    const route = new URL(await page.evaluate<string>('window.endSessionUrl'));
    expect(route.origin + route.pathname).toBe(`${env().app.origin}/logout`);
    expect(route.searchParams.get('logout_ticket')).toMatch(/\S/);
    expect(route.searchParams.has('id_token_hint')).toBe(false);
    expect(await getUser(page)).toEqual({ state: 'unauthenticated', user: null });
    expect(env().op.counts['/token/revocation']).toBeGreaterThan(revocations);
    expect(await introspect(env().op, refreshToken, 'refresh_token')).toEqual({ active: false });

    const before = env().api.requests.length;
    expect((await call(page, scenario.api('me'))).status).toBe(401);
    expect(env().api.requests.slice(before)).toEqual([
      expect.objectContaining({ path: '/v1/me', authorization: null }),
    ]);
  });
});
