/**
 * The ID Token step of the OpenID grants after the token endpoint answered: the ID Token in the
 * response validated (or the response refused), with the access token's expiry as a time.
 *
 * @module
 */

import { HttpError } from '../errors.js';
import { assertObject } from '../lib/assert.js';
import { STANDALONE_WORKER } from '../lib/standalone.js';
import { expiryTime } from './expiry.js';
import {
  type IdTokenCheck,
  type IdTokenClaims,
  type IdTokenExpectations,
  prepareIdTokenCheck,
} from './id-token.js';
import { TOKEN_FIELDS, type TokenFields } from './response.js';
import { hasOpenIdScope } from './scope.js';

/**
 * ID Token expectations as a token request takes them: the client id comes from the request,
 * the access token from the response.
 */
export type IdTokenRequestExpectations = Omit<
  IdTokenExpectations,
  'clientId' | 'accessToken' | 'code'
>;

/** Token fields plus what the library derived from them. */
export interface CheckedTokenFields extends TokenFields {
  /** The validated ID Token's claims, when the response carried an ID Token. */
  readonly idTokenClaims: IdTokenClaims | undefined;
  /**
   * When the access token expires, in milliseconds since the epoch: the request's send time
   * (on the request's clock) plus `expires_in`, so it errs early. `undefined` without
   * `expires_in`.
   */
  readonly expiresAt: number | undefined;
}

/** Success-only fields of responses with {@link CheckedTokenFields}. */
export const CHECKED_TOKEN_FIELDS: readonly string[] = [
  ...TOKEN_FIELDS,
  'idTokenClaims',
  'expiresAt',
];

/**
 * Prepares the ID Token check of a request before anything is sent; a bad member throws a
 * `ConfigurationError` quoting `idToken.<member>`.
 */
export function prepareRequestIdTokenCheck(
  expectations: IdTokenRequestExpectations | undefined,
  clientId: string,
  now: (() => number) | undefined,
): IdTokenCheck | undefined {
  if (expectations === undefined) return undefined;
  // The stand-alone worker's expectations are its own object (sw/login.ts, sw/tokens.ts).
  if (!STANDALONE_WORKER) assertObject(expectations, 'idToken');
  const { accessToken: _a, code: _c, clientId: _id, ...rest } = expectations as IdTokenExpectations;
  return prepareIdTokenCheck(
    { ...rest, clientId, ...(rest.now === undefined && now ? { now } : {}) },
    'idToken',
  );
}

/**
 * Validates the response's ID Token with `check` (the access token bound through `at_hash`).
 * An ID Token with no `check` is refused, as is a missing ID Token when `required`
 * (`ERR_INVALID_RESPONSE`): a library that cannot validate an ID Token must not hand it out.
 */
export async function checkResponseIdToken(
  fields: TokenFields,
  url: string,
  check: IdTokenCheck | undefined,
  required: boolean,
): Promise<IdTokenClaims | undefined> {
  if (fields.idToken === undefined) {
    if (required) {
      throw new HttpError(
        'ERR_INVALID_RESPONSE',
        `Invalid token response from ${url}: an OpenID Connect response must carry "id_token"`,
        { url, httpStatus: fields.httpStatus },
      );
    }
    return undefined;
  }
  if (!check) {
    throw new HttpError(
      'ERR_INVALID_RESPONSE',
      `Token response from ${url} carries an ID Token but no "idToken" expectations were given to validate it with`,
      { url, httpStatus: fields.httpStatus },
    );
  }
  return check(fields.idToken, { accessToken: fields.accessToken });
}

/**
 * The `finish` of a grant whose response may carry an ID Token (code exchange, device code):
 * validates it with `check` (required when `check` is given or `openid` was granted) and adds
 * `idTokenClaims` and `expiresAt` (`sentAt` + `expires_in`).
 */
export function checkedTokenFinish(check: IdTokenCheck | undefined, sentAt: number) {
  return async (
    fields: TokenFields,
    url: string,
  ): Promise<CheckedTokenFields & { readonly isSuccessful: true }> => {
    const required = check !== undefined || hasOpenIdScope(fields.scope);
    const idTokenClaims = await checkResponseIdToken(fields, url, check, required);
    return {
      isSuccessful: true as const,
      ...fields,
      idTokenClaims,
      expiresAt: expiryTime(sentAt, fields.expiresIn),
    };
  };
}
