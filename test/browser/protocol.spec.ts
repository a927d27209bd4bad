/**
 * The page ⇄ worker protocol in Chromium: typed refusals of other versions and malformed
 * messages, the client's timeout, tokens for pages only where the worker configuration says so,
 * the validation service, and a worker update that takes over open pages without the old
 * worker's tokens.
 */
import type { Page } from '@playwright/test';
import { DEFAULT_API_RESOURCE } from '../../demo/provider.js';
import { MESSAGE_TAG, PROTOCOL_VERSION } from '../../src/protocol/messages.js';
import { call, events, sendRaw } from './harness/app-page.js';
import { type Env, expect, openApp, signIn, startEnv, stopEnv, test } from './harness/env.js';
import { submitLogin } from './harness/provider-pages.js';

let env: Env;
test.beforeAll(async () => {
  env = await startEnv();
});
test.afterAll(async () => {
  await stopEnv(env);
});

const envelope = (type: unknown, payload: unknown) => ({
  tag: MESSAGE_TAG,
  v: PROTOCOL_VERSION,
  type,
  payload,
});

const refusal = (code: string) => ({
  replied: true,
  reply: {
    tag: MESSAGE_TAG,
    v: PROTOCOL_VERSION,
    ok: false,
    error: expect.objectContaining({ code, name: 'WorkerError' }),
  },
});

/** The code an identity client call in the page rejected with, or `resolved`. */
function outcome(page: Page, run: string, arg: unknown): Promise<string> {
  return page.evaluate(
    async ({ run, arg }) => {
      const identity = window.identity as unknown as Record<
        string,
        (a: unknown) => Promise<unknown>
      >;
      try {
        await identity[run]!(arg);
        return 'resolved';
      } catch (error) {
        return String((error as { code?: unknown }).code);
      }
    },
    { run, arg },
  );
}

test('another protocol version gets a typed ERR_PROTOCOL_VERSION reply', async ({ page }) => {
  await openApp(page, env);
  const { v: _, ...unversioned } = envelope('getUser', {});
  for (const message of [
    { ...envelope('getUser', {}), v: 999 },
    { ...envelope('getUser', {}), v: PROTOCOL_VERSION - 1 },
    { ...envelope('getUser', {}), v: String(PROTOCOL_VERSION) },
    unversioned,
  ]) {
    expect(await sendRaw(page, message)).toEqual(refusal('ERR_PROTOCOL_VERSION'));
  }
  expect(await sendRaw(page, envelope('getUser', {}))).toEqual({
    replied: true,
    reply: {
      tag: MESSAGE_TAG,
      v: PROTOCOL_VERSION,
      ok: true,
      result: { state: 'unauthenticated', user: null },
    },
  });
});

test('malformed messages get ERR_INVALID_MESSAGE and the worker keeps working', async ({
  page,
}) => {
  await openApp(page, env);
  const huge = 'x'.repeat(2 * 1024 * 1024); // far above every limit (64 KiB for a token)
  const malformed = [
    envelope('nope', {}),
    envelope('toString', {}),
    envelope('__proto__', {}),
    envelope(42, {}),
    envelope(undefined, {}),
    envelope('getUser', 42),
    envelope('getUser', 'text'),
    envelope('getUser', null),
    envelope('getUser', ['a']),
    envelope('getUser', huge),
    envelope('validateToken', { token: huge }),
    envelope('validateToken', { token: 42 }),
    envelope('getAccessToken', {}),
    envelope('callback', { url: huge }),
    envelope('callback', { url: 'not a url' }),
    envelope('validateToken', { token: 'a.b.c', audience: { not: 'an audience' } }),
    envelope('validateToken', { token: 'a.b.c', audience: ['ok', 42] }),
    envelope('validateToken', { token: 'a.b.c', typ: 42 }),
    envelope('login', { returnTo: huge, currentUrl: '/' }),
    envelope('login', { maxAge: -1, currentUrl: '/' }),
    envelope('login', { prompt: { toString: 'login' }, currentUrl: '/' }),
  ];
  for (const message of malformed) {
    expect(await sendRaw(page, message)).toEqual(refusal('ERR_INVALID_MESSAGE'));
  }
  // A library message without a reply port, and a message that is not the library's: ignored.
  await page.evaluate(
    ({ tag, v }) => {
      navigator.serviceWorker.controller!.postMessage({ tag, v, type: 'getUser', payload: {} });
      navigator.serviceWorker.controller!.postMessage({ hello: 'not for the library' });
    },
    { tag: MESSAGE_TAG, v: PROTOCOL_VERSION },
  );
  // Still working, through the client as through raw messages.
  expect(await page.evaluate(() => window.identity.getUser())).toEqual({
    state: 'unauthenticated',
    user: null,
  });
  expect(await sendRaw(page, envelope('hello', {}))).toMatchObject({
    replied: true,
    reply: { ok: true, result: { protocolVersion: PROTOCOL_VERSION } },
  });
});

test('a request the worker does not answer in time fails with ERR_WORKER_TIMEOUT', async ({
  context,
  page,
}) => {
  await openApp(page, env);
  const disco = (await (
    await fetch(`${env.op.issuer}/.well-known/openid-configuration`)
  ).json()) as {
    pushed_authorization_request_endpoint: string;
  };
  // The worker's sign-in waits on the provider's PAR endpoint, held here until released.
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reached!: () => void;
  const held = new Promise<void>((resolve) => {
    reached = resolve;
  });
  await context.route(disco.pushed_authorization_request_endpoint, async (route) => {
    reached();
    await released;
    await route.continue();
  });

  try {
    const result = await page.evaluate(async () => {
      const clientUrl: string = '/client.js';
      const { createIdentityClient } = (await import(
        clientUrl
      )) as typeof import('../../src/index.js');
      let navigated: string | undefined;
      const quick = createIdentityClient({
        serviceWorker: await navigator.serviceWorker.ready,
        timeout: 300,
        navigate: (url) => {
          navigated = url;
        },
      });
      await quick.ready();
      try {
        await quick.login();
        return { code: 'resolved', navigated };
      } catch (error) {
        const { code, name } = error as { code: string; name: string };
        return { code, name, navigated };
      }
    });
    expect(result).toEqual({ code: 'ERR_WORKER_TIMEOUT', name: 'WorkerError' });
    await held; // the worker was indeed busy at the provider
  } finally {
    release();
  }
  // The worker finishes what it was doing and answers the next request.
  expect(await page.evaluate(() => window.identity.getUser())).toEqual({
    state: 'unauthenticated',
    user: null,
  });
});

test('getAccessToken: a token for URLs in pageTokenUrls (valid at the API), ERR_TOKEN_NOT_ALLOWED for any other', async ({
  page,
}) => {
  const socket = `ws://api.test.com:${env.api.port}/socket`;
  await openApp(page, env);
  expect(await outcome(page, 'getAccessToken', socket)).toBe('ERR_LOGIN_REQUIRED');

  await signIn(page, env, 'alice');
  for (const url of [socket, `${socket}/room/1`]) {
    const token = await page.evaluate((url) => window.identity.getAccessToken(url), url);
    expect(token).toMatch(/^eyJ/);
    // The API accepts it (from Node, as a WebSocket server would check it).
    const response = await fetch(`http://127.0.0.1:${env.api.port}/v1/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ sub: 'alice', clientId: 'demo-spa' });
  }

  const refused = [
    `${env.api.origin()}/v1/me`, // the worker attaches tokens there, but pages get none
    `ws://api.test.com:${env.api.port}/socketx`,
    `ws://api.test.com:${env.api.port}/`,
    `wss://api.test.com:${env.api.port}/socket`,
    `ws://api.test.com:${env.api.port + 1}/socket`,
    `ws://api.test.com.evil.net:${env.api.port}/socket`,
    `ws://user@api.test.com:${env.api.port}/socket`,
    `ws://apixtest.com:${env.api.port}/socket`,
    'not a url',
  ];
  for (const url of refused) {
    expect(await outcome(page, 'getAccessToken', url), url).toBe('ERR_TOKEN_NOT_ALLOWED');
  }
  expect(await outcome(page, 'getAccessToken', '')).toBe('ERR_INVALID_MESSAGE');
});

test('validateToken: claims for a provider-issued access token, typed errors for a tampered or misaddressed one', async ({
  page,
}) => {
  await signIn(page, env, 'alice');
  const token = await page.evaluate(
    (url) => window.identity.getAccessToken(url),
    `ws://api.test.com:${env.api.port}/socket`,
  );
  const claims = await page.evaluate(
    ({ token, audience }) => window.identity.validateToken(token, { audience, typ: 'at+jwt' }),
    { token, audience: DEFAULT_API_RESOURCE },
  );
  expect(claims).toMatchObject({
    iss: env.op.issuer,
    sub: 'alice',
    aud: DEFAULT_API_RESOURCE,
    client_id: 'demo-spa',
  });

  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claimsJson = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  const forgedPayload = Buffer.from(JSON.stringify({ ...claimsJson, sub: 'mallory' })).toString(
    'base64url',
  );
  const validate = (jwt: string, audience: string) =>
    page.evaluate(
      async ({ jwt, audience }) => {
        try {
          await window.identity.validateToken(jwt, { audience });
          return 'resolved';
        } catch (error) {
          return String((error as { code?: unknown }).code);
        }
      },
      { jwt, audience },
    );
  expect(await validate(`${header}.${forgedPayload}.${signature}`, DEFAULT_API_RESOURCE)).toBe(
    'ERR_JWT_SIGNATURE_INVALID',
  );
  const flipped = `${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
  expect(await validate(`${header}.${payload}.${flipped}`, DEFAULT_API_RESOURCE)).toBe(
    'ERR_JWT_SIGNATURE_INVALID',
  );
  expect(await validate(token, 'urn:example:other-api')).toBe('ERR_JWT_AUDIENCE_INVALID');
  expect(await validate('not.a.jwt', DEFAULT_API_RESOURCE)).toBe('ERR_JWT_MALFORMED');
  // The worker's error keeps its class on the page, with its fields.
  const rebuilt = await page.evaluate(async (jwt) => {
    const clientUrl: string = '/client.js';
    const lib = (await import(clientUrl)) as typeof import('../../src/index.js');
    try {
      await window.identity.validateToken(jwt, { audience: 'urn:example:other-api' });
      return 'resolved';
    } catch (error) {
      return {
        tokenValidationError: error instanceof lib.TokenValidationError,
        workerError: error instanceof lib.WorkerError,
        name: (error as Error).name,
        claim: (error as { claim?: unknown }).claim,
      };
    }
  }, token);
  expect(rebuilt).toEqual({
    tokenValidationError: true,
    workerError: false,
    name: 'InvalidAudienceError',
    claim: 'aud',
  });
});

test('an updated worker takes over open pages without the old one’s tokens, and tells them', async ({
  context,
  page,
}) => {
  const other = await context.newPage();
  await openApp(other, env);
  await signIn(page, env, 'alice');
  await expect
    .poll(() => events(other))
    .toContainEqual(expect.objectContaining({ type: 'userchanged', state: 'authenticated' }));
  expect((await call(other, `${env.api.origin()}/v1/me`)).status).toBe(200);

  for (const tab of [page, other]) {
    await tab.evaluate(() => {
      (window as unknown as { oldWorker: unknown }).oldWorker = navigator.serviceWorker.controller;
    });
  }
  const config = env.app.config!;
  // New worker bytes: the imported configuration script changes (a harmless setting).
  // (Without the silent sign-in the new worker would try: recover.cdp.ts covers that.)
  env.app.config = { ...config, refreshSkew: 31, silentRecovery: false };
  try {
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration!.update();
    });
    for (const tab of [page, other]) {
      await tab.waitForFunction(() => {
        const old = (window as unknown as { oldWorker: ServiceWorker }).oldWorker;
        return navigator.serviceWorker.controller !== old && old.state === 'redundant';
      });
    }

    // Every open page is told, without asking.
    for (const tab of [page, other]) {
      await expect
        .poll(() => events(tab))
        .toContainEqual({ type: 'sessionexpired', state: 'expired', user: null });
    }
    for (const tab of [page, other]) {
      expect(await tab.evaluate(() => window.identity.getUser())).toEqual({
        state: 'expired',
        user: null,
      });
    }
    const before = env.api.requests.length;
    expect((await call(other, `${env.api.origin()}/v1/me`)).status).toBe(401);
    expect(env.api.requests.slice(before)).toEqual([
      expect.objectContaining({ path: '/v1/me', authorization: null }),
    ]);
    expect(await outcome(other, 'getAccessToken', `ws://api.test.com:${env.api.port}/socket`)).toBe(
      'ERR_LOGIN_REQUIRED',
    );

    // Signing in again (the provider session lives on: prompt=login shows the form) gives the
    // new worker its own session.
    await Promise.all([
      page.waitForURL((url) => url.origin === new URL(env.op.issuer).origin),
      // Not awaited in the page: the navigation it starts may destroy the page first.
      page.evaluate(() => {
        void window.identity.login({ prompt: 'login' });
      }),
    ]);
    await submitLogin(page, env, 'alice');
    expect(await other.evaluate(() => window.identity.getUser())).toMatchObject({
      state: 'authenticated',
      user: { sub: 'alice' },
    });
    const after = env.api.requests.length;
    expect((await call(other, `${env.api.origin()}/v1/me`)).status).toBe(200);
    expect(env.api.requests.slice(after)).toEqual([
      expect.objectContaining({ path: '/v1/me', valid: true }),
    ]);
  } finally {
    env.app.config = config;
  }
});
