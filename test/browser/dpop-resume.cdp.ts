/**
 * Issue 8 item 2 "Stop" with DPoP, in real Chromium with no debugger on the service worker
 * (harness/cdp.ts): a DPoP-bound session persisted beside its non-extractable key survives
 * `ServiceWorker.stopAllWorkers`. The provider is the harness's oidc-provider with its
 * DPoP-bound client (`demo-spa-dpop`); the API accepts DPoP-bound tokens only, and validates
 * token and proof with the core (harness/dpop-api.ts). What reached the provider is recorded by
 * the provider tap. Each case has its own app (origin, so own worker and IndexedDB) and context.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_API_RESOURCE, DEMO_CLIENTS, startProvider } from '../../demo/provider.js';
import { type Browser, launchChromium, type PageSession, sleep } from './harness/cdp.js';
import { startCdpApp } from './harness/cdp-app.js';
import { getUser, openApp, signIn } from './harness/cdp-sign-in.js';
import { type DpopApi, startDpopApi } from './harness/dpop-api.js';
import { type ProviderTap, tapProvider } from './harness/provider-record.js';
import type { Env } from './harness/world.js';

/** A DPoP-bound client like `demo-spa-dpop` whose access tokens live 20 s. */
const SHORT = 'demo-spa-dpop-short';
const SHORT_TTL = 20;

type App = Awaited<ReturnType<typeof startCdpApp>>;
let browser: Browser;
let op: Awaited<ReturnType<typeof startProvider>>;
let api: DpopApi;
let tap: ProviderTap;
const apps: Record<'long' | 'short' | 'bearer', App> = {} as never;

beforeAll(async () => {
  apps.long = await startCdpApp();
  apps.short = await startCdpApp();
  apps.bearer = await startCdpApp();
  const all = Object.values(apps);
  const redirectUris = all.map((app) => `${app.origin}/callback`);
  const postLogoutRedirectUris = all.map((app) => `${app.origin}/`);
  op = await startProvider({
    redirectUris,
    postLogoutRedirectUris,
    clients: [
      {
        client_id: SHORT,
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: redirectUris,
        post_logout_redirect_uris: postLogoutRedirectUris,
        dpop_bound_access_tokens: true,
      },
    ],
    ttl: {
      AccessToken: (
        _ctx: unknown,
        token: { resourceServer?: { accessTokenTTL?: number } },
        client,
      ) =>
        (client as { clientId?: string } | undefined)?.clientId === SHORT
          ? SHORT_TTL
          : (token.resourceServer?.accessTokenTTL ?? 3600),
    },
  });
  tap = tapProvider(op);
  api = await startDpopApi({ issuer: op.issuer, resource: DEFAULT_API_RESOURCE });
  const config = (app: App, clientId: string) => ({
    issuer: op.issuer,
    clientId,
    redirectUri: `${app.origin}/callback`,
    postLogoutRedirectUri: `${app.origin}/`,
    scope: 'openid profile email api:read',
    apis: [
      { url: `${api.origin()}/v1/`, resource: DEFAULT_API_RESOURCE },
      { url: `${api.origin()}/nonce/`, resource: DEFAULT_API_RESOURCE },
    ],
  });
  apps.long.config = config(apps.long, DEMO_CLIENTS.spaDpop.clientId);
  apps.short.config = config(apps.short, SHORT);
  apps.bearer.config = { ...config(apps.bearer, DEMO_CLIENTS.spa.clientId), dpop: false };
  browser = await launchChromium(['api.test.com']);
});
afterAll(async () => {
  await browser?.close();
  tap?.remove();
  await api?.close();
  for (const app of Object.values(apps)) await app?.close();
  await op?.close();
});

/** What the sign-in helpers need of the world. */
const envOf = (app: App) => ({ op, app }) as unknown as Env;

/** The app's service-worker targets of `page`'s context. */
const workersOf = (page: PageSession, app: App) =>
  browser.workers.filter(
    (w) => w.browserContextId === page.browserContextId && w.url.startsWith(app.origin),
  );

/** Stops the page's workers (no debugger attached to them) and waits until they are gone. */
async function stopWorkers(page: PageSession, app: App): Promise<void> {
  const running = workersOf(page, app).filter((w) => w.destroyedAt === undefined);
  expect(running.length).toBeGreaterThan(0);
  await page.stopAllWorkers();
  await expect
    .poll(() => running.every((w) => w.destroyedAt !== undefined), { timeout: 10_000 })
    .toBe(true);
}

/** A fetch from the page through its worker, and what the API saw of it. */
async function call(page: PageSession, path: string) {
  const before = api.requests.length;
  const status = await page.evaluate<number>(
    `fetch(${JSON.stringify(`${api.origin()}${path}`)}).then((r) => r.status)`,
  );
  const bare = path.replace(/[?#].*$/, '');
  return { status, seen: api.requests.slice(before).filter((r) => r.path === bare) };
}

/** Provider requests since `index`, by oidc-provider route (`token`, `discovery`, `jwks`, …). */
const providerSince = (index: number) =>
  tap.hits
    .slice(index)
    .map((hit) => `${hit.route ?? hit.path}:${String(hit.params.grant_type ?? '')}`);

/** Every value of every object store of every IndexedDB database of the page's origin. */
const DUMP_INDEXEDDB = `(async () => {
  const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const out = [];
  for (const { name } of await indexedDB.databases()) {
    const db = await request(indexedDB.open(name));
    for (const store of db.objectStoreNames) {
      const tx = db.transaction(store, 'readonly').objectStore(store);
      const keys = await request(tx.getAllKeys());
      const values = await request(tx.getAll());
      keys.forEach((key, i) => out.push({ db: name, store, key: String(key), value: values[i] }));
    }
    db.close();
  }
  return out;
})()`;

/** Reads the stored DPoP key pair in the page and tries to export its private key. */
const INSPECT_KEY = `(async () => {
  const rows = await ${DUMP_INDEXEDDB};
  const row = rows.find((r) => r.key.startsWith('dpop-key:'));
  if (!row) return null;
  const { privateKey, publicKey } = row.value.keyPair;
  let exportError = null;
  try { await crypto.subtle.exportKey('jwk', privateKey); } catch (e) { exportError = e.name; }
  let pkcs8Error = null;
  try { await crypto.subtle.exportKey('pkcs8', privateKey); } catch (e) { pkcs8Error = e.name; }
  return {
    key: row.key,
    isCryptoKey: privateKey instanceof CryptoKey,
    extractable: privateKey.extractable,
    usages: privateKey.usages,
    algorithm: privateKey.algorithm,
    publicExtractable: publicKey.extractable,
    exportError,
    pkcs8Error,
  };
})()`;

/** True when `value`, searched deeply, holds `needle`. */
function holds(value: unknown, needle: string): boolean {
  if (typeof value === 'string') return value.includes(needle);
  if (typeof value === 'object' && value !== null)
    return Object.values(value).some((v) => holds(v, needle));
  return false;
}

// One at a time: "0 requests at the provider" is counted on the one provider they share.
describe('DPoP-bound sessions survive a stopped worker (issue 8 item 2)', () => {
  test('stop with a valid access token: the next API call carries Authorization: DPoP and a valid proof, with 0 token, discovery and JWKS requests at the provider; the key is non-extractable', async () => {
    const app = apps.long;
    const page = await browser.newPage(await browser.newContext());
    await openApp(page, envOf(app), '/?keepAlive=0');
    await signIn(page, envOf(app));
    const first = await call(page, '/v1/before');
    expect(first.status).toBe(200);
    expect(first.seen).toEqual([
      expect.objectContaining({ valid: true, authorization: expect.stringMatching(/^DPoP /) }),
    ]);

    await stopWorkers(page, app);
    const mark = tap.hits.length;
    const after = await call(page, '/v1/after?page=2#frag');
    expect(after.status).toBe(200);
    expect(after.seen).toHaveLength(1);
    const [seen] = after.seen;
    expect(seen).toMatchObject({ valid: true, authorization: first.seen[0]!.authorization });
    // htu without query and fragment; ath present; a new jti.
    expect(seen!.proof).toMatchObject({ htm: 'GET', htu: `${api.origin()}/v1/after` });
    expect(seen!.proof!.ath).toEqual(expect.any(String));
    expect(seen!.proof!.jti).not.toBe(first.seen[0]!.proof!.jti);
    expect(providerSince(mark)).toEqual([]);
    // A new worker answered: the old one is gone, and the session is reported as it is.
    expect(workersOf(page, app).filter((w) => w.destroyedAt === undefined)).toHaveLength(1);
    expect(await getUser(page)).toMatchObject({ state: 'authenticated', user: { sub: 'alice' } });
    expect(await page.evaluate<string[]>('window.events.map((e) => e.type)')).not.toContain(
      'sessionexpired',
    );

    // The API asks for a nonce: one retry carrying it.
    const nonce = await call(page, '/nonce/one');
    expect(nonce.status).toBe(200);
    expect(nonce.seen.map((r) => r.error ?? 'ok')).toEqual(['ERR_DPOP_NONCE_INVALID', 'ok']);
    expect(nonce.seen[1]!.proof!.nonce).toEqual(expect.any(String));
    expect(providerSince(mark)).toEqual([]);

    const key = await page.evaluate<Record<string, unknown> | null>(INSPECT_KEY);
    expect(key).toMatchObject({
      isCryptoKey: true,
      extractable: false,
      usages: ['sign'],
      algorithm: { name: 'ECDSA', namedCurve: 'P-256' },
      publicExtractable: true,
      exportError: 'InvalidAccessError',
      pkcs8Error: 'InvalidAccessError',
    });
  });

  test('stop with an expired access token: the next API call carries a new DPoP token after exactly one refresh, and no discovery or JWKS request', async () => {
    const app = apps.short;
    const page = await browser.newPage(await browser.newContext());
    await openApp(page, envOf(app), '/?keepAlive=0');
    await signIn(page, envOf(app));
    const first = await call(page, '/v1/before');
    expect(first.status).toBe(200);
    const signedInAt = Date.now();

    await stopWorkers(page, app);
    // Half the token's 20 s lifetime counts as stale (refreshSkew is capped at half of it).
    await sleep(Math.max(0, signedInAt + (SHORT_TTL / 2 + 1) * 1000 - Date.now()));
    const mark = tap.hits.length;
    const after = await call(page, '/v1/after');
    expect(after.status).toBe(200);
    expect(after.seen).toEqual([
      expect.objectContaining({ valid: true, authorization: expect.stringMatching(/^DPoP /) }),
    ]);
    expect(after.seen[0]!.authorization).not.toBe(first.seen[0]!.authorization);
    // The refresh, and the browser's CORS preflight for it (the DPoP header is not a simple one).
    const sent = providerSince(mark);
    expect(sent.filter((hit) => !hit.startsWith('cors.'))).toEqual(['token:refresh_token']);
    expect(
      sent.filter((hit) => hit.startsWith('cors.')).every((hit) => hit === 'cors.token:'),
    ).toBe(true);
    // The refresh carried a proof (the client's tokens must be DPoP-bound, so it was accepted).
    expect(tap.hits.at(-1)).toMatchObject({ route: 'token', status: 200 });
    expect(await getUser(page)).toMatchObject({ state: 'authenticated', user: { sub: 'alice' } });

    // The rotated refresh token is what is persisted now: a second stop resumes without a request.
    await stopWorkers(page, app);
    const mark2 = tap.hits.length;
    expect((await call(page, '/v1/again')).status).toBe(200);
    expect(providerSince(mark2)).toEqual([]);
  });

  test('a Bearer sign-in (dpop: false) writes no token to any IndexedDB database of the origin', async () => {
    const app = apps.bearer;
    const page = await browser.newPage(await browser.newContext());
    await openApp(page, envOf(app), '/?keepAlive=0');
    const mark = tap.hits.length;
    await signIn(page, envOf(app));
    const issued = tap.hits
      .slice(mark)
      .filter((hit) => hit.route === 'token' && hit.status === 200)
      .map((hit) => hit.body as Record<string, unknown>);
    const secrets = issued
      .flatMap((body) => [body.access_token, body.refresh_token, body.id_token])
      .filter((value): value is string => typeof value === 'string');
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    expect(issued.every((body) => body.token_type === 'Bearer')).toBe(true);
    const rows = await page.evaluate<unknown[]>(DUMP_INDEXEDDB);
    // The scan reads something (the metadata cache at least), and no secret is in it.
    expect(rows.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(holds(rows, secret)).toBe(false);
    expect(rows.some((row) => holds(row, 'dpop-key:'))).toBe(false);
  });
});
