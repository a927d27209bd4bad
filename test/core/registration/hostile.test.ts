/**
 * Registration and management against the local test server: what is sent (method, JSON body,
 * Bearer tokens), hostile or malformed answers, retries, redirects, the https rule and argument
 * checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../src/core/errors.js';
import type { FetchLike } from '../../../src/core/http/defaults.js';
import {
  deleteClient,
  readClient,
  registerClient,
  updateClient,
} from '../../../src/core/registration/index.js';
import { expectFailure, expectSuccess } from '../../support/result.js';
import { startServer, type TestServer } from '../../support/server.js';
import { route } from '../userinfo/support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const CLIENT = {
  client_id: 'c-1',
  client_secret: 's-1',
  client_secret_expires_at: 0,
  client_id_issued_at: 1_700_000_000,
  registration_access_token: 'rat-1',
  registration_client_uri: 'https://op.example/reg/c-1',
  redirect_uris: ['https://app.example/cb'],
};
const METADATA = { redirect_uris: ['https://app.example/cb'], client_name: 'App' };
const noSleep = async () => {};

describe('registerClient', () => {
  it('POSTs the metadata as JSON with the initial access token and reads the client', async () => {
    const endpoint = route(server, 'POST', { status: 201, body: CLIENT });
    const client = expectSuccess(
      await registerClient({
        address: endpoint.url,
        metadata: METADATA,
        initialAccessToken: 'iat-1',
      }),
    );
    const [request] = endpoint.seen();
    expect(request!.headers.authorization).toBe('Bearer iat-1');
    expect(request!.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(request!.body)).toEqual(METADATA);
    expect(client).toMatchObject({
      clientId: 'c-1',
      clientSecret: 's-1',
      clientSecretExpiresAt: 0,
      clientIdIssuedAt: 1_700_000_000,
      registrationAccessToken: 'rat-1',
      registrationClientUri: 'https://op.example/reg/c-1',
      httpStatus: 201,
    });
    expect(client.raw.redirect_uris).toEqual(['https://app.example/cb']);
  });

  it('sends no Authorization header without an initial access token', async () => {
    const endpoint = route(server, 'POST', { status: 201, body: { client_id: 'open' } });
    const client = expectSuccess(
      await registerClient({ address: endpoint.url, metadata: METADATA }),
    );
    expect(endpoint.seen()[0]!.headers.authorization).toBeUndefined();
    expect(client.clientSecret).toBeUndefined();
    expect(client.registrationAccessToken).toBeUndefined();
  });

  it('reports an RFC 7591 §3.2.2 error with its description', async () => {
    const endpoint = route(server, 'POST', {
      status: 400,
      body: { error: 'invalid_redirect_uri', error_description: 'https only' },
    });
    const client = expectFailure(
      await registerClient({ address: endpoint.url, metadata: METADATA }),
      { errorType: 'protocol' },
    );
    expect(client.error).toBe('invalid_redirect_uri');
    expect(client.errorDescription).toBe('https only');
    expect(client.httpStatus).toBe(400);
    expect(() => Reflect.get(client, 'clientId')).toThrow(/failed response/);
  });

  it.each([
    ['a 200 instead of 201', { status: 200, body: CLIENT }, 'ERR_HTTP_STATUS'],
    [
      'no client_id',
      { status: 201, body: { client_secret: 'x', client_secret_expires_at: 0 } },
      'ERR_INVALID_RESPONSE',
    ],
    ['a numeric client_id', { status: 201, body: { client_id: 7 } }, 'ERR_INVALID_RESPONSE'],
    [
      'a secret without client_secret_expires_at',
      { status: 201, body: { client_id: 'c', client_secret: 's' } },
      'ERR_INVALID_RESPONSE',
    ],
    [
      'client_secret_expires_at as a string',
      { status: 201, body: { client_id: 'c', client_secret: 's', client_secret_expires_at: '0' } },
      'ERR_INVALID_RESPONSE',
    ],
    [
      'a relative registration_client_uri',
      { status: 201, body: { client_id: 'c', registration_client_uri: '/reg/c' } },
      'ERR_INVALID_RESPONSE',
    ],
    [
      'JSON sent as text/plain',
      { status: 201, headers: { 'content-type': 'text/plain' }, body: CLIENT },
      'ERR_CONTENT_TYPE',
    ],
    [
      'a 500 page',
      { status: 500, headers: { 'content-type': 'text/html' }, body: '<h1>down</h1>' },
      'ERR_HTTP_STATUS',
    ],
  ] as const)('refuses %s', async (_, answer, code) => {
    const endpoint = route(server, 'POST', answer);
    expectFailure(
      await registerClient({ address: endpoint.url, metadata: METADATA, sleep: noSleep }),
      { code },
    );
    expect(endpoint.seen()).toHaveLength(1);
  });

  it('retries a 503 with Retry-After once, and never a 500', async () => {
    const busy = route(
      server,
      'POST',
      { status: 503, headers: { 'retry-after': '1' }, body: { error: 'temporarily_unavailable' } },
      { status: 201, body: CLIENT },
    );
    expectSuccess(await registerClient({ address: busy.url, metadata: METADATA, sleep: noSleep }));
    expect(busy.seen()).toHaveLength(2);
    expect(busy.seen()[1]!.body).toBe(busy.seen()[0]!.body);
  });
});

describe('readClient, updateClient, deleteClient', () => {
  it('reads with the registration access token', async () => {
    const endpoint = route(server, 'GET', { body: CLIENT });
    const client = expectSuccess(
      await readClient({ registrationClientUri: endpoint.url, registrationAccessToken: 'rat-1' }),
    );
    expect(endpoint.seen()[0]!.headers.authorization).toBe('Bearer rat-1');
    expect(client.clientId).toBe('c-1');
    expect(client.httpStatus).toBe(200);
  });

  it.each([
    ['a secret without client_secret_expires_at', { client_id: 'c', client_secret: 's' }],
    ['a negative client_id_issued_at', { client_id: 'c', client_id_issued_at: -1 }],
    ['an empty registration_access_token', { client_id: 'c', registration_access_token: '' }],
  ])('refuses a read answered with %s', async (_, body) => {
    const endpoint = route(server, 'GET', { body });
    expectFailure(
      await readClient({ registrationClientUri: endpoint.url, registrationAccessToken: 'rat-1' }),
      { code: 'ERR_INVALID_RESPONSE', httpStatus: 200 },
    );
  });

  it('PUTs the full metadata with client_id, without the members RFC 7592 §2.2 forbids', async () => {
    const endpoint = route(server, 'PUT', {
      body: { ...CLIENT, registration_access_token: 'rat-2' },
    });
    const client = expectSuccess(
      await updateClient({
        registrationClientUri: endpoint.url,
        registrationAccessToken: 'rat-1',
        metadata: { ...CLIENT, client_name: 'New' },
      }),
    );
    const [request] = endpoint.seen();
    expect(request!.method).toBe('PUT');
    expect(request!.headers.authorization).toBe('Bearer rat-1');
    expect(request!.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(request!.body)).toEqual({
      client_id: 'c-1',
      client_secret: 's-1',
      redirect_uris: ['https://app.example/cb'],
      client_name: 'New',
    });
    expect(client.registrationAccessToken).toBe('rat-2');
  });

  it('refuses an update answered for another client_id', async () => {
    const endpoint = route(server, 'PUT', { body: { ...CLIENT, client_id: 'c-2' } });
    expectFailure(
      await updateClient({
        registrationClientUri: endpoint.url,
        registrationAccessToken: 'rat-1',
        metadata: { client_id: 'c-1' },
      }),
      { code: 'ERR_INVALID_RESPONSE' },
    );
  });

  it('deletes (204), and reports a 404 or a 401 challenge', async () => {
    const deleted = route(server, 'DELETE', { status: 204 });
    const access = { registrationAccessToken: 'rat-1' };
    const success = expectSuccess(
      await deleteClient({ registrationClientUri: deleted.url, ...access }),
    );
    expect(success.httpStatus).toBe(204);
    expect(deleted.seen()[0]!.method).toBe('DELETE');
    expect(deleted.seen()[0]!.headers.authorization).toBe('Bearer rat-1');

    const missing = route(server, 'DELETE', { status: 404, body: '' });
    expectFailure(await deleteClient({ registrationClientUri: missing.url, ...access }), {
      code: 'ERR_HTTP_STATUS',
      httpStatus: 404,
    });

    const revoked = route(server, 'DELETE', {
      status: 401,
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    });
    const denied = expectFailure(
      await deleteClient({ registrationClientUri: revoked.url, ...access }),
    );
    expect(denied.error).toBe('invalid_token');
    expect(denied.wwwAuthenticate).toBe('Bearer error="invalid_token"');
  });

  it('never follows a redirect with the registration access token', async () => {
    const target = route(server, 'GET', { body: CLIENT });
    const endpoint = route(server, 'GET', { status: 307, headers: { location: target.url } });
    expectFailure(
      await readClient({ registrationClientUri: endpoint.url, registrationAccessToken: 'rat-1' }),
      { code: 'ERR_HTTP_REDIRECT' },
    );
    expect(target.seen()).toHaveLength(0);
  });

  it('sends nothing to an http client configuration endpoint off loopback', async () => {
    const calls: string[] = [];
    const fetch: FetchLike = async (input) => {
      calls.push(input);
      return new Response('{}');
    };
    expectFailure(
      await readClient({
        registrationClientUri: 'http://op.example/reg/c-1',
        registrationAccessToken: 'rat-1',
        fetch,
      }),
      { errorType: 'policy' },
    );
    expect(calls).toEqual([]);
  });
});

describe('argument checks', () => {
  const access = {
    registrationClientUri: 'https://op.example/reg/c',
    registrationAccessToken: 'rat',
  };
  it.each([
    [
      'metadata as an array',
      () => registerClient({ address: 'https://op.example/reg', metadata: [] as never }),
    ],
    [
      'an empty initial access token',
      () =>
        registerClient({ address: 'https://op.example/reg', metadata: {}, initialAccessToken: '' }),
    ],
    ['a relative registration endpoint', () => registerClient({ address: '/reg', metadata: {} })],
    ['an update without client_id', () => updateClient({ ...access, metadata: {} as never })],
    [
      'an empty registration access token',
      () => readClient({ ...access, registrationAccessToken: '' }),
    ],
    [
      'a missing client configuration endpoint',
      () => deleteClient({ ...access, registrationClientUri: undefined as never }),
    ],
  ])('throws a ConfigurationError for %s', async (_, call) => {
    await expect(call()).rejects.toBeInstanceOf(ConfigurationError);
  });
});
