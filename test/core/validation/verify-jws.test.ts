/**
 * `verifyParsedJws` writes every token's bytes into one reused buffer right before
 * `crypto.subtle.verify`, which the WebCrypto spec lets it do: verify copies its byte arguments
 * when called. The first test holds the runtime to that; the second, the helper.
 */
import { describe, expect, it } from 'vitest';
import { parseJws } from '../../../src/core/validation/decode.js';
import { verifyParsedJws } from '../../../src/core/validation/verify-jws.js';
import { flipSignatureBit, makeKey, sign } from '../../support/hostile-op.js';

const key = await makeKey('ES256', { kid: 'k1' });
const ECDSA = { name: 'ECDSA', hash: 'SHA-256' };

describe('verifyParsedJws', () => {
  it('relies on crypto.subtle.verify copying its input when called', async () => {
    const data = new TextEncoder().encode('signed');
    const signature = new Uint8Array(await crypto.subtle.sign(ECDSA, key.privateKey, data));
    const goodThenBad = crypto.subtle.verify(ECDSA, key.publicKey, signature, data);
    const original = data.slice();
    data.fill(0); // changed after the call: the copy taken at the call is what counts
    expect(await goodThenBad).toBe(true);
    const badThenGood = crypto.subtle.verify(ECDSA, key.publicKey, signature, data);
    data.set(original);
    expect(await badThenGood).toBe(false);
  });

  it('verifies concurrent tokens each against its own bytes', async () => {
    const jwts = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const jwt = await sign(key, { sub: `user-${i % 10}` });
        return i % 2 ? flipSignatureBit(jwt) : jwt;
      }),
    );
    const verdicts = await Promise.all(
      jwts.map((jwt) => verifyParsedJws(ECDSA, key.publicKey, parseJws(jwt, 16384))),
    );
    expect(verdicts).toEqual(jwts.map((_, i) => i % 2 === 0));
  });
});
