/**
 * PKCE (RFC 7636): seed conformance cases ACG-002 (the verifier) and ACG-003 (the S256 challenge
 * of RFC 7636 Appendix B). State and nonce: random.test.ts.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCodeChallenge, createPkce } from '../../../src/core/authorize/index.js';
import { ConfigurationError } from '../../../src/core/errors.js';

const appendixB = JSON.parse(
  readFileSync(new URL('../../fixtures/authorize/pkce-appendix-b.json', import.meta.url), 'utf8'),
) as { octets: number[]; code_verifier: string; code_challenge: string };

const UNRESERVED = /^[A-Za-z0-9._~-]+$/;
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DRAWS = 2000;

afterEach(() => {
  vi.restoreAllMocks();
});

function sha256Base64url(text: string): string {
  return createHash('sha256').update(text, 'ascii').digest('base64url');
}

describe('ACG-002 the code verifier', () => {
  it('ACG-002 is 43-128 characters from the unreserved set [A-Za-z0-9-._~]', async () => {
    const { codeVerifier, codeChallengeMethod } = await createPkce();
    expect(codeVerifier.length).toBeGreaterThanOrEqual(43);
    expect(codeVerifier.length).toBeLessThanOrEqual(128);
    expect(codeVerifier).toMatch(UNRESERVED);
    expect(codeChallengeMethod).toBe('S256');
  });

  it(`ACG-002 is unique over ${DRAWS} draws, 43 characters each, with every symbol about equally frequent`, async () => {
    const verifiers = await Promise.all(
      Array.from({ length: DRAWS }, async () => (await createPkce()).codeVerifier),
    );
    expect(new Set(verifiers).size).toBe(DRAWS);
    for (const verifier of verifiers) {
      expect(verifier).toHaveLength(43);
      expect(verifier).toMatch(UNRESERVED);
    }
    // The first 42 characters carry 6 random bits each (the 43rd only 4): count symbols there.
    const counts = new Map<string, number>();
    for (const verifier of verifiers) {
      for (const char of verifier.slice(0, 42)) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([...BASE64URL_ALPHABET].sort());
    const expected = (DRAWS * 42) / 64; // 1312.5; the standard deviation is about 36
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(expected * 0.8);
      expect(count).toBeLessThan(expected * 1.2);
    }
  });

  it('ACG-002 draws 32 bytes from crypto.getRandomValues (the platform CSPRNG) per verifier', async () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    await createPkce();
    expect(spy).toHaveBeenCalledTimes(1);
    const [array] = spy.mock.calls[0]!;
    expect(array).toBeInstanceOf(Uint8Array);
    expect((array as Uint8Array).byteLength).toBe(32);
  });

  it('ACG-002 the pair is consistent: the challenge is BASE64URL(SHA-256(verifier))', async () => {
    for (let i = 0; i < 20; i++) {
      const { codeVerifier, codeChallenge } = await createPkce();
      expect(codeChallenge).toBe(sha256Base64url(codeVerifier));
    }
  });
});

describe('ACG-003 the S256 challenge', () => {
  it('ACG-003 the fixture verifier is the base64url of the Appendix B octets', () => {
    expect(Buffer.from(appendixB.octets).toString('base64url')).toBe(appendixB.code_verifier);
  });

  it('ACG-003 createCodeChallenge of the RFC 7636 Appendix B verifier is E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', async () => {
    expect(appendixB.code_verifier).toBe('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    const challenge = await createCodeChallenge(appendixB.code_verifier);
    expect(challenge).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(challenge).toBe(appendixB.code_challenge);
  });

  it('ACG-003 matches an independent SHA-256 for verifiers of 43 and 128 characters with every unreserved character', async () => {
    const short = 'A'.repeat(40) + '-._~'.slice(0, 3);
    const long =
      `${'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~'.repeat(2)}`.slice(
        0,
        128,
      );
    expect(short).toHaveLength(43);
    expect(long).toHaveLength(128);
    expect(await createCodeChallenge(short)).toBe(sha256Base64url(short));
    expect(await createCodeChallenge(long)).toBe(sha256Base64url(long));
  });

  it.each([
    ['42 characters', 'a'.repeat(42)],
    ['129 characters', 'a'.repeat(129)],
    ['the empty string', ''],
    ['a "+"', `${'a'.repeat(42)}+`],
    ['a "/"', `${'a'.repeat(42)}/`],
    ['a "=" (padding)', `${'a'.repeat(42)}=`],
    ['a space', `${'a'.repeat(21)} ${'a'.repeat(21)}`],
    ['a non-ASCII letter', `${'a'.repeat(42)}é`],
    ['a newline', `${'a'.repeat(43)}\n`],
  ])('ACG-003 refuses a verifier with %s (ConfigurationError)', async (_, verifier) => {
    await expect(createCodeChallenge(verifier)).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('ACG-003 refuses a verifier that is not a string', async () => {
    await expect(createCodeChallenge(42 as unknown as string)).rejects.toThrow(
      /43 to 128 characters/,
    );
  });
});
