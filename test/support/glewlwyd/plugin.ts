/**
 * The parameters of Glewlwyd 2.7's OpenID Connect plugin instance (`POST /api/mod/plugin/`,
 * module `oidc`): the admin UI's defaults (webapp/admin.js), with what the tests need turned on.
 * Names and meanings: /usr/share/doc/glewlwyd/OIDC.md.gz.
 */
import type { JWK } from 'jose';

export interface OidcPluginOptions {
  /** The issuer, `http://localhost:PORT/api/oidc` (the plugin's own URL). */
  issuer: string;
  /** The private signing keys (JWKS). */
  jwks: { keys: JWK[] };
  /** The `kid` that signs by default. */
  kid: string;
  /** Every scope the plugin may grant. */
  scopes: string[];
  /** Access token lifetime, seconds. */
  accessTokenDuration: number;
  /** Resource indicators (RFC 8707) allowed per scope: `{ api: ['urn:example:api'] }`. */
  resourcesByScope: Record<string, string[]>;
}

export function oidcPluginParameters(options: OidcPluginOptions): Record<string, unknown> {
  return {
    iss: options.issuer,
    // RFC 9207: `iss` on the authorization response.
    'oauth-as-iss-id': true,
    'jwt-type': 'rsa',
    'jwt-key-size': '256',
    'jwks-private': JSON.stringify(options.jwks),
    'default-kid': options.kid,
    'jwks-show': true,
    'jwks-uri': '',
    'jwks-public': '',
    'jwks-public-uri': '',
    'jwks-x5c': [],
    'client-sign_kid-parameter': '',
    key: '',
    cert: '',
    'access-token-duration': options.accessTokenDuration,
    'refresh-token-duration': 1209600,
    'code-duration': 600,
    'refresh-token-rolling': true,
    // Rotation: every refresh disables the refresh token used and issues a new one.
    'refresh-token-one-use': 'always',
    'client-refresh-token-one-use-parameter': 'refresh-token-one-use',
    // Needed for client credentials (an OAuth 2.0 grant that gives no ID token).
    'allow-non-oidc': true,
    'auth-type-code-enabled': true,
    'auth-type-code-revoke-replayed': true,
    // Code flow only (OAuth 2.1, the browser BCP): no implicit, no password grant.
    'auth-type-token-enabled': false,
    'auth-type-id-token-enabled': false,
    'auth-type-none-enabled': false,
    'auth-type-password-enabled': false,
    'auth-type-client-enabled': true,
    'auth-type-device-enabled': true,
    'auth-type-refresh-enabled': true,
    scope: [],
    'additional-parameters': [],
    claims: [],
    'service-documentation': 'https://github.com/babelouest/glewlwyd/tree/master/docs',
    'op-policy-uri': '',
    'op-tos-uri': '',
    'request-parameter-allow': true,
    'request-uri-allow-https-non-secure': false,
    'request-parameter-allow-encrypted': false,
    'request-parameter-ietf-strict': false,
    'secret-type': 'pairwise',
    'address-claim': {
      type: 'no',
      formatted: '',
      street_address: '',
      locality: '',
      region: '',
      postal_code: '',
      country: '',
      mandatory: false,
    },
    'name-claim': 'on-demand',
    'name-claim-scope': ['profile'],
    'email-claim': 'on-demand',
    'email-claim-scope': ['email'],
    'scope-claim': 'no',
    'scope-claim-scope': [],
    'allowed-scope': options.scopes,
    'pkce-allowed': true,
    'pkce-method-plain-allowed': false,
    'pkce-required': false,
    'pkce-required-public-client': true,
    'pkce-scopes': [],
    'introspection-revocation-allowed': true,
    'introspection-revocation-auth-scope': [],
    'introspection-revocation-allow-target-client': true,
    'register-client-allowed': false,
    'register-client-auth-scope': [],
    'register-client-credentials-scope': [],
    'register-client-token-one-use': true,
    'register-client-management-allowed': false,
    'register-resource-specify-allowed': false,
    'register-resource-default': [],
    'register-default-properties': {},
    'session-management-allowed': true,
    'session-cookie-name': 'GLEWLWYD2_OIDC_SID',
    'session-cookie-expiration': 3600,
    'front-channel-logout-allowed': false,
    'back-channel-logout-allowed': false,
    'client-pubkey-parameter': '',
    'client-jwks-parameter': 'jwks',
    'client-jwks_uri-parameter': 'jwks_uri',
    'request-maximum-exp': 3600,
    'encrypt-out-token-allow': false,
    'device-authorization-expiration': 600,
    'device-authorization-interval': 5,
    'client-cert-header-name': 'SSL_CLIENT_CERT',
    'client-cert-use-endpoint-aliases': false,
    'client-cert-self-signed-allowed': false,
    'oauth-dpop-allowed': false,
    // RFC 8707: with a `resource`, the access token's `aud` is that resource (without one, it is
    // the scope string).
    'resource-allowed': true,
    'resource-scope': options.resourcesByScope,
    'resource-client-property': '',
    'resource-scope-and-client-property': false,
    'oauth-rar-allowed': false,
    'rar-types-client-property': 'authorization_details_types',
    'rar-allow-auth-unsigned': false,
    'rar-allow-auth-unencrypted': true,
    'rar-types': {},
    'oauth-par-allowed': true,
    'oauth-par-duration': 90,
    'oauth-par-required': false,
    'oauth-par-request_uri-prefix': 'urn:ietf:params:oauth:request_uri:',
    'prompt-continue-client-property': '',
    'restrict-scope-client-property': '',
    'oauth-ciba-allowed': false,
    'oauth-fapi-check-all': false,
    'oauth-fapi-allow-jarm': false,
    'oauth-fapi-add-s_hash': false,
    'oauth-fapi-verify-nbf': false,
    'oauth-fapi-allow-restrict-alg': false,
    'oauth-fapi-restrict-alg': [],
    'oauth-fapi-allow-multiple-kid': false,
    'oauth-fapi-ciba-confidential-client': false,
    'oauth-fapi-ciba-push-forbidden': false,
  };
}
