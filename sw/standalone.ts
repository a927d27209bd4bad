/**
 * The prebuilt stand-alone worker (`dist/identity-model-web-sw.js`) for apps without a service
 * worker of their own. Its configuration is a script served next to it,
 * `identity-model-web.config.js`, that sets `self.identityModelWebConfig` (a
 * `TokenHandlerConfig`), unless the script already set it itself (`identity-model-web/vite`
 * writes it on the script's first line): fixed by the app's deployment, never by a page message.
 *
 * @module
 */

import type { TokenHandlerConfig } from './config.js';
import { createTokenHandler } from './handler.js';

declare const self: ServiceWorkerGlobalScope & { identityModelWebConfig?: TokenHandlerConfig };

// A build tool (the Vite plugin) may have put the configuration at the top of this script.
if (!self.identityModelWebConfig) {
  importScripts(new URL('identity-model-web.config.js', self.location.href).href);
}
if (!self.identityModelWebConfig) {
  throw new Error(
    'identity-model-web: identity-model-web.config.js must set self.identityModelWebConfig',
  );
}
createTokenHandler(self.identityModelWebConfig).listen();
