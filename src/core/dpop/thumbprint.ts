/**
 * JWK thumbprints (RFC 7638) and access token hashes (RFC 9449 §4.2), with WebCrypto.
 *
 * @module
 */

import { ConfigurationError } from '../errors.js';
import { encodeBase64url } from '../lib/base64url.js';

const encoder = new TextEncoder();

async function sha256(text: string): Promise<string> {
  return encodeBase64url(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

// RFC 7638 §3.2: the required members of each key type, in lexicographic order.
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
  OKP: ['crv', 'kty', 'x'],
};

/**
 * The RFC 7638 SHA-256 thumbprint of a public JWK (EC, RSA or OKP), base64url: what a
 * DPoP-bound token's `cnf.jkt` holds (RFC 9449 §6.1) and what `dpop_jkt` sends (§10). Only the
 * required members count, so a JWK with `alg`, `use` or `kid` has the thumbprint of the bare key.
 * A JWK of another type or without its required string members is a `ConfigurationError`.
 *
 * @example
 * ```ts
 * if (claims.cnf?.jkt !== (await calculateJwkThumbprint(proofJwk))) refuse();
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc7638#section-3 RFC 7638 §3
 */
export async function calculateJwkThumbprint(jwk: JsonWebKey): Promise<string> {
  const members = typeof jwk?.kty === 'string' ? REQUIRED[jwk.kty] : undefined;
  const values = jwk as Record<string, unknown>;
  if (!members || members.some((name) => typeof values[name] !== 'string')) {
    throw new ConfigurationError(
      '"jwk" must be an EC, RSA or OKP public key with its required members (RFC 7638 §3.2)',
    );
  }
  // JSON.stringify of plain strings in a fixed order is the RFC's canonical form (no whitespace).
  return sha256(JSON.stringify(Object.fromEntries(members.map((name) => [name, values[name]]))));
}

/**
 * The `ath` of a DPoP proof for `accessToken`: encodeBase64url(SHA-256(ASCII(token))), no padding.
 *
 * @example
 * ```ts
 * await accessTokenHash('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU');
 * // 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo'
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.2 RFC 9449 §4.2
 */
export function accessTokenHash(accessToken: string): Promise<string> {
  return sha256(accessToken);
}
