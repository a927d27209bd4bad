/**
 * requestClientCredentialsToken against a local token endpoint that records what it receives:
 * the form, every client authentication method, scopes, resources, extra parameters and the
 * typed success and error responses (seed conformance cases CC-001 … CC-006).
 */
import { decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  ProtocolError,
  ResponseAccessError,
} from '../../../src/core/errors.js';
import type { FetchLike } from '../../../src/core/http/defaults.js';
import { requestClientCredentialsToken } from '../../../src/core/token/index.js';
import { expectFailure, expectSuccess } from '../../support/result.js';
import { startServer, type TestServer } from '../../support/server.js';
import {
  basicCredentials,
  formDecode,
  onlyRequest,
  TOKEN_BODY,
  tokenRoute,
} from './token-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
});

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Awaits a promise that must reject with a ConfigurationError. */
async function configurationError(promise: Promise<unknown>): Promise<ConfigurationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigurationError);
  expect((error as ConfigurationError).code).toBe('ERR_CONFIGURATION');
  return error as ConfigurationError;
}

describe('CC-001 the client credentials grant', () => {
  it('CC-001 sends a grant_type=client_credentials form POST and returns a typed token response', async () => {
    const route = tokenRoute(server, {
      body: { ...TOKEN_BODY, refresh_token: 'rt-1', extra_member: { nested: true } },
    });
    const token = expectSuccess(
      await requestClientCredentialsToken({
        address: route.url,
        clientId: 'service',
        clientSecret: 'secret',
        scope: 'api:read',
      }),
    );

    const request = onlyRequest(route);
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded\b/);
    expect(request.headers.accept).toBe('application/json');
    expect(request.form.getAll('grant_type')).toEqual(['client_credentials']);
    expect(request.form.get('scope')).toBe('api:read');

    expect(token.isSuccessful).toBe(true);
    expect(token.accessToken).toBe('at-123');
    expect(token.tokenType).toBe('Bearer');
    expect(token.expiresIn).toBe(300);
    expect(token.scope).toBe('api:read');
    expect(token.refreshToken).toBe('rt-1');
    expect(token.idToken).toBeUndefined();
    expect(token.httpStatus).toBe(200);
    expect(token.raw).toEqual({
      ...TOKEN_BODY,
      refresh_token: 'rt-1',
      extra_member: { nested: true },
    });
  });

  it('CC-001 leaves optional members undefined and keeps token_type as sent', async () => {
    const route = tokenRoute(server, { body: { access_token: 'at', token_type: 'DPoP' } });
    const token = expectSuccess(
      await requestClientCredentialsToken({ address: route.url, clientId: 'c', clientSecret: 's' }),
    );
    expect(token.tokenType).toBe('DPoP');
    expect(token.expiresIn).toBeUndefined();
    expect(token.scope).toBeUndefined();
    expect(token.refreshToken).toBeUndefined();
    expect(token.idToken).toBeUndefined();
    expect(onlyRequest(route).form.has('scope')).toBe(false);
    expect(onlyRequest(route).form.has('resource')).toBe(false);
  });

  it('CC-001 accepts expires_in 0', async () => {
    const route = tokenRoute(server, { body: { ...TOKEN_BODY, expires_in: 0 } });
    const token = expectSuccess(
      await requestClientCredentialsToken({ address: route.url, clientId: 'c', clientSecret: 's' }),
    );
    expect(token.expiresIn).toBe(0);
  });
});

describe('CC-002 client_secret_basic', () => {
  it('CC-002 is the default: Basic header with the id and secret, nothing in the body', async () => {
    const route = tokenRoute(server);
    expectSuccess(
      await requestClientCredentialsToken({
        address: route.url,
        clientId: 'service',
        clientSecret: 'secret',
      }),
    );
    const request = onlyRequest(route);
    const { user, password } = basicCredentials(request.headers.authorization);
    expect(formDecode(user)).toBe('service');
    expect(formDecode(password)).toBe('secret');
    for (const name of ['client_id', 'client_secret', 'client_assertion']) {
      expect(request.form.has(name)).toBe(false);
    }
  });

  it.each([
    ['a:b c+d/é%', 'p:w d+/é%&=?#'],
    ['plain', 'with space'],
    ['ünïcødé-id', "~!*()'-_."],
  ])(
    'CC-002 form-urlencodes id %j and secret %j (RFC 6749 §2.3.1) so they decode exactly',
    async (clientId, clientSecret) => {
      const route = tokenRoute(server);
      expectSuccess(
        await requestClientCredentialsToken({
          address: route.url,
          clientId,
          clientSecret,
          authMethod: 'client_secret_basic',
        }),
      );
      const request = onlyRequest(route);
      const { user, password } = basicCredentials(request.headers.authorization);
      // Encoded, the id cannot contain the separator, and both halves are plain ASCII.
      expect(user).not.toMatch(/[: ]/);
      expect(`${user}:${password}`).toMatch(/^[\x21-\x7e]+$/);
      expect(formDecode(user)).toBe(clientId);
      expect(formDecode(password)).toBe(clientSecret);
      expect(request.form.has('client_id')).toBe(false);
      expect(request.form.has('client_secret')).toBe(false);
      expect(request.body).not.toContain(encodeURIComponent(clientSecret));
    },
  );
});

describe('CC-003 client_secret_post', () => {
  it('CC-003 puts client_id and client_secret in the body and sends no Authorization header', async () => {
    const clientSecret = 'p:w d+/é%&=';
    const route = tokenRoute(server);
    expectSuccess(
      await requestClientCredentialsToken({
        address: route.url,
        clientId: 'a:b c',
        clientSecret,
        authMethod: 'client_secret_post',
      }),
    );
    const request = onlyRequest(route);
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form.getAll('client_id')).toEqual(['a:b c']);
    expect(request.form.getAll('client_secret')).toEqual([clientSecret]);
    expect(request.form.get('grant_type')).toBe('client_credentials');
  });
});

describe('CC-004 error responses', () => {
  it.each([
    [400, 'invalid_scope', 'Unknown scope "x"'],
    [400, 'invalid_request', 'Missing parameter'],
    [401, 'invalid_client', 'Client authentication failed'],
    [400, 'unauthorized_client', 'Not allowed'],
  ])(
    'CC-004 HTTP %i with error %s becomes a typed protocol failure',
    async (status, error, description) => {
      const route = tokenRoute(server, {
        status,
        body: {
          error,
          error_description: description,
          error_uri: 'https://op.example/errors/help',
        },
      });
      const token = expectFailure(
        await requestClientCredentialsToken({
          address: route.url,
          clientId: 'c',
          clientSecret: 's',
        }),
        { code: 'ERR_OAUTH_ERROR', errorType: 'protocol' },
      );
      expect(token.error).toBe(error);
      expect(token.errorDescription).toBe(description);
      expect(token.errorUri).toBe('https://op.example/errors/help');
      expect(token.httpStatus).toBe(status);
      expect(token.exception).toBeInstanceOf(ProtocolError);
      expect((token.exception as ProtocolError).httpStatus).toBe(status);
      expect(route.seen()).toHaveLength(1);
    },
  );

  it('CC-004 reading a success field of the failure throws ResponseAccessError', async () => {
    const route = tokenRoute(server, { status: 400, body: { error: 'invalid_client' } });
    const token = expectFailure(
      await requestClientCredentialsToken({ address: route.url, clientId: 'c', clientSecret: 's' }),
    );
    expect(token.errorDescription).toBeUndefined();
    expect(token.errorUri).toBeUndefined();
    for (const field of ['accessToken', 'tokenType', 'expiresIn', 'scope', 'raw']) {
      expect(() => Reflect.get(token, field)).toThrow(ResponseAccessError);
    }
    try {
      Reflect.get(token, 'accessToken');
    } catch (error) {
      expect((error as ResponseAccessError).code).toBe('ERR_RESPONSE_NOT_SUCCESSFUL');
      expect((error as ResponseAccessError).cause).toBe(token.exception);
    }
  });

  it('CC-004 a 401 invalid_client with a WWW-Authenticate Basic challenge keeps the body error', async () => {
    // RFC 6749 §5.2: a failed Basic authentication answers 401 with a challenge and the body.
    const route = tokenRoute(server, {
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="op"' },
      body: {
        error: 'invalid_client',
        error_description: 'client authentication failed',
        error_uri: 'https://op.example/errors/client',
      },
    });
    const token = expectFailure(
      await requestClientCredentialsToken({ address: route.url, clientId: 'c', clientSecret: 's' }),
      { errorType: 'protocol' },
    );
    expect(token.error).toBe('invalid_client');
    expect(token.errorDescription).toBe('client authentication failed');
    expect(token.errorUri).toBe('https://op.example/errors/client');
    expect(token.httpStatus).toBe(401);
    expect((token.exception as ProtocolError).wwwAuthenticate).toBe('Basic realm="op"');
  });

  it('CC-004 an error in the challenge alone (no JSON body) is still typed', async () => {
    const route = tokenRoute(server, {
      status: 401,
      headers: {
        'www-authenticate': 'Bearer error="invalid_token", error_description="expired"',
        'content-type': 'text/plain',
      },
      body: 'unauthorized',
    });
    const token = expectFailure(
      await requestClientCredentialsToken({ address: route.url, clientId: 'c', clientSecret: 's' }),
      { errorType: 'protocol' },
    );
    expect(token.error).toBe('invalid_token');
    expect(token.errorDescription).toBe('expired');
    expect(token.httpStatus).toBe(401);
  });

  it('CC-004 a 4xx body without "error" is an HTTP failure, not a protocol one', async () => {
    const route = tokenRoute(server, { status: 400, body: { message: 'bad' } });
    const token = expectFailure(
      await requestClientCredentialsToken({ address: route.url, clientId: 'c', clientSecret: 's' }),
      { code: 'ERR_HTTP_STATUS', errorType: 'http', httpStatus: 400 },
    );
    expect(token.errorDescription).toBeUndefined();
  });
});

describe('CC-005 scope', () => {
  it.each([
    {
      name: 'CC-005 sends a scope array as one space-delimited parameter',
      scope: ['a', 'b'],
      sent: ['a b'],
      body: /(^|&)scope=a(\+|%20)b(&|$)/,
    },
    {
      name: 'CC-005 sends a scope string unchanged',
      scope: 'openid api:write',
      sent: ['openid api:write'],
      body: /(^|&)scope=openid(\+|%20)api%3Awrite(&|$)/,
    },
  ])('$name', async ({ scope, sent, body }) => {
    const route = tokenRoute(server);
    expectSuccess(
      await requestClientCredentialsToken({
        address: route.url,
        clientId: 'c',
        clientSecret: 's',
        scope,
      }),
    );
    const request = onlyRequest(route);
    expect(request.form.getAll('scope')).toEqual(sent);
    expect(request.body).toMatch(body);
  });

  it('CC-005 refuses a scope array holding a non-string before any request', async () => {
    const route = tokenRoute(server);
    await configurationError(
      requestClientCredentialsToken({
        address: route.url,
        clientId: 'c',
        clientSecret: 's',
        scope: ['a', 1 as unknown as string],
      }),
    );
    expect(route.seen()).toHaveLength(0);
  });
});

describe('resource indicators (RFC 8707)', () => {
  it.each([
    {
      name: 'sends each resource as its own parameter',
      resource: ['urn:example:api', 'https://api.example.com/v1'],
      sent: ['urn:example:api', 'https://api.example.com/v1'],
    },
    {
      name: 'sends a single resource once',
      resource: 'urn:example:api',
      sent: ['urn:example:api'],
    },
  ])('$name', async ({ resource, sent }) => {
    const route = tokenRoute(server);
    expectSuccess(
      await requestClientCredentialsToken({
        address: route.url,
        clientId: 'c',
        clientSecret: 's',
        resource,
      }),
    );
    expect(onlyRequest(route).form.getAll('resource')).toEqual(sent);
  });
});

describe('CC-006 extra parameters and an injected fetch', () => {
  it('CC-006 puts extra parameters in the body and lets the injected fetch perform the request', async () => {
    const route = tokenRoute(server);
    const fetchSpy = vi.fn<FetchLike>((input, init) => fetch(input, init));
    const token = expectSuccess(
      await requestClientCredentialsToken({
        address: route.url,
        clientId: 'c',
        clientSecret: 's',
        scope: 'api',
        parameters: { audience: 'https://api.example.com', tenant: 'a&b=c' },
        fetch: fetchSpy,
      }),
    );
    expect(token.accessToken).toBe('at-123');
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const [input, init] = fetchSpy.mock.calls[0]!;
    expect(input).toBe(route.url);
    expect(init.method).toBe('POST');
    expect(init.redirect).toBe('manual');
    const form = onlyRequest(route).form;
    expect(form.getAll('audience')).toEqual(['https://api.example.com']);
    expect(form.getAll('tenant')).toEqual(['a&b=c']);
    expect(form.getAll('grant_type')).toEqual(['client_credentials']);
    expect(form.getAll('scope')).toEqual(['api']);
  });

  it('CC-006 a fetch that never reaches the network still gives the typed response', async () => {
    const fetchSpy = vi.fn<FetchLike>(
      async () =>
        new Response(JSON.stringify({ access_token: 'from-fetch', token_type: 'bearer' }), {
          headers: { 'content-type': 'application/json' },
        }),
    );
    const token = expectSuccess(
      await requestClientCredentialsToken({
        address: 'https://op.example.com/oauth/token',
        clientId: 'c',
        clientSecret: 's',
        fetch: fetchSpy,
      }),
    );
    expect(token.accessToken).toBe('from-fetch');
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(fetchSpy.mock.calls[0]![0]).toBe('https://op.example.com/oauth/token');
  });

  it.each([
    'grant_type',
    'client_id',
    'client_secret',
    'client_assertion',
    'client_assertion_type',
    'scope',
    'resource',
  ])(
    'CC-006 extra parameter %s cannot override the library: ConfigurationError, no request',
    async (name) => {
      const route = tokenRoute(server);
      const error = await configurationError(
        requestClientCredentialsToken({
          address: route.url,
          clientId: 'c',
          clientSecret: 's',
          parameters: { [name]: 'evil' },
        }),
      );
      expect(error.message).toContain(`"parameters.${name}"`);
      expect(route.seen()).toHaveLength(0);
    },
  );

  it('CC-006 refuses a non-string extra parameter', async () => {
    const route = tokenRoute(server);
    await configurationError(
      requestClientCredentialsToken({
        address: route.url,
        clientId: 'c',
        clientSecret: 's',
        parameters: { n: 1 as unknown as string },
      }),
    );
    expect(route.seen()).toHaveLength(0);
  });
});

describe('private_key_jwt (RFC 7523)', () => {
  /** The `client_assertion` of a request, after checking its type. */
  function assertionOf(body: URLSearchParams): string {
    expect(body.get('client_assertion_type')).toBe(JWT_BEARER);
    const assertion = body.get('client_assertion');
    expect(assertion).toEqual(expect.any(String));
    return assertion!;
  }

  it('signs an assertion with iss = sub = client id, aud = token endpoint, unique jti, ≤ 60 s', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const route = tokenRoute(server);
    const before = Math.floor(Date.now() / 1000);
    const call = () =>
      requestClientCredentialsToken({
        address: route.url,
        clientId: 'jwt-client',
        authMethod: 'private_key_jwt',
        privateKey,
      });
    expectSuccess(await call());
    expectSuccess(await call());
    const seen = route.seen();
    expect(seen).toHaveLength(2);

    const jtis: unknown[] = [];
    for (const request of seen) {
      expect(request.headers.authorization).toBeUndefined();
      expect(request.form.getAll('client_id')).toEqual(['jwt-client']);
      expect(request.form.has('client_secret')).toBe(false);
      const assertion = assertionOf(request.form);
      const { payload, protectedHeader } = await jwtVerify(assertion, publicKey, {
        issuer: 'jwt-client',
        subject: 'jwt-client',
        audience: route.url,
        algorithms: ['ES256'],
      });
      expect(protectedHeader.alg).toBe('ES256');
      expect(payload.aud).toBe(route.url);
      expect(typeof payload.jti).toBe('string');
      expect((payload.jti as string).length).toBeGreaterThanOrEqual(16);
      expect(typeof payload.exp).toBe('number');
      expect(typeof payload.iat).toBe('number');
      expect(payload.exp! - payload.iat!).toBeGreaterThan(0);
      expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(60);
      expect(payload.iat!).toBeGreaterThanOrEqual(before - 1);
      expect(payload.iat!).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 1);
      jtis.push(payload.jti);
    }
    expect(jtis[0]).not.toBe(jtis[1]);
  });

  it('accepts a private JWK with alg and puts its kid in the header', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), alg: 'RS256', kid: 'key-1' };
    const route = tokenRoute(server);
    // No authMethod: a private key without a secret means private_key_jwt.
    expectSuccess(
      await requestClientCredentialsToken({
        address: route.url,
        clientId: 'jwt-client',
        privateKey: jwk,
      }),
    );
    const assertion = assertionOf(onlyRequest(route).form);
    expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'RS256', kid: 'key-1' });
    const { payload } = await jwtVerify(assertion, publicKey, {
      issuer: 'jwt-client',
      subject: 'jwt-client',
      audience: route.url,
    });
    expect(payload.sub).toBe('jwt-client');
  });

  it('uses privateKeyId as the kid of a CryptoKey assertion', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const route = tokenRoute(server);
    expectSuccess(
      await requestClientCredentialsToken({
        address: route.url,
        clientId: 'jwt-client',
        authMethod: 'private_key_jwt',
        privateKey,
        privateKeyId: 'kid-7',
      }),
    );
    const assertion = assertionOf(onlyRequest(route).form);
    expect(decodeProtectedHeader(assertion).kid).toBe('kid-7');
  });

  it('refuses a missing key, a public JWK and a public CryptoKey before any request', async () => {
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), alg: 'ES256' };
    const route = tokenRoute(server);
    for (const privateKey of [undefined, publicJwk, publicKey]) {
      await configurationError(
        requestClientCredentialsToken({
          address: route.url,
          clientId: 'jwt-client',
          authMethod: 'private_key_jwt',
          ...(privateKey === undefined ? {} : { privateKey }),
        }),
      );
    }
    expect(route.seen()).toHaveLength(0);
  });
});

describe('none (a public client)', () => {
  it('sends client_id in the body and no credentials', async () => {
    const route = tokenRoute(server);
    expectSuccess(
      await requestClientCredentialsToken({
        address: route.url,
        clientId: 'public',
        authMethod: 'none',
      }),
    );
    const request = onlyRequest(route);
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form.getAll('client_id')).toEqual(['public']);
    for (const name of ['client_secret', 'client_assertion', 'client_assertion_type']) {
      expect(request.form.has(name)).toBe(false);
    }
  });

  it('is the default without a secret or a key', async () => {
    const route = tokenRoute(server);
    expectSuccess(await requestClientCredentialsToken({ address: route.url, clientId: 'public' }));
    const request = onlyRequest(route);
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form.get('client_id')).toBe('public');
  });

  it('never sends a secret given alongside authMethod none', async () => {
    const route = tokenRoute(server);
    expectSuccess(
      await requestClientCredentialsToken({
        address: route.url,
        clientId: 'public',
        clientSecret: 'must-not-leak',
        authMethod: 'none',
      }),
    );
    const request = onlyRequest(route);
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).not.toContain('must-not-leak');
  });
});

describe('argument checks', () => {
  it.each(['client_secret_basic', 'client_secret_post'] as const)(
    '%s without clientSecret is a ConfigurationError before any request',
    async (authMethod) => {
      const route = tokenRoute(server);
      const error = await configurationError(
        requestClientCredentialsToken({ address: route.url, clientId: 'c', authMethod }),
      );
      expect(error.message).toContain('"clientSecret"');
      const empty = await configurationError(
        requestClientCredentialsToken({
          address: route.url,
          clientId: 'c',
          clientSecret: '',
          authMethod,
        }),
      );
      expect(empty.message).toContain('"clientSecret"');
      expect(route.seen()).toHaveLength(0);
    },
  );

  it('refuses an empty clientId, an unknown authMethod and a bad address', async () => {
    const route = tokenRoute(server);
    await configurationError(
      requestClientCredentialsToken({ address: route.url, clientId: '', clientSecret: 's' }),
    );
    await configurationError(
      requestClientCredentialsToken({
        address: route.url,
        clientId: 'c',
        clientSecret: 's',
        authMethod: 'client_secret_jwt' as never,
      }),
    );
    for (const address of ['/token', 'ftp://op.example.com/token', 'not a url']) {
      await configurationError(
        requestClientCredentialsToken({ address, clientId: 'c', clientSecret: 's' }),
      );
    }
    expect(route.seen()).toHaveLength(0);
  });
});
