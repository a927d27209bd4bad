/**
 * The prebuilt stand-alone worker (`dist/identity-model-web-sw.js`) for apps without a service
 * worker of their own. Its configuration is a script served next to it,
 * `identity-model-web.config.js`, that sets `self.identityModelWebConfig` (a
 * `TokenHandlerConfig`), unless the script already set it itself (`identity-model-web/vite`
 * writes it on the script's first line): fixed by the app's deployment, never by a page message.
 *
 * @module
 */

// biome-ignore-start assist/source/organizeImports: first the configuration and the database opening
import { config } from './standalone-config.js';
import { createTokenHandler } from './handler.js';
// biome-ignore-end assist/source/organizeImports: end of the ordered imports

createTokenHandler(config).listen();
