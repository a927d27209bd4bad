/**
 * The demo's "other origin": a server the worker's allowlist does not name, which answers every
 * request with the credentials it received (`Authorization`, `DPoP`, cookies). It lets any
 * origin call it with those headers (CORS), so a token would arrive if one were sent: the answer
 * shows that none was.
 */
import { createServer } from 'node:http';

/**
 * @typedef {object} Echo What the server received.
 * @property {string} method
 * @property {string} url
 * @property {string | null} authorization
 * @property {string | null} dpop
 * @property {string | null} cookie
 * @property {string | null} origin
 */

/**
 * @typedef {object} EchoServer
 * @property {number} port
 * @property {string} origin `http://localhost:<port>`
 * @property {Echo[]} requests
 * @property {() => Promise<void>} close
 */

/**
 * Starts the echo server on 127.0.0.1.
 * @param {{ port?: number }} [options] `port` defaults to a free one.
 * @returns {Promise<EchoServer>}
 */
export async function startEchoServer(options = {}) {
  /** @type {Echo[]} */
  const requests = [];
  const server = createServer((req, res) => {
    /** @param {string} name */
    const header = (name) => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : null;
    };
    const origin = header('origin');
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET, POST');
      res.setHeader('access-control-allow-headers', 'authorization, dpop, content-type');
      res.writeHead(204).end();
      return;
    }
    /** @type {Echo} */
    const echo = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      authorization: header('authorization'),
      dpop: header('dpop'),
      cookie: header('cookie'),
      origin,
    };
    requests.push(echo);
    res
      .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify(echo));
  });
  await new Promise((resolve) =>
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined)),
  );
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    port,
    origin: `http://localhost:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}
