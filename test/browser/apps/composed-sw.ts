/// <reference lib="webworker" />
/**
 * An app's own service worker that imports the library's `./sw` entry and composes it with its
 * own routes and messages, as an app with a Workbox/PWA worker would. global-setup.ts builds it
 * (one classic script) into `apps/composed-sw.js`; harness/composed-app.ts serves it.
 *
 * What the app's code sees is recorded in `self.appSeen` for the test to read.
 */
import { createTokenHandler, type TokenHandlerConfig } from '../../../sw/index.js';

declare const self: ServiceWorkerGlobalScope & {
  identityModelWebConfig?: TokenHandlerConfig;
  appSeen: string[];
};

// The deployment's configuration, as for the stand-alone worker (with the tests' movable clock).
importScripts(new URL('identity-model-web.config.js', self.location.href).href);
const identity = createTokenHandler(self.identityModelWebConfig!);
self.appSeen = [];

self.addEventListener('install', (event) => event.waitUntil(self.skipWaiting()));
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  if (identity.handleFetch(event)) return;
  // Everything below is the app's, for whatever the library left alone.
  const url = new URL(event.request.url);
  self.appSeen.push(`${event.request.mode} ${url.origin}${url.pathname}`);
  if (url.origin === self.location.origin && url.pathname === '/hello') {
    event.respondWith(
      new Response(JSON.stringify({ from: 'the app worker' }), {
        headers: { 'content-type': 'application/json', 'x-answered-by': 'app' },
      }),
    );
    return;
  }
  if (event.request.mode === 'cors' && url.origin !== self.location.origin) {
    // The app's own network route for cross-origin calls: passes them on, tagged.
    event.respondWith(
      fetch(event.request).then((response) => {
        const headers = new Headers(response.headers);
        headers.set('x-answered-by', 'app');
        return new Response(response.body, { status: response.status, headers });
      }),
    );
  }
});

self.addEventListener('message', (event) => {
  if (identity.handleMessage(event)) return;
  const data = event.data as { app?: unknown } | null;
  if (data?.app === 'ping') event.ports[0]?.postMessage({ app: 'pong', from: 'the app worker' });
});
