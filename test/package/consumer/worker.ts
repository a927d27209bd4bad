// An app's own service worker that uses the package. test/package/consumer.mjs compiles it
// against the packed package (tsconfig.worker.json: WebWorker libs, strict, skipLibCheck false).
import { isIdentityModelError } from 'identity-model-web/core';
import { createTokenHandler } from 'identity-model-web/sw';

declare const self: ServiceWorkerGlobalScope;

const identity = createTokenHandler({
  issuer: 'https://op.example',
  clientId: 'spa',
  redirectUri: `${self.location.origin}/callback`,
  apis: [{ url: 'https://api.example/v1/' }],
});

self.addEventListener('fetch', (event) => {
  if (identity.handleFetch(event)) return;
  event.respondWith(fetch(event.request));
});
self.addEventListener('message', (event) => {
  identity.handleMessage(event);
});
self.addEventListener('error', (event) => {
  if (isIdentityModelError(event.error)) console.warn(event.error.code);
});
