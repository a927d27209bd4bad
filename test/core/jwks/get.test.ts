/**
 * `getJwks` against a local server: parsing, skipped keys, hostile sets, size limits and the
 * cache (lifetime from `max-age` clamped to [60 s, 24 h], refresh keeping the old set).
 */
import { describe, expect, it } from 'vitest';
import { ConfigurationError, type ErrorCode } from '../../../src/core/errors.js';
import { getJwks, type JwksResponse, keySetHandle } from '../../../src/core/jwks/get.js';
import {
  cacheAt,
  jsonFixture,
  jwks,
  makeKey,
  makeWeakRsaKey,
  readFixture,
  testClock,
  useHostileOp,
} from '../../support/hostile-op.js';
import { expectFailure, expectSuccess } from '../../support/result.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const op = useHostileOp();

const rsa = await makeKey('RS256', { kid: 'good' });
const other = await makeKey('ES256', { kid: 'other' });
const weak = await makeWeakRsaKey(1024, { kid: 'weak' });

/** No retries: a failing server answers at once. */
const http = { retries: 0 };

/** A failure with `code` whose success members cannot be read. */
function failure(response: JwksResponse, code: ErrorCode) {
  const failed = expectFailure(response, { code });
  expect(() => (failed as unknown as { keys: unknown }).keys).toThrow(/failed response/);
  return failed;
}

describe('getJwks: parsing', () => {
  it('JWKS-001 fetches and parses a JWK Set (the seed fixture)', async () => {
    op().setJwks(readFixture('jwks/valid.json'), { 'content-type': 'application/jwk-set+json' });
    const response = expectSuccess(await getJwks({ address: op().jwksUri, cache: false }));
    expect(response.keys.map((key) => key.kid)).toEqual(['rsa-sig-key', 'ec-sig-key']);
    expect(response.skipped).toEqual([]);
    expect(response.raw).toEqual(jsonFixture('jwks/valid.json'));
    expect(op().jwksFetches()).toBe(1);
    expect(op().server.requests[0]!.headers.accept).toMatch(/application\/jwk-set\+json/);
  });

  it('JWKS-002 exposes kty/kid/use/alg, n/e for RSA and crv/x/y for EC, as published', async () => {
    const fixture = jsonFixture<{ keys: Record<string, unknown>[] }>('jwks/valid.json');
    op().setJwks(fixture);
    const { keys } = expectSuccess(await getJwks({ address: op().jwksUri, cache: false }));
    expect(keys[0]).toEqual({
      kty: 'RSA',
      kid: 'rsa-sig-key',
      use: 'sig',
      alg: 'RS256',
      n: fixture.keys[0]!.n,
      e: 'AQAB',
    });
    expect(keys[1]).toEqual({
      kty: 'EC',
      kid: 'ec-sig-key',
      use: 'sig',
      alg: 'ES256',
      crv: 'P-256',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
    });
  });

  it('a bad key beside a good one: the good one is returned, the bad one listed with a reason', async () => {
    op().setJwks(
      jwks(weak, rsa, { ...other.jwk, use: 'enc' }, { ...rsa.jwk, kid: 'priv', d: 'AQ' }),
    );
    const response = expectSuccess(await getJwks({ address: op().jwksUri, cache: false }));
    expect(response.keys.map((key) => key.kid)).toEqual(['good']);
    expect(response.skipped).toEqual([
      { index: 0, kid: 'weak', reason: 'RSA modulus of 1024 bits is under 2048' },
      { index: 2, kid: 'other', reason: '"use" is "enc", not "sig"' },
      { index: 3, kid: 'priv', reason: 'contains private key members' },
    ]);
    // Private members never come back, even in the raw set's usable keys.
    expect(JSON.stringify(response.keys)).not.toMatch(/"d"/);
  });

  it('lists both keys of a duplicated kid', async () => {
    op().setJwks(jwks(rsa, { ...other.jwk, kid: 'good' }));
    const { keys } = expectSuccess(await getJwks({ address: op().jwksUri, cache: false }));
    expect(keys.map((key) => [key.kid, key.kty])).toEqual([
      ['good', 'RSA'],
      ['good', 'EC'],
    ]);
  });

  it('returns copies: changing a returned key does not change the next answer', async () => {
    op().setJwks(jwks(rsa));
    const cache = cacheAt(testClock());
    const first = expectSuccess(await getJwks({ address: op().jwksUri, cache }));
    (first.keys[0] as Record<string, unknown>).kid = 'tampered';
    const second = expectSuccess(await getJwks({ address: op().jwksUri, cache }));
    expect(second.keys[0]!.kid).toBe('good');
    expect(op().jwksFetches()).toBe(1);
  });

  it('throws a ConfigurationError (no request) for an address that is not a URL', async () => {
    await expect(getJwks({ address: 'not a url' })).rejects.toBeInstanceOf(ConfigurationError);
    await expect(getJwks({ address: 42 as unknown as string })).rejects.toThrow(/"address"/);
    expect(op().jwksFetches()).toBe(0);
  });
});

describe('getJwks: hostile sets', () => {
  it('JWKS-007 an empty set fails with ERR_JWKS_NO_USABLE_KEYS (the seed fixture)', async () => {
    op().setJwks(readFixture('jwks/empty.json'));
    const response = failure(
      await getJwks({ address: op().jwksUri, cache: false }),
      'ERR_JWKS_NO_USABLE_KEYS',
    );
    expect(response.errorType).toBe('invalid_response');
    expect(response.errorMessage).toMatch(/no usable signature key.*empty/);
  });

  it('JWKS-007 invalid JSON fails with ERR_INVALID_JSON', async () => {
    op().setJwks('{"keys": [');
    failure(await getJwks({ address: op().jwksUri, cache: false }), 'ERR_INVALID_JSON');
  });

  it.each([
    ['a JSON array', 'ERR_INVALID_JSON', '[]'],
    ['an object without keys', 'ERR_JWKS_INVALID', '{"kty":"RSA"}'],
    ['keys as a string', 'ERR_JWKS_INVALID', '{"keys":"none"}'],
    ['only unusable keys', 'ERR_JWKS_NO_USABLE_KEYS', JSON.stringify(jwks(weak))],
  ] as const)('JWKS-007 a set that is %s fails with %s', async (_, code, body) => {
    op().setJwks(body);
    failure(await getJwks({ address: op().jwksUri, cache: false }), code);
  });

  it('refuses a set that is not JSON by content type (ERR_CONTENT_TYPE)', async () => {
    op().setJwks(jwks(rsa), { 'content-type': 'text/html' });
    failure(await getJwks({ address: op().jwksUri, cache: false }), 'ERR_CONTENT_TYPE');
  });

  it('refuses more than 100 keys (ERR_JWKS_TOO_MANY_KEYS) and accepts exactly 100', async () => {
    const keys = (n: number) => ({
      keys: Array.from({ length: n }, (_, i) => ({ ...rsa.jwk, kid: `k${i}` })),
    });
    op().setJwks(keys(101));
    failure(await getJwks({ address: op().jwksUri, cache: false }), 'ERR_JWKS_TOO_MANY_KEYS');
    op().setJwks(keys(100));
    expect(expectSuccess(await getJwks({ address: op().jwksUri, cache: false })).keys).toHaveLength(
      100,
    );
  });

  it('refuses a body over 512 KiB (ERR_BODY_TOO_LARGE) and reads one just under it', async () => {
    const padded = (bytes: number) => {
      const base = JSON.stringify(jwks({ ...rsa.jwk, x5c: [''] }));
      return base.replace('"x5c":[""]', `"x5c":["${'A'.repeat(bytes - base.length)}"]`);
    };
    op().setJwks(padded(512 * 1024 + 1));
    failure(await getJwks({ address: op().jwksUri, cache: false }), 'ERR_BODY_TOO_LARGE');
    const under = padded(512 * 1024);
    expect(under.length).toBe(512 * 1024);
    op().setJwks(under);
    expect(expectSuccess(await getJwks({ address: op().jwksUri, cache: false })).keys).toHaveLength(
      1,
    );
  });

  it('a server error is a failed response (ERR_HTTP_STATUS), not a throw', async () => {
    op().failJwks(500);
    const response = failure(
      await getJwks({ address: op().jwksUri, cache: false, ...http }),
      'ERR_HTTP_STATUS',
    );
    expect(response.httpStatus).toBe(500);
  });
});

describe('getJwks: cache', () => {
  it('JWKS-005 a second request within the lifetime makes no HTTP request', async () => {
    op().setJwks(jwks(rsa));
    const cache = cacheAt(testClock());
    const first = expectSuccess(await getJwks({ address: op().jwksUri, cache }));
    const second = expectSuccess(await getJwks({ address: op().jwksUri, cache }));
    expect(second.keys).toEqual(first.keys);
    expect(op().jwksFetches()).toBe(1);
    expect(cache.jwks.info()).toMatchObject({ hits: 1, misses: 1, fetches: 1 });
  });

  it('concurrent cold requests share one fetch', async () => {
    op().setJwks(jwks(rsa));
    const cache = cacheAt(testClock());
    const all = await Promise.all(
      Array.from({ length: 10 }, () => getJwks({ address: op().jwksUri, cache })),
    );
    expect(all.every((response) => response.isSuccessful)).toBe(true);
    expect(op().jwksFetches()).toBe(1);
  });

  it.each([
    ['no Cache-Control: 24 h', undefined, DAY],
    ['max-age=300: 300 s', 'max-age=300', 300_000],
    ['max-age=5: clamped up to 60 s', 'max-age=5', 60_000],
    ['no-store: clamped up to 60 s', 'no-store', 60_000],
    ['max-age=604800: clamped down to 24 h', 'public, max-age=604800', DAY],
  ])('keeps a set for its lifetime (%s)', async (_, cacheControl, lifetime) => {
    op().setJwks(jwks(rsa), cacheControl === undefined ? {} : { 'cache-control': cacheControl });
    const clock = testClock();
    const cache = cacheAt(clock);
    expectSuccess(await getJwks({ address: op().jwksUri, cache }));
    clock.advance(lifetime - 1);
    expectSuccess(await getJwks({ address: op().jwksUri, cache }));
    expect(op().jwksFetches()).toBe(1);
    clock.advance(1);
    expectSuccess(await getJwks({ address: op().jwksUri, cache }));
    expect(op().jwksFetches()).toBe(2);
  });

  it('a failed or empty refresh keeps the old set until it expires', async () => {
    op().setJwks(jwks(rsa), { 'cache-control': 'max-age=600' });
    const clock = testClock();
    const cache = cacheAt(clock);
    const handle = keySetHandle({ address: op().jwksUri, cache, ...http });
    const original = await handle.get();

    clock.advance(31_000); // past the refresh cooldown
    op().failJwks(503);
    const failed = await handle.refresh();
    expect(failed).toEqual({ entry: original, refreshed: false });

    clock.advance(31_000);
    op().setJwks({ keys: [] });
    const empty = await handle.refresh();
    expect(empty).toEqual({ entry: original, refreshed: false });
    expect(op().jwksFetches()).toBe(3);
    expect(expectSuccess(await getJwks({ address: op().jwksUri, cache })).keys[0]!.kid).toBe(
      'good',
    );

    clock.set(original.expiresAt); // expired: the empty set is all the server has
    failure(await getJwks({ address: op().jwksUri, cache, ...http }), 'ERR_JWKS_NO_USABLE_KEYS');
    expect(op().jwksFetches()).toBe(4);
  });

  it('refresh within the cooldown (30 s) makes no request; after it, one', async () => {
    op().setJwks(jwks(rsa));
    const clock = testClock();
    const cache = cacheAt(clock);
    const handle = keySetHandle({ address: op().jwksUri, cache });
    const original = await handle.get();
    clock.advance(29_999);
    expect(await handle.refresh()).toEqual({ entry: original, refreshed: false });
    expect(op().jwksFetches()).toBe(1);
    clock.advance(1);
    op().setJwks(jwks(rsa, other));
    const next = await handle.refresh();
    expect(next.refreshed).toBe(true);
    expect(next.entry.value.keys.map((key) => key.kid)).toEqual(['good', 'other']);
    expect(op().jwksFetches()).toBe(2);
  });

  it('concurrent refreshes share one request', async () => {
    op().setJwks(jwks(rsa));
    const clock = testClock();
    const cache = cacheAt(clock);
    const handle = keySetHandle({ address: op().jwksUri, cache });
    await handle.get();
    clock.advance(30_000);
    const results = await Promise.all(Array.from({ length: 10 }, () => handle.refresh()));
    expect(new Set(results.map((result) => result.entry)).size).toBe(1);
    expect(op().jwksFetches()).toBe(2);
  });
});

describe('getJwks: the https rule', () => {
  it('refuses http off loopback before any request, unless requireHttps is false', async () => {
    const key = await makeKey('ES256', { kid: 'k1' });
    const calls: string[] = [];
    const fetch = async (url: string) => {
      calls.push(url);
      return new Response(JSON.stringify(jwks(key)), {
        headers: { 'content-type': 'application/json' },
      });
    };
    const refused = await getJwks({ address: 'http://op.example/jwks', fetch, cache: false });
    expect(refused.isSuccessful).toBe(false);
    if (refused.isSuccessful) return;
    expect(refused.errorCode).toBe('ERR_ENDPOINT_HTTPS_REQUIRED');
    expect(refused.errorType).toBe('policy');
    expect(calls).toEqual([]);
    const allowed = await getJwks({
      address: 'http://op.example/jwks',
      fetch,
      cache: false,
      requireHttps: false,
    });
    expect(allowed.isSuccessful).toBe(true);
    expect(calls).toEqual(['http://op.example/jwks']);
  });
});
