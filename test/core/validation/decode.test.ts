import { describe, expect, it } from 'vitest';
import {
  decodeJws,
  parseJws,
  signatureOf,
  writeSigningInput,
} from '../../../src/core/validation/decode.js';

const segment = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const signature = new Uint8Array(64).map((_, i) => (i * 37) & 255);

describe('decodeJws', () => {
  it('returns the header, the claims, the signing input and the signature bytes', () => {
    const header = segment(JSON.stringify({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' }));
    const payload = segment(JSON.stringify({ sub: 'user-1', exp: 1 }));
    const token = decodeJws(`${header}.${payload}.${segment(signature)}`, 16384);
    expect(token.header).toEqual({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' });
    expect(token.payload).toEqual({ sub: 'user-1', exp: 1 });
    expect(token.signingInput).toEqual(new TextEncoder().encode(`${header}.${payload}`));
    expect(token.signature).toEqual(signature);
  });

  it('decodes UTF-8 beyond ASCII, and a leading byte-order mark as TextDecoder does', () => {
    const header = segment(JSON.stringify({ alg: 'ES256' }));
    const claims = { name: 'Zoë Ångström 日本 🙂', sub: 'ü' };
    const utf8 = new TextEncoder().encode(JSON.stringify(claims));
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]);
    for (const bytes of [utf8, withBom]) {
      const token = decodeJws(`${header}.${segment(bytes)}.${segment(signature)}`, 16384);
      expect(token.payload).toEqual(claims);
    }
  });

  it('refuses Latin-1 that is not UTF-8, as not UTF-8 JSON', () => {
    const header = segment(JSON.stringify({ alg: 'ES256' }));
    const latin1 = new Uint8Array([...new TextEncoder().encode('{"sub":"'), 0xe9, 0x22, 0x7d]);
    expect(() => decodeJws(`${header}.${segment(latin1)}.${segment(signature)}`, 16384)).toThrow(
      /payload is not UTF-8 JSON/,
    );
  });

  it.each([
    ['header', 'e30=.e30.AAAA', /header is not base64url/],
    ['payload', 'eyJhbGciOiJFUzI1NiJ9.e30 .AAAA', /payload is not base64url/],
    ['signature', 'eyJhbGciOiJFUzI1NiJ9.e30.AA+A', /signature is not base64url/],
    ['signature length', 'eyJhbGciOiJFUzI1NiJ9.e30.AAAAA', /signature is not base64url/],
  ])('names the segment that is not base64url (%s)', (_, jwt, message) => {
    expect(() => decodeJws(jwt, 16384)).toThrow(message);
  });
});

describe('parseJws (the validation hot path)', () => {
  const header = segment(JSON.stringify({ alg: 'ES256', kid: 'hot', typ: 'at+jwt' }));
  const jwt = (sub: string, sig: Uint8Array | string = signature) =>
    `${header}.${segment(JSON.stringify({ sub, exp: 1 }))}.${segment(sig)}`;

  it('shares one frozen header among tokens with the same header segment', () => {
    const a = parseJws(jwt('a'), 16384);
    const b = parseJws(jwt('b'), 16384);
    expect(b.header).toBe(a.header);
    expect(Object.isFrozen(a.header)).toBe(true);
    expect([a.payload.sub, b.payload.sub]).toEqual(['a', 'b']);
    // The public decoder gives the caller objects of its own.
    const own = decodeJws(jwt('a'), 16384);
    expect(own.header).not.toBe(a.header);
    expect(Object.isFrozen(own.header)).toBe(false);
  });

  it('checks a known header again for every token', () => {
    const token = jwt('a');
    parseJws(token, 16384);
    expect(() => parseJws(`${token.slice(0, token.lastIndexOf('.'))}.`, 16384)).toThrow(
      /signature is empty/,
    );
    const badKid = segment(JSON.stringify({ alg: 'ES256', kid: 5 }));
    for (let i = 0; i < 2; i++) {
      expect(() => parseJws(`${badKid}.e30.${segment(signature)}`, 16384)).toThrow(
        /"kid" is not a string/,
      );
    }
  });

  it('refuses a signature that is not base64url', () => {
    expect(() => parseJws(`${header}.e30.AA+A`, 16384)).toThrow(/signature is not base64url/);
    expect(() => parseJws(`${header}.e30.AAAAA`, 16384)).toThrow(/signature is not base64url/);
  });

  it('decodes the signature at once and writes the signing input on demand', () => {
    const text = jwt('a');
    const token = parseJws(text, 16384);
    expect(signatureOf(token)).toEqual(signature);
    const bytes = new Uint8Array(token.last);
    writeSigningInput(token, bytes);
    expect(bytes).toEqual(new TextEncoder().encode(text.slice(0, text.lastIndexOf('.'))));
  });

  it('gives each token its own signature when tokens share an array', () => {
    // Tokens whose signatures have one length share the array they are decoded into: a token
    // parsed, then another (as when validations interleave at an await), still gets its own.
    const other = new Uint8Array(64).fill(9);
    const first = parseJws(jwt('a'), 16384);
    const second = parseJws(jwt('b', other), 16384);
    expect(second.signature).toBe(first.signature);
    expect(signatureOf(first)).toEqual(signature);
    expect(signatureOf(second)).toEqual(other);
    expect(signatureOf(first)).toEqual(signature);
    // A signature that fails to decode midway leaves no token's bytes behind as if they were its.
    const third = parseJws(jwt('c'), 16384);
    expect(signatureOf(third)).toEqual(signature);
    const good = jwt('d', other);
    const bad = `${good.slice(0, -4)}*AAA`;
    expect(() => parseJws(bad, 16384)).toThrow(/signature is not base64url/);
    expect(signatureOf(third)).toEqual(signature);
  });
});
