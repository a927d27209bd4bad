/**
 * The world of the fetch benchmark, on loopback: the real provider (demo/provider.js), an API
 * that answers at once and records who sent what, and one origin per contender (each origin has
 * its own service-worker registration):
 * - `ours`: the built stand-alone worker (dist/identity-model-web-sw.js) and page client
 *   (dist/index.js), as an app ships them, with its default configuration: DPoP, since the
 *   provider offers it (a proof per API call, RFC 9449 §7);
 * - `bearer`: the same worker with DPoP turned off in its configuration (Bearer tokens);
 * - `pass`: a hand-written worker that sets a fixed `Authorization` header and nothing else;
 * - `passDpop`: the same worker setting fixed `Authorization: DPoP …` and `DPoP` headers (one
 *   proof `ours` sent, the same bytes on the wire every time);
 * - `pass2`: the same worker on another origin, a control: how far apart two identical workers
 *   measure in this run;
 * - `peer`: @axa-fr/oidc-client with its OidcServiceWorker.js and OidcTrustedDomains.js;
 * - `none`: no worker (the page sets the same header itself).
 * Pages and workers are cross-origin isolated (COOP + COEP) so that `performance.now()` is precise
 * to a few microseconds rather than 100 µs.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DEFAULT_API_RESOURCE, startProvider } from '../../demo/provider.js';

const require = createRequire(import.meta.url);
const DIST = new URL('../../dist/', import.meta.url).pathname;
/** The stand-alone worker as shipped, or another build of it (`BENCH_SW`) to compare a change. */
const OUR_WORKER = process.env.BENCH_SW ?? join(DIST, 'identity-model-web-sw.js');
const WORKBOX_WINDOW = join(
  dirname(require.resolve('workbox-window/package.json')),
  'build/workbox-window.prod.mjs',
);
const PEER_WORKER = require.resolve('@axa-fr/oidc-client-service-worker');
const PEER_CLIENT = join(
  dirname(require.resolve('@axa-fr/oidc-client/package.json')),
  'dist/index.js',
);

/**
 * Prepended to each worker's first script, before the worker adds its listeners: the time from
 * the start of a `fetch` event for `/v1/bench` to the worker's call of `fetch()` (its own work
 * before the network), in ms, kept in `self.__benchProbe`. The same wrapper in every worker.
 */
const PROBE = `(() => {
  const add = self.addEventListener.bind(self);
  const original = self.fetch.bind(self);
  const times = (self.__benchProbe = []);
  let start = 0;
  self.fetch = (...args) => {
    if (start) times.push(performance.now() - start);
    start = 0;
    return original(...args);
  };
  self.addEventListener = (type, listener, options) =>
    add(type, type !== 'fetch' ? listener : (event) => {
      start = event.request.url.includes('/v1/bench') ? performance.now() : 0;
      return listener(event);
    }, options);
})();
`;

/**
 * With `BENCH_TRACE=1` (cold-trace.mjs), put before everything else in our worker's script and
 * the pass-through worker's: notes `[label, ms]` in `self.__trace` (the worker's clock) for the
 * script's start, the `fetch` event, IndexedDB opens and reads, WebCrypto calls, and `fetch()`
 * with its answer; `self.__traceMark('script ends')` follows the script.
 */
const TRACE =
  process.env.BENCH_TRACE === '1'
    ? `(() => {
  const marks = (self.__trace = []);
  const mark = (label) => marks.push([label, performance.now()]);
  self.__traceMark = mark;
  mark('script starts');
  const add = self.addEventListener.bind(self);
  self.addEventListener = (type, listener, options) =>
    add(type, type !== 'fetch' ? listener : (event) => {
      mark('fetch event');
      return listener(event);
    }, options);
  const original = self.fetch;
  self.fetch = (...args) => {
    mark('fetch() called');
    return original.apply(self, args).then((response) => {
      mark('fetch() answered');
      return response;
    });
  };
  const open = indexedDB.open.bind(indexedDB);
  indexedDB.open = (...args) => {
    mark('IndexedDB open');
    const request = open(...args);
    request.addEventListener('success', () => mark('IndexedDB opened'));
    return request;
  };
  const get = IDBObjectStore.prototype.get;
  IDBObjectStore.prototype.get = function (key) {
    mark('IndexedDB get');
    const request = get.call(this, key);
    request.addEventListener('success', () => mark('IndexedDB got'));
    return request;
  };
  for (const name of ['exportKey', 'digest', 'sign']) {
    const method = crypto.subtle[name].bind(crypto.subtle);
    crypto.subtle[name] = (...args) => {
      mark(name);
      return method(...args).then((value) => {
        mark(name + ' done');
        return value;
      });
    };
  }
})();
`
    : '';
const TRACE_END = TRACE ? "\n;self.__traceMark('script ends');\n" : '';

/** The host the API answers on (mapped to 127.0.0.1 in Chromium). */
export const API_HOST = 'api.test.com';

/** @typedef {'ours' | 'bearer' | 'pass' | 'passDpop' | 'pass2' | 'peer' | 'none'} Contender */

/** Every contender, in the order of the tables. */
export const CONTENDERS = /** @type {const} */ ([
  'ours',
  'bearer',
  'pass',
  'passDpop',
  'pass2',
  'peer',
  'none',
]);

/**
 * @typedef {object} ApiStats
 * @property {number} requests
 * @property {number} withToken Requests that carried an `Authorization` header.
 * @property {Set<string>} tokens The distinct access tokens seen (without the scheme).
 * @property {Set<string>} schemes The Authorization schemes seen (`Bearer`, `DPoP`).
 * @property {number} proofs Requests that carried a `DPoP` proof.
 * @property {Set<string>} jtis The distinct `jti`s of those proofs.
 * @property {string | undefined} lastProof The last `DPoP` header seen.
 * @property {string | undefined} lastAuthorization The last `Authorization` header seen.
 */

/**
 * @typedef {object} World
 * @property {import('../../demo/provider.js').DemoProvider} op
 * @property {string} api The allowlisted base URL, `http://api.test.com:PORT/v1/`.
 * @property {(contender: string) => ApiStats} apiStats Requests tagged `?c=<contender>…`.
 * @property {Record<Contender, string>} origins
 * @property {(contender: 'pass' | 'passDpop', headers: Record<string, string>) => void} setFixedHeaders
 *   What a pass-through worker sets (`pass` also serves `pass2`).
 * @property {() => Promise<void>} close
 */

/**
 * @param {import('node:http').RequestListener} listener
 * @returns {Promise<{ port: number, server: import('node:http').Server }>}
 */
async function listen(listener) {
  const server = createServer(listener);
  // Connections stay open between rounds, as a browser keeps them between API calls.
  server.keepAliveTimeout = 120_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return { port, server };
}

// `BENCH_ISOLATED=0` leaves them out (then the timer is coarser, but a restarted Bearer worker's
// silent sign-in can show the provider's page in its iframe: docs/sessions.md).
const ISOLATED =
  process.env.BENCH_ISOLATED === '0'
    ? {}
    : {
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      };

/** A page that sets `data-ready` once `setup` (module code, may `await`) has run. */
const page = (/** @type {string} */ head, /** @type {string} */ setup) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>fetch benchmark</title>${head}</head>
<body><script type="module">
try {
${setup}
  document.body.dataset.ready = 'true';
} catch (error) {
  document.body.dataset.error = String(error?.code ?? error);
}
</script></body></html>`;

const waitForController = `
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
    );
  }`;

/** Starts the provider, the API and the contenders' origins. */
export async function startWorld() {
  /** @type {Map<string, ApiStats>} */
  const stats = new Map();
  const statsOf = (/** @type {string} */ contender) => {
    let entry = stats.get(contender);
    if (!entry) {
      entry = {
        requests: 0,
        withToken: 0,
        tokens: new Set(),
        schemes: new Set(),
        proofs: 0,
        jtis: new Set(),
        lastProof: undefined,
        lastAuthorization: undefined,
      };
      stats.set(contender, entry);
    }
    return entry;
  };
  const api = await listen((req, res) => {
    const origin = req.headers.origin;
    if (origin) res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'origin');
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET');
      res.setHeader('access-control-allow-headers', 'authorization, dpop');
      // Preflights are cached for the whole run: every contender pays the same (nothing).
      res.setHeader('access-control-max-age', '600');
      res.writeHead(204).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://api');
    const entry = statsOf(url.searchParams.get('c') ?? '');
    entry.requests++;
    const authorization = req.headers.authorization;
    if (authorization) {
      entry.withToken++;
      entry.lastAuthorization = authorization;
      const [scheme = '', token = ''] = authorization.split(' ');
      entry.schemes.add(scheme);
      entry.tokens.add(token);
    }
    const proof = req.headers.dpop;
    if (typeof proof === 'string') {
      entry.proofs++;
      entry.lastProof = proof;
      // Not verified here (the API answers at once for every contender alike): the jti only.
      const payload = proof.split('.')[1] ?? '';
      entry.jtis.add(String(JSON.parse(Buffer.from(payload, 'base64url').toString()).jti));
    }
    res
      .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify({ path: url.pathname, authorized: Boolean(authorization) }));
  });
  const apiBase = `http://${API_HOST}:${api.port}/v1/`;

  /** @type {Record<'pass' | 'passDpop', Record<string, string>>} */
  const fixedHeaders = { pass: {}, passDpop: {} };
  /** @type {Record<string, import('node:http').RequestListener>} */
  const handlers = {};
  /** @type {Record<string, { port: number, server: import('node:http').Server }>} */
  const servers = {};
  /** @type {Record<string, string>} */
  const origins = {};
  for (const name of CONTENDERS) {
    servers[name] = await listen((req, res) => handlers[name]?.(req, res));
    origins[name] = `http://localhost:${servers[name]?.port}`;
  }
  const op = await startProvider({
    redirectUris: [
      `${origins.ours}/callback`,
      `${origins.bearer}/callback`,
      `${origins.peer}/authentication/callback`,
    ],
    postLogoutRedirectUris: [`${origins.ours}/`, `${origins.bearer}/`],
  });

  /**
   * @param {import('node:http').ServerResponse} res
   * @param {string} type
   * @param {string | Buffer} body
   */
  const send = (res, type, body) =>
    res
      .writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...ISOLATED })
      .end(body);
  const js = 'text/javascript';
  const html = 'text/html';

  /**
   * Our worker and page on `origin`; `extra` is merged into the worker configuration.
   * @param {string} origin @param {Record<string, unknown>} extra
   * @returns {import('node:http').RequestListener}
   */
  const ourApp = (origin, extra) => async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://app').pathname;
    const chunk = /^\/dist\/([\w-]+\.js)$/.exec(path)?.[1];
    if (chunk) return void send(res, js, await readFile(join(DIST, chunk)));
    if (path === '/workbox-window.mjs') return void send(res, js, await readFile(WORKBOX_WINDOW));
    if (path === '/sw.js') {
      return void send(res, js, `${TRACE}${await readFile(OUR_WORKER, 'utf8')}${TRACE_END}`);
    }
    if (path === '/identity-model-web.config.js') {
      const config = {
        issuer: op.issuer,
        clientId: 'demo-spa',
        redirectUri: `${origin}/callback`,
        postLogoutRedirectUri: `${origin}/`,
        scope: 'openid profile email api:read',
        apis: [{ url: apiBase, resource: DEFAULT_API_RESOURCE }],
        ...extra,
      };
      return void send(res, js, `${PROBE}self.identityModelWebConfig = ${JSON.stringify(config)};`);
    }
    send(
      res,
      html,
      page(
        // The package imports workbox-window's ES module build by its path in the package.
        '<script type="importmap">{"imports":{"workbox-window/build/workbox-window.prod.mjs":"/workbox-window.mjs"}}</script>',
        `
  const { createIdentityClient } = await import('/dist/index.js');
  // No keep-alive: its message could restart a stopped worker before the timed cold fetch (the
  // warm rounds keep the worker busy anyway).
  const identity = createIdentityClient({ serviceWorker: '/sw.js', timeout: 15000, keepAliveInterval: 0 });
  window.identity = identity;
  document.body.dataset.state = (await identity.ready()).state;`,
      ),
    );
  };

  handlers.ours = ourApp(/** @type {string} */ (origins.ours), {});
  // DPoP off: the worker asks for Bearer tokens and sends them as such.
  handlers.bearer = ourApp(/** @type {string} */ (origins.bearer), { dpop: false });

  /**
   * A pass-through worker setting the fixed headers of `kind`.
   * @param {'pass' | 'passDpop'} kind
   * @returns {import('node:http').RequestListener}
   */
  const passThrough = (kind) => (req, res) => {
    const path = new URL(req.url ?? '/', 'http://app').pathname;
    if (path === '/pass-sw.js') {
      // The least a token-attaching worker can do: copy the headers, set fixed ones, forward.
      return void send(
        res,
        js,
        `${TRACE}${PROBE}const API = ${JSON.stringify(apiBase)};
const FIXED = ${JSON.stringify(Object.entries(fixedHeaders[kind]))};
self.addEventListener('install', (event) => event.waitUntil(self.skipWaiting()));
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (!req.url.startsWith(API)) return;
  const headers = new Headers(req.headers);
  for (const [name, value] of FIXED) headers.set(name, value);
  event.respondWith(fetch(new Request(req, { headers })));
});${TRACE_END}`,
      );
    }
    send(
      res,
      html,
      page('', `  await navigator.serviceWorker.register('/pass-sw.js');${waitForController}`),
    );
  };
  handlers.pass = passThrough('pass');
  handlers.passDpop = passThrough('passDpop');

  handlers.peer = async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://app').pathname;
    if (path === '/oidc-client.js') return void send(res, js, await readFile(PEER_CLIENT));
    if (path === '/OidcServiceWorker.js') return void send(res, js, await readFile(PEER_WORKER));
    if (path === '/OidcTrustedDomains.js') {
      const domains = { oidcDomains: [op.issuer], accessTokenDomains: [apiBase] };
      return void send(
        res,
        js,
        `${PROBE}const trustedDomains = { default: ${JSON.stringify(domains)} };`,
      );
    }
    send(
      res,
      html,
      page(
        '',
        `
  const { OidcClient } = await import('/oidc-client.js');
  const configuration = {
    client_id: 'demo-spa',
    redirect_uri: location.origin + '/authentication/callback',
    scope: 'openid profile email api:read',
    authority: ${JSON.stringify(op.issuer)},
    service_worker_relative_url: '/OidcServiceWorker.js',
    service_worker_only: true,
    service_worker_activate: () => true,
    // A JWT access token for the API, as ours gets (same size on the wire).
    extras: { resource: ${JSON.stringify(DEFAULT_API_RESOURCE)} },
  };
  const peer = OidcClient.getOrCreate(() => fetch)(configuration);
  window.peer = peer;
  await peer.tryKeepExistingSessionAsync();
  if (location.pathname === '/authentication/callback') {
    await peer.loginCallbackAsync();
    location.replace('/');
    await new Promise(() => {});
  }
  ${waitForController}
  document.body.dataset.state = peer.tokens ? 'authenticated' : 'unauthenticated';`,
      ),
    );
  };

  handlers.pass2 = handlers.pass;

  handlers.none = (_req, res) => send(res, html, page('', ''));

  return /** @type {World} */ ({
    op,
    api: apiBase,
    apiStats: statsOf,
    origins,
    setFixedHeaders(kind, headers) {
      fixedHeaders[kind] = headers;
    },
    async close() {
      for (const { server } of [api, ...Object.values(servers)]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(() => resolve(undefined)));
      }
      await op.close();
    },
  });
}
