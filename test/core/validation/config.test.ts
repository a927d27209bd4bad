/**
 * The validation configuration's lifetime: checked once, never frozen, a later change taking
 * effect on the next call; and
 * `allowedIssuers` added to (never replacing) the issuer discovery names.
 */
import { describe, expect, it } from 'vitest';
import { type TokenValidationConfig, validateToken } from '../../../src/core/index.js';
import {
  CONFIG_MEMBERS,
  matches,
  OPTION_MEMBERS,
  POLICY_MEMBERS,
  snapshot,
} from '../../../src/core/validation/config.js';
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

describe('the remembered resolution of a config', () => {
  // `matches` reads every member by name (the hot path), `snapshot` from the member lists: each
  // member of each list, replaced or (for an array) changed in place, must be noticed.
  const full = () => {
    const config: Record<string, unknown> = {};
    for (const name of CONFIG_MEMBERS) config[name] = [`${name}-value`];
    const options: Record<string, unknown> = {};
    for (const name of OPTION_MEMBERS) options[name] = true;
    const policy: Record<string, unknown> = {};
    for (const name of POLICY_MEMBERS) policy[name] = [`${name}-value`];
    return { ...config, options, discoveryPolicy: policy } as TokenValidationConfig;
  };
  const lists = [
    ['config', CONFIG_MEMBERS],
    ['options', OPTION_MEMBERS],
    ['discoveryPolicy', POLICY_MEMBERS],
  ] as const;
  const holder = (config: TokenValidationConfig, list: string) =>
    (list === 'config' ? config : config[list as 'options']) as Record<string, unknown>;

  it('matches an unchanged config, and one whose members are absent', () => {
    const config = full();
    expect(matches(config, snapshot(config))).toBe(true);
    expect(matches({}, snapshot({}))).toBe(true);
    expect(matches({ options: {} }, snapshot({}))).toBe(false);
  });

  it.each(lists)('notices each %s member replaced', (list, names) => {
    for (const name of names) {
      const config = full();
      const seen = snapshot(config);
      holder(config, list)[name] = false;
      expect(matches(config, seen), name).toBe(false);
    }
  });

  it.each(lists.filter(([list]) => list !== 'options'))(
    'notices each %s array member changed in place',
    (list, names) => {
      for (const name of names) {
        const config = full();
        const seen = snapshot(config);
        (holder(config, list)[name] as string[]).push('more');
        expect(matches(config, seen), name).toBe(false);
      }
    },
  );
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
