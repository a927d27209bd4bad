/**
 * The demo API for the browser tests: validates bearer tokens with the library's core (as a
 * resource server would), answers CORS preflights, and records every request so tests can see
 * which requests carried a token.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMetadataCache, validateToken } from '../../../src/core/index.js';

/** A request as the API saw it. */
export interface ApiRequest {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly authorization: string | null;
  /** Whether the bearer token validated (null when there was none). */
  readonly valid: boolean | null;
  /** The request body as text (`''` when there was none). */
  readonly body: string;
}

export interface ApiServer {
  readonly port: number;
  /** `http://<host>:<port>`; `host` defaults to `api.test.com` (mapped to 127.0.0.1 in Chromium). */
  origin(host?: string): string;
  readonly requests: ApiRequest[];
  /** Requests that carried any Authorization header. */
  withToken(): ApiRequest[];
  /** Refuse every token issued before this many seconds since the epoch (401 invalid_token). */
  revokeTokensIssuedBefore(seconds: number): void;
  /**
   * Refuse this exact token from now on (401 invalid_token), as a resource server's deny list
   * would: exact where `iat` (whole seconds) cannot tell an old token from a new one.
   */
  revokeToken(token: string): void;
  close(): Promise<void>;
}

/** Starts the API on 127.0.0.1 with a free port. */
export async function startApiServer(options: {
  issuer: string;
  resource: string;
  appOrigin: string;
}): Promise<ApiServer> {
  const requests: ApiRequest[] = [];
  const cache = createMetadataCache();
  let notBefore = 0;
  const revoked = new Set<string>();

  async function authorize(req: IncomingMessage) {
    const header = req.headers.authorization ?? null;
    if (header === null) return { header, claims: undefined };
    const token = /^Bearer (.+)$/.exec(header)?.[1];
    if (!token || revoked.has(token)) return { header, claims: undefined };
    try {
      const claims = await validateToken(
        token,
        { performDisco: true, audience: options.resource, typ: 'at+jwt', cache },
        options.issuer,
      );
      if ((claims.iat ?? 0) < notBefore) return { header, claims: undefined };
      return { header, claims };
    } catch {
      return { header, claims: undefined };
    }
  }

  const cors = (req: IncomingMessage, res: ServerResponse) => {
    const origin = req.headers.origin;
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
      res.setHeader('access-control-expose-headers', 'www-authenticate');
    }
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const path = url.pathname;
    cors(req, res);
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET, POST, PUT, DELETE');
      res.setHeader('access-control-allow-headers', 'authorization, content-type, dpop');
      res.writeHead(204).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
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
      return;
    }
    if (path.endsWith('.png')) {
      // A 1×1 transparent PNG, for no-cors image requests.
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
        'base64',
      );
      res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      return;
    }
    if (path.startsWith('/v1/') && !claims) {
      res
        .writeHead(401, {
          'content-type': 'application/json',
          'www-authenticate': header ? 'Bearer error="invalid_token"' : 'Bearer',
        })
        .end(JSON.stringify({ error: header ? 'invalid_token' : 'unauthorized' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        path,
        method: req.method,
        body,
        sub: claims?.sub ?? null,
        clientId: claims?.client_id ?? null,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: (host = 'api.test.com') => `http://${host}:${port}`,
    requests,
    withToken: () => requests.filter((r) => r.authorization !== null),
    revokeTokensIssuedBefore(seconds) {
      notBefore = seconds;
    },
    revokeToken(token) {
      revoked.add(token);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
