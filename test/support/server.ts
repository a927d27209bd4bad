/**
 * A small local HTTP server for hostile-input tests: routes answer with whatever a test needs
 * (bad documents, wrong content types, redirects, huge or hanging bodies), and every request is
 * recorded so tests can count what reached the "server".
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';

/** A request as the server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A route handler; `body` is the request body already read as text. */
export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
) => void | Promise<void>;

export interface TestServer {
  /** Base URL, `http://127.0.0.1:PORT` (no trailing slash). */
  url: string;
  port: number;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Requests received for one path (query string ignored). */
  count(path: string): number;
  /** Adds or replaces the handler of `METHOD path` (query string ignored). */
  route(method: string, path: string, handler: Handler): void;
  /** Serves `body` as JSON (status 200 unless given) with extra headers. */
  json(
    path: string,
    body: unknown,
    init?: { status?: number; headers?: Record<string, string> },
  ): void;
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 with a free port (or `port`, e.g. one from {@link refusedUrl}).
 * Unknown routes answer 404.
 */
export async function startServer(port = 0): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?', 1)[0]!;
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
    const handler = routes.get(`${req.method} ${path}`);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
      return;
    }
    try {
      await handler(req, res, body);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${bound}`;
  const api: TestServer = {
    url,
    port: bound,
    requests,
    count: (path) => requests.filter((r) => r.path === path).length,
    route(method, path, handler) {
      routes.set(`${method.toUpperCase()} ${path}`, handler);
    },
    json(path, body, init = {}) {
      api.route('GET', path, (_req, res) => {
        res
          .writeHead(init.status ?? 200, { 'content-type': 'application/json', ...init.headers })
          .end(typeof body === 'string' ? body : JSON.stringify(body));
      });
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}

/**
 * A base URL on 127.0.0.1 where nothing listens, so a request gets "connection refused"
 * (`ECONNREFUSED`). The port was free a moment ago; another process could take it, which is
 * unlikely within a test.
 */
export async function refusedUrl(): Promise<{ url: string; port: number }> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return { url: `http://127.0.0.1:${port}`, port };
}
