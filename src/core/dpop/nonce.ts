/**
 * Server-issued DPoP nonces (RFC 9449 §8, §9) for resource servers: stateless, HMAC-signed,
 * time-limited.
 *
 * @module
 */

import { ConfigurationError } from '../errors.js';
import { decodeBase64url, encodeBase64url } from '../lib/base64url.js';

/** Issues and checks DPoP nonces; made by {@link createDpopNonceIssuer}. */
export interface DpopNonceIssuer {
  /** A fresh nonce for the `DPoP-Nonce` response header. */
  issue(): Promise<string>;
  /** `true` when `nonce` was issued by this issuer and is not older than its lifetime. */
  check(nonce: string): Promise<boolean>;
}

/** Options of {@link createDpopNonceIssuer}. */
export interface DpopNonceIssuerOptions {
  /** How long a nonce is accepted, in seconds. Default `300`. */
  lifetime?: number;
  /**
   * The HMAC-SHA-256 key that signs nonces (`sign` and `verify` usages). Default: a random key
   * made on first use, so nonces hold within one process; give the same key to every instance
   * of an API behind a load balancer.
   */
  key?: CryptoKey;
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

const encoder = new TextEncoder();

/**
 * Creates a nonce issuer for a resource server. A nonce is its issue time and an HMAC of it, so
 * checking needs no storage; pass `(nonce) => issuer.check(nonce)` as `validateDpopRequest`'s
 * `nonce`, and answer `ERR_DPOP_NONCE_INVALID` with 401, `WWW-Authenticate: DPoP
 * error="use_dpop_nonce"` and `DPoP-Nonce: await issuer.issue()`. Sending a fresh nonce on
 * successful answers too spares clients the retry (RFC 9449 §8.2).
 *
 * @example
 * ```ts
 * const nonces = createDpopNonceIssuer({ lifetime: 120 });
 * res.setHeader('DPoP-Nonce', await nonces.issue());
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-9 RFC 9449 §9
 */
export function createDpopNonceIssuer(options: DpopNonceIssuerOptions = {}): DpopNonceIssuer {
  const { lifetime = 300, now = Date.now } = options;
  if (typeof lifetime !== 'number' || !(lifetime > 0)) {
    throw new ConfigurationError('"options.lifetime" must be a positive number of seconds');
  }
  let key: Promise<CryptoKey> | undefined = options.key && Promise.resolve(options.key);
  const hmacKey = (): Promise<CryptoKey> => {
    key ??= crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]) as Promise<CryptoKey>;
    return key;
  };
  return {
    async issue() {
      const time = Math.floor(now() / 1000).toString(36);
      const mac = await crypto.subtle.sign('HMAC', await hmacKey(), encoder.encode(time));
      return `${time}.${encodeBase64url(mac)}`;
    },
    async check(nonce) {
      if (typeof nonce !== 'string' || nonce.length > 128) return false;
      const [time, mac, extra] = nonce.split('.');
      if (extra !== undefined || !time || !mac || !/^[0-9a-z]+$/.test(time)) return false;
      const age = now() / 1000 - Number.parseInt(time, 36);
      // A nonce from the future is refused too: it was not issued by this clock.
      if (!(age >= -1 && age <= lifetime)) return false;
      const signature = decodeBase64url(mac);
      if (!signature) return false;
      return crypto.subtle.verify(
        'HMAC',
        await hmacKey(),
        signature as Uint8Array<ArrayBuffer>,
        encoder.encode(time),
      );
    },
  };
}
