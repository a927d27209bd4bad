/**
 * The app server: serves a page, the page client (`/client.js`), the stand-alone worker
 * (`/sw.js`) and the worker's configuration script (`/identity-model-web.config.js`) on
 * http://localhost (a secure context for service workers). Shared by the browser demo and the
 * browser tests.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';

/**
 * @typedef {import('../sw/config.js').TokenHandlerConfig} TokenHandlerConfig
 */

/**
 * @typedef {object} AppServerOptions
 * @property {string} page HTML answered for every path that is not one of the scripts.
 * @property {string} buildDir Folder (ending in `/`) holding `client.js` and `sw.js` (see build.js).
 * @property {Record<string, string>} [scripts] More scripts: URL path → file.
 * @property {string[]} [notFound] Paths answered 404 (e.g. a route only a worker answers).
 * @property {(config: Omit<TokenHandlerConfig, 'now'> | undefined) => string} [configScript]
 *   The configuration script's text. Default: `self.identityModelWebConfig = <config as JSON>;`.
 * @property {number} [port] Default: a free port.
 * @property {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean} [guard]
 *   Answers a request first when it returns `true`: the host's callback guard
 *   (`identity-model-web/callback-guard`), which answers the redirect URI when the worker did not.
 */

/**
 * @typedef {object} AppServer
 * @property {number} port
 * @property {string} origin `http://localhost:<port>`
 * @property {Omit<TokenHandlerConfig, 'now'> | undefined} config The worker configuration, set
 *   before pages load.
 * @property {string} page The page's HTML (replaceable, like `config`).
 * @property {Map<string, number>} hits Requests per path (e.g. how often `/callback` reached the
 *   server, bypassing the worker).
 * @property {{ path: string, authorization: string | null, mode: string | null }[]} requests
 *   Every request, with its Authorization header and `Sec-Fetch-Mode` (e.g. `navigate`).
 * @property {() => Promise<void>} close
 */

/**
 * Starts the app server on 127.0.0.1 (reached as `localhost`).
 * @param {AppServerOptions} options
 * @returns {Promise<AppServer>}
 */
export async function startAppServer(options) {
  /** @type {Map<string, number>} */
  const hits = new Map();
  /** @type {AppServer['requests']} */
  const requests = [];
  /** @type {{ config: AppServer['config'], page: string }} */
  const app = { config: undefined, page: options.page };
  const configScript =
    options.configScript ??
    ((config) => `self.identityModelWebConfig = ${JSON.stringify(config)};`);
  /** @type {Record<string, string>} */
  const scripts = {
    '/client.js': `${options.buildDir}client.js`,
    '/sw.js': `${options.buildDir}sw.js`,
    ...options.scripts,
  };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    /** @param {string} name */
    const header = (name) => /** @type {string | undefined} */ (req.headers[name]) ?? null;
    requests.push({ path, authorization: header('authorization'), mode: header('sec-fetch-mode') });
    /** @param {string} type @param {string} body @param {number} [status] */
    const send = (type, body, status = 200) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    };
    if (options.guard?.(req, res)) return;
    const script = scripts[path];
    if (script !== undefined) {
      send('text/javascript', await readFile(script, 'utf8'));
    } else if (path === '/identity-model-web.config.js') {
      send('text/javascript', configScript(app.config));
    } else if (path === '/favicon.ico' || options.notFound?.includes(path)) {
      send('text/plain', 'not found', 404);
    } else {
      send('text/html', app.page);
    }
  });
  await new Promise((resolve) =>
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined)),
  );
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    port,
    origin: `http://localhost:${port}`,
    get config() {
      return app.config;
    },
    set config(value) {
      app.config = value;
    },
    get page() {
      return app.page;
    },
    set page(value) {
      app.page = value;
    },
    hits,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}
