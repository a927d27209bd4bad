/**
 * `ath` (RFC 9449 §4.2) and JWK thumbprints (RFC 7638) against the seed's fixed vectors.
 */
import { calculateJwkThumbprint as joseThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  accessTokenHash,
  calculateJwkThumbprint,
  createDpopHandle,
  generateDpopKeyPair,
} from '../../../src/core/dpop/index.js';
import { ConfigurationError } from '../../../src/core/errors.js';
import { jsonFixture } from '../../support/hostile-op.js';

interface AthPairs {
  pairs: { access_token: string; ath: string }[];
}
interface ThumbprintPairs {
  pairs: { jwk: JsonWebKey; thumbprint?: string; jkt?: string; expected_thumbprint?: string }[];
}

describe('ath and thumbprints', () => {
  it('DPOP-003 ath is base64url(SHA-256(access_token)) without padding, per the fixed pairs', async () => {
    const { pairs } = jsonFixture<AthPairs>('dpop/dpop-ath-pairs.json');
    expect(pairs.length).toBeGreaterThan(0);
    for (const { access_token, ath } of pairs) {
      expect(await accessTokenHash(access_token)).toBe(ath);
    }
  });

  it('DPOP-005 each JWK reproduces its expected thumbprint (RFC 7638 §3.1 vector included)', async () => {
    const { pairs } = jsonFixture<ThumbprintPairs>('dpop/dpop-thumbprint-pairs.json');
    expect(pairs.length).toBeGreaterThan(0);
    for (const pair of pairs) {
      const expected = pair.thumbprint ?? pair.jkt ?? pair.expected_thumbprint;
      expect(expected).toBeTruthy();
      expect(await calculateJwkThumbprint(pair.jwk)).toBe(expected);
    }
  });

  it("DPOP-005 the fixture token's cnf.jkt is the thumbprint of the fixture ES256 key", async () => {
    const token = jsonFixture<{ payload: { cnf: { jkt: string } } }>('dpop/dpop-bound-token.json');
    const key = jsonFixture<{ public: JsonWebKey }>('dpop/dpop-keypair-es256.json');
    expect(await calculateJwkThumbprint(key.public)).toBe(token.payload.cnf.jkt);
  });

  it("DPOP-005 a handle's thumbprint is the RFC 7638 thumbprint of its public key", async () => {
    const keyPair = await generateDpopKeyPair('RS256');
    const jwk = await crypto.subtle.exportKey('jwk', keyPair.publicKey);
    const expected = await joseThumbprint(jwk as Parameters<typeof joseThumbprint>[0]);
    expect(await createDpopHandle(keyPair).thumbprint()).toBe(expected);
    expect(await calculateJwkThumbprint(jwk)).toBe(expected);
  });

  it('a key without its required members has no thumbprint', async () => {
    await expect(calculateJwkThumbprint({ kty: 'EC', crv: 'P-256' })).rejects.toThrow(
      ConfigurationError,
    );
    await expect(calculateJwkThumbprint({ kty: 'oct', k: 'AAAA' })).rejects.toThrow(
      ConfigurationError,
    );
  });
});
