/**
 * The single-use random values of an authorization request: `state` (RFC 6749 §10.12) and
 * `nonce` (OIDC Core §15.5.2): 32 bytes from `crypto.getRandomValues`, base64url (43
 * characters, 256 bits), as oauth4webapi's generators make them. Made here, a thin use of
 * WebCrypto, so that the worker bundle carries one base64url encoder (core's) instead of two.
 *
 * @module
 */

import { encodeBase64url } from '../lib/base64url.js';

/** @internal 32 random bytes from the platform's CSPRNG, base64url: 43 characters, 256 bits. */
export function randomValue(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * Makes a fresh `state` (43 base64url characters, 256 random bits). Store it with the
 * transaction, compare it in {@link validateAuthorizeCallback}, and use it once.
 *
 * @example
 * ```ts
 * const state = createState();
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export function createState(): string {
  return randomValue();
}

/**
 * Makes a fresh `nonce` (43 base64url characters, 256 random bits), to bind the ID token to
 * this request: the ID token's `nonce` claim must equal it.
 *
 * @example
 * ```ts
 * const nonce = createNonce();
 * ```
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#NonceNotes OIDC Core §15.5.2
 */
export function createNonce(): string {
  return randomValue();
}
