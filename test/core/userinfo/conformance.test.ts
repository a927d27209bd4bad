/**
 * The seed's UserInfo conformance cases (UI-001 … UI-008) against the local test server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidClaimError, ProtocolError } from '../../../src/core/errors.js';
import type { FetchLike } from '../../../src/core/http/defaults.js';
import { getUserInfo, type UserInfoClaims } from '../../../src/core/userinfo/index.js';
import { jsonFixture } from '../../support/hostile-op.js';
import { expectFailure, expectSuccess } from '../../support/result.js';
import { startServer, type TestServer } from '../../support/server.js';
import { route } from './support.js';

const STANDARD = jsonFixture('userinfo/standard-claims.json');
const TOKEN = 'at-7Gh.x_y~z+/=';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

describe('UserInfo conformance (OpenID Connect Core §5.3)', () => {
  it('UI-001 sends the access token as a Bearer header and returns typed standard claims', async () => {
    const endpoint = route(server, 'GET', { body: STANDARD });
    const info = expectSuccess(await getUserInfo({ address: endpoint.url, token: TOKEN }));
    const [request] = endpoint.seen();
    expect(endpoint.seen()).toHaveLength(1);
    expect(request!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request!.headers.accept).toMatch(/application\/json/);
    expect(request!.method).toBe('GET');
    expect(request!.body).toBe('');
    // Typed: these assignments compile only if the claims carry the §5.1 types.
    const verified: boolean | undefined = info.claims.email_verified;
    const updated: number | undefined = info.claims.updated_at;
    const locality: string | undefined = info.claims.address?.locality;
    expect(verified).toBe(true);
    expect(updated).toBe(1700000000);
    expect(locality).toBe('Los Angeles');
    expect(info.claims.sub).toBe('248289761001');
    expect(info.claims.phone_number_verified).toBe(false);
    expect(info.skippedClaims).toEqual([]);
    expect(info.jwt).toBeUndefined();
    expect(info.httpStatus).toBe(200);
  });

  it('UI-002 a matching expected subject passes', async () => {
    const endpoint = route(server, 'GET', { body: STANDARD });
    const info = expectSuccess(
      await getUserInfo({ address: endpoint.url, token: TOKEN, expectedSubject: '248289761001' }),
    );
    expect(info.claims.sub).toBe('248289761001');
  });

  it('UI-003 a different expected subject fails with a subject-mismatch error', async () => {
    const endpoint = route(server, 'GET', { body: STANDARD });
    const info = expectFailure(
      await getUserInfo({ address: endpoint.url, token: TOKEN, expectedSubject: '248289761002' }),
      { code: 'ERR_JWT_CLAIM_INVALID' },
    );
    expect(info.exception).toBeInstanceOf(InvalidClaimError);
    expect((info.exception as InvalidClaimError).claim).toBe('sub');
    expect(info.httpStatus).toBeUndefined();
    expect(() => Reflect.get(info, 'claims')).toThrow(/failed response/);
  });

  it('UI-004 a 401 with a WWW-Authenticate challenge is a typed failure with status and challenge', async () => {
    const challenge =
      'Bearer realm="example", error="invalid_token", error_description="The access token expired"';
    const endpoint = route(server, 'GET', {
      status: 401,
      headers: { 'www-authenticate': challenge },
      body: '',
    });
    const info = expectFailure(await getUserInfo({ address: endpoint.url, token: TOKEN }), {
      code: 'ERR_OAUTH_ERROR',
      errorType: 'protocol',
      httpStatus: 401,
    });
    expect(info.error).toBe('invalid_token');
    expect(info.errorDescription).toBe('The access token expired');
    expect(info.wwwAuthenticate).toBe(challenge);
    expect(info.exception).toBeInstanceOf(ProtocolError);
    expect((info.exception as ProtocolError).httpStatus).toBe(401);
    expect(endpoint.seen()).toHaveLength(1);
  });

  it('UI-005 a 403 is a typed failure carrying 403 (with and without a challenge)', async () => {
    const withChallenge = route(server, 'GET', {
      status: 403,
      headers: { 'www-authenticate': 'Bearer error="insufficient_scope", scope="openid profile"' },
    });
    const scoped = expectFailure(await getUserInfo({ address: withChallenge.url, token: TOKEN }), {
      httpStatus: 403,
    });
    expect(scoped.error).toBe('insufficient_scope');
    expect(scoped.wwwAuthenticate).toMatch(/insufficient_scope/);

    const bare = route(server, 'GET', {
      status: 403,
      headers: { 'content-type': 'text/plain' },
      body: 'no',
    });
    const forbidden = expectFailure(await getUserInfo({ address: bare.url, token: TOKEN }), {
      code: 'ERR_HTTP_STATUS',
      errorType: 'http',
      httpStatus: 403,
    });
    expect(forbidden.wwwAuthenticate).toBeUndefined();
  });

  it('UI-006 a 500 with an HTML body is a descriptive failure carrying the status', async () => {
    const endpoint = route(server, 'GET', {
      status: 500,
      headers: { 'content-type': 'text/html' },
      body: '<html><body>Internal error</body></html>',
    });
    const info = expectFailure(
      await getUserInfo({ address: endpoint.url, token: TOKEN, retries: 0 }),
      { code: 'ERR_HTTP_STATUS', errorType: 'http', httpStatus: 500 },
    );
    expect(info.errorMessage).toContain(endpoint.url);
    expect(info.errorMessage).toContain('500');

    const html200 = route(server, 'GET', {
      headers: { 'content-type': 'text/html' },
      body: '<p>hi</p>',
    });
    expectFailure(await getUserInfo({ address: html200.url, token: TOKEN }), {
      code: 'ERR_CONTENT_TYPE',
      errorType: 'invalid_response',
      httpStatus: 200,
    });
  });

  it('UI-007 keeps custom claims next to the typed standard ones', async () => {
    const endpoint = route(server, 'GET', {
      body: { ...STANDARD, tenant: { id: 't-1', roles: ['admin'] } },
    });
    const info = expectSuccess(await getUserInfo({ address: endpoint.url, token: TOKEN }));
    expect(info.claims.department).toBe('Engineering');
    expect(info.claims.tenant).toEqual({ id: 't-1', roles: ['admin'] });
    expect(info.raw).toEqual({ ...STANDARD, tenant: { id: 't-1', roles: ['admin'] } });
    const claims: UserInfoClaims = info.claims;
    expect(claims.name).toBe('Jane Doe');
  });

  it('UI-008 uses the supplied fetch, and the timeout bounds a slow endpoint', async () => {
    const calls: string[] = [];
    const recording: FetchLike = (input, init) => {
      calls.push(input);
      return globalThis.fetch(input, init);
    };
    const fast = route(server, 'GET', { body: STANDARD });
    expectSuccess(await getUserInfo({ address: fast.url, token: TOKEN, fetch: recording }));
    expect(calls).toEqual([fast.url]);

    const slow = route(server, 'GET', { body: STANDARD, delay: 3_000 });
    const started = performance.now();
    const info = expectFailure(
      await getUserInfo({ address: slow.url, token: TOKEN, fetch: recording, timeout: 150 }),
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(info.errorCode).toBe('ERR_TIMEOUT');
    expect(info.errorType).toBe('network');
    expect(calls).toEqual([fast.url, slow.url]);
  });
});
