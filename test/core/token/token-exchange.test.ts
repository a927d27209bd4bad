/**
 * requestTokenExchangeToken against a local token endpoint (seed conformance EXCH-001 … EXCH-006):
 * the request form for impersonation and delegation, token type URIs sent verbatim, audience and
 * resource lists, the issued token trio including `token_type` N_A, and error responses.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenTypeIdentifiers } from '../../../src/core/constants/token-types.js';
import { requestTokenExchangeToken } from '../../../src/core/token/token-exchange.js';
import { expectConfigurationError, expectFailure, expectSuccess } from '../../support/result.js';
import { startServer, type TestServer } from '../../support/server.js';
import { basicCredentials, onlyRequest, tokenRoute } from './token-server.js';

type Json = Record<string, unknown>;

/** The project's token exchange fixtures (test/fixtures/token-exchange/). */
function fixture(name: string): Json {
  const url = new URL(`../../fixtures/token-exchange/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Json;
}

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
});

const SUBJECT = 'eyJhbGciOiJFUzI1NiJ9.subject.tok';
const ACTOR = 'eyJhbGciOiJFUzI1NiJ9.actor.tok';
const CLIENT = { clientId: 'gateway', clientSecret: 'gateway-secret' } as const;

describe('EXCH-001 impersonation', () => {
  it('EXCH-001 sends the token-exchange grant with subject token and type, and parses the issued token trio', async () => {
    const body = fixture('exchange-impersonation-success');
    const route = tokenRoute(server, { body });
    const token = expectSuccess(
      await requestTokenExchangeToken({
        address: route.url,
        ...CLIENT,
        subjectToken: SUBJECT,
        subjectTokenType: TokenTypeIdentifiers.accessToken,
      }),
    );
    const request = onlyRequest(route);
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded\b/);
    expect(request.form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
    expect(request.form.get('subject_token')).toBe(SUBJECT);
    expect(request.form.get('subject_token_type')).toBe(
      'urn:ietf:params:oauth:token-type:access_token',
    );
    for (const absent of ['actor_token', 'actor_token_type', 'requested_token_type', 'audience']) {
      expect(request.form.has(absent)).toBe(false);
    }
    expect(basicCredentials(request.headers.authorization).user).toBe('gateway');

    expect(token.accessToken).toBe(body.access_token);
    expect(token.issuedTokenType).toBe('urn:ietf:params:oauth:token-type:access_token');
    expect(token.tokenType).toBe('Bearer');
    expect(token.expiresIn).toBe(3600);
    expect(token.scope).toBe('https://api.example.com/read');
    expect(token.raw).toEqual(body);
  });
});

describe('EXCH-002 delegation', () => {
  it('EXCH-002 sends subject and actor tokens with their types, and the resource', async () => {
    const expected = fixture('exchange-request-delegation');
    const route = tokenRoute(server, { body: fixture('exchange-delegation-success') });
    const token = expectSuccess(
      await requestTokenExchangeToken({
        address: route.url,
        ...CLIENT,
        subjectToken: expected.subject_token as string,
        subjectTokenType: expected.subject_token_type as string,
        actorToken: expected.actor_token as string,
        actorTokenType: expected.actor_token_type as string,
        resource: expected.resource as string,
      }),
    );
    const form = onlyRequest(route).form;
    const { _comment, ...wanted } = expected;
    expect(Object.fromEntries(form)).toEqual(wanted);
    expect(token.scope).toBe('https://api.example.com/read https://api.example.com/write');
  });

  it('EXCH-002 requires actorTokenType with actorToken, and only with it', async () => {
    const route = tokenRoute(server);
    const base = {
      address: route.url,
      ...CLIENT,
      subjectToken: SUBJECT,
      subjectTokenType: TokenTypeIdentifiers.accessToken,
    };
    await expectConfigurationError(
      () => requestTokenExchangeToken({ ...base, actorToken: ACTOR }),
      /actorTokenType.*required/,
    );
    await expectConfigurationError(
      () => requestTokenExchangeToken({ ...base, actorTokenType: TokenTypeIdentifiers.jwt }),
      /actorTokenType.*without/,
    );
    expect(route.seen()).toHaveLength(0);
  });
});

describe('EXCH-003 token type URIs', () => {
  const uris = fixture('token-type-uris').token_type_uris as string[];

  it('EXCH-003 the fixture lists the six RFC 8693 §3 identifiers, the same as TokenTypeIdentifiers', () => {
    expect(uris).toHaveLength(6);
    expect(new Set(uris)).toEqual(new Set(Object.values(TokenTypeIdentifiers)));
  });

  it.each(uris.map((uri) => [uri]))(
    'EXCH-003 sends %s verbatim as subject, actor and requested token type',
    async (uri) => {
      const route = tokenRoute(server, {
        body: { ...fixture('exchange-impersonation-success'), issued_token_type: uri },
      });
      const token = expectSuccess(
        await requestTokenExchangeToken({
          address: route.url,
          ...CLIENT,
          subjectToken: SUBJECT,
          subjectTokenType: uri,
          actorToken: ACTOR,
          actorTokenType: uri,
          requestedTokenType: uri,
        }),
      );
      const request = onlyRequest(route);
      expect(request.form.get('subject_token_type')).toBe(uri);
      expect(request.form.get('actor_token_type')).toBe(uri);
      expect(request.form.get('requested_token_type')).toBe(uri);
      // Percent-encoded on the wire, never abbreviated or altered.
      expect(request.body).toContain(`subject_token_type=${encodeURIComponent(uri)}`);
      expect(token.issuedTokenType).toBe(uri);
    },
  );
});

describe('EXCH-004 requested_token_type, audience and resource', () => {
  it('EXCH-004 sends requested_token_type, audience and scope; the issued type may differ', async () => {
    const expected = fixture('exchange-request-impersonation');
    const route = tokenRoute(server, { body: fixture('exchange-n_a-token-type') });
    const token = expectSuccess(
      await requestTokenExchangeToken({
        address: route.url,
        ...CLIENT,
        subjectToken: expected.subject_token as string,
        subjectTokenType: expected.subject_token_type as string,
        requestedTokenType: expected.requested_token_type as string,
        audience: expected.audience as string,
        scope: expected.scope as string,
      }),
    );
    const { _comment, ...wanted } = expected;
    expect(Object.fromEntries(onlyRequest(route).form)).toEqual(wanted);
    expect(token.issuedTokenType).toBe('urn:ietf:params:oauth:token-type:saml2');
    expect(token.issuedTokenType).not.toBe(expected.requested_token_type);
  });

  it('EXCH-004 sends several audiences and resources as repeated parameters, scopes space-joined', async () => {
    const route = tokenRoute(server, { body: fixture('exchange-impersonation-success') });
    expectSuccess(
      await requestTokenExchangeToken({
        address: route.url,
        ...CLIENT,
        subjectToken: SUBJECT,
        subjectTokenType: TokenTypeIdentifiers.jwt,
        audience: ['https://a.example', 'https://b.example'],
        resource: ['https://a.example/api', 'https://b.example/api'],
        scope: ['read', 'write'],
      }),
    );
    const form = onlyRequest(route).form;
    expect(form.getAll('audience')).toEqual(['https://a.example', 'https://b.example']);
    expect(form.getAll('resource')).toEqual(['https://a.example/api', 'https://b.example/api']);
    expect(form.get('scope')).toBe('read write');
  });
});

describe('EXCH-005 response parsing', () => {
  it('EXCH-005 accepts token_type N_A for a token that is not an access token (RFC 8693 §2.2.1)', async () => {
    const body = fixture('exchange-n_a-token-type');
    const route = tokenRoute(server, { body });
    const token = expectSuccess(
      await requestTokenExchangeToken({
        address: route.url,
        ...CLIENT,
        subjectToken: SUBJECT,
        subjectTokenType: TokenTypeIdentifiers.accessToken,
        requestedTokenType: TokenTypeIdentifiers.saml2,
      }),
    );
    expect(token.tokenType).toBe('N_A');
    expect(token.accessToken).toBe(body.access_token);
    expect(token.issuedTokenType).toBe(TokenTypeIdentifiers.saml2);
    expect(token.expiresIn).toBe(60);
    expect(token.scope).toBeUndefined();
    expect(token.refreshToken).toBeUndefined();
  });

  it('EXCH-005 reads the optional refresh_token and scope', async () => {
    const route = tokenRoute(server, {
      body: { ...fixture('exchange-impersonation-success'), refresh_token: 'rt-x' },
    });
    const token = expectSuccess(
      await requestTokenExchangeToken({
        address: route.url,
        ...CLIENT,
        subjectToken: SUBJECT,
        subjectTokenType: TokenTypeIdentifiers.accessToken,
      }),
    );
    expect(token.refreshToken).toBe('rt-x');
  });

  it.each([
    ['no issued_token_type', { issued_token_type: undefined }, /issued_token_type/],
    ['issued_token_type as a number', { issued_token_type: 1 }, /issued_token_type/],
    ['expires_in as a string', { expires_in: '3600' }, /expires_in/],
    ['no access_token', { access_token: undefined }, /access_token/],
    ['an unknown token_type', { token_type: 'mac' }, /token_type|unsupported/i],
  ])('EXCH-005 refuses a response with %s', async (_, change, message) => {
    const route = tokenRoute(server, {
      body: { ...fixture('exchange-impersonation-success'), ...change },
    });
    const failure = expectFailure(
      await requestTokenExchangeToken({
        address: route.url,
        ...CLIENT,
        subjectToken: SUBJECT,
        subjectTokenType: TokenTypeIdentifiers.accessToken,
      }),
      { errorType: 'invalid_response' },
    );
    expect(failure.errorMessage).toMatch(message);
    expect(() => Reflect.get(failure, 'issuedTokenType')).toThrow(/failed response/);
  });
});

describe('EXCH-006 error responses', () => {
  it.each([
    ['exchange-error-invalid-grant', 'invalid_grant'],
    ['exchange-error-invalid-request', 'invalid_request'],
  ])('EXCH-006 surfaces %s as a typed OAuth error', async (name, error) => {
    const body: Json = { ...fixture(name), error_uri: 'https://as.example/errors' };
    const route = tokenRoute(server, { status: 400, body });
    const failure = expectFailure(
      await requestTokenExchangeToken({
        address: route.url,
        ...CLIENT,
        subjectToken: SUBJECT,
        subjectTokenType: TokenTypeIdentifiers.accessToken,
      }),
      { code: 'ERR_OAUTH_ERROR', errorType: 'protocol' },
    );
    expect(failure.error).toBe(error);
    expect(failure.errorDescription).toBe(body.error_description);
    expect(failure.errorUri).toBe('https://as.example/errors');
    expect(failure.httpStatus).toBe(400);
  });

  it('EXCH-006 surfaces invalid_client with HTTP 401 and unsupported_grant_type', async () => {
    const route = tokenRoute(
      server,
      { status: 401, body: { error: 'invalid_client' } },
      { status: 400, body: { error: 'unsupported_grant_type' } },
    );
    const request = {
      address: route.url,
      ...CLIENT,
      subjectToken: SUBJECT,
      subjectTokenType: TokenTypeIdentifiers.accessToken,
    };
    const first = expectFailure(await requestTokenExchangeToken(request));
    expect([first.error, first.httpStatus]).toEqual(['invalid_client', 401]);
    const second = expectFailure(await requestTokenExchangeToken(request));
    expect([second.error, second.httpStatus]).toEqual(['unsupported_grant_type', 400]);
  });
});

describe('token exchange arguments', () => {
  it('throws ConfigurationError for bad arguments before any request', async () => {
    const route = tokenRoute(server);
    const base = {
      address: route.url,
      ...CLIENT,
      subjectToken: SUBJECT,
      subjectTokenType: TokenTypeIdentifiers.accessToken,
    };
    await expectConfigurationError(
      () => requestTokenExchangeToken({ ...base, subjectToken: '' }),
      /subjectToken/,
    );
    await expectConfigurationError(
      () =>
        requestTokenExchangeToken({ ...base, subjectTokenType: undefined as unknown as string }),
      /subjectTokenType/,
    );
    await expectConfigurationError(
      () => requestTokenExchangeToken({ ...base, requestedTokenType: '' }),
      /requestedTokenType/,
    );
    await expectConfigurationError(
      () => requestTokenExchangeToken({ ...base, audience: [1] as unknown as string[] }),
      /audience/,
    );
    await expectConfigurationError(
      () => requestTokenExchangeToken({ ...base, parameters: { subject_token: 'other' } }),
      /parameters\.subject_token/,
    );
    expect(route.seen()).toHaveLength(0);
  });
});
