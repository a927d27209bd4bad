/**
 * The demo API (demo/api-server.js) for the browser tests: tokens validated with the core from
 * the sources; `origin()` defaults to `api.test.com`, which Chromium maps to 127.0.0.1.
 */
import {
  type ApiRequest,
  type ApiServer,
  startApiServer as startServer,
} from '../../../demo/api-server.js';
import { createMetadataCache, validateToken } from '../../../src/core/index.js';

export type { ApiRequest, ApiServer };

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
  });
}
