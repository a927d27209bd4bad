import { describe, expect, it, vi } from 'vitest';

type Base64url = typeof import('../../../src/core/lib/base64url.js');

// Valid unpadded base64url (any length but 4n+1), and what must be refused.
const VALID = ['', 'AA', 'AAA', 'AAAA', 'Zm9v', 'Zm9vYg', 'Zm9vYmE', '-_-_', 'AB', 'ABC', 'AQ'];
const INVALID = [
  'A', // impossible length
  'AAAAA',
  'Zm9v=', // padding
  'Zm9vYg==',
  'Zm9v+/', // base64, not base64url
  ' Zm9v', // whitespace, which the native decoder and atob would skip
  'Zm 9v',
  'Zm9v\n',
  'Zm9\u00e9', // outside ASCII
  'Zm.v',
];

async function load(): Promise<Base64url> {
  vi.resetModules();
  return import('../../../src/core/lib/base64url.js');
}

function check(lib: Base64url) {
  for (const input of VALID) {
    const expected = new Uint8Array(Buffer.from(input, 'base64url'));
    expect(lib.decodeBase64url(input), input).toEqual(expected);
    const target = new Uint8Array(3 + lib.decodedLength(input)).fill(7);
    expect(lib.decodeBase64urlInto(input, target, 3), input).toBe(expected.length);
    expect(target.subarray(3, 3 + expected.length), input).toEqual(expected);
    expect(target.subarray(0, 3), input).toEqual(new Uint8Array([7, 7, 7]));
    expect(lib.isBase64url(input), input).toBe(true);
    const checked = new Uint8Array(lib.decodedLength(input));
    expect(lib.decodeCheckedBase64urlInto(input, checked, 0), input).toBe(expected.length);
    expect(checked, input).toEqual(expected);
    expect(lib.decodeBase64urlToBinary(input), input).toBe(
      Buffer.from(expected).toString('latin1'),
    );
  }
  for (const input of INVALID) {
    expect(lib.decodeBase64url(input), JSON.stringify(input)).toBeUndefined();
    expect(lib.decodeBase64urlInto(input, new Uint8Array(16), 0)).toBeUndefined();
    expect(lib.isBase64url(input), JSON.stringify(input)).toBe(false);
    expect(lib.decodeBase64urlToBinary(input), JSON.stringify(input)).toBeUndefined();
  }
}

describe('base64url', () => {
  it('decodes strict unpadded base64url and refuses anything else', async () => {
    check(await load());
  });

  it('holds a lenient native decoder to the same strictness', async () => {
    // A stand-in for Uint8Array.fromBase64 / setFromBase64 (absent in Node 20) that is as lenient
    // as the real ones: it skips whitespace and takes padding.
    const lenient = (input: string) => Buffer.from(input.replace(/\s/g, ''), 'base64url');
    const native = Uint8Array as unknown as Record<string, unknown>;
    const proto = Uint8Array.prototype as unknown as Record<string, unknown>;
    const saved = { from: native.fromBase64, set: proto.setFromBase64 };
    native.fromBase64 = (input: string) => new Uint8Array(lenient(input));
    proto.setFromBase64 = function (this: Uint8Array, input: string) {
      const bytes = lenient(input);
      this.set(bytes);
      return { read: input.length, written: bytes.length };
    };
    try {
      check(await load());
    } finally {
      native.fromBase64 = saved.from;
      proto.setFromBase64 = saved.set;
    }
  });
});
