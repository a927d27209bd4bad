/**
 * Starts the browser demo (`node demo/app.js`): builds what it runs from the current sources (so
 * a fresh clone needs only `npm ci`), then starts the local OpenID provider, the demo API (which
 * validates the tokens it receives with the library's core), an "other origin" the worker's
 * allowlist does not name, and the app with the stand-alone service worker.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { startApiServer } from './api-server.js';
import { startAppServer } from './app-server.js';
import { buildBrowserBundles, buildServerModules } from './build.js';
import { startEchoServer } from './echo-server.js';
import { DEFAULT_API_RESOURCE, startProvider } from './provider.js';

/** The demo user the page suggests (the provider's dev pages accept any login and password). */
export const DEMO_LOGIN = 'alice';

/**
 * @typedef {object} DemoOptions Ports (`0`: a free one).
 * @property {number} [appPort] Default 5173.
 * @property {number} [providerPort] Default 3000.
 * @property {number} [apiPort] Default 4000.
 * @property {number} [otherPort] The non-allowlisted origin. Default 4001.
 * @property {string} [buildDir] Folder (ending in `/`) for the bundles. Default `dist/demo-app/`.
 */

/**
 * @typedef {object} Demo
 * @property {string} appOrigin
 * @property {string} issuer
 * @property {string} apiUrl The API endpoint the page calls (allowlisted: the worker adds the token).
 * @property {string} otherUrl The other origin's endpoint (not allowlisted).
 * @property {() => Promise<void>} close
 */

/**
 * Builds and starts everything.
 * @param {DemoOptions} [options]
 * @returns {Promise<Demo>}
 */
export async function startDemo(options = {}) {
  const buildDir = options.buildDir ?? new URL('../dist/demo-app/', import.meta.url).pathname;
  await buildBrowserBundles(buildDir, { minify: true });
  await buildServerModules(`${buildDir}node/`);
  /** @type {typeof import('../src/core/index.js')} */
  const core = await import(pathToFileURL(`${buildDir}node/core.js`).href);
  /** @type {typeof import('../src/host/callback-guard.js')} */
  const { createCallbackGuard } = await import(
    pathToFileURL(`${buildDir}node/callback-guard.js`).href
  );

  const template = await readFile(new URL('./app.html', import.meta.url), 'utf8');
  // The redirect URI never serves the page, also when the worker is missing (docs/security.md).
  const guard = createCallbackGuard({ redirectPath: '/callback' });
  const app = await startAppServer({
    page: '',
    buildDir,
    port: options.appPort ?? 5173,
    guard,
    scripts: {
      '/demo.js': new URL('./page.js', import.meta.url).pathname,
      '/storage-scan.js': new URL('./storage-scan.js', import.meta.url).pathname,
    },
  });
  const op = await startProvider({
    port: options.providerPort ?? 3000,
    redirectUris: [`${app.origin}/callback`],
    postLogoutRedirectUris: [`${app.origin}/`],
  });
  const cache = core.createMetadataCache();
  const accessTokenConfig = { performDisco: true, audience: DEFAULT_API_RESOURCE, cache };
  const api = await startApiServer({
    port: options.apiPort ?? 4000,
    validate: (token) => core.validateAccessToken(token, accessTokenConfig, op.issuer),
    // DPoP-bound tokens (the worker uses DPoP since the provider offers it) need a valid proof.
    dpop: core,
  });
  const other = await startEchoServer({ port: options.otherPort ?? 4001 });
  app.config = {
    issuer: op.issuer,
    clientId: 'demo-spa',
    redirectUri: `${app.origin}/callback`,
    postLogoutRedirectUri: `${app.origin}/`,
    scope: 'openid profile email api:read',
    apis: [{ url: `${api.origin()}/v1/`, resource: DEFAULT_API_RESOURCE }],
  };
  const apiUrl = `${api.origin()}/v1/me`;
  const otherUrl = `${other.origin}/echo`;
  // The page needs only the URLs it calls; the worker's configuration is not the page's.
  const pageConfig = { apiUrl, otherUrl, issuer: op.issuer, login: DEMO_LOGIN };
  app.page = template.replace('"DEMO_CONFIG"', JSON.stringify(pageConfig).replace(/</g, '\\u003c'));
  return {
    appOrigin: app.origin,
    issuer: op.issuer,
    apiUrl,
    otherUrl,
    async close() {
      await app.close();
      await other.close();
      await api.close();
      await op.close();
    },
  };
}
