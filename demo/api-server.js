/**
 * The demo API: a resource server that validates bearer tokens (with the library's core, passed
 * in as `validate`), answers CORS preflights, and records every request so the browser tests
 * can see which requests carried a token. Shared by the browser demo and the browser tests.
 */
import { createServer } from 'node:http';

/**
 * @typedef {object} ApiRequest A request as the API saw it.
 * @property {string} method
 * @property {string} host
 * @property {string} path
 * @property {string | null} authorization
 * @property {boolean | null} valid Whether the bearer token validated (null when there was none).
 * @property {string} body The request body as text (`''` when there was none).
 */

/**
 * @typedef {object} ApiServer
 * @property {number} port
 * @property {(host?: string) => string} origin `http://<host>:<port>`; `host` defaults to `defaultHost`.
 * @property {ApiRequest[]} requests
 * @property {() => ApiRequest[]} withToken Requests that carried any Authorization header.
 * @property {(seconds: number) => void} revokeTokensIssuedBefore Refuse every token issued
 *   before this many seconds since the epoch (401 invalid_token).
 * @property {(token: string) => void} revokeToken Refuse this exact token from now on, as a
 *   resource server's deny list would (exact where `iat`, in whole seconds, cannot tell tokens apart).
 * @property {() => Promise<void>} close
 */

/**
 * @typedef {object} ApiServerOptions
 * @property {(token: string) => Promise<Record<string, unknown>>} validate Validates a bearer
 *   token and returns its claims (throws when invalid), e.g. the core's `validateAccessToken`.
 * @property {number} [port] Default: a free port.
 * @property {string} [defaultHost] Host of `origin()` without an argument. Default `localhost`.
 */

// A 1×1 transparent PNG, for no-cors image requests.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/**
 * Starts the API on 127.0.0.1. Paths under `/v1/` need a valid token (else 401 with
 * `WWW-Authenticate: Bearer error="invalid_token"`); `/v1/redirect?to=URL` answers 302; paths
 * ending in `.png` answer an image; anything else answers 200 without checking.
 * @param {ApiServerOptions} options
 * @returns {Promise<ApiServer>}
 */
export async function startApiServer(options) {
  /** @type {ApiRequest[]} */
  const requests = [];
  let notBefore = 0;
  const revoked = new Set();

  /** @param {import('node:http').IncomingMessage} req */
  async function authorize(req) {
    const header = req.headers.authorization ?? null;
    const token = header === null ? undefined : /^Bearer (.+)$/.exec(header)?.[1];
    if (!token || revoked.has(token)) return { header, claims: undefined };
    try {
      const claims = await options.validate(token);
      const iat = typeof claims.iat === 'number' ? claims.iat : 0;
      return { header, claims: iat < notBefore ? undefined : claims };
    } catch {
      return { header, claims: undefined };
    }
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const path = url.pathname;
    const origin = req.headers.origin;
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
      res.setHeader('access-control-expose-headers', 'www-authenticate');
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET, POST, PUT, DELETE');
      res.setHeader('access-control-allow-headers', 'authorization, content-type, dpop');
      res.writeHead(204).end();
      return;
    }
    /** @type {Buffer[]} */
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString('utf8');
    const { header, claims } = await authorize(req);
    requests.push({
      method: req.method ?? 'GET',
      host: req.headers.host ?? '',
      path,
      authorization: header,
      valid: header === null ? null : claims !== undefined,
      body,
    });
    if (path === '/v1/redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
    } else if (path.endsWith('.png')) {
      res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    } else if (path.startsWith('/v1/') && !claims) {
      res
        .writeHead(401, {
          'content-type': 'application/json',
          'www-authenticate': header ? 'Bearer error="invalid_token"' : 'Bearer',
        })
        .end(JSON.stringify({ error: header ? 'invalid_token' : 'unauthorized' }));
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          path,
          method: req.method,
          body,
          sub: claims?.sub ?? null,
          clientId: claims?.client_id ?? null,
          scope: claims?.scope ?? null,
        }),
      );
    }
  });
  await new Promise((resolve) =>
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined)),
  );
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  const defaultHost = options.defaultHost ?? 'localhost';
  return {
    port,
    origin: (host = defaultHost) => `http://${host}:${port}`,
    requests,
    withToken: () => requests.filter((r) => r.authorization !== null),
    revokeTokensIssuedBefore(seconds) {
      notBefore = seconds;
    },
    revokeToken(token) {
      revoked.add(token);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}
