/**
 * Strict base64url decoding (RFC 4648 §5, no padding), the one part of JWS parsing on the
 * validation hot path: a table lookup is several times faster than `atob` plus character
 * replacement, and it refuses any character outside the alphabet in the same pass.
 *
 * @module
 */

const TABLE = new Uint8Array(128).fill(255);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
for (let i = 0; i < ALPHABET.length; i++) TABLE[ALPHABET.charCodeAt(i)] = i;

function value(input: string, index: number): number {
  const code = input.charCodeAt(index);
  return code < 128 ? TABLE[code]! : 255;
}

/**
 * Decodes unpadded base64url. Returns `undefined` for any character outside the base64url
 * alphabet (including `=`, `+`, `/`, whitespace) or an impossible length.
 */
export function decodeBase64url(input: string): Uint8Array | undefined {
  const length = input.length;
  if (length % 4 === 1) return undefined;
  const out = new Uint8Array((length * 3) >> 2);
  let o = 0;
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const a = value(input, i);
    const b = value(input, i + 1);
    const c = value(input, i + 2);
    const d = value(input, i + 3);
    if ((a | b | c | d) > 63) return undefined;
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = bits >> 16;
    out[o++] = (bits >> 8) & 255;
    out[o++] = bits & 255;
  }
  const rest = length - i;
  if (rest > 0) {
    const a = value(input, i);
    const b = value(input, i + 1);
    const c = rest > 2 ? value(input, i + 2) : 0;
    if ((a | b | c) > 63) return undefined;
    const bits = (a << 18) | (b << 12) | (c << 6);
    out[o++] = bits >> 16;
    if (rest > 2) out[o++] = (bits >> 8) & 255;
  }
  return out;
}

/** Encodes bytes as unpadded base64url (RFC 4648 §5). */
export function encodeBase64url(bytes: ArrayBuffer | Uint8Array): string {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
