/**
 * The core runs in a page: discovery, JWKS and validation against the real provider in
 * Chromium, with the IndexedDB store keeping metadata across page loads.
 */
import { expect, test } from '@playwright/test';
import {
  DEFAULT_API_RESOURCE,
  DEMO_CLIENTS,
  type DemoProvider,
  startProvider,
} from '../../demo/provider.js';
import { requestClientCredentialsToken } from '../../src/core/index.js';
import { type PageServer, startPageServer } from './harness/page-server.js';

let op: DemoProvider;
let pages: PageServer;
let accessToken: string;

test.beforeAll(async () => {
  op = await startProvider();
  pages = await startPageServer();
  const token = await requestClientCredentialsToken({
    address: `${op.issuer}/token`,
    ...DEMO_CLIENTS.basic,
    resource: DEFAULT_API_RESOURCE,
  });
  if (!token.isSuccessful) throw token.exception;
  accessToken = token.accessToken;
});

test.afterAll(async () => {
  await pages?.close();
  await op?.close();
});

async function validateInPage(page: import('@playwright/test').Page, token: string) {
  return page.evaluate(
    async ({ token, issuer, audience }) => {
      const { core } = window;
      const cache = core.createMetadataCache({ store: core.createIndexedDbStore() });
      try {
        const claims = await core.validateToken(
          token,
          { performDisco: true, audience, cache },
          issuer,
        );
        return { ok: true as const, claims, info: cache.discovery.info() };
      } catch (error) {
        return {
          ok: false as const,
          code: (error as { code?: string }).code,
          name: (error as Error).name,
        };
      }
    },
    { token, issuer: op.issuer, audience: DEFAULT_API_RESOURCE },
  );
}

test('validates a provider token in Chromium and keeps metadata in IndexedDB across reloads', async ({
  page,
}) => {
  await page.goto(`${pages.origin}/test/browser/pages/core.html`);
  await expect(page.locator('body[data-ready=true]')).toBeAttached();

  op.resetCounts();
  const first = await validateInPage(page, accessToken);
  expect(first.ok).toBe(true);
  if (first.ok) expect(first.claims.aud).toBe(DEFAULT_API_RESOURCE);
  expect(op.counts['/.well-known/openid-configuration']).toBe(1);
  expect(op.counts['/jwks']).toBe(1);

  // A new page load has an empty memory cache: the IndexedDB store answers, the network is not used.
  await page.reload();
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  op.resetCounts();
  const second = await validateInPage(page, accessToken);
  expect(second.ok).toBe(true);
  expect(op.counts['/.well-known/openid-configuration'] ?? 0).toBe(0);
  expect(op.counts['/jwks'] ?? 0).toBe(0);
});

test('refuses a tampered token in Chromium with a typed error', async ({ page }) => {
  await page.goto(`${pages.origin}/test/browser/pages/core.html`);
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  const [header, payload, signature] = accessToken.split('.') as [string, string, string];
  const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
  const result = await validateInPage(page, `${header}.${payload}.${flipped}`);
  expect(result).toMatchObject({
    ok: false,
    code: 'ERR_JWT_SIGNATURE_INVALID',
    name: 'SignatureInvalidError',
  });
});

test("holds the engine's own base64url decoder to strict base64url", async ({ page }) => {
  // Where the engine has Uint8Array.prototype.setFromBase64 (Chromium 140+), signatures decode
  // through it, and it is more lenient than JWS allows: it skips whitespace and takes padding.
  // Node 20 has none, so only a page shows that the library refuses what it lets through.
  await page.goto(`${pages.origin}/test/browser/pages/core.html`);
  await expect(page.locator('body[data-ready=true]')).toBeAttached();
  const [header, payload, signature] = accessToken.split('.') as [string, string, string];
  const variants = {
    padded: `${signature}${'='.repeat((4 - (signature.length % 4)) % 4 || 4)}`,
    spaced: `${signature.slice(0, 8)} ${signature.slice(9)}`,
    newline: `${signature.slice(0, -1)}\n`,
    base64: signature.replace(/[-_]/g, (c) => (c === '-' ? '+' : '/')),
    stray: `${signature.slice(0, 8)}*${signature.slice(9)}`,
  };
  expect(variants.base64).not.toBe(signature);
  // The payload segment goes through atob instead: the same strictness, held another way.
  const payloadSpaced = `${header}.${payload.slice(0, 8)} ${payload.slice(9)}.${signature}`;
  const result = await page.evaluate(
    async ({ header, payload, signature, variants, payloadSpaced }) => {
      const { core } = window;
      const decodes = (jwt: string) => {
        try {
          core.decodeJws(jwt, 16384);
          return 'decoded';
        } catch (error) {
          return (error as { code?: string }).code;
        }
      };
      return {
        native: typeof (Uint8Array.prototype as { setFromBase64?: unknown }).setFromBase64,
        original: decodes(`${header}.${payload}.${signature}`),
        variants: Object.fromEntries(
          Object.entries(variants).map(([name, text]) => [
            name,
            decodes(`${header}.${payload}.${text}`),
          ]),
        ),
        payloadSpaced: decodes(payloadSpaced),
      };
    },
    { header, payload, signature, variants, payloadSpaced },
  );
  expect(result.native).toBe('function');
  expect(result.original).toBe('decoded');
  expect(result.variants).toEqual({
    padded: 'ERR_JWT_MALFORMED',
    spaced: 'ERR_JWT_MALFORMED',
    newline: 'ERR_JWT_MALFORMED',
    base64: 'ERR_JWT_MALFORMED',
    stray: 'ERR_JWT_MALFORMED',
  });
  expect(result.payloadSpaced).toBe('ERR_JWT_MALFORMED');
});
