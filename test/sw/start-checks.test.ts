/**
 * A bad worker configuration is refused when the worker starts (sw/config.ts, then the context's
 * discovery handle), before any sign-in. The stand-alone worker bundle leaves out core's argument
 * checks on the values it builds from these members (the ID-token expectations, the token
 * validation config, the authorization request: src/core/lib/standalone.ts), so this start is
 * the one place a mistake in them is caught, with the member named.
 */
import { describe, expect, it } from 'vitest';
import { createMetadataCache } from '../../src/core/cache/metadata-cache.js';
import { ConfigurationError } from '../../src/core/errors.js';
import { resolveConfig, type TokenHandlerConfig } from '../../sw/config.js';
import { createContext } from '../../sw/context.js';
import { memoryMarker, memoryTransactions } from './fake-worker.js';

const BASE: TokenHandlerConfig = {
  issuer: 'https://op.test',
  clientId: 'spa',
  redirectUri: 'https://app.test/callback',
};

/** What `createTokenHandler` does first, with memory stores in place of IndexedDB. */
function start(changes: Record<string, unknown>): void {
  const resolved = resolveConfig({ ...BASE, ...changes } as TokenHandlerConfig);
  createContext(resolved, { matchAll: async () => [] }, resolved.now, {
    cache: createMetadataCache({ now: resolved.now }),
    transactions: memoryTransactions(),
    marker: memoryMarker(),
  });
}

describe('the worker refuses at start what core no longer checks in its bundle', () => {
  it('starts with a good configuration', () => {
    expect(() => start({})).not.toThrow();
  });

  it.each([
    // idToken.clientId, the client authentication and the authorization request's client_id.
    ['"config.clientId" must be a non-empty string', { clientId: '' }],
    // idToken.issuer and the discovery of the ID token's keys.
    ['"config.issuer" must be a non-empty string', { issuer: 7 }],
    ['"address" must be', { issuer: 'op.test' }],
    // The authorization request's and the code exchange's redirect_uri.
    ['"config.redirectUri" must be an absolute URL', { redirectUri: 'callback' }],
    // The ID token validation config's leeway.
    ['"config.leeway" must be a finite number from 0 to 300 (seconds)', { leeway: '60' }],
    ['"config.leeway" must be a finite number from 0 to 300 (seconds)', { leeway: -1 }],
    // The ID token validation config's discoveryPolicy (and its issuer templates).
    ['"discoveryPolicy" must be an object', { discoveryPolicy: 'strict' }],
    ['"discoveryPolicy.requireHttps" must be a boolean', { discoveryPolicy: { requireHttps: 1 } }],
    [
      '"discoveryPolicy.issuerTemplate"',
      { discoveryPolicy: { issuerTemplate: 'https://op.test/no-tenant' } },
    ],
  ])('%s', (message, changes) => {
    let error: unknown;
    try {
      start(changes);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).code).toBe('ERR_CONFIGURATION');
    expect((error as ConfigurationError).message).toContain(message);
  });
});
