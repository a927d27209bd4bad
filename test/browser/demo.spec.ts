/**
 * The browser demo as a user sees it: `node demo/app.js` (the README's command, which builds
 * what it serves from the sources) on free loopback ports, driven through its buttons and the
 * provider's pages in real Chromium. Asserts what the page shows; saves a screenshot of each
 * step under test-results/demo/ (`UPDATE_DEMO_SCREENSHOT=1` also writes docs/demo.png).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { generateKeyPair, SignJWT } from 'jose';

const root = new URL('../../', import.meta.url).pathname;
const shots = `${root}test-results/demo/`;

interface Demo {
  process: ChildProcess;
  app: string;
  issuer: string;
  apiUrl: string;
  other: string;
}
let demo: Demo | undefined;

/** Starts `node demo/app.js` with free ports and reads the URLs it prints. */
async function startDemo(): Promise<Demo> {
  const child = spawn(process.execPath, ['demo/app.js'], {
    cwd: root,
    env: { ...process.env, APP_PORT: '0', PROVIDER_PORT: '0', API_PORT: '0', OTHER_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`demo/app.js exited (${code}):\n${output}`)));
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const url = (label: string) =>
        new RegExp(`^${label} +(http://\\S+)`, 'm').exec(output)?.[1] ?? '';
      if (!output.includes('Ctrl-C stops everything.')) return;
      resolve({
        process: child,
        app: url('demo app'),
        issuer: url('OpenID provider'),
        apiUrl: url('demo API'),
        other: url('other origin'),
      });
    });
  });
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  await mkdir(shots, { recursive: true });
  demo = await startDemo();
});
test.afterAll(async () => {
  const child = demo?.process;
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${shots}${name}.png`, fullPage: true });

/** The verdict line of a panel, and its tone (`ok`, `warn`, `bad`). */
const verdictOf = (page: Page, panel: string) => page.locator(`#${panel} .verdict`);

test('the demo as a user: sign in, call the API, scan, call another origin, sign out', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const { app, issuer, apiUrl, other } = demo!;
  await page.setViewportSize({ width: 1000, height: 900 });
  await page.goto(app);
  await expect(page.locator('body[data-ready=true]')).toBeAttached({ timeout: 30_000 });
  await expect(page.locator('#state')).toHaveText('unauthenticated');
  // The page says what the provider's pages will ask, and what to type.
  const help = page.locator('#signin-help');
  await expect(help).toHaveAttribute('open', '');
  await expect(help).toContainText(`oidc-provider's development pages at ${issuer}`);
  await expect(help).toContainText('type alice and any password, press Sign-in');
  await expect(help).toContainText("Authorize, the provider's consent page");
  await expect(help).toContainText('press Continue');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeDisabled();
  await expect(page.locator('#events li[data-from=page]').first()).toContainText(
    'loaded: the worker says unauthenticated',
  );

  // Before signing in, the API refuses: the worker has no token to add.
  await page.getByRole('button', { name: 'Call the API' }).click();
  await expect(verdictOf(page, 'api')).toHaveText(/^401: the API refused the request/);
  await expect(verdictOf(page, 'api')).toHaveAttribute('data-tone', 'bad');
  await shot(page, '1-signed-out');

  // Sign in through the provider's pages: login, then consent, as the page described.
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.origin === new URL(issuer).origin);
  await expect(page.getByRole('heading', { name: 'Sign-in' })).toBeVisible();
  await shot(page, '2-provider-login');
  await page.locator('input[name=login]').fill('alice');
  await page.locator('input[name=password]').fill('any password');
  await page.locator('button[type=submit]').click();
  await expect(page.getByRole('heading', { name: 'Authorize' })).toBeVisible();
  await expect(page.locator('body')).toContainText('api:read');
  const consent = page.locator('button[type=submit]', { hasText: /continue/i });
  await expect(consent).toBeVisible();
  await shot(page, '3-provider-consent');
  await consent.click();
  await page.waitForURL((url) => url.origin === new URL(app).origin && url.pathname === '/');
  await expect(page.locator('body[data-ready=true]')).toBeAttached({ timeout: 30_000 });
  await expect(page.locator('#state')).toHaveText('authenticated');
  await expect(page.locator('#user')).toContainText('alice');
  await expect(help).not.toHaveAttribute('open', '');
  // Events: kept for this tab across the trip to the provider.
  const events = page.locator('#events li');
  await expect(events.first()).toContainText('loaded: the worker says authenticated (alice)');
  await expect(events.last()).toContainText('loaded: the worker says unauthenticated');

  // 1. What the API received: a DPoP-bound token and a proof made with the same key.
  await page.getByRole('button', { name: 'Call the API' }).click();
  const api = page.locator('#api');
  await expect(verdictOf(page, 'api')).toHaveText(
    '200: the API verified the token and a proof made with the key it is bound to.',
  );
  await expect(verdictOf(page, 'api')).toHaveAttribute('data-tone', 'ok');
  const jkt = (await api.locator('[data-field="cnf.jkt"] code').textContent()) ?? '';
  expect(jkt).toMatch(/^[\w-]{43}$/);
  await expect(api.locator('[data-field="proof.jkt"]')).toHaveText(`${jkt} ✓ the same key`);
  const row = (name: string) => api.locator('tr', { has: page.locator(`th:text-is("${name}")`) });
  await expect(row('Authorization')).toContainText('DPoP a sender-constrained token (RFC 9449)');
  await expect(row('User (sub)')).toContainText('alice');
  await expect(row('Client (client_id)')).toContainText('demo-spa');
  await expect(row('Scope')).toContainText('api:read');
  await expect(row('Audience (aud)')).toContainText('urn:example:api');
  await expect(row('Issuer (iss)')).toContainText(issuer);
  await expect(row('Proof')).toContainText(`GET ${apiUrl}`);
  await shot(page, '4-api');

  // 2. What the page can see: it reads the worker's IndexedDB records too, and finds only the
  // DPoP session, bound to the key the API saw, whose private key it cannot export.
  const scan = page.locator('#scan-result');
  const scanNow = async () => {
    await page.evaluate(() => document.getElementById('scan-result')?.replaceChildren());
    await page.getByRole('button', { name: 'Try to find a token' }).click();
    await expect(scan.locator('.verdict')).toBeVisible();
  };
  await scanNow();
  await expect(scan.locator('.verdict')).toHaveText(
    'Found no token page script could use: no bearer token, no ID token, no code verifier, no unspent nonce.',
  );
  await expect(scan).toHaveAttribute('data-found', '0');
  const read = scan.locator('#read li');
  await expect(read.first()).toHaveText('localStorage: 0 keys');
  await expect(read.filter({ hasText: 'sessionStorage' })).toHaveText('sessionStorage: 1 key');
  await expect(
    read.filter({ hasText: 'IndexedDB identity-model-web-login / transactions:' }),
  ).toHaveText(/ [1-9]\d* records?$/);
  for (const kind of ['Cache Storage', 'cookies', 'window', 'location', 'responses']) {
    await expect(read.filter({ hasText: kind }), kind).toHaveCount(1);
  }
  // It did read the session: the tokens found are bound to the API's key, the key is not exportable.
  await expect(scan.locator('[data-bound]')).toContainText(
    "IndexedDB holds the worker's DPoP session",
  );
  const findings = scan.locator('#findings li');
  await expect(
    findings.filter({ hasText: `bound to DPoP key ${jkt.slice(0, 10)}…` }),
  ).not.toHaveCount(0);
  await expect(findings.filter({ hasText: 'not bound' })).toHaveCount(0);
  await expect(findings.filter({ hasText: 'extractable=false' })).toHaveCount(1);
  await expect(findings.filter({ hasText: 'code verifier' })).toHaveCount(0);
  await shot(page, '5-scan');

  // The scan does find a token where page script left one (an unbound JWT, as a thief would want).
  const { privateKey } = await generateKeyPair('ES256');
  const planted = await new SignJWT({ scope: 'api:read' })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
    .setSubject('alice')
    .setIssuer(issuer)
    .sign(privateKey);
  await page.evaluate((token) => localStorage.setItem('planted', token), planted);
  await scanNow();
  await expect(scan).toHaveAttribute('data-found', '1');
  await expect(scan.locator('.verdict')).toHaveText(
    'Found 1 secret page script could use anywhere.',
  );
  await expect(
    findings.filter({ hasText: 'localStorage: a JWT not bound to any key' }),
  ).toHaveCount(1);
  await page.evaluate(() => localStorage.removeItem('planted'));
  await scanNow();
  await expect(scan).toHaveAttribute('data-found', '0');

  // 3. An origin outside the allowlist gets no credential.
  await page.getByRole('button', { name: 'Call another origin' }).click();
  await expect(verdictOf(page, 'other-result')).toHaveText(
    'No token was sent: the worker adds tokens only to the API URLs it is configured for.',
  );
  const echo = page.locator('#other-result');
  const echoed = (name: string) =>
    echo.locator('tr', { has: page.locator(`th:text-is("${name}")`) });
  await expect(echoed('Authorization')).toHaveText('Authorization(none)');
  await expect(echoed('DPoP')).toHaveText('DPoP(none)');
  await expect(echoed('Origin')).toHaveText(`Origin${app}`);
  expect(other).toMatch(/^http:\/\/localhost:\d+\/echo$/);
  await shot(page, '6-other-origin');
  // For the README: the three panels that show the point (boxes in page coordinates), at 85 %
  // zoom, which keeps the PNG under 200 KB.
  await page.evaluate(() => {
    document.body.style.zoom = '0.85';
    window.scrollTo(0, 0);
  });
  const first = (await page.locator('#api-section').boundingBox())!;
  const last = (await page.locator('#other-section').boundingBox())!;
  await page.screenshot({
    path: `${shots}demo.png`,
    fullPage: true,
    clip: {
      x: first.x - 12,
      y: first.y - 12,
      width: first.width + 24,
      height: last.y + last.height - first.y + 24,
    },
  });

  await page.evaluate(() => {
    document.body.style.zoom = '';
  });

  // Sign out: the provider asks to confirm; back on the app, the worker's event is in the log.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((url) => url.origin === new URL(issuer).origin);
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await page.waitForURL((url) => url.origin === new URL(app).origin);
  await expect(page.locator('body[data-ready=true]')).toBeAttached({ timeout: 30_000 });
  await expect(page.locator('#state')).toHaveText('unauthenticated');
  await expect(page.locator('#events li[data-from=worker]').first()).toContainText(
    'userchanged: unauthenticated',
  );
  await expect(events.first()).toContainText('loaded: the worker says unauthenticated');
  await shot(page, '7-signed-out-again');

  if (process.env.UPDATE_DEMO_SCREENSHOT) {
    await copyFile(`${shots}demo.png`, `${root}docs/demo.png`);
  }
  expect((await stat(`${shots}demo.png`)).size).toBeLessThan(200_000);
});
