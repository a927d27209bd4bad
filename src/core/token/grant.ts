/**
 * One token-endpoint request (RFC 6749 §3.2) for any grant type, through oauth4webapi and the
 * library's transport: argument checks, client authentication, the https rule, the retry rule,
 * error mapping, and the checked token fields. Every grant function is built on it.
 *
 * @module
 */

import * as oauth from 'oauth4webapi';
import { ConfigurationError } from '../errors.js';
import type { RetryMode } from '../http/retry.js';
import { type ClientCredentialsOptions, prepareClient } from './client-auth.js';
import { toLibraryError } from './errors.js';
import {
  type EndpointFailure,
  endpointCall,
  rawJson,
  TOKEN_FIELDS,
  type TokenFields,
  type TokenSuccess,
  tokenFields,
} from './response.js';
import {
  assertSecureEndpoint,
  type EndpointOptions,
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
  /** The issuer, when known (oauth4webapi uses it in client assertions' default audience). */
  issuer?: string;
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

/**
 * Sends one grant. Bad arguments throw a `ConfigurationError` before any request; everything
 * else (the https rule, transport failures, OAuth error responses, malformed responses, a
 * failing `finish`) resolves to a failed response object.
 */
export async function requestGrant<S extends object = TokenSuccess>(
  request: TokenEndpointRequest,
  spec: GrantSpec<S>,
): Promise<S | EndpointFailure> {
  const url = parseEndpoint(request.address, 'address');
  const form = grantForm(spec.own, request.parameters);
  const { client, auth } = await prepareClient(request, url.href);
  return endpointCall(url.href, spec.successFields ?? TOKEN_FIELDS, async () => {
    assertSecureEndpoint(url, 'address', request.requireHttps);
    const transport = oauthTransport(request, spec.retry, { withholdIdToken: true });
    const as: oauth.AuthorizationServer = {
      issuer: spec.issuer ?? url.origin,
      token_endpoint: url.href,
    };
    const recognized = Object.fromEntries(
      (spec.tokenTypes ?? []).map((type) => [type, () => {}] as const),
    );
    let status: number;
    try {
      const response = await oauth.genericTokenEndpointRequest(
        as,
        client,
        auth,
        spec.grantType,
        form,
        transport.options,
      );
      status = response.status;
      await oauth.processGenericTokenEndpointResponse(as, client, response, {
        recognizedTokenTypes: recognized,
      });
    } catch (caught) {
      throw toLibraryError(caught, url.href, transport.last());
    }
    const last = transport.last();
    const fields = tokenFields(rawJson(last, url.href), last?.status ?? status, url.href);
    if (spec.finish) return spec.finish(fields, url.href);
    return { isSuccessful: true as const, ...fields } as unknown as S;
  });
}
