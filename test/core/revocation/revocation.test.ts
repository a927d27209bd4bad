/**
 * revokeToken against a local revocation endpoint (seed conformance REV-001 … REV-005): the
 * request, any 200 as success whatever the body, the hint, typed error responses, and the
 * endpoint from discovery.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDiscoveryDocument } from '../../../src/core/discovery/get.js';
import { revokeToken } from '../../../src/core/revocation/index.js';
import { jsonFixture } from '../../support/hostile-op.js';
import { expectConfigurationError, expectFailure, expectSuccess } from '../../support/result.js';
import { startServer, type TestServer } from '../../support/server.js';
import { basicCredentials, formDecode, onlyRequest, tokenRoute } from '../token/token-server.js';

type Json = Record<string, unknown>;
const fixture = (name: string) => jsonFixture<Json>(`revocation/${name}.json`);
const EMPTY_BODY = readFileSync(
  new URL('../../fixtures/revocation/revoke-success-empty.txt', import.meta.url),
  'utf8',
);

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
});

const CLIENT = { clientId: 'web-app', clientSecret: 'web-secret' } as const;
const TOKEN = '45ghiukldjahdnhzdauz';

describe('REV-001 success', () => {
  it('REV-001 POSTs the token as a form; an empty 200 is success', async () => {
    expect(EMPTY_BODY).toBe('');
    const route = tokenRoute(server, {
      body: EMPTY_BODY,
      headers: { 'content-type': 'text/plain' },
    });
    const result = expectSuccess(
      await revokeToken({ address: route.url, ...CLIENT, token: TOKEN }),
    );
    const request = onlyRequest(route);
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded\b/);
    expect(request.form.get('token')).toBe(TOKEN);
    expect(request.form.has('token_type_hint')).toBe(false);
    expect(formDecode(basicCredentials(request.headers.authorization).user)).toBe('web-app');
    expect(result).toEqual({ isSuccessful: true, httpStatus: 200 });
  });

  it.each([
    ['an empty JSON object', fixture('revoke-success-empty-object'), 'application/json'],
    ['an unexpected JSON body', { revoked: true }, 'application/json'],
    ['an HTML page', '<p>ok</p>', 'text/html'],
    ['a body that is not JSON though labelled so', 'not json', 'application/json'],
  ])('REV-001 any 200 is success: %s', async (_, body, type) => {
    const route = tokenRoute(server, { body, headers: { 'content-type': type } });
    const result = await revokeToken({ address: route.url, ...CLIENT, token: TOKEN });
    expect(result).toEqual({ isSuccessful: true, httpStatus: 200 });
  });

  it('REV-001 a valid and an unknown token give identical results', async () => {
    // The endpoint, like a conforming server, answers 200 to both.
    const route = tokenRoute(server, { body: EMPTY_BODY });
    const valid = await revokeToken({ address: route.url, ...CLIENT, token: TOKEN });
    const unknown = await revokeToken({ address: route.url, ...CLIENT, token: 'never-issued' });
    expect(unknown).toEqual(valid);
    expect(Object.keys(unknown)).toEqual(Object.keys(valid));
    expect(route.seen().map((request) => request.form.get('token'))).toEqual([
      TOKEN,
      'never-issued',
    ]);
  });

  it('REV-001 a public client revokes with its client_id in the body and no Authorization', async () => {
    const route = tokenRoute(server, { body: EMPTY_BODY });
    expectSuccess(await revokeToken({ address: route.url, clientId: 'spa', token: TOKEN }));
    const request = onlyRequest(route);
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form.get('client_id')).toBe('spa');
  });

  it('REV-001 refuses 204 and other 2xx: RFC 7009 §2.2 answers 200', async () => {
    server.route('POST', '/revoke-204', (_req, res) => {
      res.writeHead(204).end();
    });
    expectFailure(
      await revokeToken({ address: `${server.url}/revoke-204`, ...CLIENT, token: TOKEN }),
      { errorType: 'http', httpStatus: 204 },
    );
  });
});

describe('REV-002 token_type_hint', () => {
  it.each([['access_token'], ['refresh_token']])(
    'REV-002 sends token_type_hint=%s beside the token',
    async (hint) => {
      const route = tokenRoute(server, { body: EMPTY_BODY });
      expectSuccess(
        await revokeToken({ address: route.url, ...CLIENT, token: TOKEN, tokenTypeHint: hint }),
      );
      const form = onlyRequest(route).form;
      expect(form.get('token_type_hint')).toBe(hint);
      expect(form.get('token')).toBe(TOKEN);
    },
  );
});

describe('REV-003 REV-004 errors', () => {
  it('REV-003 surfaces unsupported_token_type (HTTP 400) as a typed protocol failure', async () => {
    const body: Json = {
      ...fixture('error-unsupported-token-type'),
      error_uri: 'https://as.example/e',
    };
    const route = tokenRoute(server, { status: 400, body });
    const failure = expectFailure(
      await revokeToken({ address: route.url, ...CLIENT, token: TOKEN, tokenTypeHint: 'id_token' }),
      { code: 'ERR_OAUTH_ERROR', errorType: 'protocol' },
    );
    expect(failure.error).toBe('unsupported_token_type');
    expect(failure.errorDescription).toBe(body.error_description);
    expect(failure.errorUri).toBe('https://as.example/e');
    expect(failure.httpStatus).toBe(400);
    expect(failure.exception.name).toBe('ProtocolError');
  });

  it('REV-004 surfaces invalid_client (HTTP 401, with a Basic challenge) as a typed protocol failure', async () => {
    const route = tokenRoute(server, {
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="revocation"' },
      body: fixture('error-invalid-client'),
    });
    const failure = expectFailure(
      await revokeToken({ address: route.url, ...CLIENT, token: TOKEN }),
      { errorType: 'protocol' },
    );
    expect(failure.error).toBe('invalid_client');
    expect(failure.errorDescription).toBe('Client authentication failed');
    expect(failure.httpStatus).toBe(401);
  });

  it('REV-004 reports a 503 without Retry-After as an HTTP failure, sent once', async () => {
    const route = tokenRoute(server, { status: 503, body: { error: 'temporarily_unavailable' } });
    expectFailure(await revokeToken({ address: route.url, ...CLIENT, token: TOKEN }), {
      httpStatus: 503,
    });
    expect(route.seen()).toHaveLength(1);
  });
});

describe('REV-005 discovery-based endpoint resolution', () => {
  it('REV-005 revokes at the revocation_endpoint of the discovery document', async () => {
    const doc = JSON.parse(
      JSON.stringify(fixture('discovery-with-revocation')).replaceAll(
        'https://server.example.com',
        server.url,
      ),
    ) as Json;
    server.json('/.well-known/openid-configuration', doc);
    server.route('POST', '/revoke', (_req, res) => {
      res.writeHead(200).end();
    });
    const disco = expectSuccess(await getDiscoveryDocument({ issuer: server.url, cache: false }));
    expect(disco.revocationEndpoint).toBe(`${server.url}/revoke`);
    const before = server.count('/revoke');
    expectSuccess(
      await revokeToken({ address: disco.revocationEndpoint!, ...CLIENT, token: TOKEN }),
    );
    expect(server.count('/revoke')).toBe(before + 1);
  });
});

describe('revocation arguments and transport', () => {
  it('throws ConfigurationError for bad arguments before any request', async () => {
    const route = tokenRoute(server);
    const base = { address: route.url, ...CLIENT, token: TOKEN };
    await expectConfigurationError(() => revokeToken({ ...base, token: '' }), /token/);
    await expectConfigurationError(
      () => revokeToken({ ...base, tokenTypeHint: '' }),
      /tokenTypeHint/,
    );
    await expectConfigurationError(
      () => revokeToken({ ...base, parameters: { token_type_hint: 'x' } }),
      /parameters\.token_type_hint/,
    );
    await expectConfigurationError(() => revokeToken({ ...base, address: 'revoke' }), /address/);
    expect(route.seen()).toHaveLength(0);
  });

  it('refuses an http endpoint off loopback (a policy failure), sending nothing', async () => {
    expectFailure(
      await revokeToken({
        address: 'http://as.example.com/revoke',
        ...CLIENT,
        token: TOKEN,
        fetch: () => Promise.reject(new Error('must not be called')),
      }),
      { errorType: 'policy' },
    );
  });
});
