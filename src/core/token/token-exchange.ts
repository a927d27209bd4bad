/**
 * OAuth 2.0 Token Exchange (RFC 8693): trade a subject token (and optionally an actor token)
 * for a new token, for impersonation or delegation.
 *
 * @module
 */

import { GrantTypes } from '../constants/grant-types.js';
import type { EndpointFailure } from '../endpoint/failure.js';
import { ConfigurationError, HttpError } from '../errors.js';
import { assertOptionalString, assertString } from '../lib/assert.js';
import { requestGrant, type TokenEndpointRequest } from './grant.js';
import { TOKEN_FIELDS, type TokenFields } from './response.js';
import { scopeParameter } from './scope.js';

/** Arguments of {@link requestTokenExchangeToken}. */
export interface TokenExchangeTokenRequest extends TokenEndpointRequest {
  /** `subject_token`: the token representing the party on whose behalf the request is made. */
  subjectToken: string;
  /**
   * `subject_token_type`: a token type URI, sent verbatim, e.g.
   * `TokenTypeIdentifiers.accessToken` (`urn:ietf:params:oauth:token-type:access_token`).
   */
  subjectTokenType: string;
  /** `actor_token`: the token of the acting party (delegation, RFC 8693 §1.1). */
  actorToken?: string;
  /** `actor_token_type`: required with `actorToken`, and only with it. */
  actorTokenType?: string;
  /** `requested_token_type`: the token type URI wanted; the server may issue another. */
  requestedTokenType?: string;
  /** `audience`: logical name(s) of the target service; each is sent as its own parameter. */
  audience?: string | readonly string[];
  /** `resource`: URI(s) of the target service (RFC 8707); each is sent as its own parameter. */
  resource?: string | readonly string[];
  /** Requested scope(s); an array is sent space-delimited. */
  scope?: string | readonly string[];
}

/** A successful token exchange response (RFC 8693 §2.2.1). */
export interface TokenExchangeSuccess extends TokenFields {
  /** Always `true` here: the call succeeded, and every success field can be read. */
  readonly isSuccessful: true;
  /** `issued_token_type`: the type URI of `accessToken` (which may be no access token at all). */
  readonly issuedTokenType: string;
}

/** What {@link requestTokenExchangeToken} resolves to: check `isSuccessful` first. */
export type TokenExchangeTokenResponse = TokenExchangeSuccess | EndpointFailure;

const TOKEN_EXCHANGE_FIELDS = [...TOKEN_FIELDS, 'issuedTokenType'] as const;

/**
 * Exchanges a token at the token endpoint (RFC 8693 §2.1). Only the subject token gives
 * impersonation; adding `actorToken` and `actorTokenType` asks for delegation (the issued token
 * may carry an `act` claim, RFC 8693 §4.1). Token type URIs are sent exactly as given.
 *
 * On success: `accessToken` (the issued token, whatever its type), `issuedTokenType`
 * (required by RFC 8693 §2.2.1; a response without it is refused), `tokenType` (`Bearer`, or
 * `N_A` when the issued token is not an access token, §2.2.1), `expiresIn`, `scope`,
 * `refreshToken`, `raw`. On failure the server's `error` (e.g. `invalid_grant`,
 * `invalid_target`), `errorDescription`, `errorUri`, `httpStatus`. Bad arguments (including
 * `actorToken` without `actorTokenType` or the reverse) throw a `ConfigurationError` before
 * any request. Retried only when the server cannot have processed the request.
 *
 * @example
 * ```ts
 * const exchanged = await requestTokenExchangeToken({
 *   address: disco.tokenEndpoint,
 *   clientId: 'api-gateway',
 *   clientSecret: process.env.CLIENT_SECRET,
 *   subjectToken: incomingAccessToken,
 *   subjectTokenType: TokenTypeIdentifiers.accessToken,
 *   audience: 'https://backend.example.com',
 * });
 * if (exchanged.isSuccessful) callBackend(exchanged.accessToken);
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.2
 */
export async function requestTokenExchangeToken(
  request: TokenExchangeTokenRequest,
): Promise<TokenExchangeTokenResponse> {
  const { subjectToken, subjectTokenType, actorToken, actorTokenType, requestedTokenType } =
    request;
  assertString(subjectToken, 'subjectToken');
  assertString(subjectTokenType, 'subjectTokenType');
  assertOptionalString(actorToken, 'actorToken');
  assertOptionalString(actorTokenType, 'actorTokenType');
  if (actorToken !== undefined && actorTokenType === undefined) {
    throw new ConfigurationError('"actorTokenType" is required when "actorToken" is given');
  }
  if (actorToken === undefined && actorTokenType !== undefined) {
    throw new ConfigurationError('"actorTokenType" must not be given without "actorToken"');
  }
  assertOptionalString(requestedTokenType, 'requestedTokenType');
  return requestGrant<TokenExchangeSuccess>(request, {
    grantType: GrantTypes.tokenExchange,
    own: {
      subject_token: subjectToken,
      subject_token_type: subjectTokenType,
      actor_token: actorToken,
      actor_token_type: actorTokenType,
      requested_token_type: requestedTokenType,
      audience: request.audience,
      resource: request.resource,
      scope: scopeParameter(request.scope),
    },
    retry: 'unprocessed',
    tokenTypes: ['n_a'],
    successFields: TOKEN_EXCHANGE_FIELDS,
    finish: (fields, url) => {
      const issued = fields.raw.issued_token_type;
      if (typeof issued !== 'string' || issued === '') {
        throw new HttpError(
          'ERR_INVALID_RESPONSE',
          `Invalid token exchange response from ${url}: "issued_token_type" is missing`,
          { url, httpStatus: fields.httpStatus },
        );
      }
      return { isSuccessful: true as const, ...fields, issuedTokenType: issued };
    },
  });
}
