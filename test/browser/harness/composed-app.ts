/**
 * A second test app whose page registers the app's OWN service worker (apps/composed-sw.ts,
 * which imports the library's `./sw` entry) instead of the stand-alone one. It has the
 * {@link AppServer} shape, so env.ts's helpers (`openApp`, `signIn`) drive it unchanged.
 */
import { startAppServer as startServer } from '../../../demo/app-server.js';
import { type AppServer, clockConfigScript } from './app-server.js';
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
  // Configuration warnings apart: window.events is what the session did.
  window.warnings = [];
  identity.subscribe((event) => (event.type === 'warning' ? window.warnings : window.events).push(event));
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

function startComposedAppServer(): Promise<AppServer> {
  return startServer({
    page: PAGE,
    buildDir: BUILD_DIR,
    scripts: { [COMPOSED_WORKER]: `${BUILD_DIR}apps/composed-sw.js` },
    // Only the app's worker answers /hello: reaching the server means it did not.
    notFound: ['/hello'],
    configScript: clockConfigScript,
  });
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
