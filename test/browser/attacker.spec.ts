/**
 * RFC 10017's attacks on a service-worker token handler, run by script in the app's own page
 * (real Chromium, real oidc-provider, the stand-alone worker, the host's callback guard): the
 * script runs its own authorization request (its own PKCE verifier, the app's client_id and
 * redirect URI) in a popup and in an iframe, with each response mode the provider offers, with
 * the worker present and after unregistering it. It must never read a code, and the provider
 * must see no token request from it. Then markup that makes CORS requests to an allowlisted API
 * (the destination rule). The attack table in docs/security.md names these tests.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { events } from './harness/app-page.js';
import { type Env, expect, signIn, startEnv, stopEnv, test } from './harness/env.js';
import { type ProviderTap, tapProvider } from './harness/provider-record.js';

type ResponseMode = 'query' | 'fragment' | 'form_post';
const MODES: readonly ResponseMode[] = ['query', 'fragment', 'form_post'];

interface AttackInput {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  clientId: string;
  redirectUri: string;
  responseMode: ResponseMode;
  via: 'popup' | 'iframe';
  unregister: boolean;
  waitMs: number;
  /**
   * Plant a sign-in transaction for the attacker's own request in the worker's IndexedDB first:
   * as is, or sealed with the worker's stored key (usable by page script, not readable).
   */
  plant?: 'unsealed' | 'sealed';
}

interface AttackOutcome {
  /** Every URL of the attacked window the script could read (same-origin ones). */
  seen: string[];
  codes: string[];
  redeemed: { status: number; body: string }[];
  verifier: string;
}

/** The attacker: runs in the app page, with the page's full power. */
function attack(input: AttackInput): Promise<AttackOutcome> {
  return (async () => {
    const b64 = (bytes: ArrayBuffer | Uint8Array) =>
      btoa(String.fromCharCode(...new Uint8Array(bytes)))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    if (input.unregister) {
      for (const registration of await navigator.serviceWorker.getRegistrations()) {
        await registration.unregister();
      }
    }
    const verifier = b64(crypto.getRandomValues(new Uint8Array(32)));
    const challenge = b64(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)),
    );
    const state = `attacker-${Math.random()}`;
    const nonce = `attacker-nonce-${Math.random()}`;
    if (input.plant) {
      const planted: Record<string, unknown> = {
        state,
        nonce,
        codeVerifier: verifier,
        redirectUri: input.redirectUri,
        returnTo: `${location.origin}/`,
        maxAge: undefined,
        expiresAt: Date.now() + 300_000,
      };
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('identity-model-web-login');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const store = () => db.transaction('transactions', 'readwrite').objectStore('transactions');
      const done = (request: IDBRequest) =>
        new Promise<unknown>((resolve, reject) => {
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      if (input.plant === 'sealed') {
        // The worker's own sealing key, used from page script (the documented residual).
        const key = (await done(store().get('transaction-seal-key'))) as CryptoKey;
        const fields = Object.keys(planted)
          .sort()
          .map((name) => [name, planted[name] ?? null]);
        const seal = await crypto.subtle.sign(
          'HMAC',
          key,
          new TextEncoder().encode(JSON.stringify(fields)),
        );
        planted.seal = b64(seal);
      }
      await done(store().put(planted, `login:${state}`));
      db.close();
    }
    const url = new URL(input.authorizationEndpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: input.clientId,
      redirect_uri: input.redirectUri,
      scope: 'openid',
      state,
      nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      response_mode: input.responseMode,
    }).toString();
    let target: Window | null;
    let frame: HTMLIFrameElement | undefined;
    if (input.via === 'popup') {
      target = window.open(url.href, '_blank');
    } else {
      frame = document.createElement('iframe');
      frame.src = url.href;
      document.body.append(frame);
      target = frame.contentWindow;
    }
    const seen = new Set<string>();
    const codes = new Set<string>();
    const deadline = Date.now() + input.waitMs;
    let landedAt: number | undefined;
    while (Date.now() < deadline && (landedAt === undefined || Date.now() - landedAt < 1000)) {
      try {
        const href = target?.location.href;
        if (href && href !== 'about:blank') {
          seen.add(href);
          const at = new URL(href);
          for (const params of [at.searchParams, new URLSearchParams(at.hash.slice(1))]) {
            const code = params.get('code');
            if (code) codes.add(code);
          }
          if (at.origin === location.origin && at.pathname !== '/callback') landedAt ??= Date.now();
        }
      } catch {
        // cross-origin (at the provider): not readable
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const redeemed: AttackOutcome['redeemed'] = [];
    for (const code of codes) {
      const response = await fetch(input.tokenEndpoint, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: input.redirectUri,
          client_id: input.clientId,
          code_verifier: verifier,
        }),
      });
      redeemed.push({ status: response.status, body: await response.text() });
    }
    if (input.via === 'popup') target?.close();
    else frame?.remove();
    return { seen: [...seen], codes: [...codes], redeemed, verifier };
  })();
}

let env: Env;
let tap: ProviderTap;
test.beforeAll(async () => {
  env = await startEnv();
});
test.afterAll(async () => {
  await stopEnv(env);
});
test.beforeEach(() => {
  tap = tapProvider(env.op);
  env.app.hits.clear();
});
test.afterEach(() => {
  tap.remove();
});

/** Every document URL committed on the app's origin in `context` (pages, popups, iframes). */
function recordDocuments(context: BrowserContext, page: Page): string[] {
  const urls: string[] = [];
  const watch = (p: Page) =>
    p.on('framenavigated', (frame) => {
      if (frame.url().startsWith(env.app.origin)) urls.push(frame.url());
    });
  watch(page);
  context.on('page', watch);
  return urls;
}

async function runAttack(
  page: Page,
  responseMode: ResponseMode,
  via: 'popup' | 'iframe',
  unregister: boolean,
  plant?: AttackInput['plant'],
): Promise<AttackOutcome> {
  const disco = (await (
    await fetch(`${env.op.issuer}/.well-known/openid-configuration`)
  ).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
  };
  return page.evaluate(attack, {
    authorizationEndpoint: disco.authorization_endpoint,
    tokenEndpoint: disco.token_endpoint,
    clientId: env.app.config!.clientId,
    redirectUri: env.app.config!.redirectUri,
    responseMode,
    via,
    unregister,
    waitMs: 15_000,
    ...(plant ? { plant } : {}),
  });
}

/** The outcome every attack must have: no code read, no token request from the attacker. */
function expectRepelled(outcome: AttackOutcome, documents: string[], label: string): void {
  expect(outcome.codes, `${label}: codes the attacker read`).toEqual([]);
  expect(outcome.redeemed, label).toEqual([]);
  const fromAttacker = tap.hits.filter(
    (hit) => hit.route === 'token' && hit.params.code_verifier === outcome.verifier,
  );
  expect(fromAttacker, `${label}: token requests from the attacker`).toEqual([]);
  for (const url of [...outcome.seen, ...documents]) {
    expect(url, `${label}: a URL page script could read`).not.toMatch(/[?#&]code=/);
  }
  // The attacked window did come back to the app (the test saw the callback's outcome).
  expect(
    outcome.seen.some((url) => url.startsWith(env.app.origin)),
    `${label}: landed on the app`,
  ).toBe(true);
}

for (const via of ['popup', 'iframe'] as const) {
  test(`ATTACK-${via}-worker: a new flow in a ${via} (query, fragment, form_post) with the worker present yields no code`, async ({
    context,
    page,
  }) => {
    await signIn(page, env, 'alice');
    const start = tap.hits.length;
    const documents = recordDocuments(context, page);
    for (const mode of MODES) {
      const outcome = await runAttack(page, mode, via, false);
      expectRepelled(outcome, documents, `${via} ${mode}`);
      // The worker answered every callback: none reached the server.
      expect(env.app.hits.get('/callback'), `${via} ${mode}`).toBeUndefined();
      // It refused the response (fragment and form_post: not asked for; query: not its state).
      const landing = new URL(outcome.seen.find((url) => url.startsWith(env.app.origin))!);
      expect(landing.searchParams.get('login_error'), `${via} ${mode}`).toBe(
        mode === 'query' ? 'ERR_STATE_MISMATCH' : 'ERR_RESPONSE_MODE_REFUSED',
      );
    }
    // No token request at all after the user's own sign-in: neither the attacker's nor the worker's.
    expect(tap.hits.slice(start).filter((hit) => hit.route === 'token')).toEqual([]);
    // The user's session is untouched.
    expect(await page.evaluate(() => window.identity.getUser())).toMatchObject({
      state: 'authenticated',
      user: { sub: 'alice' },
    });
  });

  test(`ATTACK-${via}-guard: a new flow in a ${via} after unregistering the worker meets the host's guard and yields no code`, async ({
    context,
    page,
  }) => {
    await signIn(page, env, 'alice');
    const start = tap.hits.length;
    const documents = recordDocuments(context, page);
    let guarded = 0;
    for (const mode of MODES) {
      const before = env.app.hits.get('/callback') ?? 0;
      const outcome = await runAttack(page, mode, via, true);
      expectRepelled(outcome, documents, `${via} ${mode}`);
      // No worker: the redirect URI reached the server, and the guard answered it.
      expect(env.app.hits.get('/callback') ?? 0, `${via} ${mode}`).toBe(before + 1);
      const landing = new URL(outcome.seen.find((url) => url.startsWith(env.app.origin))!);
      expect(landing.searchParams.get('login_error')).toBe('ERR_CALLBACK_WITHOUT_WORKER');
      guarded++;
    }
    expect(guarded).toBe(3);
    // No token request at all after the user's own sign-in: neither the attacker's nor the worker's.
    expect(tap.hits.slice(start).filter((hit) => hit.route === 'token')).toEqual([]);
  });
}

test('GUARD-001 the page the guard lands on registers the worker again and reports it', async ({
  context,
  page,
}) => {
  await page.goto(`${env.app.origin}/`);
  await page.evaluate(async () => {
    for (const registration of await navigator.serviceWorker.getRegistrations()) {
      await registration.unregister();
    }
  });
  const landed = await context.newPage();
  const response = await landed.request.get(`${env.app.origin}/callback?code=x&state=y`, {
    maxRedirects: 0,
  });
  expect(response.status()).toBe(303);
  expect(response.headers()).toMatchObject({
    location: '/?login_error=ERR_CALLBACK_WITHOUT_WORKER#',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  });
  await landed.goto(`${env.app.origin}/callback#code=x&state=y`);
  await expect(landed.locator('body[data-ready=true]')).toBeAttached({ timeout: 15_000 });
  expect(new URL(landed.url()).hash).toBe('');
  expect(await landed.evaluate(() => window.identity.workerWasMissing)).toBe(true);
  expect(await landed.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(
    `${env.app.origin}/sw.js`,
  );
  await expect
    .poll(() => events(landed))
    .toEqual([
      { type: 'error', error: expect.objectContaining({ code: 'ERR_CALLBACK_WITHOUT_WORKER' }) },
    ]);
});

/** Requests the API saw for `path` (no preflights), with whether they carried a token. */
function apiHits(path: string): { authorized: boolean }[] {
  return env.api.requests
    .filter((request) => request.path === path && request.method !== 'OPTIONS')
    .map((request) => ({ authorized: request.authorization !== null }));
}

test('DEST-001 markup requests (img, module script, stylesheet, CSS url, font) to an allowlisted API carry no token; fetch and XHR do', async ({
  page,
}) => {
  await signIn(page, env, 'alice');
  const api = `${env.api.origin()}/v1`;
  await page.evaluate(async (api) => {
    const load = (element: HTMLElement) =>
      new Promise<void>((resolve) => {
        element.addEventListener('load', () => resolve());
        element.addEventListener('error', () => resolve());
        document.head.append(element);
      });
    const img = document.createElement('img');
    img.crossOrigin = 'anonymous';
    img.src = `${api}/dest-img.png`;
    const script = document.createElement('script');
    script.type = 'module';
    script.src = `${api}/dest-script`;
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.crossOrigin = 'anonymous';
    link.href = `${api}/dest-style`;
    await Promise.all([load(img), load(script), load(link)]);
    const style = document.createElement('style');
    style.textContent = `
      @font-face { font-family: probe; src: url(${api}/dest-font); }
      body { background-image: url(${api}/dest-bg.png); font-family: probe; }`;
    document.head.append(style);
    document.body.append('text in the probe font');
    await document.fonts.load('16px probe').catch(() => {});
    await fetch(`${api}/dest-fetch`);
    await new Promise<void>((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open('GET', `${api}/dest-xhr`);
      xhr.onloadend = () => resolve();
      xhr.send();
    });
  }, api);
  await expect.poll(() => apiHits('/v1/dest-bg.png').length).toBeGreaterThan(0);
  await expect.poll(() => apiHits('/v1/dest-font').length).toBeGreaterThan(0);
  for (const path of ['dest-img.png', 'dest-script', 'dest-style', 'dest-font', 'dest-bg.png']) {
    expect(apiHits(`/v1/${path}`), path).toEqual([{ authorized: false }]);
  }
  expect(apiHits('/v1/dest-fetch')).toEqual([{ authorized: true }]);
  expect(apiHits('/v1/dest-xhr')).toEqual([{ authorized: true }]);
});

test('LOGOUT-001 sign-out: the page never receives the ID token (messages, URLs, history); the provider gets it as id_token_hint', async ({
  context,
  page,
}) => {
  // Every message any port or the worker container delivers to the app's documents, recorded
  // before the app's own script runs.
  const received: string[] = [];
  await context.exposeBinding('__recordMessage', (_source, data: string) => {
    received.push(data);
  });
  await context.addInitScript(() => {
    const record = (event: MessageEvent) => {
      const send = (window as unknown as { __recordMessage(data: string): void }).__recordMessage;
      send(JSON.stringify(event.data) ?? '');
    };
    navigator.serviceWorker?.addEventListener('message', record, true);
    const { addEventListener } = MessagePort.prototype;
    const onmessage = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage')!;
    MessagePort.prototype.addEventListener = function (this: MessagePort, ...args: unknown[]) {
      if (args[0] === 'message') addEventListener.call(this, 'message', record as EventListener);
      return addEventListener.apply(this, args as Parameters<typeof addEventListener>);
    };
    Object.defineProperty(MessagePort.prototype, 'onmessage', {
      ...onmessage,
      set(this: MessagePort, listener: unknown) {
        addEventListener.call(this, 'message', record as EventListener);
        onmessage.set!.call(this, listener);
      },
    });
  });
  const documents = recordDocuments(context, page);
  const requested: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(env.app.origin)) requested.push(request.url());
  });
  await signIn(page, env, 'alice');
  const idToken = tap.tokenResponses()[0]?.id_token as string;
  expect(idToken).toMatch(/^eyJ/);
  const messagesBefore = received.length;

  const issuerOrigin = new URL(env.op.issuer).origin;
  await Promise.all([
    page.waitForURL((url) => url.origin === issuerOrigin),
    page.evaluate(() => {
      void window.identity.logout();
    }),
  ]);
  // The worker sent the browser on to the provider with the ID token as the hint.
  const endSession = tap.hits.find((hit) => hit.route === 'end_session');
  expect(endSession?.params.id_token_hint).toBe(idToken);
  // The page navigated to the worker's logout route, with a ticket and nothing else.
  const route = requested.map((url) => new URL(url)).find((url) => url.pathname === '/logout');
  expect([...route!.searchParams.keys()]).toEqual(['logout_ticket']);
  // The route never reached the server: the worker answered it.
  expect(env.app.hits.get('/logout')).toBeUndefined();

  expect(received.length).toBeGreaterThan(messagesBefore); // the logout reply was seen
  const [, payload] = idToken.split('.');
  for (const text of [...received, ...documents, ...requested]) {
    expect(text).not.toContain(idToken);
    expect(text).not.toContain(payload);
  }
  // Back at the app after the provider's confirmation: the history holds no ID token either.
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await page.waitForURL(`${env.app.origin}/`);
  const history = await page.evaluate(() => ({
    url: location.href,
    entries: performance.getEntriesByType('navigation').map((entry) => entry.name),
    referrer: document.referrer,
  }));
  expect(JSON.stringify(history)).not.toContain(payload);
});

test('LOGOUT-002 a navigation to /logout without a ticket the worker issued is the app’s, and signs nobody out', async ({
  page,
}) => {
  await signIn(page, env, 'alice');
  await page.goto(`${env.app.origin}/logout?logout_ticket=guessed`);
  await expect(page.locator('body[data-ready=true]')).toBeAttached({ timeout: 15_000 });
  expect(env.app.hits.get('/logout')).toBe(1);
  expect(await page.evaluate(() => window.identity.getUser())).toMatchObject({
    state: 'authenticated',
  });
});

test('TXN-001 a sign-in transaction planted in IndexedDB by page script is refused, sealed with the worker key or not', async ({
  context,
  page,
}) => {
  await signIn(page, env, 'alice');
  const start = tap.hits.length;
  const documents = recordDocuments(context, page);
  for (const plant of ['unsealed', 'sealed'] as const) {
    const outcome = await runAttack(page, 'query', 'popup', false, plant);
    expectRepelled(outcome, documents, plant);
    const landing = new URL(outcome.seen.find((url) => url.startsWith(env.app.origin))!);
    expect(landing.searchParams.get('login_error'), plant).toBe('ERR_STATE_MISMATCH');
  }
  // The worker exchanged no code: the attacker's transaction was not one it created.
  expect(tap.hits.slice(start).filter((hit) => hit.route === 'token')).toEqual([]);
  expect(await page.evaluate(() => window.identity.getUser())).toMatchObject({
    state: 'authenticated',
    user: { sub: 'alice' },
  });
});

test('WARN-001 the worker warns when the provider offers response_mode fragment (oidc-provider does)', async ({
  context,
  page,
}) => {
  const watcher = await context.newPage();
  await watcher.goto(`${env.app.origin}/`);
  await expect(watcher.locator('body[data-ready=true]')).toBeAttached({ timeout: 15_000 });
  await signIn(page, env, 'alice');
  await expect
    .poll(() => watcher.evaluate(() => (window as unknown as { warnings: unknown[] }).warnings))
    .toEqual([
      {
        type: 'warning',
        code: 'WARN_RESPONSE_MODES',
        // The worker's facts (the redirect URI), then the page client's fix.
        message: expect.stringMatching(
          new RegExp(
            `a code for ${env.app.origin.replace(/[.]/g, '\\.')}/callback that the worker never sees\\. To fix: .*response_mode=query.*exactly one redirect URI`,
          ),
        ),
      },
    ]);
});
