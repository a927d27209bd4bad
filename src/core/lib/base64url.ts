/**
 * Strict base64url decoding (RFC 4648 §5, no padding), the one part of JWS parsing on the
 * validation hot path.
 *
 * Where the runtime has `Uint8Array.prototype.setFromBase64` (Chromium 140+, Firefox 133+,
 * Safari 18.2+), it decodes: several times faster than any JavaScript loop. It is more lenient
 * than JWS allows (it skips ASCII whitespace and takes `=` padding), so the input is first held
 * to the bare alphabet; what is left decodes exactly as the table decoder below, which serves
 * everywhere else (Node 20). Text segments decode with `atob`, held to the alphabet the same way.
 *
 * @module
 */

const TABLE = new Uint8Array(128).fill(255);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
for (let i = 0; i < ALPHABET.length; i++) TABLE[ALPHABET.charCodeAt(i)] = i;

/** Only base64url characters (`\w` without the `u` flag is `[A-Za-z0-9_]`). */
const BASE64URL = /^[\w-]*$/;

interface NativeOptions {
  alphabet: 'base64url';
  lastChunkHandling: 'loose';
}
type SetFromBase64 = (input: string, options: NativeOptions) => { written: number };

const setFromBase64 = (Uint8Array.prototype as unknown as { setFromBase64?: SetFromBase64 })
  .setFromBase64;
// `loose`: the last chunk may be partial (no padding), and its unused bits are ignored, as the
// table decoder ignores them.
const NATIVE_OPTIONS = { alphabet: 'base64url', lastChunkHandling: 'loose' } as const;

/** A caller's bug: bad input is refused by `isBase64url` first. */
const NOT_CHECKED = 'base64url input was not checked with isBase64url';

function value(input: string, index: number): number {
  const code = input.charCodeAt(index);
  return code < 128 ? TABLE[code]! : 255;
}

/** Bytes that `input`, when it is valid base64url, decodes to. */
export function decodedLength(input: string): number {
  return (input.length * 3) >> 2;
}

/**
 * Whether `input` is unpadded base64url that decodes: only characters of the alphabet, and a
 * length that is not one more than a multiple of 4. Such input never fails to decode.
 */
export function isBase64url(input: string): boolean {
  return input.length % 4 !== 1 && BASE64URL.test(input);
}

/**
 * Decodes unpadded base64url. Returns `undefined` for any character outside the base64url
 * alphabet (including `=`, `+`, `/`, whitespace) or an impossible length.
 */
export function decodeBase64url(input: string): Uint8Array | undefined {
  if (!isBase64url(input)) return undefined;
  const out = new Uint8Array(decodedLength(input));
  decodeBase64urlInto(input, out, 0);
  return out;
}

/**
 * Decodes unpadded base64url into `target` from `offset` (which must have room for
 * {@link decodedLength} bytes), so that a caller can put several values in one buffer, or reuse
 * one: on the hot path, each byte array allocated costs more than decoding into it. Returns the
 * bytes written, or `undefined` as {@link decodeBase64url} does (then nothing is written).
 */
export function decodeBase64urlInto(
  input: string,
  target: Uint8Array,
  offset: number,
): number | undefined {
  return isBase64url(input) ? decodeCheckedBase64urlInto(input, target, offset) : undefined;
}

/**
 * {@link decodeBase64urlInto} for input that {@link isBase64url} has accepted already, so that
 * the hot path checks a segment once. Throws a `TypeError` for input it would have refused.
 */
export function decodeCheckedBase64urlInto(
  input: string,
  target: Uint8Array,
  offset: number,
): number {
  if (setFromBase64) {
    const view = offset === 0 ? target : target.subarray(offset);
    return setFromBase64.call(view, input, NATIVE_OPTIONS).written;
  }
  return decodeInto(input, target, offset);
}

/**
 * Decodes unpadded base64url to a binary string (one character per byte, as `atob` returns),
 * for text that is parsed next: no byte array is allocated. `undefined` as for
 * {@link decodeBase64url}.
 */
export function decodeBase64urlToBinary(input: string): string | undefined {
  if (!isBase64url(input)) return undefined;
  // The alphabet is checked, so `atob`'s leniency (whitespace, padding) never comes into play.
  return atob(input.replaceAll('-', '+').replaceAll('_', '/'));
}

/** The table decoder, for input {@link isBase64url} accepted. */
function decodeInto(input: string, out: Uint8Array, start: number): number {
  const length = input.length;
  let o = start;
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const a = value(input, i);
    const b = value(input, i + 1);
    const c = value(input, i + 2);
    const d = value(input, i + 3);
    if ((a | b | c | d) > 63) throw new TypeError(NOT_CHECKED);
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
    if ((a | b | c) > 63) throw new TypeError(NOT_CHECKED);
    const bits = (a << 18) | (b << 12) | (c << 6);
    out[o++] = bits >> 16;
    if (rest > 2) out[o++] = (bits >> 8) & 255;
  }
  return o - start;
}

/** Encodes bytes as unpadded base64url (RFC 4648 §5). */
export function encodeBase64url(bytes: ArrayBuffer | Uint8Array): string {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
