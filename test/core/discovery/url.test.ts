import { describe, expect, it } from 'vitest';
import { OIDC_DISCOVERY_PATH, parseDiscoveryUrl } from '../../../src/core/discovery/url.js';
import { ConfigurationError } from '../../../src/core/errors.js';

describe('parseDiscoveryUrl', () => {
  it('appends the well-known path to an issuer; the issuer is the address without it', () => {
    expect(parseDiscoveryUrl('https://op.example')).toEqual({
      url: 'https://op.example/.well-known/openid-configuration',
      issuer: 'https://op.example',
    });
    expect(OIDC_DISCOVERY_PATH).toBe('/.well-known/openid-configuration');
  });

  it('keeps the issuer path (multi-tenant issuers) and drops trailing slashes', () => {
    expect(parseDiscoveryUrl('https://op.example/tenant/v2.0/')).toEqual({
      url: 'https://op.example/tenant/v2.0/.well-known/openid-configuration',
      issuer: 'https://op.example/tenant/v2.0',
    });
    expect(parseDiscoveryUrl('https://op.example///').issuer).toBe('https://op.example');
  });

  it.each([
    'https://op.example/tenant/.well-known/openid-configuration',
    'https://op.example/tenant/.well-known/openid-configuration/',
    'https://op.example/tenant/.WELL-KNOWN/openid-configuration',
  ])('appends the well-known path once: %s', (address) => {
    const { url, issuer: authority } = parseDiscoveryUrl(address);
    expect(url).toBe('https://op.example/tenant/.well-known/openid-configuration');
    expect(authority).toBe('https://op.example/tenant');
    expect(url.split('.well-known').length).toBe(2);
  });

  it('normalises with the URL parser: host case, default port, surrounding spaces', () => {
    expect(parseDiscoveryUrl('  HTTPS://OP.Example:443/Tenant ')).toEqual({
      url: 'https://op.example/Tenant/.well-known/openid-configuration',
      issuer: 'https://op.example/Tenant',
    });
    expect(parseDiscoveryUrl('http://127.0.0.1:8080').issuer).toBe('http://127.0.0.1:8080');
  });

  it('does not decide https: http addresses parse (the policy refuses them later)', () => {
    expect(parseDiscoveryUrl('http://op.example').url).toBe(
      'http://op.example/.well-known/openid-configuration',
    );
  });

  it.each([
    ['an empty string', ''],
    ['blanks', '   '],
    ['a relative path', '/tenant'],
    ['a host without scheme', 'op.example'],
    ['another scheme', 'ftp://op.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a query', 'https://op.example/?tenant=a'],
    ['a fragment', 'https://op.example/#x'],
    ['user info', 'https://user:pass@op.example'],
    ['a user name only', 'https://user@op.example'],
  ])('refuses %s with a ConfigurationError quoting "address"', (_label, address) => {
    expect(() => parseDiscoveryUrl(address)).toThrow(ConfigurationError);
    expect(() => parseDiscoveryUrl(address)).toThrow(/"address"/);
  });

  it('refuses a value that is not a string', () => {
    expect(() => parseDiscoveryUrl(42 as unknown as string)).toThrow(ConfigurationError);
    expect(() => parseDiscoveryUrl(undefined as unknown as string)).toThrow(/non-empty string/);
  });

  it('trims a long run of trailing slashes in linear time', () => {
    // Regression: `/\/+$/` backtracked quadratically on slashes followed by another character.
    const path = `${'/'.repeat(200_000)}a${'/'.repeat(200_000)}`;
    const started = performance.now();
    const { issuer: authority } = parseDiscoveryUrl(`https://op.example${path}`);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(authority.endsWith('/a')).toBe(true);
  });
});
