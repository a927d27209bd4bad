/**
 * requestDeviceAuthorization against a local endpoint: the request form, client authentication,
 * the typed response with its strict checks, and error responses (RFC 8628 §3.1, §3.2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_DEVICE_INTERVAL,
  requestDeviceAuthorization,
} from '../../../src/core/token/device-authorization.js';
import { expectConfigurationError, expectFailure, expectSuccess } from '../../support/result.js';
import { startServer, type TestServer } from '../../support/server.js';
import { basicCredentials, onlyRequest, tokenRoute } from './token-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
});

const AUTHORIZATION = Object.freeze({
  device_code: 'GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS',
  user_code: 'WDJB-MJHT',
  verification_uri: 'https://example.com/device',
  verification_uri_complete: 'https://example.com/device?user_code=WDJB-MJHT',
  expires_in: 1800,
  interval: 7,
});

describe('requestDeviceAuthorization', () => {
  it('sends a form POST with client_id, scope and resources and returns the typed response', async () => {
    const route = tokenRoute(server, { body: AUTHORIZATION });
    const auth = expectSuccess(
      await requestDeviceAuthorization({
        address: route.url,
        clientId: 'tv-app',
        scope: ['openid', 'profile'],
        resource: ['urn:api:a', 'urn:api:b'],
        parameters: { acr_values: 'urn:mace:incommon:iap:silver' },
      }),
    );
    const request = onlyRequest(route);
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded\b/);
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form.get('client_id')).toBe('tv-app');
    expect(request.form.get('scope')).toBe('openid profile');
    expect(request.form.getAll('resource')).toEqual(['urn:api:a', 'urn:api:b']);
    expect(request.form.get('acr_values')).toBe('urn:mace:incommon:iap:silver');
    expect(request.form.has('grant_type')).toBe(false);

    expect(auth.deviceCode).toBe(AUTHORIZATION.device_code);
    expect(auth.userCode).toBe('WDJB-MJHT');
    expect(auth.verificationUri).toBe('https://example.com/device');
    expect(auth.verificationUriComplete).toBe('https://example.com/device?user_code=WDJB-MJHT');
    expect(auth.expiresIn).toBe(1800);
    expect(auth.interval).toBe(7);
    expect(auth.raw).toEqual(AUTHORIZATION);
    expect(auth.httpStatus).toBe(200);
  });

  it('uses an interval of 5 seconds when the server sends none (RFC 8628 §3.2)', async () => {
    const { interval: _, verification_uri_complete: __, ...body } = AUTHORIZATION;
    const route = tokenRoute(server, { body });
    const auth = expectSuccess(
      await requestDeviceAuthorization({ address: route.url, clientId: 'tv-app' }),
    );
    expect(DEFAULT_DEVICE_INTERVAL).toBe(5);
    expect(auth.interval).toBe(5);
    expect(auth.verificationUriComplete).toBeUndefined();
    expect(onlyRequest(route).form.has('scope')).toBe(false);
  });

  it('authenticates a confidential client with client_secret_basic', async () => {
    const route = tokenRoute(server, { body: AUTHORIZATION });
    expectSuccess(
      await requestDeviceAuthorization({
        address: route.url,
        clientId: 'tv app',
        clientSecret: 's3cr&t',
      }),
    );
    const request = onlyRequest(route);
    const { user, password } = basicCredentials(request.headers.authorization);
    expect(user).toBe('tv+app');
    expect(password).toBe('s3cr%26t');
    expect(request.form.has('client_secret')).toBe(false);
  });

  it.each([
    ['expires_in as a string', { expires_in: '1800' }, /expires_in/],
    ['expires_in of zero', { expires_in: 0 }, /expires_in/],
    ['a negative interval', { interval: -1 }, /interval/],
    ['interval as a string', { interval: '5' }, /interval/],
    [
      'a javascript: verification_uri',
      { verification_uri: 'javascript:alert(1)' },
      /verification_uri/,
    ],
    ['a relative verification_uri', { verification_uri: '/device' }, /verification_uri/],
    [
      'a data: verification_uri_complete',
      { verification_uri_complete: 'data:text/html,<script>alert(1)</script>' },
      /verification_uri_complete/,
    ],
    ['an empty user_code', { user_code: '' }, /user_code/],
    ['no device_code', { device_code: undefined }, /device_code/],
  ])('refuses a response with %s', async (_, change, message) => {
    const route = tokenRoute(server, { body: { ...AUTHORIZATION, ...change } });
    const failure = expectFailure(
      await requestDeviceAuthorization({ address: route.url, clientId: 'tv-app' }),
      { code: 'ERR_INVALID_RESPONSE', errorType: 'invalid_response' },
    );
    expect(failure.errorMessage).toMatch(message);
    expect(failure.httpStatus).toBe(200);
    expect(() => Reflect.get(failure, 'deviceCode')).toThrow(/failed response/);
  });

  it('surfaces an OAuth error response with its fields', async () => {
    const route = tokenRoute(server, {
      status: 400,
      body: {
        error: 'invalid_scope',
        error_description: 'unknown scope',
        error_uri: 'https://example.com/e',
      },
    });
    const failure = expectFailure(
      await requestDeviceAuthorization({ address: route.url, clientId: 'tv-app', scope: 'x' }),
      { errorType: 'protocol' },
    );
    expect(failure.error).toBe('invalid_scope');
    expect(failure.errorDescription).toBe('unknown scope');
    expect(failure.errorUri).toBe('https://example.com/e');
    expect(failure.httpStatus).toBe(400);
  });

  it('refuses an http endpoint off loopback without sending anything', async () => {
    const before = server.requests.length;
    expectFailure(
      await requestDeviceAuthorization({
        address: 'http://op.example.com/device',
        clientId: 'tv-app',
        fetch: () => Promise.reject(new Error('must not be called')),
      }),
      { errorType: 'policy' },
    );
    expect(server.requests.length).toBe(before);
  });

  it('throws ConfigurationError for bad arguments before any request', async () => {
    const before = server.requests.length;
    const address = `${server.url}/device`;
    await expectConfigurationError(
      () => requestDeviceAuthorization({ address, clientId: '' }),
      /clientId/,
    );
    await expectConfigurationError(
      () => requestDeviceAuthorization({ address: 'not a url', clientId: 'tv-app' }),
      /address/,
    );
    await expectConfigurationError(
      () =>
        requestDeviceAuthorization({ address, clientId: 'tv-app', parameters: { client_id: 'x' } }),
      /parameters\.client_id/,
    );
    await expectConfigurationError(
      () => requestDeviceAuthorization({ address, clientId: 'tv-app', parameters: { scope: 'x' } }),
      /parameters\.scope/,
    );
    expect(server.requests.length).toBe(before);
  });
});
