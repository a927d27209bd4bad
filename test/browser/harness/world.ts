/**
 * The browser tests' world without a browser driver: a real oidc-provider, the demo API, and an
 * app server serving the stand-alone worker, wired together. Used by the Playwright specs
 * (env.ts) and the debugger-free CDP suite (cdp.ts), which must not load Playwright.
 */
import { DEFAULT_API_RESOURCE, type DemoProvider, startProvider } from '../../../demo/provider.js';
import { type ApiServer, startApiServer } from './api-server.js';
import { type AppServer, startAppServer } from './app-server.js';

export interface Env {
  op: DemoProvider;
  api: ApiServer;
  app: AppServer;
}

/**
 * Starts the world; `providerOptions` e.g. `{ apiAccessTokenTTL: 120 }`; `app` another app server
 * (default: the Playwright specs' test app).
 */
export async function startEnv(
  providerOptions: Parameters<typeof startProvider>[0] = {},
  app?: AppServer,
): Promise<Env> {
  app ??= await startAppServer();
  const op = await startProvider({
    redirectUris: [`${app.origin}/callback`],
    postLogoutRedirectUris: [`${app.origin}/`],
    ...providerOptions,
  });
  const api = await startApiServer({
    issuer: op.issuer,
    resource: DEFAULT_API_RESOURCE,
    appOrigin: app.origin,
  });
  app.config = {
    issuer: op.issuer,
    clientId: 'demo-spa',
    redirectUri: `${app.origin}/callback`,
    postLogoutRedirectUri: `${app.origin}/`,
    scope: 'openid profile email api:read',
    apis: [{ url: `${api.origin()}/v1/`, resource: DEFAULT_API_RESOURCE }],
    pageTokenUrls: [
      { url: `ws://api.test.com:${api.port}/socket`, resource: DEFAULT_API_RESOURCE },
    ],
    // The provider advertises DPoP, and the worker would bind every token; these tests check
    // Bearer sessions (DPoP-bound ones have their own client and API: dpop-resume.cdp.ts).
    dpop: false,
  };
  return { op, api, app };
}

export async function stopEnv(env: Env | undefined): Promise<void> {
  await env?.api.close();
  await env?.app.close();
  await env?.op.close();
}
