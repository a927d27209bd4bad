/**
 * Introspection and revocation against oidc-provider, on opaque tokens from the device flow:
 * endpoints from discovery (INTR-006, REV-005), an active token with client_secret_basic and
 * client_secret_post (INTR-001, INTR-003), revocation, then the revoked token introspected as
 * inactive (INTR-002), and bad client credentials (INTR-005).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getDiscoveryDocument } from '../../../src/core/discovery/get.js';
import { introspectToken } from '../../../src/core/introspection/index.js';
import { revokeToken } from '../../../src/core/revocation/index.js';
import { DEMO_CLIENTS, useProvider } from '../../support/provider.js';
import { expectFailure, expectSuccess } from '../../support/result.js';
import { deviceTokens } from '../token/device-flow.js';

const op = useProvider();
let introspectionEndpoint: string;
let revocationEndpoint: string;

beforeAll(async () => {
  const disco = expectSuccess(await getDiscoveryDocument({ issuer: op().issuer, cache: false }));
  introspectionEndpoint = disco.introspectionEndpoint!;
  revocationEndpoint = disco.revocationEndpoint!;
});

describe('introspection and revocation against oidc-provider', () => {
  it('INTR-006 REV-005 take the endpoints from the discovery document', () => {
    expect(introspectionEndpoint).toBe(`${op().issuer}/token/introspection`);
    expect(revocationEndpoint).toBe(`${op().issuer}/token/revocation`);
  });

  it('INTR-001 INTR-003 introspect an active opaque token with client_secret_basic and client_secret_post', async () => {
    const tokens = await deviceTokens(op(), 'carol');
    const before = Math.floor(Date.now() / 1000);
    const basic = expectSuccess(
      await introspectToken({
        address: introspectionEndpoint,
        ...DEMO_CLIENTS.basic,
        token: tokens.accessToken,
        tokenTypeHint: 'access_token',
      }),
    );
    expect(basic.active).toBe(true);
    expect(basic.clientId).toBe(DEMO_CLIENTS.device.clientId);
    expect(basic.scope).toBe('openid');
    expect(basic.sub).toBe('carol');
    expect(basic.tokenType).toBe('Bearer');
    expect(basic.iss).toBe(op().issuer);
    expect(basic.exp).toBeGreaterThan(before);
    expect(basic.iat).toBeLessThanOrEqual(basic.exp!);

    const post = expectSuccess(
      await introspectToken({
        address: introspectionEndpoint,
        ...DEMO_CLIENTS.post,
        authMethod: 'client_secret_post',
        token: tokens.accessToken,
      }),
    );
    expect(post.active).toBe(true);
    expect(post.sub).toBe('carol');
  });

  it('INTR-002 REV-001 revokes an access token; introspection then says active: false', async () => {
    const tokens = await deviceTokens(op());
    const introspect = () =>
      introspectToken({
        address: introspectionEndpoint,
        ...DEMO_CLIENTS.basic,
        token: tokens.accessToken,
      });
    expect(expectSuccess(await introspect()).active).toBe(true);

    // The public device client may revoke its own tokens (client authentication `none`).
    op().resetCounts();
    const revoked = expectSuccess(
      await revokeToken({
        address: revocationEndpoint,
        clientId: DEMO_CLIENTS.device.clientId,
        token: tokens.accessToken,
        tokenTypeHint: 'access_token',
      }),
    );
    expect(revoked).toEqual({ isSuccessful: true, httpStatus: 200 });
    expect(op().counts['/token/revocation']).toBe(1);

    const after = expectSuccess(await introspect());
    expect(after.active).toBe(false);
    expect(after.claims).toEqual({ active: false });
    expect(after.sub).toBeUndefined();
  });

  it('REV-001 REV-002 revokes a refresh token with its hint; its introspection is inactive after', async () => {
    const tokens = await deviceTokens(op());
    const introspect = () =>
      introspectToken({
        address: introspectionEndpoint,
        ...DEMO_CLIENTS.basic,
        token: tokens.refreshToken,
        tokenTypeHint: 'refresh_token',
      });
    expect(expectSuccess(await introspect()).active).toBe(true);
    expectSuccess(
      await revokeToken({
        address: revocationEndpoint,
        clientId: DEMO_CLIENTS.device.clientId,
        token: tokens.refreshToken,
        tokenTypeHint: 'refresh_token',
      }),
    );
    expect(expectSuccess(await introspect()).active).toBe(false);
  });

  it('REV-001 revoking an unknown token succeeds exactly like revoking a valid one', async () => {
    const tokens = await deviceTokens(op());
    const revoke = (token: string) =>
      revokeToken({ address: revocationEndpoint, clientId: DEMO_CLIENTS.device.clientId, token });
    const valid = await revoke(tokens.accessToken);
    const unknown = await revoke('no-such-token-0123456789');
    expect(valid).toEqual({ isSuccessful: true, httpStatus: 200 });
    expect(unknown).toEqual(valid);
    // A confidential client gets the same answer for an unknown token.
    const confidential = await revokeToken({
      address: revocationEndpoint,
      ...DEMO_CLIENTS.basic,
      token: 'no-such-token-0123456789',
    });
    expect(confidential).toEqual(valid);
  });

  it('INTR-002 introspects an unknown token as inactive', async () => {
    const result = expectSuccess(
      await introspectToken({
        address: introspectionEndpoint,
        ...DEMO_CLIENTS.basic,
        token: 'no-such-token-0123456789',
      }),
    );
    expect(result.active).toBe(false);
  });

  it('INTR-005 REV-004 surface invalid_client for a wrong secret', async () => {
    const wrong = { clientId: DEMO_CLIENTS.basic.clientId, clientSecret: 'wrong-secret' };
    const introspection = expectFailure(
      await introspectToken({ address: introspectionEndpoint, ...wrong, token: 'x' }),
    );
    expect([introspection.errorType, introspection.error, introspection.httpStatus]).toEqual([
      'protocol',
      'invalid_client',
      401,
    ]);
    const revocation = expectFailure(
      await revokeToken({ address: revocationEndpoint, ...wrong, token: 'x' }),
    );
    expect([revocation.errorType, revocation.error, revocation.httpStatus]).toEqual([
      'protocol',
      'invalid_client',
      401,
    ]);
  });
});
