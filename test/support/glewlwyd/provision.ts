/**
 * Provisions a fresh Glewlwyd through its admin REST API (the `admin`/`password` session the
 * package's schema creates): the scopes, the OpenID Connect plugin instance with a fresh RS256
 * signing key, a user, and the clients the tests use.
 */
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { oidcPluginParameters } from './plugin.js';
import { GlewlwydSession } from './session.js';

export interface ProvisionOptions {
  /** Redirect URIs of the SPA client. Default `['http://localhost:5173/callback']`. */
  redirectUris?: string[];
  /** Post-logout redirect URI of the SPA client (Glewlwyd keeps one). Default `http://localhost:5173/`. */
  postLogoutRedirectUri?: string;
  /** Access token lifetime in seconds. Default 3600. */
  accessTokenDuration?: number;
  /** The resource indicator (RFC 8707) of the `api` scope. Default `urn:example:api`. */
  apiResource?: string;
}

/** The user, clients and keys of a provisioned Glewlwyd. */
export interface GlewlwydProvisioning {
  user: { username: string; password: string; name: string; email: string };
  clients: {
    /** Public SPA: code + PKCE, refresh (rotating), device flow. */
    spa: { clientId: string; redirectUris: string[]; postLogoutRedirectUri: string };
    /**
     * Confidential (`client_secret_basic` and `client_secret_post`): client credentials with
     * scope `api`, and introspection/revocation of its own tokens. The secret has `-`, `.`, `_`
     * and `~`, which RFC 6749 §2.3.1 encodes and Glewlwyd does not decode.
     */
    machine: { clientId: string; clientSecret: string; scope: string };
  };
  /** The provider's signing key as published (RS256). */
  publicJwk: JWK;
  /** The resource indicator of scope `api` (the `aud` of tokens asked for it). */
  apiResource: string;
}

/** The scope client credentials get; Glewlwyd puts it in the access token's `aud`. */
export const GLEWLWYD_API_SCOPE = 'api';

/** The scopes an end user can consent to (`openid` comes with the schema). */
const USER_SCOPES = ['profile', 'email', 'offline_access'];

/**
 * An RS256 signing key for the plugin, as a private JWK and its public half. Started before the
 * server so that RSA key generation (the slowest step on a busy machine) overlaps its start.
 */
export async function createSigningKey(): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const kid = `rs256-${randomBytes(4).toString('hex')}`;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  };
}

/**
 * Provisions through the admin API, one request at a time: Glewlwyd's sqlite backend fails
 * concurrent writes (and users and clients refer to the scopes) with a bodiless 500.
 */
export async function provision(
  api: string,
  issuer: string,
  signingKey: Promise<{ privateJwk: JWK; publicJwk: JWK }>,
  options: ProvisionOptions,
): Promise<GlewlwydProvisioning> {
  const apiResource = options.apiResource ?? 'urn:example:api';
  const admin = new GlewlwydSession(api);
  await admin.signIn('admin', 'password');

  for (const name of [...USER_SCOPES, GLEWLWYD_API_SCOPE]) {
    await admin.call('POST', '/scope/', {
      name,
      display_name: name,
      description: `${name} (test)`,
      // A session signed in with a password grants every scope.
      password_required: true,
      password_max_age: 0,
      scheme: {},
    });
  }

  const user = {
    username: 'alice',
    password: `pw-${randomBytes(9).toString('base64url')}`,
    name: 'Alice',
    email: 'alice@example.com',
  };
  await admin.call('POST', '/user/', {
    ...user,
    enabled: true,
    scope: ['openid', ...USER_SCOPES, GLEWLWYD_API_SCOPE],
  });

  const spa = {
    clientId: 'spa',
    redirectUris: options.redirectUris ?? ['http://localhost:5173/callback'],
    postLogoutRedirectUri: options.postLogoutRedirectUri ?? 'http://localhost:5173/',
  };
  await admin.call('POST', '/client/', {
    client_id: spa.clientId,
    name: 'SPA (public, PKCE)',
    enabled: true,
    confidential: false,
    redirect_uri: spa.redirectUris,
    // Declared by server.ts (the schema's client store has only a singular form).
    post_logout_redirect_uris: [spa.postLogoutRedirectUri],
    authorization_type: ['code', 'refresh_token', 'device_authorization', 'delete_token'],
    token_endpoint_auth_method: ['none'],
    scope: [],
  });

  const machine = {
    clientId: 'machine',
    clientSecret: `s3cret-${randomBytes(6).toString('hex')}.v1_~x`,
    scope: GLEWLWYD_API_SCOPE,
  };
  await admin.call('POST', '/client/', {
    client_id: machine.clientId,
    name: 'Machine (confidential)',
    enabled: true,
    confidential: true,
    client_secret: machine.clientSecret,
    redirect_uri: [],
    authorization_type: ['client_credentials', 'delete_token'],
    token_endpoint_auth_method: ['client_secret_basic', 'client_secret_post'],
    scope: [GLEWLWYD_API_SCOPE],
  });

  const { privateJwk, publicJwk } = await signingKey;
  await admin.call('POST', '/mod/plugin/', {
    module: 'oidc',
    name: 'oidc',
    display_name: 'OpenID Connect',
    parameters: oidcPluginParameters({
      issuer,
      jwks: { keys: [privateJwk] },
      kid: String(privateJwk.kid),
      scopes: ['openid', ...USER_SCOPES, GLEWLWYD_API_SCOPE],
      accessTokenDuration: options.accessTokenDuration ?? 3600,
      resourcesByScope: { [GLEWLWYD_API_SCOPE]: [apiResource] },
    }),
  });

  return { user, clients: { spa, machine }, publicJwk, apiResource };
}
