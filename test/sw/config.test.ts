/**
 * The worker's configuration (sw/config.ts): defaults, checks that quote the member at fault,
 * and a frozen result no page message can change.
 */
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/core/errors.js';
import { resolveConfig, type TokenHandlerConfig } from '../../sw/config.js';

const BASE: TokenHandlerConfig = {
  issuer: 'https://op.test',
  clientId: 'spa',
  redirectUri: 'https://app.test/callback',
};

/** Resolves `BASE` with `changes`, which must be refused with a message matching `message`. */
function refused(changes: Record<string, unknown>, message: string): void {
  let error: unknown;
  try {
    resolveConfig({ ...BASE, ...changes } as TokenHandlerConfig);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ConfigurationError);
  expect((error as ConfigurationError).code).toBe('ERR_CONFIGURATION');
  expect((error as ConfigurationError).message).toContain(message);
}

describe('resolveConfig: defaults', () => {
  it('fills in every default', () => {
    const config = resolveConfig(BASE);
    expect(config).toMatchObject({
      issuer: 'https://op.test',
      clientId: 'spa',
      postLogoutRedirectUri: undefined,
      scope: 'openid profile',
      apis: [],
      pageTokenUrls: [],
      refreshSkew: 30,
      loginTimeout: 600,
      par: 'auto',
      dpop: true,
      errorRedirect: '/',
      discoveryPolicy: {},
      http: { timeout: 10_000 },
      leeway: 60,
      validationAudience: undefined,
      silentRecovery: 'iframe',
      silentRecoveryTimeout: 10,
      databases: {
        metadata: 'identity-model-web-metadata',
        transactions: 'identity-model-web-login',
      },
    });
    expect(config.redirectUri.href).toBe('https://app.test/callback');
    expect(config.now).toBe(Date.now);
  });

  it('keeps what is given: scope lists joined, http merged over the 10 s timeout, the clock', () => {
    const now = () => 0;
    const config = resolveConfig({
      ...BASE,
      scope: ['openid', 'offline_access'],
      retries: 0,
      refreshSkew: 0,
      loginTimeout: 3600,
      leeway: 300,
      par: false,
      databases: { metadata: 'm' },
      now,
    });
    expect(config.scope).toBe('openid offline_access');
    expect(config.http).toEqual({ timeout: 10_000, retries: 0 });
    expect(resolveConfig({ ...BASE, timeout: 5 }).http).toEqual({ timeout: 5 });
    expect([config.refreshSkew, config.loginTimeout, config.leeway, config.par]).toEqual([
      0,
      3600,
      300,
      false,
    ]);
    expect(config.databases).toEqual({ metadata: 'm', transactions: 'identity-model-web-login' });
    expect(config.now).toBe(now);
  });

  it('freezes the result and compiles the allowlists', () => {
    const config = resolveConfig({
      ...BASE,
      apis: [{ url: 'https://api.test/v1', resource: 'urn:api' }],
      pageTokenUrls: [{ url: 'wss://api.test/live/' }],
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.databases)).toBe(true);
    expect(config.apis[0]).toMatchObject({
      origin: 'https://api.test',
      prefix: '/v1/',
      exact: '/v1',
    });
    expect(config.pageTokenUrls[0]).toMatchObject({ origin: 'wss://api.test', prefix: '/live/' });
    expect(() => {
      (config as { issuer: string }).issuer = 'https://evil.test';
    }).toThrow(TypeError);
  });
});

describe('resolveConfig: refusals quote the member', () => {
  it.each([
    ['"config.issuer" must be a non-empty string', { issuer: undefined }],
    ['"config.issuer" must be a non-empty string', { issuer: '' }],
    ['"config.clientId" must be a non-empty string', { clientId: 5 }],
    ['"config.redirectUri" must be an absolute URL', { redirectUri: undefined }],
    ['"config.redirectUri" must be an absolute URL', { redirectUri: '/callback' }],
    ['"config.postLogoutRedirectUri" must be a non-empty string', { postLogoutRedirectUri: '' }],
    ['"config.errorRedirect" must be a non-empty string', { errorRedirect: 1 }],
    ['"config.scope" must include "openid"', { scope: 'profile email' }],
    ['"config.scope" must include "openid"', { scope: ['openidx'] }],
    ['"config.par" must be true, false or "auto"', { par: 'yes' }],
    ['"config.dpop" must be a boolean', { dpop: 'auto' }],
    ['"config.apis[0].dpop" must be a boolean', { apis: [{ url: 'https://api.test/', dpop: 0 }] }],
    ['"config.silentRecovery" must be "iframe", "redirect" or false', { silentRecovery: true }],
    [
      '"config.silentRecoveryTimeout" must be a finite number from 0 to 120 (seconds)',
      { silentRecoveryTimeout: 121 },
    ],
    ['"config.refreshSkew" must be a finite number from 0 to 3600 (seconds)', { refreshSkew: -1 }],
    [
      '"config.refreshSkew" must be a finite number from 0 to 3600 (seconds)',
      { refreshSkew: 3601 },
    ],
    [
      '"config.refreshSkew" must be a finite number from 0 to 3600 (seconds)',
      { refreshSkew: '30' },
    ],
    [
      '"config.loginTimeout" must be a finite number from 0 to 3600 (seconds)',
      { loginTimeout: Number.NaN },
    ],
    ['"config.leeway" must be a finite number from 0 to 300 (seconds)', { leeway: 301 }],
    [
      '"config.leeway" must be a finite number from 0 to 300 (seconds)',
      { leeway: Number.POSITIVE_INFINITY },
    ],
    ['"config.apis" must be an array', { apis: 'https://api.test/' }],
    ['"config.apis[0].url" must not have user info', { apis: [{ url: 'https://api.test/?q' }] }],
    [
      '"config.pageTokenUrls[0].url" must be an http(s) or ws(s) URL',
      { pageTokenUrls: [{ url: 'ftp://x.test/' }] },
    ],
  ])('%s', (message, changes) => {
    refused(changes, message);
  });

  it('refuses a configuration that is not an object', () => {
    expect(() => resolveConfig(null as unknown as TokenHandlerConfig)).toThrow(
      '"config" must be an object',
    );
  });
});
