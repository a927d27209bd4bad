/**
 * Recorded provider profiles (test/fixtures/providers/*.json) served from loopback.
 *
 * A recorded discovery document names the vendor's https hosts (`login.microsoftonline.com`,
 * `www.googleapis.com`, …). The documents are kept verbatim, so that the discovery policy judges
 * the real URLs; a {@link ProfileOp} serves, for each recorded host, what that host serves
 * (the document at its well-known path, a JWK Set of test keys at its `jwks_uri`) from one local
 * HTTP server, and its `fetch` (the library's documented transport hook, not a stub of the
 * library) sends each https request to that server under `/<host>/<path>`. Unknown paths answer
 * 404, so a request to a host or path the document does not name fails as it would for real.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import type { FetchLike } from '../../src/core/http/defaults.js';
import { jwks, makeKey, sign, type TestKey } from './hostile-op.js';
import { startServer, type TestServer } from './server.js';

const DIR = new URL('../fixtures/providers/', import.meta.url);

/** A recorded discovery document, parsed fresh. */
export function providerFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`${name}.json`, DIR), 'utf8')) as Record<string, unknown>;
}

/** A recorded provider served from loopback; see the module comment. */
export interface ProfileOp {
  readonly server: TestServer;
  /** The signing key whose public JWK the recorded `jwks_uri` serves. */
  readonly key: TestKey;
  /** Routes each https URL to the local server (the library's `fetch` option). */
  readonly fetch: FetchLike;
  /** Serves `document` at `discoveryUrl` and the key set at its `jwks_uri`. */
  serve(discoveryUrl: string, document: Record<string, unknown>): void;
  /** Signs `claims` with {@link key}; `header` adds or overrides protected header members. */
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** Requests the server received for one recorded URL. */
  count(url: string): number;
}

function localPath(url: string): string {
  const parsed = new URL(url);
  return `/${parsed.host}${parsed.pathname}`;
}

/** Starts a {@link ProfileOp} for the file's tests (closed after them). */
export function useProfileOp(keyAlg: 'RS256' | 'ES256' = 'RS256'): () => ProfileOp {
  let op: ProfileOp | undefined;
  beforeAll(async () => {
    const server = await startServer();
    const key = await makeKey(keyAlg, { kid: `profile-${keyAlg}` });
    const fetch: FetchLike = (input, init) => {
      const url = new URL(input);
      if (url.protocol !== 'https:') return globalThis.fetch(input, init);
      return globalThis.fetch(`${server.url}/${url.host}${url.pathname}${url.search}`, init);
    };
    op = {
      server,
      key,
      fetch,
      serve(discoveryUrl, document) {
        server.json(localPath(discoveryUrl), document);
        if (typeof document.jwks_uri === 'string') {
          server.json(localPath(document.jwks_uri), jwks(key));
        }
      },
      sign: (claims, header = {}) => sign(key, claims, { header }),
      count: (url) => server.count(localPath(url)),
    };
  });
  afterAll(() => op?.server.close());
  return () => {
    if (!op) throw new Error('useProfileOp: the server starts in beforeAll');
    return op;
  };
}
