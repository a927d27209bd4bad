/**
 * RP-initiated logout: the URL of the provider's end-session endpoint.
 *
 * @module
 */

import { appendExtras, spaceList } from '../authorize/parameters.js';
import { parseFrontChannelEndpoint, withParameters } from '../authorize/url.js';
import { ConfigurationError } from '../errors.js';
import { assertObject, assertOptionalString, assertUrl } from '../lib/assert.js';
import { assertSecureEndpoint } from '../lib/endpoint.js';
import { STANDALONE_WORKER } from '../lib/standalone.js';

/** Arguments of {@link createEndSessionUrl}. */
export interface EndSessionUrlRequest {
  /** The end-session endpoint (`disco.endSessionEndpoint`). Its own query is kept. */
  address: string;
  /**
   * `id_token_hint`: the ID token last issued to this client for the end-user. Recommended: the
   * provider uses it to find the session and the client.
   */
  idTokenHint?: string;
  /**
   * `post_logout_redirect_uri`: where the provider sends the browser after logout; must be
   * registered. Needs `idTokenHint` or `clientId` (without them the provider cannot check it).
   */
  postLogoutRedirectUri?: string;
  /** `state`: echoed to `postLogoutRedirectUri`. */
  state?: string;
  /** `client_id`. */
  clientId?: string;
  /** `ui_locales` (BCP 47 tags); an array is sent space-delimited. */
  uiLocales?: string | readonly string[];
  /** `logout_hint`: which end-user is logging out (e.g. an email). */
  logoutHint?: string;
  /**
   * Extra parameters. They can never set one of the named parameters above: trying is a
   * `ConfigurationError`.
   */
  parameters?: Readonly<Record<string, string>>;
  /**
   * Require `https` for `address` (`http` stays allowed on loopback). Default `true`; an `http`
   * endpoint on another host throws an `HttpError` (`ERR_ENDPOINT_HTTPS_REQUIRED`).
   */
  requireHttps?: boolean;
}

const END_SESSION_PARAMETERS: ReadonlySet<string> = new Set([
  'id_token_hint',
  'post_logout_redirect_uri',
  'state',
  'client_id',
  'ui_locales',
  'logout_hint',
]);

/**
 * Builds the URL that asks the provider to end the end-user's session: send the browser to it
 * (a top-level navigation, so the provider sees its session cookie). Nothing is fetched. Clear
 * the client's own tokens first. Values are percent-encoded (`application/x-www-form-urlencoded`).
 *
 * Bad arguments throw a `ConfigurationError`: a `postLogoutRedirectUri` that is not an absolute
 * URL, or that comes without `idTokenHint` and `clientId`; extra `parameters` that try to set
 * a named parameter.
 *
 * @example
 * ```ts
 * const url = createEndSessionUrl({
 *   address: disco.endSessionEndpoint,
 *   idTokenHint: idToken,
 *   clientId: 'spa',
 *   postLogoutRedirectUri: 'https://app.example/',
 *   state: createState(),
 * });
 * location.assign(url);
 * ```
 *
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout RP-Initiated Logout 1.0 §2
 */
export function createEndSessionUrl(request: EndSessionUrlRequest): string {
  const { idTokenHint, clientId, postLogoutRedirectUri, state, logoutHint } = request;
  // The stand-alone worker (sw/logout.ts) sets `clientId` from sw/config.ts and neither `state`
  // nor `logoutHint`; the ID token hint and the post-logout redirect URI are checked there too.
  if (!STANDALONE_WORKER) {
    assertObject(request, 'request');
    assertOptionalString(clientId, 'clientId');
    assertOptionalString(state, 'state');
    assertOptionalString(logoutHint, 'logoutHint');
  }
  assertOptionalString(idTokenHint, 'idTokenHint');
  if (postLogoutRedirectUri !== undefined) {
    assertUrl(postLogoutRedirectUri, 'postLogoutRedirectUri', { fragment: false });
  }
  if (postLogoutRedirectUri !== undefined && idTokenHint === undefined && clientId === undefined) {
    throw new ConfigurationError('"postLogoutRedirectUri" needs "idTokenHint" or "clientId"');
  }
  const own: [string, string | undefined][] = [
    ['id_token_hint', idTokenHint],
    ['client_id', clientId],
    ['post_logout_redirect_uri', postLogoutRedirectUri],
    ['state', state],
    ['logout_hint', logoutHint],
    ['ui_locales', spaceList(request.uiLocales, 'uiLocales')],
  ];
  const params = new URLSearchParams();
  for (const [name, value] of own) if (value !== undefined) params.append(name, value);
  appendExtras(params, request.parameters, END_SESSION_PARAMETERS);

  const endpoint = parseFrontChannelEndpoint(request.address, 'address');
  assertSecureEndpoint(endpoint, 'address', request.requireHttps);
  return withParameters(endpoint, params);
}
