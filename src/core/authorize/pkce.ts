/**
 * PKCE (RFC 7636), S256 only, on WebCrypto: the verifier is 32 bytes from
 * `crypto.getRandomValues`, base64url (43 characters, 256 bits), as oauth4webapi makes it. `state` and `nonce` are in `random.ts`.
 *
 * @module
 */

import { ConfigurationError } from '../errors.js';
import { encodeBase64url } from '../lib/base64url.js';
import { randomValue } from './random.js';

/** A PKCE pair: keep `codeVerifier` secret until the code exchange; send `codeChallenge`. */
export interface Pkce {
  /** 43 characters from [A-Za-z0-9-_] (256 random bits). Sent only to the token endpoint. */
  readonly codeVerifier: string;
  /** `BASE64URL(SHA-256(codeVerifier))`, sent in the authorization request. */
  readonly codeChallenge: string;
  /** Always `S256`: `plain` is never used (RFC 9700 §2.1.1). */
  readonly codeChallengeMethod: 'S256';
}

/** RFC 7636 §4.1: `code-verifier = 43*128unreserved`. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * Checks an RFC 7636 §4.1 code verifier: 43 to 128 characters, each from the unreserved set
 * `[A-Za-z0-9-._~]`. Throws `ConfigurationError` otherwise.
 */
export function assertCodeVerifier(
  verifier: unknown,
  path = 'codeVerifier',
): asserts verifier is string {
  if (typeof verifier !== 'string' || !VERIFIER.test(verifier)) {
    throw new ConfigurationError(`"${path}" must be 43 to 128 characters from [A-Za-z0-9-._~]`);
  }
}

/**
 * RFC 7636 §4.2 S256: `BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))`, by WebCrypto. The
 * verifier is ASCII (checked, or made by {@link createPkce}), so its UTF-8 bytes are its ASCII.
 */
async function challengeOf(verifier: string): Promise<string> {
  return encodeBase64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
}

/**
 * Computes the S256 code challenge of a verifier: `BASE64URL(SHA-256(ASCII(verifier)))`.
 * Throws `ConfigurationError` unless `verifier` is 43–128 unreserved characters.
 *
 * @example
 * ```ts
 * await createCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
 * // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' (RFC 7636 Appendix B)
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export async function createCodeChallenge(verifier: string): Promise<string> {
  assertCodeVerifier(verifier, 'verifier');
  return challengeOf(verifier);
}

/**
 * Makes a fresh PKCE pair with method `S256`: a 43-character verifier from a CSPRNG and its
 * challenge. Use one pair per authorization request, and keep the verifier where page script
 * cannot read it (the service worker's memory, or the transaction store).
 *
 * @example
 * ```ts
 * const { codeVerifier, codeChallenge } = await createPkce();
 * const url = createAuthorizeUrl({ ...request, codeChallenge });
 * // later: exchange the code with codeVerifier
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export async function createPkce(): Promise<Pkce> {
  const codeVerifier = randomValue();
  return {
    codeVerifier,
    codeChallenge: await challengeOf(codeVerifier),
    codeChallengeMethod: 'S256',
  };
}
