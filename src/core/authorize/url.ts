/**
 * The authorization request URL (OIDC Core §3.1.2.1, RFC 6749 §4.1.1), and a one-call helper
 * that also makes its `state`, `nonce` and PKCE pair.
 *
 * @module
 */

import { ConfigurationError } from '../errors.js';
import { assertSecureEndpoint, parseEndpoint } from '../lib/endpoint.js';
import { type AuthorizeParameters, authorizeParameters } from './parameters.js';
import { createPkce } from './pkce.js';
import { createNonce, createState } from './random.js';

/** Arguments of {@link createAuthorizeUrl}. */
export interface AuthorizeUrlRequest extends AuthorizeParameters {
  /** The authorization endpoint (e.g. `disco.authorizationEndpoint`). Its own query is kept. */
  address: string;
  /**
   * Require `https` for `address` (`http` stays allowed on loopback). Default `true`. An `http`
   * endpoint on another host throws an `HttpError` (`ERR_HTTPS_REQUIRED`).
   * Turning it off sends the end-user to a login page in clear text: local development only.
   */
  requireHttps?: boolean;
}

/** Parses a front-channel endpoint (authorization, end-session): absolute http(s), no fragment. */
export function parseFrontChannelEndpoint(value: unknown, path: string): URL {
  const url = parseEndpoint(value, path);
  if ((value as string).includes('#')) {
    throw new ConfigurationError(`"${path}" must not contain a fragment`);
  }
  return url;
}

/** `endpoint` with `params` added; a parameter already in the endpoint's query is replaced. */
export function withParameters(endpoint: URL, params: URLSearchParams): string {
  const url = new URL(endpoint.href);
  // forEach, not for…of: the worker's lib (WebWorker without .Iterable) has no iterators here.
  params.forEach((_value, name) => {
    url.searchParams.delete(name);
  });
  params.forEach((value, name) => {
    url.searchParams.append(name, value);
  });
  return url.href;
}

/**
 * Builds the URL that starts an authorization code flow with PKCE: send the end-user's browser
 * to it. Nothing is fetched. Every value is percent-encoded (`application/x-www-form-urlencoded`,
 * so a space becomes `+`); `scope`, `prompt`, `acr_values` and `ui_locales` arrays are joined
 * with spaces, and each `resource` becomes its own parameter.
 *
 * Required: `address`, `clientId`, `redirectUri`, `state`, `codeChallenge` (S256). Bad
 * arguments throw a `ConfigurationError`: another `responseType` than `code`, `plain` PKCE, a
 * challenge that is not 43 base64url characters, `prompt` `none` with another value, or extra
 * `parameters` that try to set a parameter the library owns.
 *
 * @example
 * ```ts
 * const { codeVerifier, codeChallenge } = await createPkce();
 * const state = createState();
 * const nonce = createNonce();
 * const url = createAuthorizeUrl({
 *   address: disco.authorizationEndpoint,
 *   clientId: 'spa',
 *   redirectUri: 'https://app.example/callback',
 *   scope: ['openid', 'profile'],
 *   state,
 *   nonce,
 *   codeChallenge,
 * });
 * location.assign(url);
 * ```
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest OIDC Core §3.1.2.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1 RFC 6749 §4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3 RFC 7636 §4.3
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2 RFC 8707 §2
 */
export function createAuthorizeUrl(request: AuthorizeUrlRequest): string {
  const params = authorizeParameters(request);
  const endpoint = parseFrontChannelEndpoint(request.address, 'address');
  assertSecureEndpoint(endpoint, 'address', request.requireHttps);
  return withParameters(endpoint, params);
}

/** Arguments of {@link prepareAuthorization}: {@link createAuthorizeUrl}'s minus what it makes. */
export type PrepareAuthorizationRequest = Omit<
  AuthorizeUrlRequest,
  'state' | 'nonce' | 'codeChallenge' | 'codeChallengeMethod'
>;

/** What {@link prepareAuthorization} returns: the URL, and the secrets to keep for the callback. */
export interface PreparedAuthorization {
  /** The authorization request URL. */
  readonly url: string;
  /** Compare with the callback's `state` (`validateAuthorizeCallback`), then discard. */
  readonly state: string;
  /** Compare with the ID token's `nonce` claim. */
  readonly nonce: string;
  /** Send to the token endpoint with the code; never to the authorization endpoint. */
  readonly codeVerifier: string;
}

/**
 * Makes a fresh `state`, `nonce` and S256 PKCE pair (CSPRNG, 256 bits each) and builds the
 * authorization URL with them. Store `state`, `nonce` and `codeVerifier` as one transaction,
 * keyed by `state`, out of page script's reach; delete it when the callback arrives.
 *
 * @example
 * ```ts
 * const { url, state, nonce, codeVerifier } = await prepareAuthorization({
 *   address: disco.authorizationEndpoint,
 *   clientId: 'spa',
 *   redirectUri: 'https://app.example/callback',
 *   scope: 'openid profile',
 * });
 * await transactions.set(state, { nonce, codeVerifier });
 * location.assign(url);
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4 RFC 7636 §4
 */
export async function prepareAuthorization(
  request: PrepareAuthorizationRequest,
): Promise<PreparedAuthorization> {
  const { codeVerifier, codeChallenge } = await createPkce();
  const state = createState();
  const nonce = createNonce();
  const url = createAuthorizeUrl({ ...request, state, nonce, codeChallenge });
  return { url, state, nonce, codeVerifier };
}
