/**
 * Client authentication at the token endpoint (RFC 6749 §2.3, RFC 7523 §2.2, OIDC Core §9).
 *
 * @module
 */

import * as oauth from 'oauth4webapi';
import { ConfigurationError } from '../errors.js';
import { ALGORITHMS, ASYMMETRIC_ALGORITHMS, type JwsAlgorithm } from '../jws/algorithms.js';
import { assertOptionalBoolean, assertOptionalString, assertString } from '../lib/assert.js';
import { STANDALONE_WORKER } from '../lib/standalone.js';

/** How the client authenticates. */
export type ClientAuthMethod =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'private_key_jwt'
  | 'none';

/** Client identity and credentials, shared by every client-authenticated endpoint call. */
export interface ClientCredentialsOptions {
  /** The `client_id`. */
  clientId: string;
  /** The client secret (`client_secret_basic`, `client_secret_post`). */
  clientSecret?: string;
  /**
   * Default: `client_secret_basic` when `clientSecret` is given, `private_key_jwt` when
   * `privateKey` is, else `none` (a public client).
   */
  authMethod?: ClientAuthMethod;
  /**
   * `client_secret_basic` only: percent-encode the client id and secret before Basic encoding,
   * as RFC 6749 §2.3.1 requires. Default `true`. Set `false` for a server that does not decode
   * them (Glewlwyd 2.7 and several others compare the raw text, so a secret with `-`, `.`, `_`,
   * `~` or any other encoded character fails there): the id and secret are then sent as
   * `base64(utf8(clientId + ":" + clientSecret))`, RFC 7617's plain form. A `clientId` with `:`
   * cannot be sent that way and is refused.
   */
  encodeBasicCredentials?: boolean;
  /**
   * The private key signing `private_key_jwt` assertions: a `CryptoKey` (may be
   * non-extractable) or a private JWK with `alg`. Give `kid` when the provider needs it.
   */
  privateKey?: CryptoKey | JsonWebKey;
  /** `kid` header of the client assertion. Default: the JWK's `kid`. */
  privateKeyId?: string;
}

/** The oauth4webapi client and authentication for a call. */
export interface PreparedClient {
  client: oauth.Client;
  auth: oauth.ClientAuth;
}

/**
 * Prepares client authentication. `private_key_jwt` assertions carry iss = sub = client id,
 * aud = `audience` (the issuer when the caller knows it, else the endpoint URL; servers accept
 * both, RFC 9126 §2), a random `jti`, and live 60 seconds (RFC 7523 §3).
 */
export async function prepareClient(
  options: ClientCredentialsOptions,
  audience: string,
): Promise<PreparedClient> {
  const { clientId, clientSecret, privateKey } = options;
  // The stand-alone worker passes only `clientId`, checked by sw/config.ts (config.clientId).
  if (!STANDALONE_WORKER) {
    assertString(clientId, 'clientId');
    assertOptionalString(clientSecret, 'clientSecret', { empty: true });
    assertOptionalBoolean(options.encodeBasicCredentials, 'encodeBasicCredentials');
  }
  const method =
    options.authMethod ??
    (clientSecret !== undefined ? 'client_secret_basic' : privateKey ? 'private_key_jwt' : 'none');
  const client: oauth.Client = { client_id: clientId };
  // The stand-alone worker is a public client (its configuration has no secret or key): the
  // confidential-client methods below stay out of its bundle.
  if (STANDALONE_WORKER) {
    if (method !== 'none') {
      throw new ConfigurationError(`The stand-alone worker is a public client: no ${method}`);
    }
    return { client, auth: oauth.None() };
  }
  switch (method) {
    case 'client_secret_basic':
    case 'client_secret_post':
      if (!clientSecret) throw new ConfigurationError(`"clientSecret" is required for ${method}`);
      if (method === 'client_secret_post') {
        return { client, auth: oauth.ClientSecretPost(clientSecret) };
      }
      return {
        client,
        auth:
          options.encodeBasicCredentials === false
            ? unencodedBasic(clientId, clientSecret)
            : oauth.ClientSecretBasic(clientSecret),
      };
    case 'private_key_jwt': {
      if (!privateKey) throw new ConfigurationError('"privateKey" is required for private_key_jwt');
      const key = await toPrivateKey(privateKey);
      const kid = options.privateKeyId ?? (privateKey as JsonWebKey & { kid?: string }).kid;
      return {
        client,
        auth: oauth.PrivateKeyJwt(kid === undefined ? { key } : { key, kid }, {
          [oauth.modifyAssertion](_header, payload) {
            payload.aud = audience;
          },
        }),
      };
    }
    case 'none':
      return { client, auth: oauth.None() };
    default:
      throw new ConfigurationError(
        `"authMethod" must be client_secret_basic, client_secret_post, private_key_jwt or none, got ${JSON.stringify(method)}`,
      );
  }
}

/**
 * `client_secret_basic` without RFC 6749 §2.3.1's percent-encoding, for servers that do not
 * decode: RFC 7617's `user-id ":" password` in UTF-8, base64.
 */
function unencodedBasic(clientId: string, clientSecret: string): oauth.ClientAuth {
  if (clientId.includes(':')) {
    throw new ConfigurationError('A "clientId" with ":" cannot be sent unencoded (RFC 7617 §2)');
  }
  // btoa takes Latin-1 only: UTF-8 bytes first (RFC 7617 §2.1's charset).
  const bytes = new TextEncoder().encode(`${clientId}:${clientSecret}`);
  const header = `Basic ${btoa(String.fromCharCode(...bytes))}`;
  return (_as, _client, _body, headers) => {
    headers.set('authorization', header);
  };
}

async function toPrivateKey(key: CryptoKey | JsonWebKey): Promise<CryptoKey> {
  if (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey) {
    if (key.type !== 'private') throw new ConfigurationError('"privateKey" must be a private key');
    return key;
  }
  const jwk = key as JsonWebKey;
  const alg = jwk.alg as JwsAlgorithm | undefined;
  if (typeof jwk.d !== 'string' || alg === undefined || !ASYMMETRIC_ALGORITHMS.includes(alg)) {
    throw new ConfigurationError(
      '"privateKey" must be a CryptoKey or a private JWK with an asymmetric signature "alg"',
    );
  }
  try {
    return await crypto.subtle.importKey('jwk', jwk, ALGORITHMS[alg].import, false, ['sign']);
  } catch (cause) {
    throw new ConfigurationError(`"privateKey" cannot be imported for ${alg}`, { cause });
  }
}
