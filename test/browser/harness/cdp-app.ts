/**
 * The app of the debugger-free suite (cdp.ts): the test app's page, plus what the suite reads
 * without touching the worker: every keep-alive message the page sends (counted by wrapping
 * `ServiceWorker.prototype.postMessage` before the client loads), and the end-session URL kept
 * instead of followed, so a signed-out page stays open. `?keepAlive=N` sets the client's
 * `keepAliveInterval` (seconds; `0` turns it off); `?pageTimer=1` takes `Worker` away, so the
 * keep-alive falls back to the page's own timer.
 */
import { startAppServer as startServer } from '../../../demo/app-server.js';
import { type AppServer, clockConfigScript } from './app-server.js';

/** Where the CDP suite's global setup puts the page client and the stand-alone worker. */
export const CDP_BUILD_DIR = new URL('../../../test-results/cdp-build/', import.meta.url).pathname;

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>identity-model-web keep-alive app</title></head>
<body>
<script>
  // ?pageTimer=1: no dedicated workers, so the client falls back to the page's own timer.
  if (new URLSearchParams(location.search).get('pageTimer') === '1') delete window.Worker;
  window.keepAlives = [];
  const post = ServiceWorker.prototype.postMessage;
  ServiceWorker.prototype.postMessage = function (message, ...rest) {
    if (message && message.type === 'keepAlive') window.keepAlives.push({ at: Date.now(), to: this });
    return post.call(this, message, ...rest);
  };
</script>
<script type="module">
  import { createIdentityClient } from '/client.js';
  const keepAlive = new URLSearchParams(location.search).get('keepAlive');
  const identity = createIdentityClient({
    serviceWorker: '/sw.js',
    timeout: 15000,
    ...(keepAlive === null ? {} : { keepAliveInterval: Number(keepAlive) }),
    navigate: (url) => {
      // Sign-out goes through the worker's logout route (then to the provider): not followed.
      if (url.includes('logout_ticket=')) window.endSessionUrl = url;
      else location.assign(url);
    },
  });
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

/**
 * Starts the app; `version()` is written into the worker's configuration script, so changing it
 * makes the browser see a new worker version at its next update check.
 */
export async function startCdpApp(): Promise<AppServer & { version: number }> {
  const state = { version: 1 };
  const server = await startServer({
    page: PAGE,
    buildDir: CDP_BUILD_DIR,
    configScript: (config) => `${clockConfigScript(config)}\n// version ${state.version}\n`,
  });
  return Object.defineProperty(server, 'version', {
    get: () => state.version,
    set: (value: number) => {
      state.version = value;
    },
  }) as AppServer & { version: number };
}
