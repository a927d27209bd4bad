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
    expect(lib.decodedLength(input), input).toBe(expected.length);
    // Into a view of a larger array: the bytes around it stay as they were.
    const target = new Uint8Array(6 + expected.length).fill(7);
    expect(lib.decodeBase64urlInto(input, target.subarray(3, 3 + expected.length)), input).toBe(
      true,
    );
    expect(target.subarray(3, 3 + expected.length), input).toEqual(expected);
    expect([...target.subarray(0, 3), ...target.subarray(3 + expected.length)], input).toEqual([
      7, 7, 7, 7, 7, 7,
    ]);
    let text: string | undefined;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(expected);
    } catch {}
    if (text === undefined) expect(() => lib.decodeBase64urlText(input), input).toThrow(TypeError);
    else expect(lib.decodeBase64urlText(input), input).toBe(text);
  }
  for (const input of INVALID) {
    expect(lib.decodeBase64url(input), JSON.stringify(input)).toBeUndefined();
    const length = lib.decodedLength(input);
    expect(lib.decodeBase64urlInto(input, new Uint8Array(length)), JSON.stringify(input)).toBe(
      false,
    );
    expect(lib.decodeBase64urlText(input), JSON.stringify(input)).toBeUndefined();
  }
}

describe('base64url', () => {
  it('decodes strict unpadded base64url and refuses anything else', async () => {
    check(await load());
  });

  it('holds a lenient native decoder to the same strictness', async () => {
    // A stand-in for setFromBase64 (absent in Node 20), as lenient as the real one (ECMA-262
    // Uint8Array.prototype.setFromBase64, `lastChunkHandling: 'loose'`): it skips ASCII whitespace
    // and takes `=` padding at the end; any other character outside the alphabet throws. The
    // browser suite runs the same cases through the engines' own decoders (core.spec.ts).
    const proto = Uint8Array.prototype as unknown as Record<string, unknown>;
    const saved = proto.setFromBase64;
    proto.setFromBase64 = function (this: Uint8Array, input: string) {
      const bare = input.replace(/[\t\n\f\r ]/g, '');
      if (!/^[\w-]*={0,2}$/.test(bare)) throw new SyntaxError('not base64url');
      const data = bare.replace(/=+$/, '');
      if (data.length % 4 === 1) throw new SyntaxError('a lone last character');
      const bytes = Buffer.from(data, 'base64url').subarray(0, this.length);
      this.set(bytes);
      return { read: input.length, written: bytes.length };
    };
    try {
      check(await load());
    } finally {
      proto.setFromBase64 = saved;
    }
  });

  it('decodes text as strict UTF-8', async () => {
    const lib = await load();
    const text = '{"name":"Zoë 🙂"}';
    expect(lib.decodeBase64urlText(Buffer.from(text).toString('base64url'))).toBe(text);
    // 0xff is never UTF-8; 0xc3 alone is a truncated sequence.
    for (const bytes of [
      [0x7b, 0xff, 0x7d],
      [0x7b, 0xc3],
    ]) {
      const input = Buffer.from(bytes).toString('base64url');
      expect(() => lib.decodeBase64urlText(input), input).toThrow(TypeError);
    }
  });
});
