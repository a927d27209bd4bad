/**
 * The stand-alone worker's first module: it loads the configuration and, in a worker the browser
 * restarted (already `activated`), starts opening the login database before the rest of the
 * worker's script has run, so the persisted session is read sooner (the first API call after a
 * stop waits for it). It imports nothing but the login database.
 *
 * @module
 */

import type { TokenHandlerConfig } from './config.js';
import { DEFAULT_LOGIN_DATABASE, loginDatabase } from './transactions.js';

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

/** The configuration the deployment set (checked by `createTokenHandler`). */
export const config: TokenHandlerConfig = self.identityModelWebConfig;

const name = config.databases?.transactions ?? DEFAULT_LOGIN_DATABASE;
if (self.serviceWorker?.state === 'activated' && typeof name === 'string') {
  // The same store createContext later uses (loginDatabase keeps one per name): opening only.
  loginDatabase(name)()('readonly', () => undefined).catch(() => {});
}
