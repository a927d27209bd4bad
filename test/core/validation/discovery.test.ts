/**
 * `validateToken` with `performDisco`: issuer and algorithms from discovery, keys from its
 * `jwks_uri`, and the cache and refresh behaviour counted at the provider: one discovery and one
 * JWKS fetch per lifetime, an unknown `kid` or a failed signature reloading the key set at most
 * once per cooldown (30 s), concurrent misses sharing that reload, key rotation picked up, and a
 * failed or empty reload keeping the old set. Clocks are injected: nothing sleeps.
 */
import { describe, expect, it } from 'vitest';
import { DiscoveryError, HttpError, JwksError } from '../../../src/core/errors.js';
import { type TokenValidationConfig, validateToken } from '../../../src/core/validation/index.js';
import {
  cacheAt,
  claimsAt,
  expectCode,
  flipSignatureBit,
  jwks,
  makeKey,
  NOW,
  sign,
  type TestClock,
  testClock,
  useHostileOp,
} from '../../support/hostile-op.js';

const COOLDOWN = 30_000;
const DAY = 86_400_000;
const op = useHostileOp();

const [k1, k2, k3, ec] = await Promise.all([
  makeKey('RS256', { kid: 'k1' }),
  makeKey('RS256', { kid: 'k2' }),
  makeKey('RS256', { kid: 'k3' }),
  makeKey('ES256', { kid: 'ec' }),
]);
const key1 = k1!;
const key2 = k2!;
const ecKey = ec!;

/** A discovery-based config on its own cache and clock (so each test counts its own fetches). */
function setup(extra: Partial<TokenValidationConfig> = {}) {
  const clock = testClock();
  const cache = cacheAt(clock);
  const config: TokenValidationConfig = {
    performDisco: true,
    audience: 'api',
    cache,
    retries: 0,
    ...extra,
  };
  const validate = (jwt: string, cfg: TokenValidationConfig = config) =>
    validateToken(jwt, cfg, op().issuer);
  return { clock, cache, config, validate };
}

/** A token for the provider, valid at the clock's time. */
function tokenAt(key: typeof key1, clock?: TestClock, extra: Record<string, unknown> = {}) {
  const nowS = Math.floor((clock?.now() ?? NOW) / 1000);
  return sign(key, claimsAt(op().issuer, extra, nowS));
}

function fetches() {
  return { discovery: op().discoveryFetches(), jwks: op().jwksFetches() };
}

describe('issuer, algorithms and keys from discovery', () => {
  it('validates a token of the provider: issuer from discovery, key from jwks_uri', async () => {
    op().setJwks(jwks(key1));
    const { validate } = setup();
    const claims = await validate(await tokenAt(key1));
    expect(claims).toMatchObject({ iss: op().issuer, aud: 'api', sub: 'user-1' });
    expect(fetches()).toEqual({ discovery: 1, jwks: 1 });
  });

  it("the issuer is discovery's: another iss is ERR_JWT_ISSUER_MISMATCH", async () => {
    op().setJwks(jwks(key1));
    const { validate } = setup();
    await expectCode(
      validate(await tokenAt(key1, undefined, { iss: 'https://op.example' })),
      'ERR_JWT_ISSUER_MISMATCH',
    );
    await expectCode(
      validate(await tokenAt(key1, undefined, { iss: `${op().issuer}/` })),
      'ERR_JWT_ISSUER_MISMATCH',
    );
  });

  it('config.issuer, when given, replaces the issuer from discovery', async () => {
    op().setJwks(jwks(key1));
    const { validate, config } = setup({ issuer: 'https://tenant.example' });
    const jwt = await tokenAt(key1, undefined, { iss: 'https://tenant.example' });
    await expect(validate(jwt, config)).resolves.toMatchObject({ iss: 'https://tenant.example' });
    await expectCode(validate(await tokenAt(key1)), 'ERR_JWT_ISSUER_MISMATCH');
  });

  it('uses the jwks_uri the document names', async () => {
    op().setDiscovery({ jwks_uri: `${op().issuer}/other/keys` });
    op().server.json('/other/keys', jwks(ecKey));
    const { validate } = setup();
    await expect(validate(await tokenAt(ecKey))).resolves.toBeDefined();
    expect(op().server.count('/other/keys')).toBe(1);
    expect(op().jwksFetches()).toBe(0);
  });

  it("the allowlist is discovery's id_token_signing_alg_values_supported ∩ asymmetric", async () => {
    op().setJwks(jwks(key1, ecKey));
    op().setDiscovery({ id_token_signing_alg_values_supported: ['RS256', 'HS256'] });
    const { validate } = setup();
    await expect(validate(await tokenAt(key1))).resolves.toBeDefined();
    const error = await expectCode(validate(await tokenAt(ecKey)), 'ERR_JWT_ALG_NOT_ALLOWED');
    expect(error.message).toMatch(/allowed: RS256\)/);
  });

  it('config.algorithms replaces the provider list (and still only asymmetric ones count)', async () => {
    op().setJwks(jwks(key1, ecKey));
    op().setDiscovery({ id_token_signing_alg_values_supported: ['RS256'] });
    const { validate, config } = setup({ algorithms: ['ES256', 'HS256'] });
    await expect(validate(await tokenAt(ecKey), config)).resolves.toBeDefined();
    await expectCode(validate(await tokenAt(key1), config), 'ERR_JWT_ALG_NOT_ALLOWED');
  });

  it('a provider advertising only HMAC allows nothing', async () => {
    op().setJwks(jwks(key1));
    op().setDiscovery({ id_token_signing_alg_values_supported: ['HS256'] });
    const { validate } = setup();
    const error = await expectCode(validate(await tokenAt(key1)), 'ERR_JWT_ALG_NOT_ALLOWED');
    expect(error.message).toMatch(/allowed: none/);
    expect(op().jwksFetches()).toBe(0);
  });

  it('a document without jwks_uri: ERR_DISCOVERY_MISSING_MEMBER, or ERR_CONFIGURATION when the policy allows it', async () => {
    op().setDiscovery({ jwks_uri: undefined });
    const { validate, cache } = setup();
    const jwt = await tokenAt(key1);
    const missing = await expectCode(validate(jwt), 'ERR_DISCOVERY_MISSING_MEMBER');
    expect(missing).toBeInstanceOf(DiscoveryError);
    await expectCode(
      validate(jwt, {
        performDisco: true,
        cache,
        discoveryPolicy: { requireKeySet: false },
      }),
      'ERR_CONFIGURATION',
    );
  });

  it('an unreachable or broken provider gives its library error, never a raw one', async () => {
    op().server.route('GET', '/.well-known/openid-configuration', (_req, res) => {
      res.writeHead(500).end();
    });
    const { validate } = setup();
    const error = await expectCode(validate(await tokenAt(key1)), 'ERR_HTTP_STATUS');
    expect(error).toBeInstanceOf(HttpError);
  });

  it('a bad discovery address is a library error, and nothing is fetched', async () => {
    const { config } = setup();
    const jwt = await tokenAt(key1);
    // An argument error (ERR_CONFIGURATION), like every other core function's bad address.
    await expectCode(validateToken(jwt, config, 'not a url'), 'ERR_CONFIGURATION');
    await expectCode(validateToken(jwt, config, 'ftp://op.example'), 'ERR_CONFIGURATION');
    // https is required off loopback (config.requireHttps, default true).
    await expectCode(
      validateToken(jwt, config, 'http://op.example'),
      'ERR_DISCOVERY_HTTPS_REQUIRED',
    );
    expect(op().server.requests).toHaveLength(0);
  });

  it('a broken key set gives a JwksError', async () => {
    op().setJwks({ keys: [{ ...key1.jwk, use: 'enc' }] });
    const { validate } = setup();
    const error = await expectCode(validate(await tokenAt(key1)), 'ERR_JWKS_NO_USABLE_KEYS');
    expect(error).toBeInstanceOf(JwksError);
  });
});

describe('cache, counted at the provider', () => {
  it('JWKS-005 two validations within the lifetime: one discovery and one JWKS fetch', async () => {
    op().setJwks(jwks(key1));
    const { validate, clock } = setup();
    await validate(await tokenAt(key1));
    clock.advance(3_599_000);
    await validate(await tokenAt(key1, clock));
    expect(fetches()).toEqual({ discovery: 1, jwks: 1 });
  });

  it('ten concurrent cold validations: one discovery and one JWKS fetch', async () => {
    op().setJwks(jwks(key1));
    const { validate } = setup();
    const jwt = await tokenAt(key1);
    const results = await Promise.all(Array.from({ length: 10 }, () => validate(jwt)));
    expect(results.every((claims) => claims.sub === 'user-1')).toBe(true);
    expect(fetches()).toEqual({ discovery: 1, jwks: 1 });
  });

  it('ten concurrent cold validations with different configs but one cache share the fetches', async () => {
    op().setJwks(jwks(key1));
    const { cache } = setup();
    const jwt = await tokenAt(key1);
    await Promise.all(
      Array.from({ length: 10 }, () =>
        validateToken(jwt, { performDisco: true, audience: 'api', cache }, op().issuer),
      ),
    );
    expect(fetches()).toEqual({ discovery: 1, jwks: 1 });
  });

  it('the key set lives 24 h without max-age, then is fetched again', async () => {
    op().setJwks(jwks(key1));
    const { validate, clock } = setup();
    await validate(await tokenAt(key1));
    clock.set(NOW + DAY - 1);
    await validate(await tokenAt(key1, clock));
    expect(op().jwksFetches()).toBe(1);
    clock.set(NOW + DAY);
    await validate(await tokenAt(key1, clock));
    expect(op().jwksFetches()).toBe(2);
  });

  it("the key set's max-age is honoured, clamped to at least 60 s", async () => {
    op().setJwks(jwks(key1), { 'cache-control': 'max-age=1' });
    const { validate, clock } = setup();
    await validate(await tokenAt(key1));
    clock.advance(59_999);
    await validate(await tokenAt(key1, clock));
    expect(op().jwksFetches()).toBe(1);
    clock.advance(1);
    await validate(await tokenAt(key1, clock));
    expect(op().jwksFetches()).toBe(2);
  });
});

describe('unknown kid: one reload per cooldown', () => {
  it('JWKS-004 an unknown kid reloads the set exactly once, then ERR_JWT_NO_MATCHING_KEY; again within the cooldown: no fetch; after it: one more', async () => {
    op().setJwks(jwks(key1));
    const { validate, clock } = setup();
    await validate(await tokenAt(key1));
    expect(op().jwksFetches()).toBe(1);

    clock.advance(COOLDOWN);
    const unknownA = await tokenAt(key2, clock);
    const error = await expectCode(validate(unknownA), 'ERR_JWT_NO_MATCHING_KEY');
    expect(error.message).toMatch(/"k2"/);
    expect(op().jwksFetches()).toBe(2);

    clock.advance(COOLDOWN - 1);
    const unknownB = await tokenAt(k3!, clock);
    await expectCode(validate(unknownB), 'ERR_JWT_NO_MATCHING_KEY');
    await expectCode(validate(unknownA), 'ERR_JWT_NO_MATCHING_KEY');
    expect(op().jwksFetches()).toBe(2);

    clock.advance(1);
    await expectCode(validate(unknownB), 'ERR_JWT_NO_MATCHING_KEY');
    expect(op().jwksFetches()).toBe(3);
    // The known key still validates from the (reloaded) cache.
    await validate(await tokenAt(key1, clock));
    expect(fetches()).toEqual({ discovery: 1, jwks: 3 });
  });

  it('a cold cache: the first fetch counts as the reload (no second request at once)', async () => {
    op().setJwks(jwks(key1));
    const { validate } = setup();
    await expectCode(validate(await tokenAt(key2)), 'ERR_JWT_NO_MATCHING_KEY');
    expect(op().jwksFetches()).toBe(1);
  });

  it('ten concurrent unknown-kid validations share one reload', async () => {
    op().setJwks(jwks(key1));
    const { validate, clock } = setup();
    await validate(await tokenAt(key1));
    clock.advance(COOLDOWN);
    const jwt = await tokenAt(key2, clock);
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => validate(jwt)));
    expect(
      outcomes.every(
        (outcome) =>
          outcome.status === 'rejected' &&
          (outcome.reason as { code?: string }).code === 'ERR_JWT_NO_MATCHING_KEY',
      ),
    ).toBe(true);
    expect(op().jwksFetches()).toBe(2);
  });

  it('JWKS-003 a kid resolves its key directly, however many keys the set has', async () => {
    const others = await Promise.all(
      Array.from({ length: 5 }, (_, i) => makeKey('ES256', { kid: `other-${i}` })),
    );
    op().setJwks(jwks(...others, ecKey));
    const { validate } = setup();
    // The right key is 6th: beyond the 4 keys tried when no kid picks one.
    await expect(validate(await tokenAt(ecKey))).resolves.toBeDefined();
    expect(op().jwksFetches()).toBe(1);
  });
});

describe('key rotation', () => {
  it('JWT-010 a kid absent from the cached set forces a reload; the rotated key validates', async () => {
    op().setJwks(jwks(key1));
    const { validate, clock } = setup();
    await validate(await tokenAt(key1));
    op().setJwks(jwks(key2)); // the provider rotates
    clock.advance(COOLDOWN);
    await expect(validate(await tokenAt(key2, clock))).resolves.toMatchObject({ sub: 'user-1' });
    expect(op().jwksFetches()).toBe(2);
    // The retired key is gone from the cache now: its tokens fail without another fetch.
    await expectCode(validate(await tokenAt(key1, clock)), 'ERR_JWT_NO_MATCHING_KEY');
    expect(op().jwksFetches()).toBe(2);
  });

  it('a rotation within the cooldown of the last fetch is seen only once the cooldown passes', async () => {
    op().setJwks(jwks(key1));
    const { validate, clock } = setup();
    await validate(await tokenAt(key1));
    op().setJwks(jwks(key1, key2));
    clock.advance(COOLDOWN - 1);
    const jwt = await tokenAt(key2, clock);
    await expectCode(validate(jwt), 'ERR_JWT_NO_MATCHING_KEY');
    expect(op().jwksFetches()).toBe(1);
    clock.advance(1);
    await expect(validate(jwt)).resolves.toBeDefined();
    expect(op().jwksFetches()).toBe(2);
  });

  it('JWKS-006 a signature failure forces one reload and one retry (a key replaced under the same kid)', async () => {
    op().setJwks(jwks(key1));
    const { validate, clock } = setup();
    await validate(await tokenAt(key1));
    const replacement = await makeKey('RS256', { kid: 'k1' });
    op().setJwks(jwks(replacement));
    clock.advance(COOLDOWN);
    await expect(validate(await tokenAt(replacement, clock))).resolves.toBeDefined();
    expect(op().jwksFetches()).toBe(2);
  });

  it('a retry after a reload verifies the bytes of its own token, whatever was verified meanwhile', async () => {
    op().setJwks(jwks(key1));
    const { validate, clock } = setup();
    await validate(await tokenAt(key1));
    const replacement = await makeKey('RS256', { kid: 'k1' });
    op().setJwks(jwks(replacement));
    clock.advance(COOLDOWN);
    const forged = flipSignatureBit(await tokenAt(replacement, clock, { sub: 'forged' }));
    const honest = await tokenAt(replacement, clock, { sub: 'honest' });
    // Both fail with the cached key and wait for one reload; the honest token's bytes (same length)
    // are the last ones written before the forged token is tried again with the new key.
    const [a, b] = await Promise.allSettled([validate(forged), validate(honest)]);
    expect(a.status === 'rejected' && a.reason.code).toBe('ERR_JWT_SIGNATURE_INVALID');
    expect(b.status === 'fulfilled' && b.value.sub).toBe('honest');
    expect(op().jwksFetches()).toBe(2);
  });

  it('a bad signature reloads at most once per cooldown, then ERR_JWT_SIGNATURE_INVALID', async () => {
    op().setJwks(jwks(key1));
    const { validate, clock } = setup();
    await validate(await tokenAt(key1));
    clock.advance(COOLDOWN);
    const forged = flipSignatureBit(await tokenAt(key1, clock));
    await expectCode(validate(forged), 'ERR_JWT_SIGNATURE_INVALID');
    expect(op().jwksFetches()).toBe(2);
    await expectCode(validate(forged), 'ERR_JWT_SIGNATURE_INVALID');
    expect(op().jwksFetches()).toBe(2);
  });

  it('a failed reload keeps the old set: known keys still validate, unknown kids fail cleanly', async () => {
    op().setJwks(jwks(key1));
    const { validate, clock } = setup();
    await validate(await tokenAt(key1));
    op().failJwks(503);
    clock.advance(COOLDOWN);
    await expectCode(validate(await tokenAt(key2, clock)), 'ERR_JWT_NO_MATCHING_KEY');
    expect(op().jwksFetches()).toBe(2);
    await expect(validate(await tokenAt(key1, clock))).resolves.toBeDefined();
    expect(op().jwksFetches()).toBe(2);
  });

  it('an empty reload keeps the old set until it expires', async () => {
    op().setJwks(jwks(key1));
    const { validate, clock } = setup();
    await validate(await tokenAt(key1));
    op().setJwks({ keys: [] });
    clock.advance(COOLDOWN);
    await expectCode(validate(await tokenAt(key2, clock)), 'ERR_JWT_NO_MATCHING_KEY');
    await expect(validate(await tokenAt(key1, clock))).resolves.toBeDefined();
    expect(op().jwksFetches()).toBe(2);
    clock.set(NOW + DAY); // the old set expires: the empty one is all there is
    await expectCode(validate(await tokenAt(key1, clock)), 'ERR_JWKS_NO_USABLE_KEYS');
  });
});

describe('config.cache', () => {
  it('holds both the discovery document and the key set', async () => {
    op().setJwks(jwks(key1));
    const { validate, cache } = setup();
    await validate(await tokenAt(key1));
    expect(cache.discovery.info()).toMatchObject({ fetches: 1, size: 1 });
    expect(cache.jwks.info()).toMatchObject({ fetches: 1, size: 1 });
  });
});
