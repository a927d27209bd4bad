/**
 * `identity-model-web/vite`: a Vite plugin that serves the prebuilt stand-alone worker with its
 * configuration in `vite dev` and emits it in `vite build`.
 *
 * The configuration is written in `vite.config.ts` (typed, checked when Vite starts: a bad one
 * stops `vite dev` and fails `vite build` with the path of the bad member) and is put at the top
 * of the worker script itself. So the served worker is one file whose bytes change whenever the
 * configuration or the package changes, and the browser's update check (byte-for-byte, on every
 * navigation at most once a day) installs the new worker after an `npm update`: no copied worker
 * can go stale beside a newer page client.
 *
 * @example
 * ```ts
 * // vite.config.ts
 * import { defineConfig } from 'vite';
 * import { identityModelWeb } from 'identity-model-web/vite';
 *
 * export default defineConfig({
 *   plugins: [
 *     identityModelWeb({
 *       config: {
 *         issuer: 'https://op.example',
 *         clientId: 'spa',
 *         redirectUri: '/callback',
 *         postLogoutRedirectUri: '/',
 *         scope: 'openid profile offline_access api:read',
 *         apis: [{ url: 'https://api.example.com/v1/', resource: 'https://api.example.com' }],
 *       },
 *     }),
 *   ],
 * });
 * // in the page: createIdentityClient({ serviceWorker: '/identity-model-web-sw.js' })
 * ```
 *
 * @packageDocumentation
 *
 * @module identity-model-web/vite
 */

import { readFileSync } from 'node:fs';
import type { Plugin, ResolvedConfig as ViteConfig } from 'vite';
import { checkWorkerConfig, type WorkerConfig, workerPrelude } from './worker-config.js';

export type { ApiEntry } from '../../sw/allowlist.js';
export type { TokenHandlerConfig } from '../../sw/config.js';
export type { DiscoveryPolicy } from '../core/discovery/policy.js';
export type { FetchLike, HttpOptions, SleepFn } from '../core/http/defaults.js';
export type { WorkerConfig } from './worker-config.js';

/** Options of {@link identityModelWeb}. */
export interface IdentityModelWebOptions {
  /**
   * The worker's configuration: the stand-alone worker's `TokenHandlerConfig` without its
   * function members (`fetch`, `sleep`, `signal`, `now`), since it is written into the worker
   * script as JSON. `redirectUri` and `postLogoutRedirectUri` may be paths (`/callback`),
   * resolved against the worker's own URL in the browser.
   */
  config: WorkerConfig;
  /**
   * The worker's file name, served and emitted at the root of Vite's `base`. Default
   * `identity-model-web-sw.js`: the page registers `${base}identity-model-web-sw.js`, whose scope
   * (its folder) must cover the redirect URI and every page that calls the APIs.
   */
  fileName?: string;
}

/** The name the plugin reports itself by in Vite's errors and logs. */
const NAME = 'identity-model-web';

/** Reads a file that ships next to this module in the package's `dist/`. */
function packageFile(name: string): string {
  return readFileSync(new URL(name, import.meta.url), 'utf8');
}

/**
 * The worker and its source map with the configuration prepended. The prelude is one line, so
 * the map's mappings shift by one line (`;`) and stay exact.
 */
function buildWorker(config: WorkerConfig, fileName: string): { script: string; map: string } {
  const version = (JSON.parse(packageFile('../package.json')) as { version: string }).version;
  const prelude = workerPrelude(config, version);
  const worker = packageFile('./identity-model-web-sw.js').replace(
    /\/\/# sourceMappingURL=.*\s*$/,
    `//# sourceMappingURL=${fileName}.map\n`,
  );
  const map = JSON.parse(packageFile('./identity-model-web-sw.js.map')) as {
    file?: string;
    mappings: string;
  };
  map.file = fileName;
  map.mappings = `;${map.mappings}`;
  return { script: `${prelude}\n${worker}`, map: JSON.stringify(map) };
}

/**
 * The Vite plugin. In `vite dev` it serves `${base}${fileName}` (and its source map) with
 * `Cache-Control: no-cache`; in `vite build` it emits the same bytes into the output folder.
 * The configuration is checked when Vite resolves its own, with the library's worker rules:
 * a bad member stops Vite with `identity-model-web: "config.redirectUri" must be a URL` (or
 * the like).
 *
 * @param options - The worker configuration and the worker's file name.
 * @returns A Vite plugin (Vite 5 and later).
 */
export function identityModelWeb(options: IdentityModelWebOptions): Plugin {
  const fileName = options.fileName ?? 'identity-model-web-sw.js';
  if (!/^[\w.-]+\.js$/.test(fileName)) {
    throw new Error(`${NAME}: "fileName" must be a plain .js file name, got ${fileName}`);
  }
  let built: { script: string; map: string } | undefined;
  const worker = () => {
    built ??= buildWorker(options.config, fileName);
    return built;
  };
  let base = '/';
  return {
    name: NAME,
    configResolved(config: ViteConfig) {
      base = config.base.endsWith('/') ? config.base : `${config.base}/`;
      try {
        checkWorkerConfig(options.config);
      } catch (error) {
        throw new Error(`${NAME}: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const path = request.url?.split('?')[0];
        const body =
          path === `${base}${fileName}`
            ? worker().script
            : path === `${base}${fileName}.map`
              ? worker().map
              : undefined;
        if (body === undefined) return next();
        response.setHeader(
          'Content-Type',
          path?.endsWith('.map') ? 'application/json' : 'text/javascript',
        );
        // The browser checks the worker for updates anyway; no-cache keeps dev edits visible.
        response.setHeader('Cache-Control', 'no-cache');
        response.end(body);
      });
    },
    generateBundle() {
      const { script, map } = worker();
      this.emitFile({ type: 'asset', fileName, source: script });
      this.emitFile({ type: 'asset', fileName: `${fileName}.map`, source: map });
    },
  };
}
