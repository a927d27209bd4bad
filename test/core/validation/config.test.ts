/**
 * The validation configuration's lifetime: checked once, never frozen, a later change taking
 * effect on the next call; and
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
  it('is not frozen: a later change takes effect on the next call', async () => {
    const key = await makeKey('ES256');
    const token = await sign(key, claimsAt('https://op.example', { aud: 'api-A' }));
    const noSub = await sign(key, claimsAt('https://op.example', { aud: 'api-A', sub: undefined }));
    const config: TokenValidationConfig = {
      key: key.jwk as JsonWebKey,
      issuer: 'https://op.example',
      audience: ['api-A'],
      options: { requireSub: true },
      now: () => NOW,
    };
    expect((await validateToken(token, config)).aud).toBe('api-A');
    await expectCode(validateToken(noSub, config), 'ERR_JWT_CLAIM_MISSING');
    expect(Object.isFrozen(config)).toBe(false);
    expect(Object.isFrozen(config.audience)).toBe(false);
    expect(Object.isFrozen(config.options)).toBe(false);

    // A member replaced.
    config.audience = ['api-B'];
    await expectCode(validateToken(token, config), 'ERR_JWT_AUDIENCE_INVALID');
    // An array changed in place.
    (config.audience as string[]).push('api-A');
    expect((await validateToken(token, config)).aud).toBe('api-A');
    // A member of options changed in place.
    (config.options as { requireSub: boolean }).requireSub = false;
    expect((await validateToken(noSub, config)).sub).toBeUndefined();
    // A bad change is refused on the next call, as on the first.
    config.leeway = 999;
    await expectCode(validateToken(token, config), 'ERR_CONFIGURATION');
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
