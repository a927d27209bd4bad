/**
 * A real OpenID provider (oidc-provider 9) on loopback for the tests and the demo: dev login pages,
 * demo clients for every client authentication method, a demo API resource that gets JWT access
 * tokens (RFC 9068), and request counters so tests can assert what reached the provider.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';

/** The demo API's resource indicator (RFC 8707) unless `options.apiResource` names another. */
export const DEFAULT_API_RESOURCE = 'urn:example:api';

/** The scopes the demo API understands. */
export const API_SCOPE = 'api:read api:write';

/** Registration (RFC 7591) requires this bearer token unless `options.initialAccessToken` says otherwise. */
export const DEMO_INITIAL_ACCESS_TOKEN = 'demo-initial-access-token';

/** Ids and secrets of the built-in clients. Keys of the private_key_jwt client are made per start. */
export const DEMO_CLIENTS = Object.freeze({
  /** Confidential, `client_secret_basic`: client_credentials, authorization_code, refresh_token. */
  basic: Object.freeze({ clientId: 'demo-basic', clientSecret: 'demo-basic-secret' }),
  /** Confidential, `client_secret_post`: client_credentials only. */
  post: Object.freeze({ clientId: 'demo-post', clientSecret: 'demo-post-secret' }),
  /** Confidential, `private_key_jwt` (ES256 assertion): client_credentials only. */
  privateKeyJwt: Object.freeze({ clientId: 'demo-private-key-jwt' }),
  /** Public SPA (`none`, PKCE required): authorization_code, refresh_token (rotating). */
  spa: Object.freeze({ clientId: 'demo-spa' }),
  /**
   * Public SPA like `spa` whose access tokens must be DPoP-bound (`dpop_bound_access_tokens`,
   * RFC 9449 §5.2): a token request without a proof is refused.
   */
  spaDpop: Object.freeze({ clientId: 'demo-spa-dpop' }),
  /** Public device client (RFC 8628): device_code, refresh_token. */
  device: Object.freeze({ clientId: 'demo-device' }),
});

/**
 * @typedef {Record<string, unknown>} ClientMetadata oidc-provider client metadata (RFC 7591 names).
 * @typedef {Record<string, unknown> & { kid: string, alg: string, use: 'sig' }} Jwk
 * @typedef {number | ((ctx: any, token: any, client: any) => number)} Ttl
 * @typedef {{ keys: Jwk[] }} Jwks
 */

/**
 * @typedef {object} ProviderOptions
 * @property {number} [port] Port to listen on (127.0.0.1); 0, a free port, by default.
 * @property {string} [apiResource] Resource indicator of the demo API (default `urn:example:api`).
 * @property {number} [apiAccessTokenTTL] Lifetime in seconds of JWT access tokens for the API (default 3600).
 * @property {string[]} [redirectUris] Redirect URIs of the SPA and the `client_secret_basic` client.
 * @property {string[]} [postLogoutRedirectUris] Post-logout redirect URIs of the SPA.
 * @property {Record<string, Ttl>} [ttl] Merged into the provider's `ttl` (e.g. `{ AccessToken: 2 }`).
 * @property {string | false} [initialAccessToken] Token that registration requires; `false` opens it.
 * @property {Record<string, Record<string, unknown>>} [accounts] Extra or replaced claims per login name.
 * @property {ClientMetadata[]} [clients] Added clients; one with a built-in `client_id` replaces it.
 * @property {Record<string, any>} [config] Escape hatch merged into the provider configuration
 *   (`features` merged one level deep), e.g. `{ features: { dPoP: { enabled: true, requireNonce: () => true } } }`.
 */

/**
 * @typedef {object} DemoProvider
 * @property {string} issuer `http://localhost:PORT`: use this host for every request, since
 *   oidc-provider builds endpoint URLs from the request's Host header.
 * @property {number} port
 * @property {any} provider The oidc-provider instance (a Koa app).
 * @property {{ privateJwks: Jwks, publicJwks: Jwks }} keys The provider's signing keys (RS256, ES256).
 * @property {DemoClients} clients The built-in clients as configured for this start.
 * @property {Record<string, number>} counts Requests per path (`'/token'`) and, at the token
 *   endpoint, per grant type (`'token:refresh_token'`); updated before the response is sent.
 * @property {() => void} resetCounts Empties `counts` (the same object).
 * @property {() => Promise<void>} close Stops the server, cutting open connections.
 */

/**
 * @typedef {object} DemoClients
 * @property {{ clientId: string, clientSecret: string, redirectUris: string[] }} basic
 * @property {{ clientId: string, clientSecret: string }} post
 * @property {{ clientId: string, privateJwk: Jwk, publicJwk: Jwk }} privateKeyJwt
 * @property {{ clientId: string, redirectUris: string[], postLogoutRedirectUris: string[] }} spa
 * @property {{ clientId: string, redirectUris: string[], postLogoutRedirectUris: string[] }} spaDpop
 * @property {{ clientId: string }} device
 */

/** @type {Promise<{ Provider: any, errors: any }> | undefined} */
let modulePromise;

/**
 * oidc-provider notices that are expected here and would drown the output of tests and the demo:
 * what a production deployment must change (the runtime, dev interactions, the in-memory adapter,
 * the default device-flow pages), and the note the refresh tests' provider hooks cause by reading
 * the token request's body first (test/browser/harness/provider-hooks.ts). Any other notice
 * still prints.
 */
const EXPECTED_NOTICES = [
  'Unsupported runtime',
  'a quick start development-only feature devInteractions is enabled',
  'a quick start development-only in-memory adapter is used',
  'default features.deviceFlow.userCodeInputSource function called, you SHOULD',
  'default features.deviceFlow.userCodeConfirmSource function called, you SHOULD',
  'default features.deviceFlow.successSource function called, you SHOULD',
  'already parsed request body detected',
];

let filtering = false;

/**
 * Drops the expected notices from `console.warn` and `console.info` for the rest of the process:
 * oidc-provider prints some at import, some when a provider is built and some while it answers
 * requests, so the filter cannot be scoped to a call.
 */
function filterExpectedNotices() {
  if (filtering) return;
  filtering = true;
  for (const method of /** @type {const} */ (['warn', 'info'])) {
    const original = console[method];
    console[method] = (/** @type {unknown[]} */ ...args) => {
      const text = String(args[0]);
      const expected =
        text.includes('oidc-provider') && EXPECTED_NOTICES.some((notice) => text.includes(notice));
      if (!expected) original.apply(console, args);
    };
  }
}

/** Imports oidc-provider once (the runtime warning is printed while the module evaluates). */
function loadOidcProvider() {
  filterExpectedNotices();
  modulePromise ??= import('oidc-provider').then((mod) => ({
    Provider: mod.default,
    errors: mod.errors,
  }));
  return modulePromise;
}

/**
 * Generates a signing key pair and returns its private and public JWKs.
 * @param {'RS256' | 'ES256'} alg
 * @param {string} kid
 */
async function signingKey(alg, kid) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  /** @type {Jwk} */
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };
  /** @type {Jwk} */
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { privateJwk, publicJwk };
}

/**
 * Claims of an account: any login name is an account whose `sub` is that name.
 * @param {string} sub
 * @param {Record<string, unknown> | undefined} extra
 */
function accountClaims(sub, extra) {
  return {
    sub,
    name: sub,
    preferred_username: sub,
    email: sub.includes('@') ? sub : `${sub}@example.com`,
    email_verified: true,
    role: ['user'],
    ...extra,
  };
}

/**
 * Starts an oidc-provider on 127.0.0.1 with issuer `http://localhost:PORT`.
 * @param {ProviderOptions} [options]
 * @returns {Promise<DemoProvider>}
 */
export async function startProvider(options = {}) {
  const { Provider, errors } = await loadOidcProvider();
  const apiResource = options.apiResource ?? DEFAULT_API_RESOURCE;
  const redirectUris = options.redirectUris ?? ['http://localhost:5173/callback'];
  const postLogoutRedirectUris = options.postLogoutRedirectUris ?? ['http://localhost:5173/'];
  const initialAccessToken = options.initialAccessToken ?? DEMO_INITIAL_ACCESS_TOKEN;

  const rsa = await signingKey('RS256', `rs256-${randomBytes(4).toString('hex')}`);
  const ec = await signingKey('ES256', `es256-${randomBytes(4).toString('hex')}`);
  const clientKey = await signingKey('ES256', 'demo-client-key');

  // Listen first: the issuer has to name the port before the provider exists.
  const server = createServer();
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined));
  });
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  const issuer = `http://localhost:${port}`;

  /** @type {ClientMetadata[]} */
  const builtInClients = [
    {
      client_id: DEMO_CLIENTS.basic.clientId,
      client_secret: DEMO_CLIENTS.basic.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: redirectUris,
      post_logout_redirect_uris: postLogoutRedirectUris,
    },
    {
      client_id: DEMO_CLIENTS.post.clientId,
      client_secret: DEMO_CLIENTS.post.clientSecret,
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
    {
      client_id: DEMO_CLIENTS.privateKeyJwt.clientId,
      token_endpoint_auth_method: 'private_key_jwt',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      jwks: { keys: [clientKey.publicJwk] },
    },
    {
      client_id: DEMO_CLIENTS.spa.clientId,
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: redirectUris,
      post_logout_redirect_uris: postLogoutRedirectUris,
    },
    {
      client_id: DEMO_CLIENTS.spaDpop.clientId,
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: redirectUris,
      post_logout_redirect_uris: postLogoutRedirectUris,
      dpop_bound_access_tokens: true,
    },
    {
      client_id: DEMO_CLIENTS.device.clientId,
      token_endpoint_auth_method: 'none',
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      response_types: [],
      redirect_uris: [],
    },
  ];
  const extraClients = options.clients ?? [];
  const replaced = new Set(extraClients.map((client) => client.client_id));
  const clients = [
    ...builtInClients.filter((client) => !replaced.has(client.client_id)),
    ...extraClients,
  ];

  const apiServerInfo = {
    scope: API_SCOPE,
    audience: apiResource,
    accessTokenFormat: 'jwt',
    accessTokenTTL: options.apiAccessTokenTTL ?? 3600,
  };

  /** @type {Record<string, any>} */
  const config = {
    clients,
    // Code flow only (OAuth 2.1 and the browser BCP): no implicit or hybrid response types.
    responseTypes: ['code'],
    jwks: { keys: [rsa.privateJwk, ec.privateJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // Any login name is an account; claims can be extended per name through options.accounts.
    findAccount: (/** @type {unknown} */ _ctx, /** @type {string} */ sub) => ({
      accountId: sub,
      claims: async () => accountClaims(sub, options.accounts?.[sub]),
    }),
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username', 'role'],
      email: ['email', 'email_verified'],
    },
    // With `code` the ID token would otherwise carry only `sub`; tests of principals want claims.
    conformIdTokenClaims: false,
    // Refresh tokens for every client allowed the grant, without offline_access and its consent.
    issueRefreshToken: async (
      /** @type {unknown} */ _ctx,
      /** @type {{ grantTypeAllowed(type: string): boolean }} */ client,
    ) => client.grantTypeAllowed('refresh_token'),
    // The default policy, minus its "you should change this" notice.
    clientBasedCORS: (
      /** @type {any} */ ctx,
      /** @type {string} */ origin,
      /** @type {any} */ client,
    ) => {
      if (origin === 'null') return false;
      if (ctx.oidc.route === 'userinfo' || client.clientAuthMethod === 'none') {
        return client.redirectUris.some(
          (/** @type {string} */ uri) => URL.parse(uri)?.origin === origin,
        );
      }
      return false;
    },
    renderError: async (/** @type {any} */ ctx, /** @type {Record<string, string>} */ out) => {
      ctx.type = 'html';
      const lines = Object.entries(out).map(
        ([key, value]) => `<p>${key}: ${escapeHtml(value)}</p>`,
      );
      ctx.body = `<!DOCTYPE html><title>error</title><h1>error</h1>${lines.join('')}`;
    },
    ttl: {
      AccessToken: (/** @type {any} */ _ctx, /** @type {any} */ token) =>
        token.resourceServer?.accessTokenTTL ?? 3600,
      AuthorizationCode: 60,
      ClientCredentials: (/** @type {any} */ _ctx, /** @type {any} */ token) =>
        token.resourceServer?.accessTokenTTL ?? 600,
      DeviceCode: 600,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 3600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
      ...options.ttl,
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        allowedPolicy: async (
          /** @type {any} */ ctx,
          /** @type {any} */ client,
          /** @type {any} */ token,
        ) => client.clientAuthMethod !== 'none' || token.clientId === ctx.oidc.client.clientId,
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (
          /** @type {unknown} */ _ctx,
          /** @type {any} */ client,
          /** @type {any} */ token,
        ) => {
          if (token.clientId === client.clientId) return true;
          if (client.clientAuthMethod === 'none') return false;
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
        },
      },
      userinfo: { enabled: true },
      deviceFlow: { enabled: true },
      registration: {
        enabled: true,
        initialAccessToken,
      },
      registrationManagement: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // The default pages, without their "you should change this" notices.
        logoutSource: async (/** @type {any} */ ctx, /** @type {string} */ form) => {
          ctx.body = `<!DOCTYPE html><title>Logout Request</title><h1>Do you want to sign-out from ${escapeHtml(ctx.host)}?</h1>${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button><button type="submit" form="op.logoutForm">No, stay signed in</button>`;
        },
        postLogoutSuccessSource: async (/** @type {any} */ ctx) => {
          ctx.body = '<!DOCTYPE html><title>Sign-out Success</title><h1>Sign-out Success</h1>';
        },
      },
      backchannelLogout: { enabled: true },
      dPoP: { enabled: true },
      claimsParameter: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Only client credentials fall back to the API: an authorization request without
        // `resource` must yield an opaque access token that userinfo accepts.
        defaultResource: async (
          /** @type {any} */ ctx,
          /** @type {unknown} */ _client,
          /** @type {string[] | undefined} */ oneOf,
        ) => {
          if (oneOf) return oneOf.includes(apiResource) ? apiResource : oneOf;
          if (ctx.oidc.route === 'token' && ctx.oidc.params?.grant_type === 'client_credentials') {
            return apiResource;
          }
          return undefined;
        },
        // A resource granted at authorization applies to code and refresh exchanges that omit it.
        useGrantedResource: async () => true,
        getResourceServerInfo: async (
          /** @type {unknown} */ _ctx,
          /** @type {string} */ resource,
        ) => {
          if (resource !== apiResource) throw new errors.InvalidTarget();
          return apiServerInfo;
        },
      },
    },
  };
  const overrides = options.config ?? {};
  const provider = new Provider(issuer, {
    ...config,
    ...overrides,
    features: { ...config.features, ...overrides.features },
  });

  /** @type {Record<string, number>} */
  const counts = {};
  /** @param {string} key */
  const bump = (key) => {
    counts[key] = (counts[key] ?? 0) + 1;
  };
  // Counted after the provider has handled the request, so its own body parsing runs untouched
  // and the parsed `grant_type` is available; Koa sends the response only after this returns.
  provider.use(async (/** @type {any} */ ctx, /** @type {() => Promise<void>} */ next) => {
    try {
      await next();
    } finally {
      bump(ctx.path);
      if (ctx.oidc?.route === 'token') bump(`token:${ctx.oidc.params?.grant_type ?? 'unknown'}`);
    }
  });
  server.on('request', provider.callback());

  return {
    issuer,
    port,
    provider,
    keys: {
      privateJwks: { keys: [rsa.privateJwk, ec.privateJwk] },
      publicJwks: { keys: [rsa.publicJwk, ec.publicJwk] },
    },
    clients: {
      basic: { ...DEMO_CLIENTS.basic, redirectUris },
      post: { ...DEMO_CLIENTS.post },
      privateKeyJwt: {
        ...DEMO_CLIENTS.privateKeyJwt,
        privateJwk: clientKey.privateJwk,
        publicJwk: clientKey.publicJwk,
      },
      spa: { ...DEMO_CLIENTS.spa, redirectUris, postLogoutRedirectUris },
      spaDpop: { ...DEMO_CLIENTS.spaDpop, redirectUris, postLogoutRedirectUris },
      device: { ...DEMO_CLIENTS.device },
    },
    counts,
    resetCounts() {
      for (const key of Object.keys(counts)) delete counts[key];
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

/** @param {unknown} value */
function escapeHtml(value) {
  return String(value).replace(
    /[&<>"']/g,
    (char) => `&#${/** @type {number} */ (char.codePointAt(0))};`,
  );
}
