/**
 * OAuth 2.0 Token Introspection (RFC 7662), with optional JWT responses (RFC 9701).
 *
 * @module
 */

import { failureOf, readOAuthJson } from '../endpoint/answer.js';
import { callEndpoint } from '../endpoint/call.js';
import type { ClientCredentialsOptions } from '../endpoint/client-auth.js';
import { endpointForm } from '../endpoint/form.js';
import { postForm } from '../endpoint/post.js';
import type { EndpointOptions } from '../endpoint/transport.js';
import { HttpError } from '../errors.js';
import { pickHttpOptions } from '../http/defaults.js';
import { mediaType } from '../http/json.js';
import { assertOptionalString, assertString, defined } from '../lib/assert.js';
import {
  INTROSPECTION_FIELDS,
  introspectionFields,
  type TokenIntrospectionResponse,
} from './response.js';
import {
  checkSignedOptions,
  type SignedIntrospectionOptions,
  TOKEN_INTROSPECTION_JWT,
  verifyIntrospectionJwt,
} from './signed.js';

/** Arguments of {@link introspectToken}. */
export interface TokenIntrospectionRequest extends ClientCredentialsOptions, EndpointOptions {
  /** The introspection endpoint URL (e.g. `disco.introspectionEndpoint`). */
  address: string;
  /** The token to introspect. */
  token: string;
  /** `token_type_hint`, e.g. `access_token` or `refresh_token` (`TokenTypeHints`). */
  tokenTypeHint?: string;
  /**
   * Ask for a signed response (RFC 9701, `Accept: application/token-introspection+jwt`) and
   * verify it with the keys of `signedResponse.issuer`. A plain JSON answer is then refused
   * (`ERR_CONTENT_TYPE`): it could have been swapped in by whoever the signature guards against.
   */
  signedResponse?: SignedIntrospectionOptions;
  /** Extra form parameters; they can never replace the ones the library sets. */
  parameters?: Readonly<Record<string, string>>;
}

/**
 * Asks the authorization server whether a token is active and what it carries (RFC 7662), as a
 * resource server does with opaque access tokens. The client authenticates as at the token
 * endpoint (`client_secret_basic` by default with a secret, `client_secret_post`,
 * `private_key_jwt`).
 *
 * Resolves to a response object. On success check `active`: for an active token the standard
 * members are typed (`scope`, `clientId`, `username`, `tokenType`, `exp`, `iat`, `nbf`, `sub`,
 * `aud`, `iss`, `jti`), every member is in `claims`, the whole body in `raw`; an inactive token
 * gives `active: false` and nothing else. Members of the wrong JSON type (e.g. `active: "true"`,
 * `exp: "1700000000"`) make a failed response (`ERR_INVALID_RESPONSE`), never a coerced value.
 * Server errors (e.g. `invalid_client`, HTTP 401) are failed responses with `error`,
 * `errorDescription`, `errorUri`, `httpStatus`. Bad arguments throw a `ConfigurationError`
 * before any request. Retried only when the server cannot have processed the request.
 *
 * With `signedResponse`, the response must be a JWT (RFC 9701) signed by the provider: see
 * {@link SignedIntrospectionOptions}; a failed check gives a failed response whose `exception`
 * is the `TokenValidationError` (e.g. `ERR_JWT_SIGNATURE_INVALID`, `ERR_JWT_AUDIENCE_INVALID`).
 *
 * @example
 * ```ts
 * const result = await introspectToken({
 *   address: disco.introspectionEndpoint,
 *   clientId: 'api',
 *   clientSecret: process.env.API_SECRET,
 *   token: bearerToken,
 *   tokenTypeHint: 'access_token',
 * });
 * if (!result.isSuccessful) throw result.exception;
 * if (!result.active || !result.scope?.split(' ').includes('orders:read')) return deny();
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2
 * @see https://www.rfc-editor.org/rfc/rfc9701#section-5
 */
export async function introspectToken(
  request: TokenIntrospectionRequest,
): Promise<TokenIntrospectionResponse> {
  const { token, tokenTypeHint, signedResponse } = request;
  assertString(token, 'token');
  assertOptionalString(tokenTypeHint, 'tokenTypeHint');
  if (signedResponse !== undefined) checkSignedOptions(signedResponse);
  const form = endpointForm({ token, token_type_hint: tokenTypeHint }, request.parameters);
  const signed = signedResponse !== undefined;

  return callEndpoint(request, {
    retry: 'unprocessed',
    endpoint: 'introspection_endpoint',
    successFields: INTROSPECTION_FIELDS,
    send: (as, client, auth, options) =>
      postForm(as, client, auth, options, {
        endpoint: 'introspection_endpoint',
        body: new URLSearchParams(form),
        accept: signed ? TOKEN_INTROSPECTION_JWT : 'application/json',
      }),
    finish: async (response, url) => {
      if (response.status !== 200) throw failureOf(response, url);
      if ((mediaType(response) === TOKEN_INTROSPECTION_JWT) !== signed) {
        throw new HttpError(
          'ERR_CONTENT_TYPE',
          signed
            ? `Introspection response from ${url} is not ${TOKEN_INTROSPECTION_JWT}, though a signed response was requested`
            : `Introspection response from ${url} is a JWT, though none was requested`,
          { url, httpStatus: response.status },
        );
      }
      if (!signedResponse) {
        const raw = readOAuthJson(response, url);
        return introspectionFields(raw, raw, undefined, response.status, url);
      }
      const jwt = new TextDecoder().decode(response.body).trim();
      const verified = await verifyIntrospectionJwt(
        jwt,
        request.clientId,
        signedResponse,
        {
          ...pickHttpOptions(request),
          ...defined({ requireHttps: request.requireHttps }),
        },
        url,
        response.status,
      );
      return introspectionFields(verified.claims, verified.raw, jwt, response.status, url);
    },
  });
}
