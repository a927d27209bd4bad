/**
 * `crypto.subtle.verify` over a parsed token, with no byte array allocated per token.
 *
 * @module
 */

import { bytePool } from '../lib/byte-pool.js';
import { STANDALONE_WORKER } from '../lib/standalone.js';
import { type ParsedJws, signatureOf, writeSigningInput } from './decode.js';

/**
 * The signing inputs, written into arrays reused per length (see byte-pool.ts) right before each
 * call, never earlier: a second verification of the same token (after a key-set reload) writes
 * them again.
 *
 * Reusing arrays is safe because WebCrypto copies both byte arguments before `verify` returns:
 * "Let signature be the result of getting a copy of the bytes held by the signature parameter
 * passed to the verify() method. Let data be the result of getting a copy of the bytes held by
 * the data parameter passed to the verify() method." (W3C Web Cryptography API, the verify
 * method, steps 2 and 3; https://w3c.github.io/webcrypto/#SubtleCrypto-method-verify).
 */
const signingInputs = /* @__PURE__ */ bytePool();

let subtle: SubtleCrypto | undefined;

/** Verifies the signature of `token` with `key`; rejects as `crypto.subtle.verify` does. */
export function verifyParsedJws(
  algorithm: AlgorithmIdentifier | RsaPssParams | EcdsaParams,
  key: CryptoKey,
  token: ParsedJws,
): Promise<boolean> {
  // The stand-alone worker validates a few tokens a session: a fresh array, a smaller bundle.
  const signingInput = STANDALONE_WORKER ? new Uint8Array(token.last) : signingInputs(token.last);
  writeSigningInput(token, signingInput);
  // `crypto` and `subtle` are accessors in a page: read once, not twice per token.
  subtle ??= crypto.subtle;
  return subtle.verify(algorithm, key, signatureOf(token), signingInput);
}
