/**
 * Splitting and decoding a compact JWS (RFC 7515 §7.1) without trusting any of it yet.
 *
 * @module
 */

import { AlgorithmNotAllowedError, JwtMalformedError, JwtTooLargeError } from '../errors.js';
import { decodeBase64url } from '../lib/base64url.js';
import type { JwtClaims, JwtHeader } from './types.js';

/** A decoded, not yet verified, compact JWS. */
export interface DecodedJws {
  readonly header: JwtHeader;
  readonly payload: JwtClaims;
  /** `BASE64URL(header) '.' BASE64URL(payload)` as bytes: what the signature covers. */
  readonly signingInput: Uint8Array;
  readonly signature: Uint8Array;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();
function segment(value: string, name: string): Uint8Array {
  const bytes = decodeBase64url(value);
  if (bytes === undefined) throw new JwtMalformedError(`JWT ${name} is not base64url`);
  return bytes;
}

function jsonObject(bytes: Uint8Array, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(bytes));
  } catch (cause) {
    throw new JwtMalformedError(`JWT ${name} is not UTF-8 JSON`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JwtMalformedError(`JWT ${name} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Decodes `jwt`. Throws {@link JwtTooLargeError} over `maxSize` characters (before any
 * decoding), {@link AlgorithmNotAllowedError} for an unsecured JWT (`alg` none with an empty
 * signature), and {@link JwtMalformedError} unless it is three non-empty base64url segments whose
 * first two are JSON objects and whose header has a string `alg`.
 */
export function decodeJws(jwt: unknown, maxSize: number): DecodedJws {
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
  const header = jsonObject(segment(jwt.slice(0, first), 'header'), 'header');
  if (typeof header.alg !== 'string') {
    throw new JwtMalformedError('JWT header has no string "alg"', { claim: 'alg' });
  }
  if (last === jwt.length - 1) {
    // Only an unsecured JWT (RFC 7519 §6.1) has an empty signature: refuse it as what it is.
    if (header.alg.toLowerCase() === 'none') {
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
  const payload = jsonObject(segment(jwt.slice(first + 1, last), 'payload'), 'payload');
  return {
    header: header as JwtHeader,
    payload: payload as JwtClaims,
    signingInput: encoder.encode(jwt.slice(0, last)),
    signature: segment(jwt.slice(last + 1), 'signature'),
  };
}
