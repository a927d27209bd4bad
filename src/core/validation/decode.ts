/**
 * Splitting and decoding a compact JWS (RFC 7515 §7.1) without trusting any of it yet.
 *
 * @module
 */

import { AlgorithmNotAllowedError, JwtMalformedError, JwtTooLargeError } from '../errors.js';
import { isNoneAlgorithm } from '../jws/algorithms.js';
import {
  decodeBase64url,
  decodeBase64urlToBinary,
  decodeCheckedBase64urlInto,
  decodedLength,
  isBase64url,
} from '../lib/base64url.js';
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

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** A byte over 0x7f in a binary string: text that is not ASCII. */
const NON_ASCII = /[\x80-\xff]/;

function jsonObject(value: string, name: string): Record<string, unknown> {
  const binary = decodeBase64urlToBinary(value);
  if (binary === undefined) throw new JwtMalformedError(`JWT ${name} is not base64url`);
  let parsed: unknown;
  try {
    // ASCII (nearly every token) is its own UTF-8: parse the decoded string as it is.
    // Anything else is decoded again, to bytes, for the strict UTF-8 decoder.
    parsed = JSON.parse(
      NON_ASCII.test(binary) ? strictUtf8.decode(decodeBase64url(value)) : binary,
    );
  } catch (cause) {
    throw new JwtMalformedError(`JWT ${name} is not UTF-8 JSON`, { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new JwtMalformedError(`JWT ${name} is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * @internal A compact JWS split and its JSON decoded, its signature checked to be base64url but
 * not yet decoded: `verifyParsedJws` (verify-jws.ts) writes the bytes when it verifies them.
 */
export interface ParsedJws {
  readonly header: JwtHeader;
  readonly payload: JwtClaims;
  readonly jwt: string;
  /** Index of the second dot: the signing input is `jwt.slice(0, last)`. */
  readonly last: number;
  /** The signature segment (base64url, checked). */
  readonly signature: string;
  /** Length of the decoded signature, in bytes. */
  readonly signatureLength: number;
}

/**
 * Decodes `jwt`. Throws {@link JwtTooLargeError} over `maxSize` characters (before any
 * decoding), {@link AlgorithmNotAllowedError} for an unsecured JWT (`alg` none with an empty
 * signature), and {@link JwtMalformedError} unless it is three non-empty base64url segments whose
 * first two are JSON objects and whose header has a string `alg`.
 */
export function decodeJws(jwt: unknown, maxSize: number): DecodedJws {
  const token = parse(jwt, maxSize, false);
  // The signing input and the signature share one buffer: each byte array allocated costs more
  // than filling it.
  const bytes = new Uint8Array(token.last + token.signatureLength);
  writeJwsBytes(token, bytes);
  return {
    header: token.header,
    payload: token.payload,
    signingInput: bytes.subarray(0, token.last),
    signature: bytes.subarray(token.last),
  };
}

/**
 * @internal {@link decodeJws} for the validation hot path: the same checks and errors, but no
 * bytes (see `verifyParsedJws`), and the header is frozen and shared by the tokens whose
 * header segment is the same.
 */
export function parseJws(jwt: unknown, maxSize: number): ParsedJws {
  // The stand-alone worker validates a few tokens a session: no header cache in its bundle.
  return parse(jwt, maxSize, !STANDALONE_WORKER);
}

/**
 * @internal Writes the signing input and then the signature of `token` into `bytes`, which must
 * have room for `token.last + token.signatureLength` bytes.
 */
export function writeJwsBytes(token: ParsedJws, bytes: Uint8Array): void {
  writeSigningInput(token, bytes);
  writeSignature(token, bytes.subarray(token.last));
}

/** @internal Writes the signing input of `token` (`token.last` bytes) at the start of `bytes`. */
export function writeSigningInput(token: ParsedJws, bytes: Uint8Array): void {
  const { jwt, last } = token;
  // The signing input is the two segments `parse` decoded, so it is ASCII: one byte a character.
  for (let i = 0; i < last; i++) bytes[i] = jwt.charCodeAt(i);
}

/** @internal Writes the signature of `token` (`token.signatureLength` bytes) at the start of `bytes`. */
export function writeSignature(token: ParsedJws, bytes: Uint8Array): void {
  // `parse` checked the signature segment with `isBase64url`.
  decodeCheckedBase64urlInto(token.signature, bytes, 0);
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

/** `hot`: the validation hot path (shared, frozen headers). */
function parse(jwt: unknown, maxSize: number, hot: boolean): ParsedJws {
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
  const cached = hot ? cachedHeader(jwt, first) : undefined;
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
  if (hot && !cached) rememberHeader(jwt.slice(0, first), header);
  const payload = jsonObject(jwt.slice(first + 1, last), 'payload');
  const signature = jwt.slice(last + 1);
  if (!isBase64url(signature)) throw new JwtMalformedError('JWT signature is not base64url');
  return {
    header: header as JwtHeader,
    payload: payload as JwtClaims,
    jwt,
    last,
    signature,
    signatureLength: decodedLength(signature),
  };
}
