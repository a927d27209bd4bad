/**
 * The authorization request against the real provider (demo/provider.js, oidc-provider 9):
 * createAuthorizeUrl and pushAuthorizationRequest drive the dev login to a callback that
 * validateAuthorizeCallback accepts with the provider's RFC 9207 `iss`, and the code then
 * redeems with the PKCE verifier (proving the challenge sent was the verifier's).
 */
import { describe, expect, it } from 'vitest';
import {
  createAuthorizeUrl,
  createNonce,
  createPkce,
  createState,
  prepareAuthorization,
  pushAuthorizationRequest,
  validateAuthorizeCallback,
} from '../../../src/core/authorize/index.js';
import { getDiscoveryDocument } from '../../../src/core/discovery/index.js';
import { AuthorizationResponseError, ProtocolError } from '../../../src/core/errors.js';
import { loginWithDevInteractions } from '../../support/login.js';
import { DEMO_CLIENTS, useProvider } from '../../support/provider.js';

const op = useProvider();
const REDIRECT = 'http://localhost:5173/callback';

async function discovery() {
  const disco = await getDiscoveryDocument({ issuer: op().issuer, cache: false });
  if (!disco.isSuccessful) throw disco.exception;
  return disco;
}

/** Redeems a code with a raw form POST (the code exchange itself is tested elsewhere). */
async function redeem(code: string, codeVerifier: string, client: Record<string, string> = {}) {
  const response = await fetch(`${op().issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...client },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: codeVerifier,
      ...(client.authorization ? {} : { client_id: DEMO_CLIENTS.spa.clientId }),
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function basicAuth(): Record<string, string> {
  const { clientId, clientSecret } = DEMO_CLIENTS.basic;
  return {
    authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
  };
}

describe('authorization code flow against oidc-provider', () => {
  it('discovery advertises the iss response parameter, S256 and PAR', async () => {
    const disco = await discovery();
    expect(disco.authorizationResponseIssParameterSupported).toBe(true);
    expect(disco.codeChallengeMethodsSupported).toEqual(['S256']);
    expect(disco.pushedAuthorizationRequestEndpoint).toBe(`${op().issuer}/request`);
  });

  it('createAuthorizeUrl → dev login → validateAuthorizeCallback with iss → code redeems with the verifier', async () => {
    const disco = await discovery();
    const { codeVerifier, codeChallenge } = await createPkce();
    const state = createState();
    const nonce = createNonce();
    const url = createAuthorizeUrl({
      address: disco.authorizationEndpoint,
      clientId: DEMO_CLIENTS.spa.clientId,
      redirectUri: REDIRECT,
      scope: ['openid', 'profile', 'email'],
      state,
      nonce,
      codeChallenge,
      uiLocales: ['en'],
      claims: { id_token: { email: null } },
    });
    const callback = await loginWithDevInteractions({
      issuer: op().issuer,
      authorizationUrl: url,
      login: 'carol',
    });
    expect(new URL(callback).searchParams.get('iss')).toBe(op().issuer);

    const expected = {
      state,
      issuer: disco.issuer,
      issParameterSupported: disco.authorizationResponseIssParameterSupported ?? false,
      redirectUri: REDIRECT,
    };
    const result = validateAuthorizeCallback(callback, expected);
    expect(result.state).toBe(state);
    expect(result.iss).toBe(op().issuer);
    expect(result.code.length).toBeGreaterThan(10);
    expect(() => validateAuthorizeCallback(callback, expected)).toThrow(AuthorizationResponseError);

    const token = await redeem(result.code, codeVerifier);
    expect(token.status).toBe(200);
    expect(typeof token.body.id_token).toBe('string');
    const payload = JSON.parse(
      Buffer.from(String(token.body.id_token).split('.')[1]!, 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    expect(payload.nonce).toBe(nonce);
    expect(payload.sub).toBe('carol');
    expect(payload.iss).toBe(op().issuer);
  });

  it('a different verifier is refused by the provider (control for the PKCE binding)', async () => {
    const disco = await discovery();
    const prepared = await prepareAuthorization({
      address: disco.authorizationEndpoint,
      clientId: DEMO_CLIENTS.spa.clientId,
      redirectUri: REDIRECT,
      scope: 'openid',
    });
    const callback = await loginWithDevInteractions({
      issuer: op().issuer,
      authorizationUrl: prepared.url,
    });
    const { code } = validateAuthorizeCallback(callback, {
      state: prepared.state,
      issuer: disco.issuer,
      issParameterSupported: true,
    });
    const other = await createPkce();
    const token = await redeem(code, other.codeVerifier);
    expect(token.status).toBe(400);
    expect(token.body.error).toBe('invalid_grant');
  });

  it('an error redirect (prompt=none without a session) becomes a ProtocolError', async () => {
    const disco = await discovery();
    const { codeChallenge } = await createPkce();
    const state = createState();
    const url = createAuthorizeUrl({
      address: disco.authorizationEndpoint,
      clientId: DEMO_CLIENTS.spa.clientId,
      redirectUri: REDIRECT,
      scope: 'openid',
      state,
      codeChallenge,
      prompt: 'none',
    });
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location')!;
    let error: unknown;
    try {
      validateAuthorizeCallback(location, {
        state,
        issuer: disco.issuer,
        issParameterSupported: true,
        redirectUri: REDIRECT,
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).error).toBe('login_required');
    expect(typeof (error as ProtocolError).errorDescription).toBe('string');
  });

  it('with response_mode=fragment the provider answers in the fragment, and query mode refuses it', async () => {
    const disco = await discovery();
    const prepared = await prepareAuthorization({
      address: disco.authorizationEndpoint,
      clientId: DEMO_CLIENTS.spa.clientId,
      redirectUri: REDIRECT,
      scope: 'openid',
      responseMode: 'fragment',
    });
    const callback = await loginWithDevInteractions({
      issuer: op().issuer,
      authorizationUrl: prepared.url,
    });
    expect(new URL(callback).hash).toMatch(/code=/);
    expect(() =>
      validateAuthorizeCallback(callback, {
        state: prepared.state,
        issuer: disco.issuer,
        issParameterSupported: true,
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_CALLBACK_INVALID' }));
    const result = validateAuthorizeCallback(callback, {
      state: prepared.state,
      issuer: disco.issuer,
      issParameterSupported: true,
      responseMode: 'fragment',
      redirectUri: REDIRECT,
    });
    expect(result.iss).toBe(op().issuer);
  });
});

describe('pushed authorization requests against oidc-provider', () => {
  it('a public client (demo-spa) pushes, gets a request_uri, and the URL logs in to a code', async () => {
    const disco = await discovery();
    const { codeVerifier, codeChallenge } = await createPkce();
    const state = createState();
    const par = await pushAuthorizationRequest({
      address: disco.pushedAuthorizationRequestEndpoint!,
      authorizationEndpoint: disco.authorizationEndpoint,
      issuer: disco.issuer,
      clientId: DEMO_CLIENTS.spa.clientId,
      redirectUri: REDIRECT,
      scope: 'openid profile',
      state,
      nonce: createNonce(),
      codeChallenge,
    });
    if (!par.isSuccessful) throw par.exception;
    expect(par.requestUri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect(par.expiresIn).toBeGreaterThan(0);
    expect(par.httpStatus).toBe(201);
    const url = new URL(par.url);
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    expect(url.searchParams.get('client_id')).toBe(DEMO_CLIENTS.spa.clientId);

    const callback = await loginWithDevInteractions({
      issuer: op().issuer,
      authorizationUrl: par.url,
    });
    const result = validateAuthorizeCallback(callback, {
      state,
      issuer: disco.issuer,
      issParameterSupported: true,
      redirectUri: REDIRECT,
    });
    const token = await redeem(result.code, codeVerifier);
    expect(token.status).toBe(200);
  });

  it('a confidential client (demo-basic) pushes with client_secret_basic and logs in', async () => {
    const disco = await discovery();
    const { codeVerifier, codeChallenge } = await createPkce();
    const state = createState();
    const par = await pushAuthorizationRequest({
      address: disco.pushedAuthorizationRequestEndpoint!,
      authorizationEndpoint: disco.authorizationEndpoint,
      ...DEMO_CLIENTS.basic,
      redirectUri: REDIRECT,
      scope: 'openid',
      state,
      codeChallenge,
    });
    if (!par.isSuccessful) throw par.exception;
    const callback = await loginWithDevInteractions({
      issuer: op().issuer,
      authorizationUrl: par.url,
    });
    const { code } = validateAuthorizeCallback(callback, {
      state,
      issuer: disco.issuer,
      issParameterSupported: true,
    });
    const token = await redeem(code, codeVerifier, basicAuth());
    expect(token.status).toBe(200);
    expect(typeof token.body.access_token).toBe('string');
  });

  it('a wrong secret is a protocol failure (invalid_client)', async () => {
    const disco = await discovery();
    const par = await pushAuthorizationRequest({
      address: disco.pushedAuthorizationRequestEndpoint!,
      authorizationEndpoint: disco.authorizationEndpoint,
      clientId: DEMO_CLIENTS.basic.clientId,
      clientSecret: 'wrong',
      redirectUri: REDIRECT,
      state: createState(),
      codeChallenge: (await createPkce()).codeChallenge,
    });
    expect(par.isSuccessful).toBe(false);
    if (par.isSuccessful) return;
    expect(par.errorType).toBe('protocol');
    expect(par.error).toBe('invalid_client');
    expect(par.httpStatus).toBe(401);
  });

  it('an unregistered redirect URI is a protocol failure from the PAR endpoint', async () => {
    const disco = await discovery();
    const par = await pushAuthorizationRequest({
      address: disco.pushedAuthorizationRequestEndpoint!,
      authorizationEndpoint: disco.authorizationEndpoint,
      clientId: DEMO_CLIENTS.spa.clientId,
      redirectUri: 'http://localhost:5173/elsewhere',
      scope: 'openid',
      state: createState(),
      codeChallenge: (await createPkce()).codeChallenge,
    });
    expect(par.isSuccessful).toBe(false);
    if (par.isSuccessful) return;
    expect(par.errorType).toBe('protocol');
    // oidc-provider 9 answers invalid_request here (not invalid_redirect_uri, as at /auth).
    expect(par.error).toBe('invalid_request');
    expect(par.errorDescription).toMatch(/redirect_uri/);
    expect(par.httpStatus).toBe(400);
  });
});
