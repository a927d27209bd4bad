/**
 * The test app (demo/app-server.js) with the test page: it creates the identity client, exposes
 * it as `window.identity`, and collects events in `window.events`. The worker's configuration
 * script gives the worker a clock tests can move (`self.__clockOffset`, ms).
 */
import { type AppServer, startAppServer as startServer } from '../../../demo/app-server.js';
import { createCallbackGuard } from '../../../src/host/callback-guard.js';
import { BUILD_DIR } from './paths.js';

export type { AppServer };

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>identity-model-web test app</title></head>
<body>
<pre id="state">starting</pre>
<script type="module">
  import { createIdentityClient } from '/client.js';
  const identity = createIdentityClient({ serviceWorker: '/sw.js', timeout: 15000 });
  window.identity = identity;
  window.events = [];
  // Configuration warnings apart: window.events is what the session did.
  window.warnings = [];
  identity.subscribe((event) => (event.type === 'warning' ? window.warnings : window.events).push(event));
  identity.ready().then(
    (state) => {
      document.getElementById('state').textContent = JSON.stringify(state);
      document.body.dataset.ready = 'true';
    },
    (error) => {
      document.body.dataset.error = error.code;
    },
  );
</script>
</body>
</html>`;

/**
 * The worker configuration script of the test apps: the worker's clock is
 * `Date.now() + self.__clockOffset`, or stands still at `self.__clockAt` when that is set. A page can move it with a `{ type: '__setClockOffset',
 * offset }` message on a MessageChannel (answered `'ok'`): engines whose drivers cannot
 * evaluate in a service worker (Firefox, WebKit) have no other way in. The listener runs before
 * the worker's own and keeps the message from it.
 */
export function clockConfigScript(config: AppServer['config']): string {
  return `self.identityModelWebConfig = Object.assign(${JSON.stringify(config)}, { now: () => self.__clockAt ?? Date.now() + (self.__clockOffset || 0) });
self.addEventListener('message', (event) => {
  if (!event.data || event.data.type !== '__setClockOffset') return;
  event.stopImmediatePropagation();
  self.__clockOffset = event.data.offset;
  if (event.ports[0]) event.ports[0].postMessage('ok');
});`;
}

/** Starts the test app on a free port (configuration set later, before pages load). */
export function startAppServer(): Promise<AppServer> {
  return startServer({
    page: PAGE,
    buildDir: BUILD_DIR,
    configScript: clockConfigScript,
    // As an app should: the redirect URI reaching the server (no worker) never serves the page.
    guard: createCallbackGuard({ redirectPath: '/callback' }),
  });
}
