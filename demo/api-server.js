/**
 * The demo API: a resource server that validates access tokens (with the library's core, passed
 * in as `validate` and `dpop`), accepts them as `Bearer` (RFC 6750) or, for DPoP-bound tokens, as
 * `DPoP` with a proof (RFC 9449 §7), answers CORS preflights, and records every request so the
 * browser tests can see which requests carried a token and what the proofs said. Shared by the
 * browser demo and the browser tests.
 */
import { createServer } from 'node:http';

/**
 * @typedef {typeof import('../src/core/index.js')} Core
 * @typedef {Pick<Core, 'validateDpopRequest' | 'createDpopNonceIssuer' | 'createDpopReplayCache'>} DpopCore
 */

/**
 * How the API treats DPoP nonces (RFC 9449 §9):
 * - `off`: no nonce required (a proof's nonce is ignored);
 * - `required`: every DPoP proof must carry a nonce this API issued and that is still fresh;
 *   without one the answer is 401 `use_dpop_nonce` with a `DPoP-Nonce`;
 * - `loop`: every DPoP request is answered 401 `use_dpop_nonce` with a fresh nonce, whatever
 *   the proof carries: a misbehaving server, which a client must not retry forever.
 * @typedef {'off' | 'required' | 'loop'} DpopNonceMode
 */

/**
 * @typedef {object} DpopSeen The DPoP proof of a request, as the API verified it.
 * @property {string} jkt The RFC 7638 thumbprint of the proof's key.
 * @property {Record<string, unknown>} claims The proof's payload (`htm`, `htu`, `jti`, `iat`,
 *   `ath`, `nonce`).
 */

/**
 * @typedef {object} ApiRequest A request as the API saw it.
 * @property {string} method
 * @property {string} host
 * @property {string} path
 * @property {string | null} authorization
 * @property {'Bearer' | 'DPoP' | null} scheme The Authorization scheme (null without one, or an
 *   unknown one).
 * @property {string | null} dpopProof The `DPoP` header as sent (even when refused).
 * @property {DpopSeen | null} dpop The proof once verified (null without one, or refused).
 * @property {boolean | null} valid Whether the token (and, for `DPoP`, its proof) was accepted
 *   (null when there was no Authorization header).
 * @property {string | null} error Why it was refused: a `DpopError` code (`ERR_DPOP_…`),
 *   `invalid_token`, or `bound_token_as_bearer` (RFC 9449 §7.2).
 * @property {Record<string, unknown> | null} claims The access token's claims when accepted.
 * @property {string} body The request body as text (`''` when there was none).
 * @property {number} status The status the API answered.
 */

/**
 * @typedef {object} ApiServer
 * @property {number} port
 * @property {(host?: string) => string} origin `http://<host>:<port>`; `host` defaults to `defaultHost`.
 * @property {ApiRequest[]} requests
 * @property {() => ApiRequest[]} withToken Requests that carried any Authorization header.
 * @property {DpopNonceMode} dpopNonce How DPoP nonces are demanded from now on (default `off`).
 * @property {(seconds: number) => void} revokeTokensIssuedBefore Refuse every token issued
 *   before this many seconds since the epoch (401 invalid_token).
 * @property {(token: string) => void} revokeToken Refuse this exact token from now on, as a
 *   resource server's deny list would (exact where `iat`, in whole seconds, cannot tell tokens apart).
 * @property {() => Promise<void>} close
 */

/**
 * @typedef {object} ApiServerOptions
 * @property {(token: string) => Promise<Record<string, unknown>>} validate Validates an access
 *   token and returns its claims (throws when invalid), e.g. the core's `validateAccessToken`.
 * @property {DpopCore} dpop The core's DPoP functions, which validate `DPoP` requests.
 * @property {number} [port] Default: a free port.
 * @property {string} [defaultHost] Host of `origin()` without an argument. Default `localhost`.
 */

// A 1×1 transparent PNG, for no-cors image requests.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/** Proof algorithms the API accepts and advertises (`algs`, RFC 9449 §7.1): asymmetric only. */
const DPOP_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'Ed25519',
  'EdDSA',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
];
const DPOP_CHALLENGE = `DPoP algs="${DPOP_ALGORITHMS.join(' ')}"`;

/**
 * @typedef {object} Verdict What the API decided about a request's credentials.
 * @property {'Bearer' | 'DPoP' | null} scheme
 * @property {Record<string, unknown> | undefined} claims The token's claims when accepted.
 * @property {DpopSeen | null} dpop
 * @property {string | null} error
 * @property {string | undefined} challenge `WWW-Authenticate` of a refusal.
 * @property {boolean} [nonce] Whether a refusal carries a fresh `DPoP-Nonce`.
 */

/**
 * Starts the API on 127.0.0.1. Paths under `/v1/` need a valid token (else 401 with a
 * `WWW-Authenticate` challenge); `/v1/redirect?to=URL` answers 302; paths ending in `.png` answer
 * an image; anything else answers 200 without checking.
 *
 * Tokens: `Authorization: Bearer` for tokens that are not DPoP-bound; a bound one (`cnf.jkt`) as
 * Bearer is refused (RFC 9449 §7.2). `Authorization: DPoP` needs a `DPoP` proof that the core's
 * `validateDpopRequest` accepts: signed by the key of the token's `cnf.jkt`, `htm`/`htu` of
 * this request, `ath` of the token, a recent `iat`, a `jti` not seen before (one replay cache per
 * API), and the nonce `dpopNonce` asks for (nonces from `createDpopNonceIssuer`).
 * @param {ApiServerOptions} options
 * @returns {Promise<ApiServer>}
 */
export async function startApiServer(options) {
  /** @type {ApiRequest[]} */
  const requests = [];
  let notBefore = 0;
  const revoked = new Set();
  const nonces = options.dpop.createDpopNonceIssuer({ lifetime: 120 });
  const replayCache = options.dpop.createDpopReplayCache();
  /** @type {{ dpopNonce: DpopNonceMode }} */
  const state = { dpopNonce: 'off' };

  /** @param {string} token */
  async function tokenClaims(token) {
    if (revoked.has(token)) return undefined;
    try {
      const claims = await options.validate(token);
      const iat = typeof claims.iat === 'number' ? claims.iat : 0;
      return iat < notBefore ? undefined : claims;
    } catch {
      return undefined;
    }
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {URL} url
   * @returns {Promise<Verdict>}
   */
  async function authorize(req, url) {
    const header = req.headers.authorization;
    const match = header === undefined ? null : /^(Bearer|DPoP) +(\S+)$/i.exec(header.trim());
    const scheme = match ? (match[1]?.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer') : null;
    const token = match?.[2];
    /** @type {(error: string, challenge: string, nonce?: boolean) => Verdict} */
    const refuse = (error, challenge, nonce = false) => ({
      scheme,
      claims: undefined,
      dpop: null,
      error,
      challenge,
      nonce,
    });
    if (!token) return refuse('invalid_token', `Bearer error="invalid_token", ${DPOP_CHALLENGE}`);
    const claims = await tokenClaims(token);
    const bound = typeof (/** @type {any} */ (claims)?.cnf?.jkt) === 'string';
    if (scheme === 'Bearer') {
      if (!claims) return refuse('invalid_token', 'Bearer error="invalid_token"');
      // RFC 9449 §7.2: a DPoP-bound token presented as a bearer token is refused, or a thief
      // holding the token without the key could downgrade to Bearer.
      if (bound) {
        return refuse('bound_token_as_bearer', `Bearer error="invalid_token", ${DPOP_CHALLENGE}`);
      }
      return { scheme, claims, dpop: null, error: null, challenge: undefined };
    }
    if (!claims) return refuse('invalid_token', `DPoP error="invalid_token", ${DPOP_CHALLENGE}`);
    try {
      const proof = await options.dpop.validateDpopRequest({
        method: req.method ?? 'GET',
        // The URL the client used: this demo answers on several host names (localhost,
        // api.test.com, …); a production API names its public URL here instead.
        url: `http://${req.headers.host}${url.pathname}${url.search}`,
        headers: req.headers,
        accessTokenClaims: claims,
        algorithms: DPOP_ALGORITHMS,
        replayCache,
        ...(state.dpopNonce === 'off'
          ? {}
          : {
              nonce:
                state.dpopNonce === 'loop'
                  ? () => false
                  : (/** @type {string} */ nonce) => nonces.check(nonce),
            }),
      });
      return {
        scheme,
        claims,
        dpop: { jkt: proof.jkt, claims: { ...proof.claims } },
        error: null,
        challenge: undefined,
      };
    } catch (error) {
      const code = /** @type {{ code?: unknown, error?: unknown }} */ (error);
      if (typeof code.code !== 'string' || !code.code.startsWith('ERR_DPOP_')) throw error;
      const oauthError = String(code.error);
      return refuse(
        code.code,
        `DPoP error="${oauthError}", ${DPOP_CHALLENGE.slice('DPoP '.length)}`,
        oauthError === 'use_dpop_nonce',
      );
    }
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const path = url.pathname;
    const origin = req.headers.origin;
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
      // A browser client reads the challenge and the nonce (RFC 9449 §9) only when exposed.
      res.setHeader('access-control-expose-headers', 'www-authenticate, dpop-nonce');
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
    const header = req.headers.authorization ?? null;
    const dpopProof = typeof req.headers.dpop === 'string' ? req.headers.dpop : null;
    /** @type {Verdict} */
    const verdict =
      header === null
        ? {
            scheme: null,
            claims: undefined,
            dpop: null,
            error: null,
            challenge: `Bearer, ${DPOP_CHALLENGE}`,
          }
        : await authorize(req, url);
    const { claims } = verdict;
    /** @type {ApiRequest} */
    const record = {
      method: req.method ?? 'GET',
      host: req.headers.host ?? '',
      path,
      authorization: header,
      scheme: verdict.scheme,
      dpopProof,
      dpop: verdict.dpop,
      valid: header === null ? null : claims !== undefined,
      error: verdict.error,
      claims: claims ?? null,
      body,
      status: 200,
    };
    requests.push(record);
    if (path === '/v1/redirect') {
      record.status = 302;
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
    } else if (path.endsWith('.png')) {
      res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    } else if (path.startsWith('/v1/') && !claims) {
      record.status = 401;
      /** @type {Record<string, string>} */
      const headers = {
        'content-type': 'application/json',
        'www-authenticate': verdict.challenge ?? 'Bearer',
      };
      if (verdict.nonce) headers['dpop-nonce'] = await nonces.issue();
      res
        .writeHead(401, headers)
        .end(JSON.stringify({ error: header ? verdict.error : 'unauthorized' }));
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          path,
          method: req.method,
          body,
          sub: claims?.sub ?? null,
          clientId: claims?.client_id ?? null,
          scope: claims?.scope ?? null,
          // What the API verified: the scheme, the token's claims (`cnf.jkt` for a bound
          // token) and the proof's claims and key thumbprint.
          scheme: verdict.scheme,
          claims: claims ?? null,
          dpop: verdict.dpop,
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
    get dpopNonce() {
      return state.dpopNonce;
    },
    set dpopNonce(mode) {
      state.dpopNonce = mode;
    },
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
