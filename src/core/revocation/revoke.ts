/**
 * OAuth 2.0 Token Revocation (RFC 7009).
 *
 * @module
 */

import { failureOf } from '../endpoint/answer.js';
import { callEndpoint } from '../endpoint/call.js';
import type { ClientCredentialsOptions } from '../endpoint/client-auth.js';
import type { EndpointFailure } from '../endpoint/failure.js';
import { endpointForm } from '../endpoint/form.js';
import { postForm } from '../endpoint/post.js';
import type { EndpointOptions } from '../endpoint/transport.js';
import { assertOptionalString, assertString } from '../lib/assert.js';

/** Arguments of {@link revokeToken}. */
export interface TokenRevocationRequest extends ClientCredentialsOptions, EndpointOptions {
  /** The revocation endpoint URL (e.g. `disco.revocationEndpoint`). */
  address: string;
  /** The token to revoke: a refresh token (revoking its grant) or an access token. */
  token: string;
  /** `token_type_hint`, e.g. `refresh_token` or `access_token` (`TokenTypeHints`). */
  tokenTypeHint?: string;
  /** Extra form parameters; they can never replace the ones the library sets. */
  parameters?: Readonly<Record<string, string>>;
}

/**
 * The server accepted the request. That says nothing about the token: RFC 7009 §2.2 answers
 * the same for a token that was valid, already revoked, expired or unknown.
 */
export interface TokenRevocationSuccess {
  /** Always `true` here: the call succeeded, and every success field can be read. */
  readonly isSuccessful: true;
  /** The HTTP status: `200` (RFC 7009 §2.2). */
  readonly httpStatus: number;
}

/** What {@link revokeToken} resolves to: check `isSuccessful` first. */
export type TokenRevocationResponse = TokenRevocationSuccess | EndpointFailure;

/**
 * Asks the authorization server to revoke a token (RFC 7009 §2.1), e.g. at logout. The client
 * authenticates as at the token endpoint (`client_secret_basic` by default with a secret,
 * `client_secret_post`, `private_key_jwt`, or `none` for a public client, which may revoke its
 * own tokens).
 *
 * Any HTTP 200 is success, whatever its body (empty, `{}`, …), and success looks the same for
 * valid and unknown tokens, so it cannot be used to probe tokens (RFC 7009 §2.2). Server errors
 * are failed responses with `error` (e.g. `unsupported_token_type`, `invalid_client`),
 * `errorDescription`, `errorUri`, `httpStatus`. Bad arguments throw a `ConfigurationError`
 * before any request. Retried only when the server cannot have processed the request.
 *
 * @example
 * ```ts
 * const result = await revokeToken({
 *   address: disco.revocationEndpoint,
 *   clientId: 'spa',
 *   token: refreshToken,
 *   tokenTypeHint: 'refresh_token',
 * });
 * if (!result.isSuccessful) console.warn('revocation failed', result.errorMessage);
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
export async function revokeToken(
  request: TokenRevocationRequest,
): Promise<TokenRevocationResponse> {
  const { token, tokenTypeHint } = request;
  assertString(token, 'token');
  assertOptionalString(tokenTypeHint, 'tokenTypeHint');
  const form = endpointForm({ token, token_type_hint: tokenTypeHint }, request.parameters);
  return callEndpoint(request, {
    retry: 'unprocessed',
    endpoint: 'revocation_endpoint',
    successFields: [],
    send: (as, client, auth, options) =>
      postForm(as, client, auth, options, {
        endpoint: 'revocation_endpoint',
        body: new URLSearchParams(form),
      }),
    // RFC 7009 §2.2: any 200 is success, whatever its body; §2.2.1: errors as RFC 6749 §5.2.
    finish: (response, url) => {
      if (response.status !== 200) throw failureOf(response, url);
      return { isSuccessful: true as const, httpStatus: response.status };
    },
  });
}
