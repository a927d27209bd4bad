/**
 * `npm run demo:app`: the browser demo. Starts the local OpenID provider, the demo API (which
 * validates the tokens it receives with the library's core) and the demo app with the
 * stand-alone service worker, then waits for you to open the app in a browser. Ctrl-C stops it.
 */
import { readFile } from 'node:fs/promises';
import { createCallbackGuard } from 'identity-model-web/callback-guard';
import {
  createDpopNonceIssuer,
  createDpopReplayCache,
  createMetadataCache,
  validateAccessToken,
  validateDpopRequest,
} from 'identity-model-web/core';
import { startApiServer } from './api-server.js';
import { startAppServer } from './app-server.js';
import { buildBrowserBundles } from './build.js';
import { DEFAULT_API_RESOURCE, startProvider } from './provider.js';

const buildDir = new URL('../dist/demo-app/', import.meta.url).pathname;
await buildBrowserBundles(buildDir, { minify: true });

const appPort = Number(process.env.APP_PORT ?? 5173);
const template = await readFile(new URL('./app.html', import.meta.url), 'utf8');
// The redirect URI never serves the page, also when the worker is missing (README, security model).
const guard = createCallbackGuard({ redirectPath: '/callback' });
const app = await startAppServer({ page: '', buildDir, port: appPort, guard });
const op = await startProvider({
  port: Number(process.env.PROVIDER_PORT ?? 3000),
  redirectUris: [`${app.origin}/callback`],
  postLogoutRedirectUris: [`${app.origin}/`],
});
const cache = createMetadataCache();
const accessTokenConfig = { performDisco: true, audience: DEFAULT_API_RESOURCE, cache };
const api = await startApiServer({
  port: Number(process.env.API_PORT ?? 4000),
  validate: (token) => validateAccessToken(token, accessTokenConfig, op.issuer),
  // DPoP-bound tokens (the worker uses DPoP since the provider offers it) need a valid proof.
  dpop: { validateDpopRequest, createDpopNonceIssuer, createDpopReplayCache },
});
app.config = {
  issuer: op.issuer,
  clientId: 'demo-spa',
  redirectUri: `${app.origin}/callback`,
  postLogoutRedirectUri: `${app.origin}/`,
  scope: 'openid profile email api:read',
  apis: [{ url: `${api.origin()}/v1/`, resource: DEFAULT_API_RESOURCE }],
};
// The page only needs the API's URL to call it; the worker's configuration is not the page's.
app.page = template.replace('API_URL', JSON.stringify(`${api.origin()}/v1/me`));

console.log(`OpenID provider  ${op.issuer}   (any login and password)`);
console.log(`demo API         ${api.origin()}/v1/me   (needs a token)`);
console.log(`demo app         ${app.origin}   ← open this in a browser`);
console.log('Ctrl-C stops everything.');

const stop = async () => {
  await app.close();
  await api.close();
  await op.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
