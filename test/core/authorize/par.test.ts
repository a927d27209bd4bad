/**
 * pushAuthorizationRequest (RFC 9126) against a local server that records what it receives and
 * answers hostile responses: the form, client authentication, the returned URL, OAuth error
 * bodies, missing or malformed members, and the https rule.
 */
import { decodeJwt, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PushedAuthorizationRequest,
  pushAuthorizationRequest,
} from '../../../src/core/authorize/index.js';
import { ConfigurationError, ProtocolError } from '../../../src/core/errors.js';
import { expectFailure, expectSuccess } from '../../support/result.js';
import { startServer, type TestServer } from '../../support/server.js';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const REQUEST_URI = 'urn:ietf:params:oauth:request_uri:abc123';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
});

let routes = 0;

/** Registers `POST /par-N` answering `status` with `body` (a string is sent as is). */
function parRoute(
  body: unknown = { request_uri: REQUEST_URI, expires_in: 90 },
  status = 201,
  contentType = 'application/json',
) {
  const path = `/par-${++routes}`;
  server.route('POST', path, (_req, res) => {
    res
      .writeHead(status, { 'content-type': contentType })
      .end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  return {
    url: `${server.url}${path}`,
    seen: () => server.requests.filter((request) => request.path === path),
  };
}

function request(address: string, extra: Partial<PushedAuthorizationRequest> = {}) {
  return {
    address,
    authorizationEndpoint: 'http://localhost:9999/auth?tenant=t1',
    clientId: 'web',
    clientSecret: 'secret',
    redirectUri: 'https://app.example/callback',
    scope: ['openid', 'profile'],
    state: 'state-1',
    nonce: 'nonce-1',
    codeChallenge: CHALLENGE,
    resource: ['urn:a', 'urn:b'],
    retries: 0,
    ...extra,
  } as PushedAuthorizationRequest;
}

describe('pushAuthorizationRequest: the request', () => {
  it('POSTs the authorization parameters with client_secret_basic and returns request_uri and url', async () => {
    const route = parRoute();
    const par = expectSuccess(await pushAuthorizationRequest(request(route.url)));

    const [seen, ...more] = route.seen();
    expect(more).toHaveLength(0);
    expect(seen!.method).toBe('POST');
    expect(seen!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded\b/);
    expect(seen!.headers.authorization).toBe(
      `Basic ${Buffer.from('web:secret').toString('base64')}`,
    );
    const form = new URLSearchParams(seen!.body);
    expect(form.get('response_type')).toBe('code');
    expect(form.getAll('client_id')).toEqual(['web']);
    expect(form.get('redirect_uri')).toBe('https://app.example/callback');
    expect(form.get('scope')).toBe('openid profile');
    expect(form.get('state')).toBe('state-1');
    expect(form.get('nonce')).toBe('nonce-1');
    expect(form.get('code_challenge')).toBe(CHALLENGE);
    expect(form.get('code_challenge_method')).toBe('S256');
    expect(form.getAll('resource')).toEqual(['urn:a', 'urn:b']);
    expect(form.has('client_secret')).toBe(false);
    expect(form.has('request_uri')).toBe(false);

    expect(par.requestUri).toBe(REQUEST_URI);
    expect(par.expiresIn).toBe(90);
    expect(par.httpStatus).toBe(201);
    expect(par.raw).toEqual({ request_uri: REQUEST_URI, expires_in: 90 });
    const url = new URL(par.url);
    expect(url.origin + url.pathname).toBe('http://localhost:9999/auth');
    expect([...url.searchParams]).toEqual([
      ['tenant', 't1'],
      ['client_id', 'web'],
      ['request_uri', REQUEST_URI],
    ]);
  });

  it('a public client sends client_id in the form and no Authorization header', async () => {
    const route = parRoute();
    expectSuccess(
      await pushAuthorizationRequest(
        request(route.url, { clientId: 'spa', clientSecret: undefined } as never),
      ),
    );
    const seen = route.seen()[0]!;
    expect(seen.headers.authorization).toBeUndefined();
    expect(new URLSearchParams(seen.body).get('client_id')).toBe('spa');
  });

  it('private_key_jwt assertions name the issuer as audience when it is given, else the endpoint', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = { ...(await exportJWK(privateKey)), alg: 'ES256' };
    const audienceOf = async (extra: Partial<PushedAuthorizationRequest>) => {
      const route = parRoute();
      expectSuccess(
        await pushAuthorizationRequest(
          request(route.url, {
            clientSecret: undefined,
            authMethod: 'private_key_jwt',
            privateKey: privateJwk,
            ...extra,
          } as Partial<PushedAuthorizationRequest>),
        ),
      );
      const assertion = new URLSearchParams(route.seen()[0]!.body).get('client_assertion')!;
      return { aud: decodeJwt(assertion).aud, url: route.url };
    };
    expect((await audienceOf({ issuer: 'https://op.example' })).aud).toBe('https://op.example');
    const { aud, url } = await audienceOf({});
    expect(aud).toBe(url);
  });

  it('client_secret_post puts the secret in the form', async () => {
    const route = parRoute();
    expectSuccess(
      await pushAuthorizationRequest(request(route.url, { authMethod: 'client_secret_post' })),
    );
    const form = new URLSearchParams(route.seen()[0]!.body);
    expect(form.get('client_secret')).toBe('secret');
  });

  it('bad arguments throw ConfigurationError before any request', async () => {
    const route = parRoute();
    for (const extra of [
      { codeChallengeMethod: 'plain' },
      { parameters: { request_uri: 'urn:x' } },
      { state: '' },
      { authorizationEndpoint: 'not a url' },
      { authorizationEndpoint: 'https://op.example/auth#frag' },
      { address: '/relative' },
    ] as Partial<PushedAuthorizationRequest>[]) {
      await expect(pushAuthorizationRequest(request(route.url, extra))).rejects.toBeInstanceOf(
        ConfigurationError,
      );
    }
    expect(route.seen()).toHaveLength(0);
  });

  it('an http endpoint off loopback is a policy failure, and nothing is sent', async () => {
    const route = parRoute();
    expectFailure(
      await pushAuthorizationRequest(
        request(route.url, { authorizationEndpoint: 'http://op.example/auth' }),
      ),
      { code: 'ERR_ENDPOINT_HTTPS_REQUIRED', errorType: 'policy' },
    );
    expect(route.seen()).toHaveLength(0);
    expectFailure(await pushAuthorizationRequest(request('http://op.example/par')), {
      errorType: 'policy',
    });
  });
});

describe('pushAuthorizationRequest: hostile responses', () => {
  it('an OAuth error body is a protocol failure with the server error as text', async () => {
    const route = parRoute(
      {
        error: 'invalid_request',
        error_description: '<b>redirect_uri</b> not registered',
        error_uri: 'https://op.example/e',
      },
      400,
    );
    const par = expectFailure(await pushAuthorizationRequest(request(route.url)), {
      code: 'ERR_OAUTH_ERROR',
      errorType: 'protocol',
    });
    expect(par.error).toBe('invalid_request');
    expect(par.errorDescription).toBe('<b>redirect_uri</b> not registered');
    expect(par.errorUri).toBe('https://op.example/e');
    expect(par.httpStatus).toBe(400);
    expect(par.exception).toBeInstanceOf(ProtocolError);
    expect(() => Reflect.get(par, 'requestUri')).toThrow(/failed response/);
    expect(() => Reflect.get(par, 'url')).toThrow(/failed response/);
  });

  it('invalid_client with 401 is a protocol failure', async () => {
    const route = parRoute({ error: 'invalid_client' }, 401);
    const par = expectFailure(await pushAuthorizationRequest(request(route.url)));
    expect(par.error).toBe('invalid_client');
    expect(par.httpStatus).toBe(401);
  });

  it.each([
    ['no request_uri', { expires_in: 60 }],
    ['an empty request_uri', { request_uri: '', expires_in: 60 }],
    ['a numeric request_uri', { request_uri: 42, expires_in: 60 }],
    ['no expires_in', { request_uri: REQUEST_URI }],
    ['expires_in as a string', { request_uri: REQUEST_URI, expires_in: '60' }],
    ['expires_in 0', { request_uri: REQUEST_URI, expires_in: 0 }],
    ['a negative expires_in', { request_uri: REQUEST_URI, expires_in: -5 }],
    ['a fractional expires_in', { request_uri: REQUEST_URI, expires_in: 1.5 }],
  ])('%s is invalid_response', async (_, body) => {
    const route = parRoute(body);
    expectFailure(await pushAuthorizationRequest(request(route.url)), {
      code: 'ERR_INVALID_RESPONSE',
      errorType: 'invalid_response',
      httpStatus: 201,
    });
  });

  it('200 instead of 201 is refused (RFC 9126 §2.2)', async () => {
    const route = parRoute({ request_uri: REQUEST_URI, expires_in: 60 }, 200);
    expectFailure(await pushAuthorizationRequest(request(route.url)), {
      errorType: 'http',
      httpStatus: 200,
    });
  });

  it('a body that is not JSON, or not an object, is refused', async () => {
    expectFailure(
      await pushAuthorizationRequest(request(parRoute('<html>hi</html>', 201, 'text/html').url)),
      { code: 'ERR_CONTENT_TYPE', errorType: 'invalid_response' },
    );
    expectFailure(await pushAuthorizationRequest(request(parRoute('{"request_uri":').url)), {
      code: 'ERR_INVALID_JSON',
    });
    expectFailure(await pushAuthorizationRequest(request(parRoute([REQUEST_URI]).url)), {
      errorType: 'invalid_response',
    });
  });

  it('a 500 is an http failure', async () => {
    expectFailure(
      await pushAuthorizationRequest(request(parRoute('oops', 500, 'text/plain').url)),
      { errorType: 'http', httpStatus: 500 },
    );
  });
});
