/**
 * Values of the authorization request parameters: response types, response modes, prompt and
 * display values, PKCE methods and the standard scopes. A port of Duende.IdentityModel's
 * `OidcConstants.ResponseTypes`, `ResponseModes`, `PromptModes`, `DisplayModes`,
 * `CodeChallengeMethods` and `StandardScopes`.
 *
 * @module
 */

/**
 * `response_type` values. This library's browser flows use {@link ResponseTypes.code} only; the
 * others are listed to read discovery documents and registrations.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1.1 RFC 6749 §3.1.1
 * @see https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html#Combinations OAuth 2.0 Multiple Response Types §5
 */
export const ResponseTypes = {
  /** `code`: authorization code flow (RFC 6749 §4.1). */
  code: 'code',
  /** `token`: implicit flow (RFC 6749 §4.2); not recommended (RFC 9700 §2.1.2). */
  token: 'token',
  /** `id_token`: OIDC implicit flow, ID Token only (OIDC Core §3.2). */
  idToken: 'id_token',
  /** `id_token token` (OIDC Core §3.2). */
  idTokenToken: 'id_token token',
  /** `code id_token`: hybrid flow (OIDC Core §3.3). */
  codeIdToken: 'code id_token',
  /** `code token`: hybrid flow (OIDC Core §3.3). */
  codeToken: 'code token',
  /** `code id_token token`: hybrid flow (OIDC Core §3.3). */
  codeIdTokenToken: 'code id_token token',
  /** `none`: no credential is returned (OAuth 2.0 Multiple Response Types §4). */
  none: 'none',
} as const;

/** A `response_type` value listed in {@link ResponseTypes}. */
export type ResponseType = (typeof ResponseTypes)[keyof typeof ResponseTypes];

/**
 * `response_mode` values.
 *
 * @see https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html#ResponseModes OAuth 2.0 Multiple Response Types §2.1
 * @see https://openid.net/specs/oauth-v2-form-post-response-mode-1_0.html OAuth 2.0 Form Post Response Mode §2
 * @see https://openid.net/specs/oauth-v2-jarm.html#section-2.3 JARM §2.3 (the `.jwt` modes)
 */
export const ResponseModes = {
  /** `query`: parameters in the redirect URI's query (default for `code`). */
  query: 'query',
  /** `fragment`: parameters in the redirect URI's fragment. */
  fragment: 'fragment',
  /** `form_post`: parameters in an auto-submitted HTML form (`POST`). */
  formPost: 'form_post',
  /** `query.jwt`: a JWT-secured response in the query (JARM §2.3.1). */
  queryJwt: 'query.jwt',
  /** `fragment.jwt`: a JWT-secured response in the fragment (JARM §2.3.2). */
  fragmentJwt: 'fragment.jwt',
  /** `form_post.jwt`: a JWT-secured response in a form post (JARM §2.3.3). */
  formPostJwt: 'form_post.jwt',
  /** `jwt`: JARM with the default transport of the response type (JARM §2.3.4). */
  jwt: 'jwt',
} as const;

/** A `response_mode` value listed in {@link ResponseModes}. */
export type ResponseMode = (typeof ResponseModes)[keyof typeof ResponseModes];

/**
 * `prompt` values (space-separated when several).
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest OIDC Core §3.1.2.1
 * @see https://openid.net/specs/openid-connect-prompt-create-1_0.html Initiating User Registration via OpenID Connect §4 (`create`)
 */
export const PromptModes = {
  /** `none`: no UI; fails with `login_required` or `interaction_required` when one is needed. */
  none: 'none',
  /** `login`: re-authenticate the end-user. */
  login: 'login',
  /** `consent`: ask for consent again. */
  consent: 'consent',
  /** `select_account`: let the end-user choose an account. */
  selectAccount: 'select_account',
  /** `create`: show the sign-up page. */
  create: 'create',
} as const;

/** A `prompt` value listed in {@link PromptModes}. */
export type PromptMode = (typeof PromptModes)[keyof typeof PromptModes];

/**
 * `display` values.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest OIDC Core §3.1.2.1
 */
export const DisplayModes = {
  /** `page`: a full user-agent page (default). */
  page: 'page',
  /** `popup`: a popup window. */
  popup: 'popup',
  /** `touch`: a touch interface. */
  touch: 'touch',
  /** `wap`: a feature-phone display. */
  wap: 'wap',
} as const;

/** A `display` value listed in {@link DisplayModes}. */
export type DisplayMode = (typeof DisplayModes)[keyof typeof DisplayModes];

/**
 * PKCE `code_challenge_method` values. Use {@link CodeChallengeMethods.s256}: it is the only
 * method this library sends or accepts.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3 RFC 7636 §4.2 and §4.3
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1 RFC 9700 §2.1.1 (S256 recommended)
 */
export const CodeChallengeMethods = {
  /** `S256`: `BASE64URL(SHA-256(code_verifier))`. The recommended, and here the only, method. */
  s256: 'S256',
  /**
   * `plain`: the verifier sent as the challenge.
   *
   * @deprecated Refused by this library: it gives no protection when the authorization request
   * leaks (RFC 7636 §7.2, RFC 9700 §2.1.1). Listed only to recognise it in discovery documents.
   */
  plain: 'plain',
} as const;

/** A `code_challenge_method` value listed in {@link CodeChallengeMethods}. */
export type CodeChallengeMethod = (typeof CodeChallengeMethods)[keyof typeof CodeChallengeMethods];

/**
 * The standard OpenID Connect scopes.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ScopeClaims OIDC Core §5.4 and §11
 */
export const StandardScopes = {
  /** `openid`: required for every OpenID Connect request (OIDC Core §3.1.2.1). */
  openId: 'openid',
  /** `profile`: name, family_name, given_name, … (OIDC Core §5.4). */
  profile: 'profile',
  /** `email`: email, email_verified (OIDC Core §5.4). */
  email: 'email',
  /** `address`: address (OIDC Core §5.4). */
  address: 'address',
  /** `phone`: phone_number, phone_number_verified (OIDC Core §5.4). */
  phone: 'phone',
  /** `offline_access`: asks for a refresh token (OIDC Core §11). */
  offlineAccess: 'offline_access',
} as const;

/** A scope listed in {@link StandardScopes}. */
export type StandardScope = (typeof StandardScopes)[keyof typeof StandardScopes];
