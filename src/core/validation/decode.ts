/**
 * Splitting and decoding a compact JWS (RFC 7515 §7.1) without trusting any of it yet.
 *
 * @module
 */

import { AlgorithmNotAllowedError, JwtMalformedError, JwtTooLargeError } from '../errors.js';
import { isNoneAlgorithm } from '../jws/algorithms.js';
import { decodeBase64urlInto, decodeBase64urlText, decodedLength } from '../lib/base64url.js';
import { type Bytes, bytePool } from '../lib/byte-pool.js';
import { deepFreeze } from '../lib/freeze.js';
import { STANDALONE_WORKER } from '../lib/standalone.js';
import type { JwtClaims, JwtHeader } from './types.js';

/** A decoded, not yet verified, compact JWS. */
export interface DecodedJws {
  /** The decoded protected header. */
  readonly header: JwtHeader;
  /** The decoded payload: the claims, not yet verified. */
  readonly payload: JwtClaims;
  /** `BASE64URL(header) '.' BASE64URL(payload)` as bytes: what the signature covers. */
  readonly signingInput: Uint8Array;
  /** The decoded signature bytes. */
  readonly signature: Uint8Array;
}

function jsonObject(value: string, name: string): Record<string, unknown> {
  let text: string | undefined;
  let parsed: unknown;
  try {
    text = decodeBase64urlText(value);
    if (text !== undefined) parsed = JSON.parse(text);
  } catch (cause) {
    throw new JwtMalformedError(`JWT ${name} is not UTF-8 JSON`, { cause });
  }
  if (text === undefined) throw new JwtMalformedError(`JWT ${name} is not base64url`);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new JwtMalformedError(`JWT ${name} is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * @internal A compact JWS split, its JSON decoded and its signature decoded: what
 * `verifyParsedJws` (verify-jws.ts) verifies. Its signing input is written only then.
 */
export interface ParsedJws {
  readonly header: JwtHeader;
  readonly payload: JwtClaims;
  readonly jwt: string;
  /** Index of the second dot: the signing input is `jwt.slice(0, last)`. */
  readonly last: number;
  /**
   * The decoded signature: an array shared by the tokens whose signature has its length (see
   * byte-pool.ts; the stand-alone worker's are its own). Read it with {@link signatureOf}, which
   * decodes it again when another token's signature has been written there since.
   */
  readonly signature: Bytes;
}

/**
 * Decodes `jwt`. Throws {@link JwtTooLargeError} over `maxSize` characters (before any
 * decoding), {@link AlgorithmNotAllowedError} for an unsecured JWT (`alg` none with an empty
 * signature), and {@link JwtMalformedError} unless it is three non-empty base64url segments whose
 * first two are JSON objects and whose header has a string `alg`.
 */
export function decodeJws(jwt: unknown, maxSize: number): DecodedJws {
  const token = parse(jwt, maxSize, false);
  const signingInput = new Uint8Array(token.last);
  writeSigningInput(token, signingInput);
  return { header: token.header, payload: token.payload, signingInput, signature: token.signature };
}

/**
 * @internal {@link decodeJws} for the validation hot path: the same checks and errors, but the
 * signing input is left to `verifyParsedJws`, the signature is decoded into a shared array, and
 * the header is frozen and shared by the tokens whose header segment is the same.
 */
export function parseJws(jwt: unknown, maxSize: number): ParsedJws {
  return parse(jwt, maxSize, true);
}

/** @internal Writes the signing input of `token` into `bytes`, exactly `token.last` long. */
export function writeSigningInput(token: ParsedJws, bytes: Uint8Array): void {
  // The signing input is the two segments `parse` decoded, so it is ASCII: one byte a character.
  // (A loop: `TextEncoder.encodeInto` measured slower for a token's few hundred characters.)
  const jwt = token.jwt;
  for (let i = 0; i < bytes.length; i++) bytes[i] = jwt.charCodeAt(i);
}

// The shared signature arrays, and the token whose signature was written into one last.
const signatures = /* @__PURE__ */ bytePool();
let signed: ParsedJws | undefined;

/** @internal The decoded signature of `token`, decoded again if its shared array was reused. */
export function signatureOf(token: ParsedJws): Bytes {
  // Decoding again into an array of the token's own is harmless: only parseJws's tokens get here.
  if (!STANDALONE_WORKER && signed !== token) {
    decodeBase64urlInto(token.jwt.slice(token.last + 1), token.signature);
    signed = token;
  }
  return token.signature;
}

// Parsed headers by their segment, for the hot path: the tokens of one issuer share a header,
// and finding it again costs a fraction of decoding and parsing it. Shared, so frozen; few and
// short, so that hostile headers cost no memory (they only take turns in the cache).
const headers = new Map<string, Record<string, unknown>>();
const HEADER_CACHE_ENTRIES = 16;
const HEADER_CACHE_MAX_LENGTH = 512;

// The header found last, and its segment: the next token (usually of the same issuer) is checked
// against it without slicing its segment out or hashing it.
let recentSegment = '';
let recentHeader: Record<string, unknown> | undefined;

function rememberHeader(segment: string, header: Record<string, unknown>): void {
  if (segment.length > HEADER_CACHE_MAX_LENGTH) return;
  if (headers.size >= HEADER_CACHE_ENTRIES) headers.delete(headers.keys().next().value as string);
  headers.set(segment, deepFreeze(header));
  recentSegment = segment;
  recentHeader = header;
}

/** The cached header of `jwt`, whose header segment ends at `first`. */
function cachedHeader(jwt: string, first: number): Record<string, unknown> | undefined {
  if (first === recentSegment.length && jwt.startsWith(recentSegment)) return recentHeader;
  const segment = jwt.slice(0, first);
  const header = headers.get(segment);
  if (header) {
    recentSegment = segment;
    recentHeader = header;
  }
  return header;
}

/**
 * `hot`: the validation hot path (shared, frozen headers; shared signature arrays). The
 * stand-alone worker validates a few tokens a session: there `sharing` is a constant `false`, so
 * that none of this sharing is in its bundle.
 */
function parse(jwt: unknown, maxSize: number, hot: boolean): ParsedJws {
  const sharing = !STANDALONE_WORKER && hot;
  if (typeof jwt !== 'string') throw new JwtMalformedError('JWT must be a string');
  if (jwt.length > maxSize) {
    throw new JwtTooLargeError(
      `JWT of ${jwt.length} characters exceeds the ${maxSize}-character limit`,
    );
  }
  const first = jwt.indexOf('.');
  const last = jwt.lastIndexOf('.');
  if (first <= 0 || last === first || jwt.indexOf('.', first + 1) !== last) {
    const parts = jwt.split('.').length;
    throw new JwtMalformedError(
      parts === 5
        ? 'JWT is encrypted (JWE); only signed JWTs are accepted'
        : `JWT must have 3 non-empty segments, got ${parts}`,
    );
  }
  const cached = sharing ? cachedHeader(jwt, first) : undefined;
  const header = cached ?? jsonObject(jwt.slice(0, first), 'header');
  // The checks below run on a cached header too: they are cheap, and keep one order of errors.
  if (typeof header.alg !== 'string') {
    throw new JwtMalformedError('JWT header has no string "alg"', { claim: 'alg' });
  }
  if (last === jwt.length - 1) {
    // Only an unsecured JWT (RFC 7519 §6.1) has an empty signature: refuse it as what it is.
    if (isNoneAlgorithm(header.alg)) {
      throw new AlgorithmNotAllowedError('JWT "alg" none is never accepted: the token is unsigned');
    }
    throw new JwtMalformedError('JWT signature is empty');
  }
  if (header.kid !== undefined && typeof header.kid !== 'string') {
    throw new JwtMalformedError('JWT header "kid" is not a string', { claim: 'kid' });
  }
  if (header.typ !== undefined && typeof header.typ !== 'string') {
    throw new JwtMalformedError('JWT header "typ" is not a string', { claim: 'typ' });
  }
  if (sharing && !cached) rememberHeader(jwt.slice(0, first), header);
  const payload = jsonObject(jwt.slice(first + 1, last), 'payload');
  // Decoding the signature is also its check: strict base64url, or no token.
  const encoded = jwt.slice(last + 1);
  const length = decodedLength(encoded);
  const signature = sharing ? signatures(length) : new Uint8Array(length);
  // A shared array is about to be written: whichever token it held, it holds that no more.
  if (sharing) signed = undefined;
  if (!decodeBase64urlInto(encoded, signature)) {
    throw new JwtMalformedError('JWT signature is not base64url');
  }
  const token: ParsedJws = {
    header: header as JwtHeader,
    payload: payload as JwtClaims,
    jwt,
    last,
    signature,
  };
  if (sharing) signed = token;
  return token;
}
