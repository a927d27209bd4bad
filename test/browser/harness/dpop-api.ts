/**
 * A small resource server that accepts DPoP-bound tokens only (RFC 9449 §7.1), for the worker's
 * stop/resume tests: the access token validated with the core (`validateToken`, `at+jwt`, the
 * API's audience) and the proof with `validateDpopRequest` (htm, htu, iat, jti, ath, and
 * `cnf.jkt` against the proof's key). Paths under `/nonce/` also require a nonce the server
 * issued (`createDpopNonceIssuer`). Every request is recorded with its verdict.
 */
import { createServer } from 'node:http';
import {
  createDpopNonceIssuer,
  createMetadataCache,
  DpopError,
  validateDpopRequest,
  validateToken,
} from '../../../src/core/index.js';

/** A request as the API saw it. */
export interface DpopApiRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | null;
  readonly dpop: string | null;
  /** True when token and proof validated. */
  readonly valid: boolean;
  /** The error code when they did not (e.g. `ERR_DPOP_NONCE_INVALID`). */
  readonly error: string | undefined;
  /** The validated proof's claims. */
  readonly proof: Readonly<Record<string, unknown>> | undefined;
}

export interface DpopApi {
  readonly port: number;
  /** `http://api.test.com:<port>` (Chromium maps the host to 127.0.0.1). */
  origin(): string;
  readonly requests: DpopApiRequest[];
  close(): Promise<void>;
}

/** Starts the API on 127.0.0.1 with a free port; it accepts DPoP tokens for `resource`. */
export async function startDpopApi(options: {
  issuer: string;
  resource: string;
}): Promise<DpopApi> {
  const cache = createMetadataCache();
  const nonces = createDpopNonceIssuer();
  const requests: DpopApiRequest[] = [];
  let port = 0;
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://placeholder').pathname;
    const origin = req.headers.origin;
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
      // The worker reads both: the challenge and the nonce (RFC 9449 §8).
      res.setHeader('access-control-expose-headers', 'www-authenticate, dpop-nonce');
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET, POST');
      res.setHeader('access-control-allow-headers', 'authorization, content-type, dpop');
      res.writeHead(204).end();
      return;
    }
    for await (const _ of req) {
      // drain the body
    }
    const authorization = req.headers.authorization ?? null;
    const dpop = typeof req.headers.dpop === 'string' ? req.headers.dpop : null;
    let proof: Record<string, unknown> | undefined;
    let error: string | undefined;
    try {
      const token = /^DPoP (.+)$/.exec(authorization ?? '')?.[1];
      if (!token) throw new Error('ERR_NO_DPOP_TOKEN');
      const claims = await validateToken(
        token,
        { performDisco: true, audience: options.resource, typ: 'at+jwt', cache },
        options.issuer,
      );
      const validated = await validateDpopRequest({
        method: req.method ?? 'GET',
        url: `http://api.test.com:${port}${req.url}`,
        headers: req.headers,
        accessTokenClaims: claims,
        ...(path.startsWith('/nonce/') ? { nonce: (n: string) => nonces.check(n) } : {}),
      });
      proof = validated.claims as Record<string, unknown>;
    } catch (caught) {
      error = (caught as { code?: string }).code ?? (caught as Error).message;
      if (caught instanceof DpopError && caught.error === 'use_dpop_nonce') {
        requests.push({
          method: req.method ?? 'GET',
          path,
          authorization,
          dpop,
          valid: false,
          error,
          proof,
        });
        res
          .writeHead(401, {
            'www-authenticate': 'DPoP error="use_dpop_nonce", algs="ES256"',
            'dpop-nonce': await nonces.issue(),
          })
          .end();
        return;
      }
    }
    requests.push({
      method: req.method ?? 'GET',
      path,
      authorization,
      dpop,
      valid: proof !== undefined,
      error,
      proof,
    });
    if (!proof) {
      res.writeHead(401, { 'www-authenticate': 'DPoP error="invalid_token", algs="ES256"' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  port = (server.address() as { port: number }).port;
  return {
    port,
    origin: () => `http://api.test.com:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
