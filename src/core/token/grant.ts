/**
 * One token-endpoint request (RFC 6749 §3.2) for any grant type, through oauth4webapi and the
 * library's transport: argument checks, client authentication, the https rule, the retry rule,
 * error mapping, and the checked token fields. Every grant function is built on it.
 *
 * @module
 */

import * as oauth from 'oauth4webapi';
import { ConfigurationError, HttpError } from '../errors.js';
import type { HttpResponse } from '../http/request.js';
import type { RetryMode } from '../http/retry.js';
import { type ClientCredentialsOptions, prepareClient } from './client-auth.js';
import { toLibraryError } from './errors.js';
import { readOAuthJson } from './oauth-response.js';
import {
  type EndpointFailure,
  endpointCall,
  TOKEN_FIELDS,
  type TokenFields,
  type TokenSuccess,
  tokenFields,
} from './response.js';
import {
  assertSecureEndpoint,
  type EndpointOptions,
  type OAuthTransport,
  oauthTransport,
  parseEndpoint,
} from './transport.js';

/** What every token-endpoint request takes: the endpoint, the client, transport options. */
export interface TokenEndpointRequest extends ClientCredentialsOptions, EndpointOptions {
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

/** Parameters the caller's `parameters` may never set. */
const RESERVED = new Set([
  'grant_type',
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
]);

/** Builds the form: extras first (checked), then the library's own parameters. */
export function grantForm(
  own: Readonly<Record<string, string | readonly string[] | undefined>>,
  extra: Readonly<Record<string, string>> | undefined,
): URLSearchParams {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (RESERVED.has(name) || Object.hasOwn(own, name)) {
      throw new ConfigurationError(`"parameters.${name}" cannot be set through extra parameters`);
    }
    if (typeof value !== 'string') {
      throw new ConfigurationError(`"parameters.${name}" must be a string`);
    }
    form.append(name, value);
  }
  for (const [name, value] of Object.entries(own)) {
    if (value === undefined) continue;
    if (typeof value === 'string') form.append(name, value);
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      for (const item of value) form.append(name, item);
    } else {
      throw new ConfigurationError(`"${name}" must be a string or an array of strings`);
    }
  }
  return form;
}

/** `scope` as sent: an array joined with single spaces (RFC 6749 §3.3). */
export function scopeParameter(scope: string | readonly string[] | undefined): string | undefined {
  if (scope === undefined) return undefined;
  if (typeof scope === 'string') return scope;
  if (!Array.isArray(scope) || scope.some((item) => typeof item !== 'string')) {
    throw new ConfigurationError('"scope" must be a string or an array of strings');
  }
  return scope.join(' ');
}

/** One call to an authenticated endpoint (token, PAR, device, introspection, revocation, …). */
export interface EndpointCallSpec<S extends object> {
  /** Which member of the request names the endpoint (for error messages). Default `address`. */
  path?: string;
  /** Which failures may be retried. */
  retry: RetryMode;
  /** The issuer, when known: the audience of `private_key_jwt` assertions (else the endpoint URL). */
  issuer?: string;
  /** Makes the request with oauth4webapi. */
  send: (
    as: oauth.AuthorizationServer,
    client: oauth.Client,
    auth: oauth.ClientAuth,
    options: OAuthTransport['options'],
  ) => Promise<Response>;
  /** Checks the response with oauth4webapi (throws its errors, mapped by the library). */
  process?: (
    as: oauth.AuthorizationServer,
    client: oauth.Client,
    response: Response,
  ) => Promise<unknown>;
  /** Builds the success object from the response as received. */
  finish: (response: HttpResponse, url: string) => S | Promise<S>;
  /** Success-only field names of `S`. */
  successFields: readonly string[];
  /** The endpoint's metadata name in `oauth.AuthorizationServer` (e.g. `introspection_endpoint`). */
  endpoint: keyof oauth.AuthorizationServer;
}

/**
 * Calls an authenticated endpoint. Bad arguments throw a `ConfigurationError` before any
 * request; everything else (the https rule, transport failures, OAuth error responses,
 * malformed responses, a failing `finish`) resolves to a failed response object.
 */
export async function callEndpoint<S extends object>(
  request: ClientCredentialsOptions & EndpointOptions & { address: string },
  spec: EndpointCallSpec<S>,
): Promise<S | EndpointFailure> {
  const path = spec.path ?? 'address';
  const url = parseEndpoint(request.address, path);
  const { client, auth } = await prepareClient(request, spec.issuer ?? url.href);
  return endpointCall(url.href, spec.successFields, async () => {
    assertSecureEndpoint(url, path, request.requireHttps);
    const transport = oauthTransport(request, spec.retry);
    const as = {
      issuer: spec.issuer ?? url.origin,
      [spec.endpoint]: url.href,
    } as oauth.AuthorizationServer;
    try {
      const response = await spec.send(as, client, auth, transport.options);
      await spec.process?.(as, client, response);
    } catch (caught) {
      throw toLibraryError(caught, url.href, transport.last());
    }
    const last = transport.last();
    if (!last) throw new ConfigurationError('The injected fetch returned no response');
    return spec.finish(last, url.href);
  });
}

/**
 * Sends one grant to the token endpoint. Bad arguments throw a `ConfigurationError` before any
 * request; everything else resolves to a failed response object.
 */
export async function requestGrant<S extends object = TokenSuccess>(
  request: TokenEndpointRequest,
  spec: GrantSpec<S>,
): Promise<S | EndpointFailure> {
  const form = grantForm(spec.own, request.parameters);
  const tokenTypes = new Set(['bearer', 'dpop', ...(spec.tokenTypes ?? [])]);
  return callEndpoint(request, {
    retry: spec.retry,
    ...(spec.issuer === undefined ? {} : { issuer: spec.issuer }),
    endpoint: 'token_endpoint',
    successFields: spec.successFields ?? TOKEN_FIELDS,
    send: (as, client, auth, options) =>
      oauth.genericTokenEndpointRequest(as, client, auth, spec.grantType, form, options),
    finish: (response, url) => {
      const fields = tokenFields(readOAuthJson(response, url), response.status, url);
      if (!tokenTypes.has(fields.tokenType.toLowerCase())) {
        throw new HttpError(
          'ERR_INVALID_RESPONSE',
          `Invalid token response from ${url}: token_type "${fields.tokenType}" is not supported`,
          { url, status: response.status },
        );
      }
      if (fields.idToken !== undefined && !spec.validatesIdToken) {
        throw new HttpError(
          'ERR_INVALID_RESPONSE',
          `The ${spec.grantType} response from ${url} carries an ID Token, which this grant does not validate; it is refused rather than handed out unvalidated`,
          { url, status: response.status },
        );
      }
      if (spec.finish) return spec.finish(fields, url);
      return { isSuccessful: true as const, ...fields } as unknown as S;
    },
  });
}
