/**
 * The optional verified-token cache: a repeated token skips the signature check, never the
 * claim checks.
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { type TokenValidationConfig, validateToken } from '../../../src/core/index.js';

async function setup() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
  return { jwk, sign };
}

describe('verifiedTokenCache', () => {
  it('returns the same frozen claims for a repeated token and still checks expiry', async () => {
    const { jwk, sign } = await setup();
    let now = 1_700_000_000_000;
    const token = await sign({ sub: 'a', iat: 1_700_000_000, exp: 1_700_000_100 });
    const config: TokenValidationConfig = {
      key: jwk,
      leeway: 0,
      verifiedTokenCache: { maxEntries: 2, maxAge: 60 },
      now: () => now,
    };
    const first = await validateToken(token, config);
    const second = await validateToken(token, config);
    expect(second).toBe(first);
    expect(Object.isFrozen(second)).toBe(true);
    now += 100_000; // past exp: the cached signature does not excuse the time check
    await expect(validateToken(token, config)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });

  it('verifies again after maxAge, and forgets the oldest entry beyond maxEntries', async () => {
    const { jwk, sign } = await setup();
    let now = 1_700_000_000_000;
    const claims = { iat: 1_700_000_000, exp: 1_800_000_000 };
    const tokens = await Promise.all([1, 2, 3].map((n) => sign({ ...claims, sub: `u${n}` })));
    const config: TokenValidationConfig = {
      key: jwk,
      verifiedTokenCache: { maxEntries: 2, maxAge: 1 },
      now: () => now,
    };
    const a = await validateToken(tokens[0]!, config);
    await validateToken(tokens[1]!, config);
    await validateToken(tokens[2]!, config); // evicts tokens[0]
    expect(await validateToken(tokens[0]!, config)).not.toBe(a);
    const b = await validateToken(tokens[0]!, config);
    now += 1_000;
    expect(await validateToken(tokens[0]!, config)).not.toBe(b);
  });

  it('is off by default: each call verifies and returns fresh claims', async () => {
    const { jwk, sign } = await setup();
    const token = await sign({ sub: 'a', iat: Math.floor(Date.now() / 1000) });
    const config: TokenValidationConfig = { key: jwk, options: { requireExp: false } };
    const first = await validateToken(token, config);
    expect(await validateToken(token, config)).not.toBe(first);
    expect(Object.isFrozen(first)).toBe(false);
  });

  it('rejects bad options with ERR_CONFIGURATION', async () => {
    const { jwk, sign } = await setup();
    const token = await sign({ sub: 'a' });
    await expect(
      validateToken(token, { key: jwk, verifiedTokenCache: { maxEntries: 0 } }),
    ).rejects.toMatchObject({ code: 'ERR_CONFIGURATION' });
  });
});
