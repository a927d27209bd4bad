/**
 * The parameters of an authorization request (OIDC Core §3.1.2.1, RFC 6749 §4.1.1, RFC 7636
 * §4.3, RFC 8707 §2), checked and encoded once for both the front-channel URL and PAR.
 *
 * @module
 */

import { ConfigurationError } from '../errors.js';
import {
  assertObject,
  assertOneOf,
  assertOptionalNumber,
  assertOptionalString,
  assertSpaceList,
  assertString,
  assertStringOrStrings,
  assertUrl,
} from '../lib/assert.js';
import { STANDALONE_WORKER } from '../lib/standalone.js';

/** The parameters of an authorization code request. */
export interface AuthorizeParameters {
  /** `client_id`. */
  clientId: string;
  /** `redirect_uri`: an absolute URL without fragment, exactly as registered. */
  redirectUri: string;
  /** `response_type`. Only `code` (the default); anything else is a `ConfigurationError`. */
  responseType?: 'code';
  /** `scope`; an array is sent space-delimited (RFC 6749 §3.3). Include `openid` for OIDC. */
  scope?: string | readonly string[];
  /**
   * `state`: required, an unguessable value used once (see `createState`). Compared by
   * `validateAuthorizeCallback`.
   */
  state: string;
  /** `nonce` (OIDC Core §3.1.2.1): bound into the ID token (see `createNonce`). */
  nonce?: string;
  /**
   * `code_challenge`: required, the 43-character S256 challenge (see `createPkce`). PKCE is
   * always used (RFC 9700 §2.1.1).
   */
  codeChallenge: string;
  /** `code_challenge_method`. Only `S256` (the default); `plain` is refused. */
  codeChallengeMethod?: 'S256';
  /**
   * `prompt`: `none`, `login`, `consent`, `select_account`, `create`; several are sent
   * space-delimited. `none` cannot be combined with another value.
   */
  prompt?: string | readonly string[];
  /** `max_age`: the longest time since the end-user last authenticated, in seconds (≥ 0). */
  maxAge?: number;
  /** `login_hint`. */
  loginHint?: string;
  /** `id_token_hint`: an ID token previously issued to this client. */
  idTokenHint?: string;
  /** `acr_values`; an array is sent space-delimited. */
  acrValues?: string | readonly string[];
  /** `ui_locales` (BCP 47 tags); an array is sent space-delimited. */
  uiLocales?: string | readonly string[];
  /**
   * `response_mode`: `query` (the default for `code`, and not sent unless given), `fragment` or
   * `form_post`. The callback must then be read accordingly.
   */
  responseMode?: 'query' | 'fragment' | 'form_post';
  /** `claims` (OIDC Core §5.5): a JSON object, sent as its JSON text. */
  claims?: Readonly<Record<string, unknown>>;
  /**
   * `resource` (RFC 8707): absolute URI(s) without fragment; each is sent as its own
   * `resource` parameter.
   */
  resource?: string | readonly string[];
  /**
   * `dpop_jkt` (RFC 9449 §10): the SHA-256 JWK thumbprint of the DPoP key (`dpop.thumbprint()`)
   * that the authorization code is bound to; the code can then be redeemed only with proofs of
   * that key. 43 base64url characters. `pushAuthorizationRequest` with `dpop` sets it itself.
   */
  dpopJkt?: string;
  /**
   * Extra parameters (e.g. `display`). They can never set `client_id`,
   * `redirect_uri`, `response_type`, `scope`, `state`, `nonce`, `code_challenge`,
   * `code_challenge_method` or `request_uri`, nor a parameter given by a named option: trying
   * is a `ConfigurationError`.
   */
  parameters?: Readonly<Record<string, string>>;
}

/** Parameters that extra `parameters` may never set. */
export const RESERVED_AUTHORIZE_PARAMETERS: ReadonlySet<string> = new Set([
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'request_uri',
]);

const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const S256_THUMBPRINT = S256_CHALLENGE;
const RESPONSE_MODES = ['query', 'fragment', 'form_post'] as const;

/** A space-delimited list parameter: a string as given, or an array of tokens joined by spaces. */
export function spaceList(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  assertSpaceList(value, path);
  return typeof value === 'string' ? value : value.join(' ');
}

function resources(value: unknown): string[] {
  if (value === undefined) return [];
  assertStringOrStrings(value, 'resource');
  if (typeof value === 'string') {
    assertUrl(value, 'resource', { fragment: false });
    return [value];
  }
  for (const [index, item] of value.entries()) {
    assertUrl(item, `resource[${index}]`, { fragment: false });
  }
  return value;
}

function prompt(value: unknown): string | undefined {
  const list = spaceList(value, 'prompt');
  const values = list?.split(' ').filter((item) => item !== '');
  if (values?.includes('none') && values.length > 1) {
    throw new ConfigurationError('"prompt" cannot combine "none" with another value');
  }
  return list;
}

function claims(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  assertObject(value, 'claims');
  return JSON.stringify(value);
}

/**
 * Checks the request and returns its parameters in a stable order: the library's own first,
 * then the extras. Throws `ConfigurationError` for anything invalid.
 */
export function authorizeParameters(request: AuthorizeParameters): URLSearchParams {
  assertObject(request, 'request');
  const responseType = request.responseType ?? 'code';
  if (responseType !== 'code') {
    throw new ConfigurationError(
      `"responseType" must be "code", got ${JSON.stringify(responseType)}`,
    );
  }
  const method = request.codeChallengeMethod ?? 'S256';
  if (method !== 'S256') {
    throw new ConfigurationError(
      `"codeChallengeMethod" must be "S256" (plain is refused), got ${JSON.stringify(method)}`,
    );
  }
  if (typeof request.codeChallenge !== 'string' || !S256_CHALLENGE.test(request.codeChallenge)) {
    throw new ConfigurationError(
      '"codeChallenge" must be an S256 challenge: 43 base64url characters',
    );
  }
  const { maxAge, responseMode } = request;
  assertOptionalNumber(maxAge, 'maxAge', { integer: true, min: 0, unit: 'seconds' });
  const { clientId, redirectUri, state, nonce, loginHint, idTokenHint } = request;
  const scope = spaceList(request.scope, 'scope');
  const promptList = prompt(request.prompt);
  assertOptionalString(loginHint, 'loginHint');
  // The stand-alone worker sets these itself (sw/login.ts prepareLogin): `clientId` and
  // `redirectUri` checked by sw/config.ts, `state`, `nonce` and `dpopJkt` made by core's generators
  // there, no `responseMode` or `idTokenHint`. What a page may send (`prompt`, `loginHint`,
  // `acrValues`, `uiLocales`, `maxAge`) and `resource` are checked there as everywhere.
  if (!STANDALONE_WORKER) {
    if (responseMode !== undefined) assertOneOf(responseMode, 'responseMode', RESPONSE_MODES);
    assertString(clientId, 'clientId');
    assertUrl(redirectUri, 'redirectUri', { fragment: false });
    assertString(state, 'state');
    assertOptionalString(nonce, 'nonce');
    assertOptionalString(idTokenHint, 'idTokenHint');
    if (request.dpopJkt !== undefined && !S256_THUMBPRINT.test(request.dpopJkt)) {
      throw new ConfigurationError(
        '"dpopJkt" must be a SHA-256 JWK thumbprint: 43 base64url characters',
      );
    }
  }

  const own: [string, string | undefined][] = [
    ['response_type', responseType],
    ['client_id', clientId],
    ['redirect_uri', redirectUri],
    ['scope', scope],
    ['state', state],
    ['nonce', nonce],
    ['code_challenge', request.codeChallenge],
    ['code_challenge_method', method],
    ['response_mode', responseMode],
    ['prompt', promptList],
    ['max_age', maxAge === undefined ? undefined : String(maxAge)],
    ['login_hint', loginHint],
    ['id_token_hint', idTokenHint],
    ['acr_values', spaceList(request.acrValues, 'acrValues')],
    ['ui_locales', spaceList(request.uiLocales, 'uiLocales')],
    ['claims', claims(request.claims)],
    ['dpop_jkt', request.dpopJkt],
  ];
  const params = new URLSearchParams();
  for (const [name, value] of own) if (value !== undefined) params.append(name, value);
  for (const resource of resources(request.resource)) params.append('resource', resource);
  appendExtras(params, request.parameters, RESERVED_AUTHORIZE_PARAMETERS);
  return params;
}

/**
 * Appends extra parameters: each must be a string, and may set neither a reserved name nor one
 * already present. Throws `ConfigurationError`.
 */
export function appendExtras(
  params: URLSearchParams,
  extra: unknown,
  reserved: ReadonlySet<string>,
): void {
  if (extra === undefined) return;
  assertObject(extra, 'parameters');
  for (const [name, value] of Object.entries(extra)) {
    if (name === '') throw new ConfigurationError('"parameters" cannot have an empty name');
    if (reserved.has(name) || params.has(name)) {
      throw new ConfigurationError(`"parameters.${name}" cannot be set through extra parameters`);
    }
    assertString(value, `parameters.${name}`, { empty: true });
    params.append(name, value);
  }
}
