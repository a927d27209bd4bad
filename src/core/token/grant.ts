/**
 * One token-endpoint request (RFC 6749 §3.2) for any grant type, through the endpoint layer:
 * the grant's form, the accepted token types, and the checked token fields. Every grant function
 * is built on it.
 *
 * @module
 */

import type { DpopOptions } from '../dpop/handle.js';
import { readOAuthJson } from '../endpoint/answer.js';
import { callEndpoint } from '../endpoint/call.js';
import type { ClientCredentialsOptions } from '../endpoint/client-auth.js';
import type { EndpointFailure } from '../endpoint/failure.js';
import { endpointForm } from '../endpoint/form.js';
import { postForm } from '../endpoint/post.js';
import type { EndpointOptions } from '../endpoint/transport.js';
import { HttpError } from '../errors.js';
import type { RetryMode } from '../http/retry.js';
import { defined } from '../lib/assert.js';
import { TOKEN_FIELDS, type TokenFields, type TokenSuccess, tokenFields } from './response.js';

/** What every token-endpoint request takes: the endpoint, the client, transport options. */
export interface TokenEndpointRequest
  extends ClientCredentialsOptions,
    EndpointOptions,
    DpopOptions {
  /** The token endpoint URL (e.g. `disco.tokenEndpoint`). */
  address: string;
  /** Extra form parameters; they can never replace the ones the library sets. */
  parameters?: Readonly<Record<string, string>>;
}

/** How one grant is sent and finished. */
export interface GrantSpec<S extends object> {
  /** `grant_type`. */
  grantType: string;
  /** The grant's own parameters (arrays are sent as repeated parameters). */
  own: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Which failures may be retried: `never` for a one-time code, `unprocessed` otherwise. */
  retry: RetryMode;
  /** Token types accepted besides `Bearer` and `DPoP`, lower case (e.g. `n_a`, RFC 8693). */
  tokenTypes?: readonly string[];
  /**
   * The issuer, when known: the audience of `private_key_jwt` assertions (RFC 7523 §3, as
   * RFC 9126 §2 recommends); without it, the endpoint URL.
   */
  issuer?: string;
  /**
   * Whether `finish` validates an ID Token in the response. When not, a response carrying one is
   * refused (`ERR_INVALID_RESPONSE`): the library never hands out an ID Token it did not validate.
   */
  validatesIdToken?: boolean;
  /** Turns the checked fields into the success object (e.g. after validating the ID token). */
  finish?: (fields: TokenFields, url: string) => S | Promise<S>;
  /** Success-only field names of `S` (getters that throw on a failed response). */
  successFields?: readonly string[];
}

/**
 * Sends one grant to the token endpoint. Bad arguments throw a `ConfigurationError` before any
 * request; everything else resolves to a failed response object.
 */
export async function requestGrant<S extends object = TokenSuccess>(
  request: TokenEndpointRequest,
  spec: GrantSpec<S>,
): Promise<S | EndpointFailure> {
  const form = endpointForm(spec.own, request.parameters);
  const tokenTypes = new Set(['bearer', 'dpop', ...(spec.tokenTypes ?? [])]);
  return callEndpoint(request, {
    retry: spec.retry,
    ...defined({ issuer: spec.issuer }),
    endpoint: 'token_endpoint',
    successFields: spec.successFields ?? TOKEN_FIELDS,
    send: (as, client, auth, options) => {
      const body = new URLSearchParams(form);
      body.set('grant_type', spec.grantType);
      return postForm(as, client, auth, options, {
        endpoint: 'token_endpoint',
        body,
        accept: 'application/json',
        dpop: true,
      });
    },
    finish: (response, url) => {
      const fields = tokenFields(readOAuthJson(response, url), response.status, url);
      if (!tokenTypes.has(fields.tokenType.toLowerCase())) {
        throw new HttpError(
          'ERR_INVALID_RESPONSE',
          `Invalid token response from ${url}: token_type "${fields.tokenType}" is not supported`,
          { url, httpStatus: response.status },
        );
      }
      if (fields.idToken !== undefined && !spec.validatesIdToken) {
        throw new HttpError(
          'ERR_INVALID_RESPONSE',
          `The ${spec.grantType} response from ${url} carries an ID Token, which this grant does not validate`,
          { url, httpStatus: response.status },
        );
      }
      if (spec.finish) return spec.finish(fields, url);
      return { isSuccessful: true as const, ...fields } as unknown as S;
    },
  });
}
