/**
 * Hostile discovery responses served by the local test server: lying issuers, foreign or
 * downgraded endpoints, broken and mistyped documents, prototype-pollution attempts, wrong
 * content types, error statuses, redirects, oversized and hanging bodies, rate limiting.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DiscoveryRequest, getDiscoveryDocument } from '../../../src/core/discovery/get.js';
import { REQUIRED_MEMBERS } from '../../../src/core/discovery/members.js';
import { DiscoveryError, HttpError } from '../../../src/core/errors.js';
import type { FailedResponse } from '../../../src/core/lib/response.js';
import { expectFailure, expectSuccess } from '../../support/result.js';
import { startServer, type TestServer } from '../../support/server.js';
import { buildDocument, recordingSleep } from './fixtures.js';

const WELL_KNOWN = '/.well-known/openid-configuration';
const MiB = 1024 * 1024;

let server: TestServer;
/** A second origin: where redirects point, to prove nothing reaches it. */
let elsewhere: TestServer;

beforeAll(async () => {
  [server, elsewhere] = await Promise.all([startServer(), startServer()]);
});

afterAll(async () => {
  await Promise.all([server.close(), elsewhere.close()]);
});

let tenants = 0;
/** A fresh issuer on the local server, with the path its document is served at. */
function tenant(): { issuer: string; path: string } {
  const name = `t${++tenants}`;
  return { issuer: `${server.url}/${name}`, path: `/${name}${WELL_KNOWN}` };
}

/** Serves `body(issuer)` as JSON for a fresh issuer. */
function serve(
  body: (issuer: string) => unknown,
  init?: { status?: number; headers?: Record<string, string> },
) {
  const { issuer, path } = tenant();
  server.json(path, body(issuer), init);
  return { issuer, path };
}

/** Serves a fresh issuer through a raw handler. */
function serveWith(handler: (res: ServerResponse, issuer: string) => void | Promise<void>) {
  const { issuer, path } = tenant();
  server.route('GET', path, (_req, res) => handler(res, issuer));
  return { issuer, path };
}

function discover(issuer: string, options: Omit<DiscoveryRequest, 'issuer'> = {}) {
  return getDiscoveryDocument({ issuer, cache: false, ...options });
}

/** The failure's offending member (DiscoveryError only). */
function memberOf(failed: FailedResponse): string | undefined {
  expect(failed.exception).toBeInstanceOf(DiscoveryError);
  return (failed.exception as DiscoveryError).member;
}

describe('issuer mismatch', () => {
  it('accepts an issuer with a trailing slash (documented: trailing slash aside)', async () => {
    const { issuer } = serve((iss) => buildDocument(`${iss}/`, { token_endpoint: `${iss}/token` }));
    expect(expectSuccess(await discover(issuer)).issuer).toBe(`${issuer}/`);
  });

  it('DISC-003: refuses an issuer that differs only in case', async () => {
    const { issuer } = serve((iss) =>
      buildDocument(iss.toUpperCase().replace('HTTP://', 'http://')),
    );
    const failed = expectFailure(await discover(issuer), {
      code: 'ERR_DISCOVERY_ISSUER_MISMATCH',
      errorType: 'policy',
    });
    expect(memberOf(failed)).toBe('issuer');
  });

  it('DISC-003: refuses https where the authority is http', async () => {
    const { issuer } = serve((iss) => buildDocument(iss.replace('http://', 'https://')));
    expectFailure(await discover(issuer), { code: 'ERR_DISCOVERY_ISSUER_MISMATCH' });
  });

  it('DISC-003: refuses another host, even another loopback name for the same server', async () => {
    const { issuer } = serve((iss) => buildDocument(iss.replace('127.0.0.1', 'localhost')));
    expectFailure(await discover(issuer), { code: 'ERR_DISCOVERY_ISSUER_MISMATCH' });
    const other = serve(() => buildDocument('https://attacker.example.com'));
    expect(expectFailure(await discover(other.issuer)).errorCode).toBe(
      'ERR_DISCOVERY_ISSUER_MISMATCH',
    );
  });

  it('DISC-003: refuses another port and another tenant path', async () => {
    const { issuer } = serve((iss) =>
      buildDocument(iss.replace(`:${server.port}`, `:${elsewhere.port}`)),
    );
    expect(expectFailure(await discover(issuer)).errorCode).toBe('ERR_DISCOVERY_ISSUER_MISMATCH');
    const sibling = serve(() => buildDocument(`${server.url}/other-tenant`));
    expect(expectFailure(await discover(sibling.issuer)).errorCode).toBe(
      'ERR_DISCOVERY_ISSUER_MISMATCH',
    );
  });
});

describe('endpoints', () => {
  it('refuses an endpoint on a foreign host, naming it', async () => {
    const { issuer } = serve((iss) =>
      buildDocument(iss, { token_endpoint: 'https://evil.example/token' }),
    );
    const failed = expectFailure(await discover(issuer), {
      code: 'ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED',
      errorType: 'policy',
    });
    expect(memberOf(failed)).toBe('token_endpoint');
    expect(failed.errorMessage).toContain('token_endpoint');
  });

  it('allows a foreign endpoint under an additionalEndpointBaseAddresses entry', async () => {
    const { issuer } = serve((iss) =>
      buildDocument(iss, { jwks_uri: 'https://keys.example/tenant/jwks' }),
    );
    const disco = expectSuccess(
      await discover(issuer, {
        discoveryPolicy: { additionalEndpointBaseAddresses: ['https://keys.example/tenant'] },
      }),
    );
    expect(disco.jwksUri).toBe('https://keys.example/tenant/jwks');
  });

  it('skips the host check of members in endpointValidationExcludeList', async () => {
    const { issuer } = serve((iss) =>
      buildDocument(iss, { jwks_uri: 'https://keys.example/jwks' }),
    );
    expectFailure(await discover(issuer));
    const disco = expectSuccess(
      await discover(issuer, { discoveryPolicy: { endpointValidationExcludeList: ['jwks_uri'] } }),
    );
    expect(disco.jwksUri).toBe('https://keys.example/jwks');
  });

  it.each([
    ['https://127.0.0.1.evil.net/jwks', 'ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED'],
    ['http://127.0.0.1.evil.net/jwks', 'ERR_DISCOVERY_HTTPS_REQUIRED'],
    ['http://127.evil.com/jwks', 'ERR_DISCOVERY_HTTPS_REQUIRED'],
    ['https://op.example.com.evil.net/jwks', 'ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED'],
    ['https://127.0.0.1@evil.net/jwks', 'ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED'],
  ] as const)('refuses the lookalike endpoint %s (%s)', async (jwks_uri, code) => {
    const { issuer } = serve((iss) => buildDocument(iss, { jwks_uri }));
    const failed = expectFailure(
      await discover(issuer, {
        discoveryPolicy: { additionalEndpointBaseAddresses: ['https://op.example.com'] },
      }),
      { code },
    );
    expect(memberOf(failed)).toBe('jwks_uri');
  });

  it('refuses an endpoint on the same host and another port', async () => {
    const { issuer } = serve((iss) =>
      buildDocument(iss, { userinfo_endpoint: `${elsewhere.url}/userinfo` }),
    );
    const failed = expectFailure(await discover(issuer), {
      code: 'ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED',
    });
    expect(memberOf(failed)).toBe('userinfo_endpoint');
  });

  it('refuses http endpoints under requireHttps unless on loopback', async () => {
    const { issuer } = serve((iss) =>
      buildDocument(iss, { token_endpoint: 'http://evil.example/token' }),
    );
    const failed = expectFailure(await discover(issuer), { code: 'ERR_DISCOVERY_HTTPS_REQUIRED' });
    expect(memberOf(failed)).toBe('token_endpoint');
    // Not even when the host check is lifted.
    for (const policy of [
      { validateEndpoints: false },
      { endpointValidationExcludeList: ['token_endpoint'] },
    ]) {
      expect(expectFailure(await discover(issuer, { discoveryPolicy: policy })).errorCode).toBe(
        'ERR_DISCOVERY_HTTPS_REQUIRED',
      );
    }
  });

  it('allows an http loopback endpoint only where the host check allows it', async () => {
    const loopback = `http://localhost:${server.port}`;
    const { issuer } = serve((iss) =>
      buildDocument(iss, { end_session_endpoint: `${loopback}/logout` }),
    );
    expectFailure(await discover(issuer), { code: 'ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED' });
    const disco = expectSuccess(
      await discover(issuer, { discoveryPolicy: { additionalEndpointBaseAddresses: [loopback] } }),
    );
    expect(disco.endSessionEndpoint).toBe(`${loopback}/logout`);
  });
});

describe('broken documents', () => {
  it.each(REQUIRED_MEMBERS)('DISC-008: refuses a document without %s, naming it', async (name) => {
    const { issuer } = serve((iss) => buildDocument(iss, { [name]: undefined }));
    const failed = expectFailure(await discover(issuer), {
      code: 'ERR_DISCOVERY_MISSING_MEMBER',
      errorType: 'invalid_response',
    });
    expect(failed.errorMessage).toContain(name);
    expect(memberOf(failed)).toBe(name);
  });

  it('requireKeySet: false allows a missing jwks_uri', async () => {
    const { issuer } = serve((iss) => buildDocument(iss, { jwks_uri: undefined }));
    expect(expectFailure(await discover(issuer)).errorCode).toBe('ERR_DISCOVERY_MISSING_MEMBER');
    const disco = expectSuccess(
      await discover(issuer, { discoveryPolicy: { requireKeySet: false } }),
    );
    expect(disco.jwksUri).toBeUndefined();
    expect(disco.tokenEndpoint).toBe(`${issuer}/token`);
  });

  it.each([
    ['jwks_uri', 42],
    ['jwks_uri', 'jwks'],
    ['response_types_supported', 'code'],
    ['subject_types_supported', 'public'],
    ['claims_parameter_supported', 'yes'],
    ['id_token_signing_alg_values_supported', [256]],
    ['end_session_endpoint', false],
    ['issuer', { href: 'x' }],
  ])('refuses a mistyped %s: %j', async (name, value) => {
    const { issuer } = serve((iss) => buildDocument(iss, { [name]: value }));
    const failed = expectFailure(await discover(issuer), {
      code: 'ERR_DISCOVERY_INVALID_MEMBER',
      errorType: 'invalid_response',
    });
    expect(memberOf(failed)).toBe(name);
    expect(failed.errorMessage).toContain(`"${name}"`);
  });

  // Issue 9 (DESIGN.md §3): merely unknown values were refused; they are ignored and reported.
  it('ignores and reports an unknown subject type', async () => {
    const { issuer } = serve((iss) =>
      buildDocument(iss, { subject_types_supported: ['public', 'anonymous'] }),
    );
    const disco = expectSuccess(await discover(issuer));
    expect(disco.subjectTypesSupported).toEqual(['public']);
    expect(disco.ignoredValues).toEqual([
      { member: 'subject_types_supported', value: 'anonymous' },
    ]);
  });

  it('ignores and reports an unknown response type', async () => {
    const { issuer } = serve((iss) =>
      buildDocument(iss, { response_types_supported: ['code', 'code magic'] }),
    );
    const disco = expectSuccess(await discover(issuer));
    expect(disco.responseTypesSupported).toEqual(['code']);
    expect(disco.ignoredValues).toEqual([
      { member: 'response_types_supported', value: 'code magic' },
    ]);
  });

  it('an unknown value never excuses what is unsafe: a mistyped list is still refused', async () => {
    const { issuer } = serve((iss) =>
      buildDocument(iss, { response_types_supported: ['code', 'refresh_token', 7] }),
    );
    const failed = expectFailure(await discover(issuer), { code: 'ERR_DISCOVERY_INVALID_MEMBER' });
    expect(memberOf(failed)).toBe('response_types_supported');
  });

  it('DISC-009: ignores unknown members, whatever their type', async () => {
    const { issuer } = serve((iss) =>
      buildDocument(iss, { x_flag: 'yes', x_list: [1, { a: null }], x_endpoint_hint: 7 }),
    );
    const disco = expectSuccess(await discover(issuer));
    expect(disco.raw.x_list).toEqual([1, { a: null }]);
    expect(Object.keys(disco)).not.toContain('x_flag');
  });
});

describe('prototype pollution', () => {
  /** A served document text with extra members spliced in before the others. */
  const withMembers = (issuer: string, members: string) =>
    JSON.stringify(buildDocument(issuer)).replace(/^\{/, `{${members},`);

  it('a __proto__ member is plain data: nothing is polluted and the document still validates', async () => {
    const { issuer } = serve((iss) =>
      withMembers(
        iss,
        '"__proto__":{"polluted":"yes","token_endpoint":"https://evil.example/token","isSuccessful":false},' +
          '"constructor":{"prototype":{"polluted":"yes"}}',
      ),
    );
    const disco = expectSuccess(await discover(issuer));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.getPrototypeOf(disco)).toBe(Object.prototype);
    expect(disco.isSuccessful).toBe(true);
    expect(disco.tokenEndpoint).toBe(`${issuer}/token`);
    expect(Object.hasOwn(disco.raw, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(disco.raw)).toBe(Object.prototype);
  });

  it('a __proto__ member is still validated away from the members it imitates', async () => {
    const { issuer } = serveWith((res, iss) => {
      const doc = buildDocument(iss, { jwks_uri: undefined });
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(doc).replace(/^\{/, `{"__proto__":{"jwks_uri":"${iss}/jwks"},`));
    });
    const failed = expectFailure(await discover(issuer), { code: 'ERR_DISCOVERY_MISSING_MEMBER' });
    expect(memberOf(failed)).toBe('jwks_uri');
  });
});

describe('bodies that are not a discovery document', () => {
  it('refuses an HTML body sent with 200 (ERR_CONTENT_TYPE, invalid_response)', async () => {
    const { issuer } = serve(() => '<!doctype html><html><body>Sign in</body></html>', {
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
    const failed = expectFailure(await discover(issuer), {
      code: 'ERR_CONTENT_TYPE',
      errorType: 'invalid_response',
      httpStatus: 200,
    });
    expect(failed.errorMessage).toContain('text/html');
  });

  it('refuses a JSON document sent as text/plain or without a content type', async () => {
    const plain = serve((iss) => buildDocument(iss), { headers: { 'content-type': 'text/plain' } });
    expect(expectFailure(await discover(plain.issuer)).errorCode).toBe('ERR_CONTENT_TYPE');
    const bare = serveWith((res, iss) => {
      res.writeHead(200).end(JSON.stringify(buildDocument(iss)));
    });
    expect(expectFailure(await discover(bare.issuer)).errorCode).toBe('ERR_CONTENT_TYPE');
  });

  it('accepts application/json with parameters and +json types', async () => {
    const charset = serve((iss) => buildDocument(iss), {
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
    });
    expect((await discover(charset.issuer)).isSuccessful).toBe(true);
    const plusJson = serve((iss) => buildDocument(iss), {
      headers: { 'content-type': 'application/oauth-authz-server+json' },
    });
    expect((await discover(plusJson.issuer)).isSuccessful).toBe(true);
  });

  it.each([
    ['an array', '[{"issuer":"x"}]'],
    ['null', 'null'],
    ['a string', '"https://op.example"'],
    ['a number', '42'],
  ])('refuses JSON that is %s', async (_label, body) => {
    const { issuer } = serve(() => body);
    const failed = expectFailure(await discover(issuer), {
      code: 'ERR_INVALID_JSON',
      errorType: 'invalid_response',
    });
    expect(failed.errorMessage).toContain('not a JSON object');
  });

  it.each([
    ['plain text', 'this is not json'],
    ['truncated JSON', '{"issuer":"http://127.0.0.1'],
    ['an empty body', ''],
    ['JSON with a trailing comma', '{"issuer":"x",}'],
  ])('DISC-007: refuses a non-JSON body (%s) with a parse error', async (_label, body) => {
    const { issuer } = serve(() => body);
    const failed = expectFailure(await discover(issuer), {
      code: 'ERR_INVALID_JSON',
      errorType: 'invalid_response',
    });
    expect(failed.exception).toBeInstanceOf(HttpError);
  });

  it('DISC-007: refuses a body that is not valid UTF-8', async () => {
    const { issuer } = serveWith((res, iss) => {
      const text = Buffer.from(JSON.stringify(buildDocument(iss, { x_name: 'AB' })));
      text[text.indexOf('AB')] = 0xff;
      res.writeHead(200, { 'content-type': 'application/json' }).end(text);
    });
    expectFailure(await discover(issuer), { code: 'ERR_INVALID_JSON' });
  });
});

describe('HTTP statuses and redirects', () => {
  it.each([404, 500])(
    'DISC-006: HTTP %i fails with errorType http and the status',
    async (status) => {
      const { issuer, path } = serve(() => ({ error: 'server_error' }), { status });
      const { sleep, waits } = recordingSleep();
      const failed = expectFailure(await discover(issuer, { sleep }), {
        code: 'ERR_HTTP_STATUS',
        errorType: 'http',
        httpStatus: status,
      });
      expect((failed.exception as HttpError).httpStatus).toBe(status);
      expect(failed.errorMessage).toContain(String(status));
      // Neither is retryable: one request, no wait.
      expect(server.count(path)).toBe(1);
      expect(waits).toEqual([]);
    },
  );

  it('DISC-006: a 404 HTML error page is still reported as HTTP 404', async () => {
    const { issuer } = serve(() => '<html>Not Found</html>', {
      status: 404,
      headers: { 'content-type': 'text/html' },
    });
    expectFailure(await discover(issuer), { errorType: 'http', httpStatus: 404 });
  });

  it.each([301, 302, 303, 307, 308])(
    'HTTP %i is ERR_HTTP_REDIRECT and the target is never requested',
    async (status) => {
      const target = `${elsewhere.url}/evil${WELL_KNOWN}`;
      const local = `/redirected-${status}${WELL_KNOWN}`;
      elsewhere.json(`/evil${WELL_KNOWN}`, buildDocument(`${elsewhere.url}/evil`));
      server.json(local, buildDocument(`${server.url}/redirected-${status}`));
      const { issuer, path } = serveWith((res) => {
        res.writeHead(status, { location: status === 302 ? local : target }).end();
      });
      expectFailure(await discover(issuer), { code: 'ERR_HTTP_REDIRECT', httpStatus: status });
      expect(server.count(path)).toBe(1);
      expect(server.count(local)).toBe(0);
      expect(elsewhere.count(`/evil${WELL_KNOWN}`)).toBe(0);
    },
  );
});

describe('size limit', () => {
  /** A valid document padded with an unknown member to exactly `bytes` bytes of JSON. */
  const padded = (issuer: string, bytes: number) => {
    const base = JSON.stringify(buildDocument(issuer, { x_padding: '' }));
    return JSON.stringify(buildDocument(issuer, { x_padding: 'a'.repeat(bytes - base.length) }));
  };

  it('accepts a document of exactly 1 MiB', async () => {
    const { issuer } = serve((iss) => padded(iss, MiB));
    const disco = expectSuccess(await discover(issuer));
    expect(JSON.stringify(disco.raw)).toHaveLength(MiB);
  });

  it('refuses a 1 MiB + 1 byte body with ERR_BODY_TOO_LARGE (declared length)', async () => {
    const { issuer } = serveWith((res, iss) => {
      const body = padded(iss, MiB + 1);
      res
        .writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
        })
        .end(body);
    });
    expectFailure(await discover(issuer), {
      code: 'ERR_BODY_TOO_LARGE',
      errorType: 'invalid_response',
    });
  });

  it('stops reading an undeclared, never-ending body at the cap', async () => {
    const { issuer } = serveWith((res) => {
      // Chunked, no length, never ended: only the cap can stop the reader before the timeout.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"x":"');
      const chunk = 'a'.repeat(64 * 1024);
      for (let i = 0; i < 24; i++) res.write(chunk);
    });
    const started = performance.now();
    expectFailure(await discover(issuer, { timeout: 10_000 }), { code: 'ERR_BODY_TOO_LARGE' });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('hanging servers and rate limits', () => {
  it('a server that never answers times out: ERR_TIMEOUT, errorType network, not retried', async () => {
    const { issuer, path } = serveWith(() => {
      // Never answers; the server's close() destroys the socket.
    });
    const { sleep, waits } = recordingSleep();
    const started = performance.now();
    expectFailure(await discover(issuer, { timeout: 100, sleep }), {
      code: 'ERR_TIMEOUT',
      errorType: 'network',
      httpStatus: undefined,
    });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(server.count(path)).toBe(1);
    expect(waits).toEqual([]);
  });

  it('a body that stalls halfway times out too', async () => {
    const { issuer } = serveWith((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"issuer":');
    });
    expectFailure(await discover(issuer, { timeout: 100 }), {
      code: 'ERR_TIMEOUT',
      errorType: 'network',
    });
  });

  it('429 with Retry-After is retried once after exactly that wait, then succeeds', async () => {
    let calls = 0;
    const { issuer, path } = serveWith((res, iss) => {
      calls++;
      if (calls === 1) {
        res
          .writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' })
          .end('{"error":"slow_down"}');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(buildDocument(iss)));
    });
    const { sleep, waits } = recordingSleep();
    const disco = expectSuccess(await discover(issuer, { sleep }));
    expect(disco.issuer).toBe(issuer);
    expect(waits).toEqual([7_000]);
    expect(server.count(path)).toBe(2);
  });

  it('429 asking for more than maxRetryAfter is returned as an HTTP error without waiting', async () => {
    const { issuer, path } = serve(() => ({ error: 'slow_down' }), {
      status: 429,
      headers: { 'retry-after': '600' },
    });
    const { sleep, waits } = recordingSleep();
    expectFailure(await discover(issuer, { sleep }), { errorType: 'http', httpStatus: 429 });
    expect(waits).toEqual([]);
    expect(server.count(path)).toBe(1);
  });
});
