/**
 * The demo API (demo/api-server.js) for the browser tests: tokens validated with the core from
 * the sources, as `Bearer` or as DPoP-bound tokens with a proof (`validateDpopRequest`; set
 * `api.dpopNonce` per test to make it demand nonces); `origin()` defaults to `api.test.com`,
 * which Chromium maps to 127.0.0.1.
 */
import {
  type ApiRequest,
  type ApiServer,
  type DpopNonceMode,
  startApiServer as startServer,
} from '../../../demo/api-server.js';
import {
  createDpopNonceIssuer,
  createDpopReplayCache,
  createMetadataCache,
  validateDpopRequest,
  validateToken,
} from '../../../src/core/index.js';

export type { ApiRequest, ApiServer, DpopNonceMode };

/** Starts the API on 127.0.0.1 with a free port; it accepts `at+jwt` tokens for `resource`. */
export function startApiServer(options: {
  issuer: string;
  resource: string;
  appOrigin: string;
}): Promise<ApiServer> {
  const cache = createMetadataCache();
  return startServer({
    defaultHost: 'api.test.com',
    validate: (token) =>
      validateToken(
        token,
        { performDisco: true, audience: options.resource, typ: 'at+jwt', cache },
        options.issuer,
      ),
    dpop: { validateDpopRequest, createDpopNonceIssuer, createDpopReplayCache },
  });
}
