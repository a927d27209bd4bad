/**
 * A second test app whose page registers the app's OWN service worker (apps/composed-sw.ts,
 * which imports the library's `./sw` entry) instead of the stand-alone one. It has the
 * {@link AppServer} shape, so env.ts's helpers (`openApp`, `signIn`) drive it unchanged.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppServer } from './app-server.js';
import { type Env, startEnv } from './env.js';
import { BUILD_DIR } from './paths.js';

/** The worker script the page registers. */
export const COMPOSED_WORKER = '/composed-sw.js';

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>identity-model-web composed worker app</title></head>
<body>
<pre id="state">starting</pre>
<script type="module">
  import { createIdentityClient } from '/client.js';
  const identity = createIdentityClient({ serviceWorker: '${COMPOSED_WORKER}', timeout: 15000 });
  window.identity = identity;
  window.events = [];
  identity.subscribe((event) => window.events.push(event));
  identity.ready().then(
    () => {
      document.body.dataset.ready = 'true';
    },
    (error) => {
      document.body.dataset.error = error.code;
    },
  );
</script>
</body>
</html>`;

async function startComposedAppServer(): Promise<AppServer> {
  const hits = new Map<string, number>();
  // Same shape as app-server.ts's record of requests.
  const requests: { path: string; authorization: string | null; mode: string | null }[] = [];
  let config: AppServer['config'];
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const header = (name: string) => (req.headers[name] as string | undefined) ?? null;
    requests.push({ path, authorization: header('authorization'), mode: header('sec-fetch-mode') });
    const send = (type: string, body: string, status = 200) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    };
    if (path === '/client.js') {
      send('text/javascript', await readFile(`${BUILD_DIR}client.js`, 'utf8'));
    } else if (path === COMPOSED_WORKER) {
      send('text/javascript', await readFile(`${BUILD_DIR}apps/composed-sw.js`, 'utf8'));
    } else if (path === '/identity-model-web.config.js') {
      send(
        'text/javascript',
        `self.identityModelWebConfig = Object.assign(${JSON.stringify(config)}, { now: () => Date.now() + (self.__clockOffset || 0) });`,
      );
    } else if (path === '/hello' || path === '/favicon.ico') {
      // Only the app's worker answers /hello: reaching the server means it did not.
      send('text/plain', 'not found', 404);
    } else {
      send('text/html', PAGE);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const composed = {
    port,
    origin: `http://localhost:${port}`,
    get config() {
      return config;
    },
    set config(value) {
      config = value;
    },
    hits,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return composed;
}

/**
 * The usual world (provider, API) with the composed-worker app in place of the stand-alone one:
 * the provider knows the composed app's redirect URIs, and its worker gets the same
 * configuration on its own origin.
 */
export async function startComposedEnv(): Promise<Env> {
  const app = await startComposedAppServer();
  const env = await startEnv({
    redirectUris: [`${app.origin}/callback`],
    postLogoutRedirectUris: [`${app.origin}/`],
  });
  const standard = env.app;
  app.config = {
    ...standard.config!,
    redirectUri: `${app.origin}/callback`,
    postLogoutRedirectUri: `${app.origin}/`,
  };
  await standard.close();
  return { ...env, app };
}
