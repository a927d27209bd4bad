/**
 * Issue 8 "Browser restart", in real Chromium with no debugger on the service worker
 * (harness/cdp.ts): the same profile (a kept user-data directory) closed and reopened. With DPoP
 * the worker kept the session in IndexedDB beside its non-extractable key, so the reopened app is
 * signed in at once and its first API call carries the DPoP-bound token with a proof from the
 * same key, and nothing reaches the provider: no authorization request, no token request (the
 * access token is still valid), counted at the provider.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ApiRequest } from './harness/api-server.js';
import { type Browser, launchChromium, type PageSession } from './harness/cdp.js';
import { startCdpApp } from './harness/cdp-app.js';
import { getUser, openApp, signIn } from './harness/cdp-sign-in.js';
import { type ProviderTap, tapProvider } from './harness/provider-record.js';
import { type Env, startEnv, stopEnv } from './harness/world.js';

let env: Env;
let tap: ProviderTap;
let profile: string;
let browser: Browser | undefined;

beforeAll(async () => {
  const app = await startCdpApp();
  env = await startEnv({}, app);
  // world.ts turns DPoP off for the Bearer suites; here the worker uses it (the provider offers it).
  env.app.config = { ...env.app.config!, dpop: true };
  tap = tapProvider(env.op);
  profile = await mkdtemp(join(tmpdir(), 'imw-restart-'));
});
afterAll(async () => {
  await browser?.close();
  await stopEnv(env);
  if (profile) await rm(profile, { recursive: true, force: true });
});

/** A fetch of the API from the page (through its worker) and what the API saw of it. */
async function call(page: PageSession, path: string) {
  const before = env.api.requests.length;
  const status = await page.evaluate<number>(
    `fetch(${JSON.stringify(`${env.api.origin()}/v1/${path}`)}).then((r) => r.status)`,
  );
  const seen: ApiRequest[] = env.api.requests.slice(before);
  return { status, seen };
}

describe('browser restart with DPoP (issue 8), no debugger on the worker', () => {
  test('the same profile closed and reopened: the session resumes without a login, the first API call carries the DPoP-bound token, and nothing reaches the provider', async () => {
    browser = await launchChromium(['api.test.com'], [], { profile });
    const page = await browser.newPage();
    await openApp(page, env);
    await signIn(page, env);
    const before = await call(page, 'before-restart');
    expect(before.status).toBe(200);
    expect(before.seen).toEqual([expect.objectContaining({ scheme: 'DPoP', valid: true })]);
    const jkt = before.seen[0]?.dpop?.jkt;
    expect(jkt).toEqual(expect.any(String));
    expect(before.seen[0]?.claims).toMatchObject({ cnf: { jkt } });
    const signIns = tap.hits.filter((hit) =>
      ['authorization', 'pushed_authorization_request'].includes(hit.route ?? ''),
    ).length;
    expect(signIns).toBeGreaterThan(0);

    await browser.close();
    browser = undefined;
    const hitsBefore = tap.hits.length;

    browser = await launchChromium(['api.test.com'], [], { profile });
    const reopened = await browser.newPage();
    await openApp(reopened, env);
    expect(await getUser(reopened)).toMatchObject({
      state: 'authenticated',
      user: { sub: 'alice' },
    });
    const after = await call(reopened, 'after-restart');
    expect(after.status).toBe(200);
    expect(after.seen).toEqual([
      expect.objectContaining({
        scheme: 'DPoP',
        valid: true,
        dpop: expect.objectContaining({ jkt }),
      }),
    ]);
    // The same token as before the restart (no refresh), with a fresh proof.
    expect(after.seen[0]?.authorization).toBe(before.seen[0]?.authorization);
    expect(decodeJwt(after.seen[0]!.dpopProof!).jti).not.toBe(
      decodeJwt(before.seen[0]!.dpopProof!).jti,
    );
    // Counted at the provider: nothing at all since the restart (no login, no token request).
    const since = tap.hits.slice(hitsBefore).map((hit) => `${hit.method} ${hit.path}`);
    console.log(`provider requests since the restart: ${since.length ? since.join(', ') : 'none'}`);
    expect(since).toEqual([]);
    expect(await reopened.evaluate<string>('location.origin')).toBe(env.app.origin);
  });
});
