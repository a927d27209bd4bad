/**
 * DPoP in real Chromium (issue 8 "Tests": theft, proofs, three tabs), the worker against the real
 * provider (`features.dPoP`) and the demo API, which validates every proof with the core's
 * `validateDpopRequest` (demo/api-server.js). Nothing here depends on the worker's lifetime, so
 * Playwright drives it; stops and restarts are in the debugger-free suite (dpop-restart.cdp.ts).
 *
 * - Theft: the tokens a page script reads out of IndexedDB are useless from Node, as Bearer,
 *   without a proof or with another key, at the API and at the provider's token endpoint; the
 *   key in IndexedDB cannot be exported.
 * - Proofs, as the API and the provider saw them: `htu` without query and fragment, `ath` the
 *   token's hash, every `jti` once; one nonce retry at the provider and one at the API; a nonce
 *   loop ends in `ERR_DPOP_NONCE_LOOP`, reported to the page, with no third request.
 * - Three tabs × 30 concurrent calls with an expired DPoP-bound access token: one refresh.
 */
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from '@playwright/test';
import { decodeJwt } from 'jose';
import { DEFAULT_API_RESOURCE, DEMO_CLIENTS } from '../../demo/provider.js';
import {
  accessTokenHash,
  createDpopHandle,
  generateDpopKeyPair,
} from '../../src/core/dpop/index.js';
import { requestRefreshToken } from '../../src/core/token/index.js';
import { getUserInfo } from '../../src/core/userinfo/get.js';
import type { ApiRequest } from './harness/api-server.js';
import { call, events } from './harness/app-page.js';
import { type Env, expect, openApp, signIn, startEnv, stopEnv, test } from './harness/env.js';
import { installProviderHooks, type ProviderHooks } from './harness/provider-hooks.js';
import { type ProviderTap, tapProvider } from './harness/provider-record.js';
import {
  finishCalls,
  getUser,
  serviceWorker,
  setWorkerClock,
  startCalls,
} from './harness/worker.js';

/** API access tokens live 120 s; the worker refreshes 30 s before expiry. */
const ACCESS_TOKEN_TTL = 120;

/** The world with DPoP on in the worker (world.ts turns it off for the Bearer suites). */
async function dpopEnv(config?: Record<string, unknown>): Promise<Env> {
  const env = await startEnv({
    apiAccessTokenTTL: ACCESS_TOKEN_TTL,
    ...(config ? { config } : {}),
  });
  env.app.config = { ...env.app.config!, dpop: true };
  return env;
}

/** What page script can read of the worker's IndexedDB, and what it can do with the key. */
interface Loot {
  refreshToken: string;
  accessToken: string;
  tokenType: string;
  jkt: string;
  key: { extractable: boolean; algorithm: string; exportJwk: string; exportPkcs8: string };
}

/** Page script: reads the persisted session and tries to export the DPoP key. */
function steal(page: Page): Promise<Loot> {
  return page.evaluate(
    () =>
      new Promise<Loot>((resolve, reject) => {
        const open = indexedDB.open('identity-model-web-login');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const store = open.result.transaction('transactions').objectStore('transactions');
          const keys = store.getAllKeys();
          const values = store.getAll();
          store.transaction.oncomplete = async () => {
            const entries = keys.result.map((key, i) => [String(key), values.result[i]] as const);
            const session = entries.find(([key]) => key.startsWith('session:'))?.[1];
            const stored = entries.find(([key]) => key.startsWith('dpop-key:'))?.[1];
            if (!session || !stored) {
              reject(new Error(`no session or key in ${entries.map(([k]) => k).join(', ')}`));
              return;
            }
            const privateKey = stored.keyPair.privateKey as CryptoKey;
            const attempt = (format: 'jwk' | 'pkcs8') =>
              crypto.subtle.exportKey(format, privateKey).then(
                () => 'exported',
                (error: DOMException) => error.name,
              );
            const [, token] = session.accessTokens[0];
            resolve({
              refreshToken: session.refreshToken,
              accessToken: token.token,
              tokenType: token.tokenType,
              jkt: session.jkt,
              key: {
                extractable: privateKey.extractable,
                algorithm: privateKey.algorithm.name,
                exportJwk: await attempt('jwk'),
                exportPkcs8: await attempt('pkcs8'),
              },
            });
          };
        };
      }),
  );
}

/** The API's requests from now on. */
function apiSince(env: Env): () => ApiRequest[] {
  const before = env.api.requests.length;
  return () => env.api.requests.slice(before);
}

const proofOf = (request: ApiRequest | undefined) => decodeJwt(request?.dpopProof ?? '');

test.describe('DPoP: theft and proofs', () => {
  let env: Env;
  let tap: ProviderTap;
  test.beforeAll(async () => {
    env = await dpopEnv();
    tap = tapProvider(env.op);
  });
  test.afterAll(async () => {
    await stopEnv(env);
  });
  test.afterEach(() => {
    env.api.dpopNonce = 'off';
  });
  const api = (path: string) => `${env.api.origin()}/v1/${path}`;

  test('DPOP-008 the worker calls the API with Authorization: DPoP and a proof the API accepts; cnf.jkt is the key in IndexedDB', async ({
    page,
  }) => {
    await signIn(page, env);
    const seen = apiSince(env);
    const answer = await call(page, api('me'));
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.body) as { scheme: string; claims: { cnf?: { jkt?: string } } };
    expect(body.scheme).toBe('DPoP');
    const loot = await steal(page);
    expect(body.claims.cnf?.jkt).toBe(loot.jkt);
    expect(seen()).toEqual([
      expect.objectContaining({
        scheme: 'DPoP',
        valid: true,
        dpop: expect.objectContaining({ jkt: loot.jkt }),
      }),
    ]);
    expect(loot.tokenType).toMatch(/^dpop$/i);
  });

  test('theft: tokens read from IndexedDB by page script are refused from Node as Bearer, without a proof or with another key, by the API and the provider; the key cannot be exported', async ({
    page,
  }) => {
    await signIn(page, env);
    expect((await call(page, api('me'))).status).toBe(200);
    const loot = await steal(page);
    expect(loot.refreshToken).toBeTruthy();
    expect(loot.key).toEqual({
      extractable: false,
      algorithm: 'ECDSA',
      exportJwk: 'InvalidAccessError',
      exportPkcs8: 'InvalidAccessError',
    });

    // At the API (Node reaches it as 127.0.0.1; it checks htu against that host).
    const url = `${env.api.origin('127.0.0.1')}/v1/me`;
    const seen = apiSince(env);
    const asBearer = await fetch(url, { headers: { authorization: `Bearer ${loot.accessToken}` } });
    expect(asBearer.status).toBe(401);
    const noProof = await fetch(url, { headers: { authorization: `DPoP ${loot.accessToken}` } });
    expect(noProof.status).toBe(401);
    const thief = createDpopHandle(await generateDpopKeyPair());
    const otherKey = await getUserInfo({ address: url, token: loot.accessToken, dpop: thief });
    expect(otherKey.isSuccessful).toBe(false);
    if (!otherKey.isSuccessful) expect(otherKey.httpStatus).toBe(401);
    expect(seen().map((r) => [r.scheme, r.valid, r.error])).toEqual([
      ['Bearer', false, 'bound_token_as_bearer'],
      ['DPoP', false, 'ERR_DPOP_PROOF_INVALID'],
      ['DPoP', false, 'ERR_DPOP_KEY_MISMATCH'],
    ]);

    // At the provider's token endpoint: the refresh token without a proof, and with the
    // thief's own key.
    const refreshesBefore = env.op.counts['token:refresh_token'] ?? 0;
    const plain = await fetch(`${env.op.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: loot.refreshToken,
        client_id: DEMO_CLIENTS.spa.clientId,
      }),
    });
    expect(plain.status).toBe(400);
    const plainBody = (await plain.json()) as { error: string };
    const withThiefKey = await requestRefreshToken({
      address: `${env.op.issuer}/token`,
      clientId: DEMO_CLIENTS.spa.clientId,
      refreshToken: loot.refreshToken,
      resource: DEFAULT_API_RESOURCE,
      dpop: thief,
    });
    expect(withThiefKey.isSuccessful).toBe(false);
    const thiefError = withThiefKey.isSuccessful ? undefined : withThiefKey.error;
    console.log(
      `theft at the token endpoint: no proof → ${plainBody.error}, another key → ${thiefError}`,
    );
    expect(['invalid_grant', 'invalid_dpop_proof']).toContain(plainBody.error);
    expect(thiefError).toBe('invalid_grant');
    // Both were refused: no refresh token was redeemed.
    expect(env.op.counts['token:refresh_token'] ?? 0).toBe(refreshesBefore + 2);
    expect(tap.tokenResponses().some((r) => r.refresh_token === loot.refreshToken)).toBe(true);

    // The worker, which holds the key, still uses the session.
    const after = apiSince(env);
    expect((await call(page, api('me'))).status).toBe(200);
    expect(after()).toEqual([expect.objectContaining({ scheme: 'DPoP', valid: true })]);
  });

  test('DPOP-003 proofs at the API: htu without query or fragment, ath = the token hash, a new jti on every one of 20 calls', async ({
    page,
  }) => {
    await signIn(page, env);
    const seen = apiSince(env);
    for (let i = 0; i < 20; i++) {
      expect((await call(page, `${api(`items/${i}`)}?q=${i}&page=2#part`)).status).toBe(200);
    }
    const requests = seen();
    expect(requests).toHaveLength(20);
    const jtis = new Set<unknown>();
    for (const [i, request] of requests.entries()) {
      expect(request).toMatchObject({ scheme: 'DPoP', valid: true, path: `/v1/items/${i}` });
      const proof = proofOf(request);
      expect(proof.htu).toBe(api(`items/${i}`));
      expect(proof.htm).toBe('GET');
      const token = request.authorization!.replace(/^DPoP /, '');
      expect(proof.ath).toBe(await accessTokenHash(token));
      jtis.add(proof.jti);
    }
    expect(jtis.size).toBe(20);
  });

  test('DPOP-002 proofs at the provider: PAR, the code exchange and the refresh each carry a proof with htu = the endpoint, no ath, and a new jti', async ({
    page,
    context,
  }) => {
    const from = tap.hits.length;
    await signIn(page, env);
    // A refresh: the worker's clock inside the refresh window.
    const worker = await serviceWorker(context, env.app.origin);
    const { user } = await getUser(page);
    await setWorkerClock(worker, user!.expiresAt - 10_000 - Date.now());
    expect((await call(page, api('me'))).status).toBe(200);
    await setWorkerClock(worker, 0);

    const hits = tap.hits.slice(from).filter((hit) => hit.dpop !== null);
    const routes = hits.map((hit) => hit.route);
    expect(routes).toContain('pushed_authorization_request');
    expect(routes.filter((route) => route === 'token')).toHaveLength(2);
    const jtis = new Set<unknown>();
    for (const hit of hits) {
      const proof = decodeJwt(hit.dpop!);
      expect(proof.htu).toBe(`${env.op.issuer}${hit.path}`);
      expect(proof.htm).toBe('POST');
      expect(proof).not.toHaveProperty('ath');
      jtis.add(proof.jti);
    }
    expect(jtis.size).toBe(hits.length);
    // The code was bound to the key (RFC 9449 §10), and the tokens came back bound.
    const par = hits.find((hit) => hit.route === 'pushed_authorization_request');
    const loot = await steal(page);
    expect(par?.params.dpop_jkt).toBe(loot.jkt);
    expect(
      hits
        .filter((hit) => hit.route === 'token')
        .map((hit) => (hit.body as { token_type?: string }).token_type),
    ).toEqual(['DPoP', 'DPoP']);
  });

  test('DPOP-004 nonce at the API: 401 use_dpop_nonce, one retry with the nonce, then the nonce is sent at once', async ({
    page,
  }) => {
    await signIn(page, env);
    env.api.dpopNonce = 'required';
    const seen = apiSince(env);
    expect((await call(page, api('nonce-1'))).status).toBe(200);
    const [challenged, retried] = seen();
    expect(seen()).toHaveLength(2);
    expect(challenged).toMatchObject({ status: 401, error: 'ERR_DPOP_NONCE_INVALID' });
    expect(proofOf(challenged)).not.toHaveProperty('nonce');
    expect(retried).toMatchObject({ status: 200, scheme: 'DPoP', valid: true });
    const nonce = proofOf(retried).nonce;
    expect(nonce).toEqual(expect.any(String));

    const next = apiSince(env);
    expect((await call(page, api('nonce-2'))).status).toBe(200);
    expect(next()).toHaveLength(1);
    expect(proofOf(next()[0]).nonce).toBe(nonce);
    expect((await events(page)).map((e) => e.type)).not.toContain('error');
  });

  test('DPOP-004 a nonce loop at the API (every answer demands a fresh nonce) ends after one retry with ERR_DPOP_NONCE_LOOP reported to the page', async ({
    page,
  }) => {
    await signIn(page, env);
    env.api.dpopNonce = 'loop';
    const seen = apiSince(env);
    const answer = await call(page, api('loop'));
    expect(answer.status).toBe(401);
    await expect
      .poll(async () => (await events(page)).filter((e) => e.type === 'error'))
      .toEqual([
        expect.objectContaining({
          error: expect.objectContaining({ code: 'ERR_DPOP_NONCE_LOOP' }),
        }),
      ]);
    // Exactly the request and one retry, with the nonce the API had just sent; nothing more.
    await page.waitForTimeout(1_000);
    const requests = seen();
    expect(requests).toHaveLength(2);
    expect(proofOf(requests[0])).not.toHaveProperty('nonce');
    expect(proofOf(requests[1]).nonce).toEqual(expect.any(String));
    // The session survives a misbehaving API.
    env.api.dpopNonce = 'off';
    expect((await call(page, api('after-loop'))).status).toBe(200);
    expect(await getUser(page)).toMatchObject({ state: 'authenticated' });
  });
});

test.describe('DPoP: a provider that requires nonces', () => {
  let env: Env;
  let tap: ProviderTap;
  test.beforeAll(async () => {
    env = await dpopEnv({
      features: { dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true } },
    });
    tap = tapProvider(env.op);
  });
  test.afterAll(async () => {
    await stopEnv(env);
  });

  test('DPOP-004 nonce at the provider: the first proof is answered use_dpop_nonce, retried once with the nonce, and later requests carry it at once', async ({
    page,
  }) => {
    await signIn(page, env);
    expect((await call(page, `${env.api.origin()}/v1/me`)).status).toBe(200);
    const hits = tap.hits.filter((hit) => hit.dpop !== null);
    const challenges = hits.filter(
      (hit) => (hit.body as { error?: string } | undefined)?.error === 'use_dpop_nonce',
    );
    console.log(
      `provider nonce: ${hits.map((h) => `${h.route} ${h.status}${decodeJwt(h.dpop!).nonce ? ' (nonce)' : ''}`).join(', ')}`,
    );
    expect(challenges.length).toBeGreaterThanOrEqual(1);
    for (const challenge of challenges) {
      const i = hits.indexOf(challenge);
      const retry = hits[i + 1];
      // One retry of the same request, with the nonce the provider answered, which succeeds.
      expect(retry?.route).toBe(challenge.route);
      expect(decodeJwt(retry!.dpop!).nonce).toBe(challenge.dpopNonce);
      expect(retry?.status).toBeLessThan(400);
    }
    // Never two challenges in a row.
    for (const [i, hit] of hits.entries()) {
      if (challenges.includes(hit)) expect(challenges).not.toContain(hits[i + 1]);
    }
    // The nonce is remembered for the provider's origin: the code exchange, after PAR was
    // challenged, carries it in its first proof and is not challenged.
    const tokenHits = hits.filter((hit) => hit.route === 'token');
    expect(tokenHits.map((hit) => hit.status)).toEqual([200]);
    expect(decodeJwt(tokenHits[0]!.dpop!).nonce).toEqual(expect.any(String));
  });
});

test.describe('DPoP: three tabs', () => {
  let env: Env;
  let hooks: ProviderHooks;
  test.beforeAll(async () => {
    env = await dpopEnv();
    hooks = installProviderHooks(env.op);
  });
  test.afterAll(async () => {
    await stopEnv(env);
  });
  const api = (path: string) => `${env.api.origin()}/v1/${path}`;

  /** `count` signed-in tabs of one browser context. */
  async function signedInTabs(context: BrowserContext, count: number): Promise<Page[]> {
    const pages: Page[] = [await context.newPage()];
    await signIn(pages[0]!, env);
    for (let i = 1; i < count; i++) {
      const page = await context.newPage();
      await openApp(page, env);
      pages.push(page);
    }
    return pages;
  }

  test('three tabs × 30 concurrent calls with an expired DPoP-bound access token cause exactly one refresh', async ({
    context,
  }) => {
    const pages = await signedInTabs(context, 3);
    const first = apiSince(env);
    expect((await call(pages[0]!, api('me'))).status).toBe(200);
    const old = first()[0]!.authorization;
    expect(first()[0]).toMatchObject({ scheme: 'DPoP', valid: true });

    // Past the access token's expiry on the worker's clock (the ID token and refresh token live on).
    const worker = await serviceWorker(context, env.app.origin);
    const { user } = await getUser(pages[0]!);
    await setWorkerClock(worker, user!.expiresAt + 5_000 - Date.now());

    const refreshesBefore = env.op.counts['token:refresh_token'] ?? 0;
    const seen = apiSince(env);
    const release = hooks.holdRefreshes();
    try {
      await Promise.all(
        pages.map((page, tab) =>
          startCalls(
            page,
            Array.from({ length: 30 }, (_, i) => api(`items/${tab * 30 + i}`)),
          ),
        ),
      );
      // The refresh is at the provider and every call waits for it: none went out meanwhile.
      await expect.poll(() => hooks.heldRefreshes).toBe(1);
      expect(seen()).toHaveLength(0);
    } finally {
      release();
    }
    const results = (await Promise.all(pages.map(finishCalls))).flat();
    expect(results.map((r) => r.status)).toEqual(Array(90).fill(200));
    expect((env.op.counts['token:refresh_token'] ?? 0) - refreshesBefore).toBe(1);

    const requests = seen();
    expect(requests).toHaveLength(90);
    expect(new Set(requests.map((r) => r.path)).size).toBe(90);
    expect(requests.every((r) => r.scheme === 'DPoP' && r.valid === true)).toBe(true);
    const tokens = new Set(requests.map((r) => r.authorization));
    expect(tokens.size).toBe(1);
    expect(tokens.has(old)).toBe(false);
    expect(new Set(requests.map((r) => proofOf(r).jti)).size).toBe(90);
    await setWorkerClock(worker, 0);
  });
});
