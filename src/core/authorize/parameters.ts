/**
 * The parameters of an authorization request (OIDC Core §3.1.2.1, RFC 6749 §4.1.1, RFC 7636
 * §4.3, RFC 8707 §2), checked and encoded once for both the front-channel URL and PAR.
 *
 * @module
 */

import { ConfigurationError } from '../errors.js';
import { tryParseUrl } from '../lib/url.js';

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
   * Extra parameters (e.g. `display`, `dpop_jkt`). They can never set `client_id`,
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
const RESPONSE_MODES = new Set(['query', 'fragment', 'form_post']);

function nonEmptyString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new ConfigurationError(`"${path}" must be a non-empty string`);
  }
  return value;
}

function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined ? undefined : nonEmptyString(value, path);
}

/** A space-delimited list parameter: a string as given, or an array of tokens joined by spaces. */
export function spaceList(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return nonEmptyString(value, path);
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.some((item) => typeof item !== 'string' || item === '' || /\s/.test(item))
  ) {
    throw new ConfigurationError(
      `"${path}" must be a non-empty string or a non-empty array of strings without spaces`,
    );
  }
  return value.join(' ');
}

/** An absolute URL without fragment (`redirect_uri`, `post_logout_redirect_uri`). */
export function absoluteUrl(value: unknown, path: string): string {
  const url = typeof value === 'string' ? tryParseUrl(value) : undefined;
  if (!url || value === '' || (value as string).includes('#')) {
    throw new ConfigurationError(`"${path}" must be an absolute URL without a fragment`);
  }
  return value as string;
}

function resources(value: unknown): string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) {
    throw new ConfigurationError('"resource" must be a string or an array of strings');
  }
  return list.map((item: unknown, index) =>
    absoluteUrl(item, typeof value === 'string' ? 'resource' : `resource[${index}]`),
  );
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
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError('"claims" must be a JSON object');
  }
  return JSON.stringify(value);
}

/**
 * Checks the request and returns its parameters in a stable order: the library's own first,
 * then the extras. Throws `ConfigurationError` for anything invalid.
 */
export function authorizeParameters(request: AuthorizeParameters): URLSearchParams {
  if (request === null || typeof request !== 'object') {
    throw new ConfigurationError('The request must be an object');
  }
  const responseType = request.responseType ?? 'code';
  if (responseType !== 'code') {
    throw new ConfigurationError(
      `"responseType" must be "code" (the authorization code flow), got ${JSON.stringify(responseType)}`,
    );
  }
  const method = request.codeChallengeMethod ?? 'S256';
  if (method !== 'S256') {
    throw new ConfigurationError(
      `"codeChallengeMethod" must be "S256" (plain is refused, RFC 9700 §2.1.1), got ${JSON.stringify(method)}`,
    );
  }
  if (typeof request.codeChallenge !== 'string' || !S256_CHALLENGE.test(request.codeChallenge)) {
    throw new ConfigurationError(
      '"codeChallenge" must be an S256 challenge: 43 base64url characters (see createPkce)',
    );
  }
  const { maxAge, responseMode } = request;
  if (maxAge !== undefined && (!Number.isSafeInteger(maxAge) || maxAge < 0)) {
    throw new ConfigurationError('"maxAge" must be a non-negative integer (seconds)');
  }
  if (responseMode !== undefined && !RESPONSE_MODES.has(responseMode)) {
    throw new ConfigurationError('"responseMode" must be "query", "fragment" or "form_post"');
  }

  const own: [string, string | undefined][] = [
    ['response_type', responseType],
    ['client_id', nonEmptyString(request.clientId, 'clientId')],
    ['redirect_uri', absoluteUrl(request.redirectUri, 'redirectUri')],
    ['scope', spaceList(request.scope, 'scope')],
    ['state', nonEmptyString(request.state, 'state')],
    ['nonce', optionalString(request.nonce, 'nonce')],
    ['code_challenge', request.codeChallenge],
    ['code_challenge_method', method],
    ['response_mode', responseMode],
    ['prompt', prompt(request.prompt)],
    ['max_age', maxAge === undefined ? undefined : String(maxAge)],
    ['login_hint', optionalString(request.loginHint, 'loginHint')],
    ['id_token_hint', optionalString(request.idTokenHint, 'idTokenHint')],
    ['acr_values', spaceList(request.acrValues, 'acrValues')],
    ['ui_locales', spaceList(request.uiLocales, 'uiLocales')],
    ['claims', claims(request.claims)],
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
  if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) {
    throw new ConfigurationError('"parameters" must be an object of strings');
  }
  for (const [name, value] of Object.entries(extra)) {
    if (name === '') throw new ConfigurationError('"parameters" cannot have an empty name');
    if (reserved.has(name) || params.has(name)) {
      throw new ConfigurationError(`"parameters.${name}" cannot be set through extra parameters`);
    }
    if (typeof value !== 'string') {
      throw new ConfigurationError(`"parameters.${name}" must be a string`);
    }
    params.append(name, value);
  }
}
