/**
 * The authorization response (RFC 6749 §4.1.2, §4.1.2.1) and its issuer (RFC 9207): the
 * redirect back to the client, checked before the code is exchanged.
 *
 * @module
 */

import {
  AuthorizationResponseError,
  type AuthorizationResponseErrorCode,
  ConfigurationError,
  ProtocolError,
} from '../errors.js';
import {
  assertObject,
  assertOneOf,
  assertOptionalBoolean,
  assertString,
  assertUrl,
} from '../lib/assert.js';
import { STANDALONE_WORKER } from '../lib/standalone.js';
import { tryParseUrl } from '../lib/url.js';

/** What the callback must match: the transaction saved when the request was made. */
export interface AuthorizeCallbackExpectation {
  /** The `state` sent in the request. Required. */
  state: string;
  /** The provider's issuer identifier (`disco.issuer`). Required. */
  issuer: string;
  /**
   * Whether the provider advertises `authorization_response_iss_parameter_supported`
   * (`disco.authorizationResponseIssParameterSupported`). When `true`, a response without `iss`
   * is refused. Default `false` (an `iss` that is present is still checked).
   */
  issParameterSupported?: boolean;
  /**
   * Where the response parameters are: `query` (the default), `fragment`, or `form_post` (then
   * pass the POST body as `URLSearchParams`). Response parameters in the other part of the URL
   * are refused.
   */
  responseMode?: 'query' | 'fragment' | 'form_post';
  /**
   * The `redirect_uri` of the request. When given, the callback URL's scheme, host, port and
   * path must equal it exactly (after URL parsing). Not available with `form_post`: check the
   * URL the form was posted to where you receive the POST.
   */
  redirectUri?: string;
}

/** A successful authorization response. */
export interface AuthorizeCallbackResult {
  /** The authorization code: exchange it once, with the PKCE `codeVerifier`. */
  readonly code: string;
  /** The `state`, equal to the expected one. */
  readonly state: string;
  /** The `iss` parameter, when the provider sent it (equal to the expected issuer). */
  readonly iss?: string;
  /**
   * The response parameters as received (all checked above). To hand them to oauth4webapi's own
   * `authorizationCodeGrantRequest`, pass them through its `validateAuthResponse` first.
   */
  readonly params: URLSearchParams;
}

/** Expectations already used: a transaction's callback can be accepted once. */
const consumed = new WeakSet<object>();

/** Parameters that only the authorization response carries, checked for duplicates. */
const RESPONSE_PARAMETERS = [
  'code',
  'state',
  'iss',
  'error',
  'error_description',
  'error_uri',
  'session_state',
  'id_token',
  'access_token',
  'token_type',
  'expires_in',
  'response',
] as const;

const RESPONSE_MODES = ['query', 'fragment', 'form_post'] as const;

/** Enough of a hostile value to recognise it in a message, never more. */
function quote(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

function refuse(
  code: AuthorizationResponseErrorCode,
  message: string,
  parameter?: string,
  cause?: unknown,
): AuthorizationResponseError {
  return new AuthorizationResponseError(code, message, { parameter, cause });
}

function hasResponseParameter(params: URLSearchParams): boolean {
  return RESPONSE_PARAMETERS.some((name) => params.has(name));
}

function checkExpectation(expected: AuthorizeCallbackExpectation) {
  // The stand-alone worker builds `expected` itself (sw/login.ts completeLogin): `state` from a
  // transaction sw/transactions.ts checked and sw/transaction-seal.ts authenticated, `issuer` and
  // `issParameterSupported` from the discovery document core validated, `redirectUri` from
  // sw/config.ts. Its argument checks stay out of that bundle.
  if (!STANDALONE_WORKER) assertObject(expected, 'expected');
  const { state, issuer, issParameterSupported, redirectUri } = expected;
  // The stand-alone worker asks only for response_mode=query (sw/callback-response.ts refuses
  // the others first): the form_post and fragment paths stay out of its bundle.
  const responseMode = STANDALONE_WORKER ? 'query' : (expected.responseMode ?? 'query');
  if (!STANDALONE_WORKER) {
    assertString(state, 'expected.state');
    assertString(issuer, 'expected.issuer');
    assertOptionalBoolean(issParameterSupported, 'expected.issParameterSupported');
    assertOneOf(responseMode, 'expected.responseMode', RESPONSE_MODES);
    if (redirectUri !== undefined) {
      assertUrl(redirectUri, 'expected.redirectUri', { fragment: false });
    }
  }
  const redirect = redirectUri === undefined ? undefined : new URL(redirectUri);
  if (redirect && responseMode === 'form_post') {
    throw new ConfigurationError(
      '"expected.redirectUri" cannot be checked with form_post: check the URL the form was posted to',
    );
  }
  return { state, issuer, iss: issParameterSupported === true, responseMode, redirect };
}

/** Scheme, host, port and path: what must equal the redirect URI (origin is "null" off http). */
function endpointOf(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** The response parameters of a callback URL, from its query or fragment. */
function fromUrl(input: string | URL, mode: 'query' | 'fragment', redirect: URL | undefined) {
  const url = typeof input === 'string' ? tryParseUrl(input) : new URL(input.href);
  if (!url) throw refuse('ERR_CALLBACK_INVALID', 'The callback is not an absolute URL');
  if (url.username !== '' || url.password !== '') {
    throw refuse('ERR_CALLBACK_INVALID', 'The callback URL must not contain credentials');
  }
  if (redirect && endpointOf(url) !== endpointOf(redirect)) {
    throw refuse(
      'ERR_CALLBACK_INVALID',
      `The callback URL ${quote(endpointOf(url))} is not the redirect URI ${quote(endpointOf(redirect))}`,
    );
  }
  const query = url.searchParams;
  const fragment = new URLSearchParams(url.hash.slice(1));
  const [params, other, otherName] =
    mode === 'query' ? [query, fragment, 'fragment'] : [fragment, query, 'query'];
  if (hasResponseParameter(other)) {
    throw refuse(
      'ERR_CALLBACK_INVALID',
      `The authorization response is in the ${otherName}, but response mode "${mode}" was expected`,
    );
  }
  return params;
}

/**
 * Checks the authorization response that the provider sent back to the redirect URI, and
 * returns the authorization code. Checks, in order: no duplicated response parameter; the
 * parameters in the expected part of the URL (query or fragment) and none in the other; the
 * redirect URI (when given); no implicit, hybrid or JARM response; `iss` (RFC 9207: equal to
 * the issuer when present, required when advertised); `state`; then either an error response
 * or a `code`.
 *
 * Throws:
 * - `ProtocolError` (`ERR_OAUTH_ERROR`) for an error response such as `access_denied`, with
 *   `error`, `errorDescription` and `errorUri` as plain text (never render them as HTML);
 * - `AuthorizationResponseError` with `ERR_STATE_MISMATCH`, `ERR_STATE_REUSED`,
 *   `ERR_CALLBACK_ISSUER_MISMATCH` or `ERR_CALLBACK_INVALID` (an `error` together with a
 *   `code`, no `code`, the wrong response mode, a duplicated parameter, another redirect URI);
 * - `ConfigurationError` for a bad `expected`.
 *
 * `state` is single-use: the same `expected` object is accepted only once, whatever the
 * outcome of the first call (a second call throws `ERR_STATE_REUSED`). This is remembered in
 * memory only, for that object: an app that keeps transactions in storage must delete the
 * transaction as it reads it, before calling this function, so that a replayed callback finds
 * none.
 *
 * @example
 * ```ts
 * const transaction = await takeTransaction(new URL(location.href).searchParams.get('state'));
 * const { code } = validateAuthorizeCallback(location.href, {
 *   state: transaction.state,
 *   issuer: disco.issuer,
 *   issParameterSupported: disco.authorizationResponseIssParameterSupported,
 *   redirectUri: 'https://app.example/callback',
 * });
 * // exchange `code` with transaction.codeVerifier
 * ```
 *
 * @param callback The callback URL (`query`, `fragment`), or the POST body (`form_post`).
 * @param expected What the response must match.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 RFC 6749 §4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4 RFC 9207 §2.4
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7 RFC 9700 §4.7 (CSRF)
 */
export function validateAuthorizeCallback(
  callback: string | URL | URLSearchParams,
  expected: AuthorizeCallbackExpectation,
): AuthorizeCallbackResult {
  const { state, issuer, iss: issRequired, responseMode, redirect } = checkExpectation(expected);
  const isForm = !STANDALONE_WORKER && callback instanceof URLSearchParams;
  if (isForm !== (responseMode === 'form_post')) {
    throw new ConfigurationError(
      isForm
        ? '"callback" is a form body: set "expected.responseMode" to "form_post"'
        : '"callback" must be the form body (URLSearchParams) with response mode form_post',
    );
  }
  if (!isForm && typeof callback !== 'string' && !(callback instanceof URL)) {
    throw new ConfigurationError('"callback" must be a URL string, a URL or URLSearchParams');
  }

  if (consumed.has(expected)) {
    throw refuse('ERR_STATE_REUSED', 'This authorization request was already used', 'state');
  }
  consumed.add(expected);

  // Not a form: a string or URL, as checked above.
  const params = isForm
    ? new URLSearchParams(callback as URLSearchParams)
    : fromUrl(callback as string | URL, responseMode as 'query' | 'fragment', redirect);

  for (const name of RESPONSE_PARAMETERS) {
    if (params.getAll(name).length > 1) {
      throw refuse('ERR_CALLBACK_INVALID', `"${name}" appears more than once`, name);
    }
  }
  for (const name of ['response', 'id_token', 'access_token'] as const) {
    if (params.has(name)) {
      throw refuse(
        'ERR_CALLBACK_INVALID',
        `"${name}" is not expected: only the authorization code flow is supported`,
        name,
      );
    }
  }

  const iss = params.get('iss') ?? undefined;
  if (iss === undefined ? issRequired : iss !== issuer) {
    throw refuse(
      'ERR_CALLBACK_ISSUER_MISMATCH',
      iss === undefined
        ? '"iss" is missing, but the provider advertises authorization_response_iss_parameter_supported'
        : `"iss" ${quote(iss)} is not the expected issuer ${quote(issuer)}`,
      'iss',
    );
  }

  const received = params.get('state');
  if (received !== state) {
    throw refuse(
      'ERR_STATE_MISMATCH',
      received === null ? '"state" is missing' : '"state" is not the one sent',
      'state',
    );
  }

  const error = params.get('error');
  const code = params.get('code');
  if (error !== null) {
    if (code !== null) {
      throw refuse('ERR_CALLBACK_INVALID', 'The response carries both "error" and "code"', 'code');
    }
    if (error === '') throw refuse('ERR_CALLBACK_INVALID', '"error" is empty', 'error');
    const description = params.get('error_description') ?? undefined;
    throw new ProtocolError(
      `The authorization server answered with error ${quote(error)}${
        description === undefined ? '' : `: ${quote(description)}`
      }`,
      { error, errorDescription: description, errorUri: params.get('error_uri') ?? undefined },
    );
  }
  if (code === null || code === '') {
    throw refuse('ERR_CALLBACK_INVALID', '"code" is missing', 'code');
  }

  return iss === undefined
    ? { code, state: received, params }
    : { code, state: received, iss, params };
}
