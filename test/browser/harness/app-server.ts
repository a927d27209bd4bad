/**
 * The test app on http://localhost (a secure context for service workers): a page that creates
 * the identity client, the stand-alone worker, and the worker's configuration script.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenHandlerConfig } from '../../../sw/config.js';
import { BUILD_DIR } from './paths.js';

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
  identity.subscribe((event) => window.events.push(event));
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

export interface AppServer {
  readonly port: number;
  /** `http://localhost:<port>` */
  readonly origin: string;
  /**
   * The worker configuration served as `identity-model-web.config.js`. `now` may not be set here:
   * the served script gives the worker a clock that tests can move (`self.__clockOffset`, ms).
   */
  config: Omit<TokenHandlerConfig, 'now'> | undefined;
  /** Requests per path (e.g. how often `/callback` reached the server, bypassing the worker). */
  readonly hits: Map<string, number>;
  /** Every request, with its Authorization header and `Sec-Fetch-Mode` (e.g. `navigate`). */
  readonly requests: { path: string; authorization: string | null; mode: string | null }[];
  close(): Promise<void>;
}

/** Starts the app server on a free port (configuration set later, before pages load). */
export async function startAppServer(): Promise<AppServer> {
  const hits = new Map<string, number>();
  const requests: AppServer['requests'] = [];
  const app: { config: AppServer['config'] } = { config: undefined };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const header = (name: string) => (req.headers[name] as string | undefined) ?? null;
    requests.push({ path, authorization: header('authorization'), mode: header('sec-fetch-mode') });
    const send = (type: string, body: string, status = 200) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    };
    if (path === '/client.js') {
      send('text/javascript', await readFile(`${BUILD_DIR}client.js`, 'utf8'));
    } else if (path === '/sw.js') {
      send('text/javascript', await readFile(`${BUILD_DIR}sw.js`, 'utf8'));
    } else if (path === '/identity-model-web.config.js') {
      send(
        'text/javascript',
        `self.identityModelWebConfig = Object.assign(${JSON.stringify(app.config)}, { now: () => Date.now() + (self.__clockOffset || 0) });`,
      );
    } else if (path === '/favicon.ico') {
      send('text/plain', 'not found', 404);
    } else {
      send('text/html', PAGE);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://localhost:${port}`,
    get config() {
      return app.config;
    },
    set config(value) {
      app.config = value;
    },
    hits,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
