/**
 * introspectToken against a local introspection endpoint (seed conformance INTR-001 … INTR-006):
 * the request, client authentication, the hint, typed members of active and inactive tokens,
 * members of the wrong JSON type, bodies that are not JSON, and error responses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDiscoveryDocument } from '../../../src/core/discovery/get.js';
import { introspectToken } from '../../../src/core/introspection/index.js';
import { jsonFixture } from '../../support/hostile-op.js';
import { expectConfigurationError, expectFailure, expectSuccess } from '../../support/result.js';
import { startServer, type TestServer } from '../../support/server.js';
import { basicCredentials, formDecode, onlyRequest, tokenRoute } from '../token/token-server.js';

type Json = Record<string, unknown>;
const fixture = (name: string) => jsonFixture<Json>(`introspection/${name}.json`);

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
});

const CLIENT = { clientId: 'resource-server', clientSecret: 'rs-secret' } as const;
const TOKEN = 'mF_9.B5f-4.1JqM';

describe('INTR-001 active token', () => {
  it('INTR-001 POSTs the token as a form and returns the typed members of an active token', async () => {
    const body = fixture('active-response');
    const route = tokenRoute(server, { body });
    const result = expectSuccess(
      await introspectToken({ address: route.url, ...CLIENT, token: TOKEN }),
    );
    const request = onlyRequest(route);
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded\b/);
    expect(request.headers.accept).toBe('application/json');
    expect(request.form.get('token')).toBe(TOKEN);
    expect(request.form.has('token_type_hint')).toBe(false);

    expect(result.active).toBe(true);
    expect(result.scope).toBe('read write dolphin');
    expect(result.clientId).toBe('l238j323ds-23ij4');
    expect(result.username).toBe('jdoe');
    expect(result.tokenType).toBe('Bearer');
    expect(result.exp).toBe(1419356238);
    expect(result.iat).toBe(1419350238);
    expect(result.nbf).toBe(1419350238);
    expect(result.sub).toBe('Z5O3upPC88QrAjx00dis');
    expect(result.aud).toBe('https://protected.example.net/resource');
    expect(result.iss).toBe('https://server.example.com/');
    expect(result.jti).toBe('d3f5c9a1-2b7e-4c1a-9e8f-0a1b2c3d4e5f');
    // Unknown members stay reachable.
    expect(result.claims.extension_field).toBe('twenty-seven');
    expect(result.claims).toEqual(body);
    expect(result.raw).toEqual(body);
    expect(result.jwt).toBeUndefined();
    expect(result.httpStatus).toBe(200);
  });

  it('INTR-001 accepts the minimal active response and an array audience', async () => {
    const route = tokenRoute(
      server,
      { body: fixture('active-minimal') },
      { body: { active: true, aud: ['a', 'b'] } },
    );
    const minimal = expectSuccess(
      await introspectToken({ address: route.url, ...CLIENT, token: TOKEN }),
    );
    expect(minimal.active).toBe(true);
    expect(minimal.scope).toBeUndefined();
    expect(minimal.claims).toEqual({ active: true });
    const several = expectSuccess(
      await introspectToken({ address: route.url, ...CLIENT, token: TOKEN }),
    );
    expect(several.aud).toEqual(['a', 'b']);
  });

  it('INTR-001 keeps a "__proto__" member as plain data', async () => {
    const route = tokenRoute(server, {
      body: '{"active":true,"__proto__":{"polluted":true},"scope":"a"}',
    });
    const result = expectSuccess(
      await introspectToken({ address: route.url, ...CLIENT, token: TOKEN }),
    );
    expect(Object.hasOwn(result.claims, '__proto__')).toBe(true);
    expect(({} as Json).polluted).toBeUndefined();
    expect((result.claims as Json).polluted).toBeUndefined();
  });
});

describe('INTR-002 inactive token', () => {
  it('INTR-002 returns active: false with nothing else required', async () => {
    const route = tokenRoute(server, { body: fixture('inactive-response') });
    const result = expectSuccess(
      await introspectToken({ address: route.url, ...CLIENT, token: 'expired' }),
    );
    expect(result.active).toBe(false);
    expect(result.claims).toEqual({ active: false });
    expect(result.scope).toBeUndefined();
    expect(result.sub).toBeUndefined();
    expect(result.exp).toBeUndefined();
  });

  it('INTR-002 exposes no typed member of an inactive token, even when the server sends some', async () => {
    const route = tokenRoute(server, {
      body: { active: false, scope: 'admin', sub: 'someone', exp: 'never' },
    });
    const result = expectSuccess(
      await introspectToken({ address: route.url, ...CLIENT, token: 'revoked' }),
    );
    expect(result.active).toBe(false);
    expect(result.scope).toBeUndefined();
    expect(result.sub).toBeUndefined();
    expect(result.exp).toBeUndefined();
    expect(result.claims.scope).toBe('admin');
  });
});

describe('INTR-003 client authentication', () => {
  it('INTR-003 client_secret_basic (the default): form-urlencoded credentials in Basic, none in the body', async () => {
    const route = tokenRoute(server, { body: fixture('active-minimal') });
    expectSuccess(
      await introspectToken({
        address: route.url,
        clientId: 'rs:1 é',
        clientSecret: 'p@ss+word/=',
        token: TOKEN,
      }),
    );
    const request = onlyRequest(route);
    const { user, password } = basicCredentials(request.headers.authorization);
    expect(user).toBe('rs%3A1+%C3%A9');
    expect(formDecode(user)).toBe('rs:1 é');
    expect(formDecode(password)).toBe('p@ss+word/=');
    expect(request.form.has('client_id')).toBe(false);
    expect(request.form.has('client_secret')).toBe(false);
  });

  it('INTR-003 client_secret_post: credentials as form parameters, no Basic header', async () => {
    const route = tokenRoute(server, { body: fixture('active-minimal') });
    expectSuccess(
      await introspectToken({
        address: route.url,
        ...CLIENT,
        authMethod: 'client_secret_post',
        token: TOKEN,
      }),
    );
    const request = onlyRequest(route);
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form.get('client_id')).toBe('resource-server');
    expect(request.form.get('client_secret')).toBe('rs-secret');
    expect(request.form.get('token')).toBe(TOKEN);
  });
});

describe('INTR-004 token_type_hint', () => {
  it.each([['access_token'], ['refresh_token']])(
    'INTR-004 sends token_type_hint=%s beside the token',
    async (hint) => {
      const route = tokenRoute(server, { body: fixture('inactive-response') });
      const result = expectSuccess(
        await introspectToken({ address: route.url, ...CLIENT, token: TOKEN, tokenTypeHint: hint }),
      );
      const form = onlyRequest(route).form;
      expect(form.get('token_type_hint')).toBe(hint);
      expect(form.get('token')).toBe(TOKEN);
      expect(result.isSuccessful).toBe(true);
    },
  );
});

describe('INTR-005 error responses', () => {
  it('INTR-005 surfaces HTTP 401 invalid_client with its description and status', async () => {
    const route = tokenRoute(server, {
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="introspection"' },
      body: { ...fixture('error-invalid-client'), error_uri: 'https://as.example/e' },
    });
    const failure = expectFailure(
      await introspectToken({ address: route.url, ...CLIENT, token: TOKEN }),
      { code: 'ERR_OAUTH_ERROR', errorType: 'protocol' },
    );
    expect(failure.error).toBe('invalid_client');
    expect(failure.errorDescription).toBe('Client authentication failed');
    expect(failure.errorUri).toBe('https://as.example/e');
    expect(failure.httpStatus).toBe(401);
    expect(() => Reflect.get(failure, 'active')).toThrow(/failed response/);
  });

  it('INTR-005 surfaces a 400 error body', async () => {
    const route = tokenRoute(server, { status: 400, body: { error: 'invalid_request' } });
    const failure = expectFailure(
      await introspectToken({ address: route.url, ...CLIENT, token: TOKEN }),
    );
    expect([failure.errorType, failure.error, failure.httpStatus]).toEqual([
      'protocol',
      'invalid_request',
      400,
    ]);
  });

  it('INTR-005 reports a 500 without an OAuth body as an HTTP failure', async () => {
    const route = tokenRoute(server, {
      status: 500,
      headers: { 'content-type': 'text/html' },
      body: '<h1>down</h1>',
    });
    expectFailure(await introspectToken({ address: route.url, ...CLIENT, token: TOKEN }), {
      errorType: 'http',
      httpStatus: 500,
    });
  });
});

describe('INTR-006 discovery-based endpoint resolution', () => {
  it('INTR-006 introspects at the introspection_endpoint of the discovery document', async () => {
    const doc = JSON.parse(
      JSON.stringify(fixture('discovery-with-introspection')).replaceAll(
        'https://server.example.com',
        server.url,
      ),
    ) as Json;
    server.json('/.well-known/openid-configuration', doc);
    server.route('POST', '/introspect', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"active":true}');
    });
    const disco = expectSuccess(await getDiscoveryDocument({ issuer: server.url, cache: false }));
    expect(disco.introspectionEndpoint).toBe(`${server.url}/introspect`);
    const before = server.count('/introspect');
    const result = expectSuccess(
      await introspectToken({ address: disco.introspectionEndpoint!, ...CLIENT, token: TOKEN }),
    );
    expect(result.active).toBe(true);
    expect(server.count('/introspect')).toBe(before + 1);
  });
});

describe('introspection: hostile responses', () => {
  it.each([
    ['"active" missing', { scope: 'a' }, /active/],
    ['"active" as the string "true"', { active: 'true' }, /active/],
    ['"active" as 1', { active: 1 }, /active/],
    ['"active" null', { active: null }, /active/],
    ['"scope" as an array', { active: true, scope: ['a'] }, /scope/],
    ['"client_id" as a number', { active: true, client_id: 7 }, /client_id/],
    ['"exp" as a string', { active: true, exp: '1419356238' }, /exp/],
    ['"iat" as null', { active: true, iat: null }, /iat/],
    ['"aud" as an array with a number', { active: true, aud: ['a', 1] }, /aud/],
    ['"sub" as an object', { active: true, sub: { id: 1 } }, /sub/],
  ])('refuses a response with %s', async (_, body, message) => {
    const route = tokenRoute(server, { body });
    const failure = expectFailure(
      await introspectToken({ address: route.url, ...CLIENT, token: TOKEN }),
      { code: 'ERR_INVALID_RESPONSE', errorType: 'invalid_response' },
    );
    expect(failure.errorMessage).toMatch(message);
    expect(failure.httpStatus).toBe(200);
  });

  it.each([
    ['an HTML page', { 'content-type': 'text/html' }, '<html>active</html>'],
    ['broken JSON', { 'content-type': 'application/json' }, '{"active":tru'],
    ['a JSON array', { 'content-type': 'application/json' }, '[{"active":true}]'],
    ['an empty body', { 'content-type': 'application/json' }, ''],
  ])('refuses %s', async (_, headers, body) => {
    const route = tokenRoute(server, { headers, body });
    const failure = expectFailure(
      await introspectToken({ address: route.url, ...CLIENT, token: TOKEN }),
    );
    expect(failure.isSuccessful).toBe(false);
    expect(['invalid_response']).toContain(failure.errorType);
    expect(failure.errorCode).toMatch(/^ERR_(CONTENT_TYPE|INVALID_JSON|INVALID_RESPONSE)$/);
  });

  it('refuses a JWT response that was not asked for', async () => {
    const route = tokenRoute(server, {
      headers: { 'content-type': 'application/token-introspection+jwt' },
      body: 'eyJhbGciOiJub25lIn0.eyJhY3RpdmUiOnRydWV9.',
    });
    expectFailure(await introspectToken({ address: route.url, ...CLIENT, token: TOKEN }), {
      code: 'ERR_CONTENT_TYPE',
    });
  });

  it('refuses a redirect without following it', async () => {
    server.route('POST', '/introspect-redirect', (_req, res) => {
      res.writeHead(302, { location: 'https://evil.example/introspect' }).end();
    });
    expectFailure(
      await introspectToken({
        address: `${server.url}/introspect-redirect`,
        ...CLIENT,
        token: TOKEN,
      }),
      { code: 'ERR_HTTP_REDIRECT' },
    );
  });
});

describe('introspection arguments', () => {
  it('throws ConfigurationError for bad arguments before any request', async () => {
    const route = tokenRoute(server);
    const base = { address: route.url, ...CLIENT, token: TOKEN };
    await expectConfigurationError(() => introspectToken({ ...base, token: '' }), /token/);
    await expectConfigurationError(
      () => introspectToken({ ...base, tokenTypeHint: 5 as unknown as string }),
      /tokenTypeHint/,
    );
    await expectConfigurationError(
      () => introspectToken({ ...base, parameters: { token: 'other' } }),
      /parameters\.token/,
    );
    await expectConfigurationError(
      () => introspectToken({ ...base, parameters: { client_id: 'x' } }),
      /parameters\.client_id/,
    );
    await expectConfigurationError(() => introspectToken({ ...base, clientId: '' }), /clientId/);
    await expectConfigurationError(
      () => introspectToken({ ...base, signedResponse: { issuer: '' } }),
      /signedResponse\.issuer/,
    );
    await expectConfigurationError(
      () =>
        introspectToken({
          ...base,
          signedResponse: { issuer: server.url, algorithms: ['HS256'] },
        }),
      /signedResponse\.algorithms/,
    );
    await expectConfigurationError(
      () => introspectToken({ ...base, signedResponse: { issuer: server.url, leeway: 301 } }),
      /signedResponse\.leeway/,
    );
    expect(route.seen()).toHaveLength(0);
  });

  it('sends extra parameters beside its own', async () => {
    const route = tokenRoute(server, { body: fixture('active-minimal') });
    expectSuccess(
      await introspectToken({
        ...CLIENT,
        address: route.url,
        token: TOKEN,
        parameters: { resource: 'urn:x' },
      }),
    );
    const form = onlyRequest(route).form;
    expect(form.get('resource')).toBe('urn:x');
    expect(form.getAll('token')).toEqual([TOKEN]);
  });
});
