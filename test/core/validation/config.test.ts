/**
 * The validation configuration's lifetime: checked once and frozen on first use, and
 * `allowedIssuers` added to (never replacing) the issuer discovery names.
 */
import { describe, expect, it } from 'vitest';
import { type TokenValidationConfig, validateToken } from '../../../src/core/index.js';
import {
  cacheAt,
  claimsAt,
  expectCode,
  jwks,
  makeKey,
  NOW,
  sign,
  testClock,
  useHostileOp,
} from '../../support/hostile-op.js';

describe('validation config', () => {
  it('is frozen on first use, so a later change throws instead of being ignored', async () => {
    const key = await makeKey('ES256');
    const token = await sign(key, claimsAt('https://op.example', { aud: 'api-A' }));
    const config: TokenValidationConfig = {
      key: key.jwk as JsonWebKey,
      issuer: 'https://op.example',
      audience: ['api-A'],
      options: { requireSub: true },
      now: () => NOW,
    };
    expect((await validateToken(token, config)).aud).toBe('api-A');
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as { audience: string[] }).audience = ['api-B'];
    }).toThrow(TypeError);
    expect(() => (config.audience as string[]).push('api-B')).toThrow(TypeError);
    expect(() => {
      (config.options as { requireSub: boolean }).requireSub = false;
    }).toThrow(TypeError);
  });
});

describe('allowedIssuers with discovery', () => {
  const op = useHostileOp();

  it('accepts the discovered issuer and the allowed ones, and nothing else', async () => {
    const key = await makeKey('RS256', { kid: 'k1' });
    op().setJwks(jwks(key));
    const clock = testClock();
    const config: TokenValidationConfig = {
      performDisco: true,
      audience: 'api',
      allowedIssuers: ['https://tenant2.example'],
      cache: cacheAt(clock),
    };
    const fromProvider = await sign(key, claimsAt(op().issuer));
    const fromTenant = await sign(key, claimsAt('https://tenant2.example'));
    const fromElsewhere = await sign(key, claimsAt('https://tenant3.example'));
    expect((await validateToken(fromProvider, config, op().issuer)).iss).toBe(op().issuer);
    expect((await validateToken(fromTenant, config, op().issuer)).iss).toBe(
      'https://tenant2.example',
    );
    await expectCode(validateToken(fromElsewhere, config, op().issuer), 'ERR_JWT_ISSUER_MISMATCH');
  });
});
