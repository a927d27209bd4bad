/**
 * What the shared provider scenario (./core-flow.ts) needs from a real OpenID provider: its
 * issuer, clients, a user agent that plays the browser and the end user, and the provider's
 * known deviations from the specs. A third provider is one more adapter.
 */
import type { IgnoredDiscoveryValue } from '../../../src/core/discovery/index.js';
import type { ClientAuthMethod } from '../../../src/core/endpoint/index.js';

/** Plays the browser and the end user on the provider's pages (plain HTTP from Node). */
export interface ScenarioUserAgent {
  /** Follows an authorization URL through login and consent; returns the client's callback URL. */
  authorize(authorizationUrl: string): Promise<string>;
  /** One GET of an authorization URL without any login: where the provider redirects. */
  authorizeSilently(authorizationUrl: string): Promise<string>;
  /** The user's part of the device flow: verification URI, user code, login, consent. */
  approveDevice(verificationUri: string, userCode: string): Promise<void>;
  /** Opens an end-session URL and confirms; returns where the browser finally lands. */
  endSession(endSessionUrl: string): Promise<string>;
}

/**
 * Where a provider deviates from a spec (or from what the library assumes by default). Each
 * `true` turns a scenario test into one named after the deviation, which asserts what the
 * provider does and what the library does about it.
 */
export interface ScenarioDeviations {
  /** What `getDiscoveryDocument` ignores and reports in `ignoredValues` (unknown values). */
  ignoredDiscoveryValues: readonly IgnoredDiscoveryValue[];
  /**
   * The token endpoint compares `client_secret_basic` credentials without percent-decoding
   * them (RFC 6749 §2.3.1 says to encode them, so to decode them): the library's
   * `encodeBasicCredentials: false` is needed for a secret with `-`, `.`, `_` or `~`.
   */
  basicCredentialsNotDecoded: boolean;
  /**
   * ID tokens say `auth_time` 0 whenever the user signed in (OpenID Connect Core §2: the time of
   * the authentication), which fails any `max_age` check.
   */
  authTimeZero: boolean;
  /** Refresh answers carry no ID token (OpenID Connect Core §12.2 makes it optional). */
  refreshWithoutIdToken: boolean;
  /** A refused refresh token gets a 400 without the OAuth error body (RFC 6749 §5.2). */
  refreshErrorWithoutBody: boolean;
  /**
   * Revocation needs `client_secret_basic`, so a public client cannot revoke its own refresh
   * token (RFC 7009 §2.1 allows it without authentication for public clients).
   */
  publicClientCannotRevoke: boolean;
  /** A client may introspect only its own tokens (RFC 7662 §2.1 leaves that to the server). */
  introspectsOnlyOwnTokens: boolean;
  /**
   * The status of a failed client authentication at the token endpoint: 401 (RFC 6749 §5.2 for
   * credentials in the `Authorization` header), or what the provider answers instead.
   */
  clientAuthFailureStatus: number;
  /**
   * The error of a `prompt=none` request without a provider session: `login_required` (OpenID
   * Connect Core §3.1.2.6), or the more general one the provider sends instead.
   */
  silentSignInError: 'login_required' | 'interaction_required';
}

/** A started provider, ready for the scenario. */
export interface ScenarioProvider {
  /** The issuer the discovery document must name. */
  issuer: string;
  /** The public SPA client: code + PKCE, refresh with rotation, device flow, end session. */
  spa: { clientId: string; redirectUri: string; postLogoutRedirectUri: string; scope: string };
  /**
   * The confidential client: client credentials, introspection and revocation. `audience` is
   * the `aud` its access token carries, `typ` the JWT type of that token.
   */
  machine: {
    clientId: string;
    clientSecret: string;
    authMethod: ClientAuthMethod;
    scope: string;
    audience: string;
    typ: string;
    /** Set when the provider needs it (see `basicCredentialsNotDecoded`). */
    encodeBasicCredentials?: false;
  };
  /** The `kid`s of the provider's published signing keys. */
  publishedKids: readonly string[];
  /** The user's `email` claim at UserInfo. */
  userEmail: string;
  /** The public client of the device flow. */
  device: { clientId: string };
  /** A new browser with its own cookies. */
  newUserAgent(): ScenarioUserAgent;
  close(): Promise<void>;
}

export interface ScenarioAdapter {
  /** The provider's name, first in every test name. */
  name: string;
  /** Why the provider cannot run here (then the suite skips with this message). */
  skipReason?: string;
  /** Known when the tests are declared: the test names follow them. */
  deviations: ScenarioDeviations;
  start(): Promise<ScenarioProvider>;
}
