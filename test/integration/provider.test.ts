/**
 * Smoke test of the demo OpenID provider with plain fetch: the configuration the library's tests
 * and the demo rely on (endpoints, JWT access tokens for the API, request counts, code + PKCE with
 * rotating refresh tokens) has to hold before any library code is tested against it.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { loginWithDevInteractions } from '../support/login.js';
import {
  DEFAULT_API_RESOURCE,
  DEMO_CLIENTS,
  DEMO_INITIAL_ACCESS_TOKEN,
  type DemoProvider,
  useProvider,
} from '../support/provider.js';

const REDIRECT_URI = 'http://localhost:5173/callback';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const op = useProvider({ redirectUris: [REDIRECT_URI] });

beforeEach(() => op().resetCounts());

async function discovery(provider: DemoProvider): Promise<Record<string, unknown>> {
  const response = await fetch(`${provider.issuer}/.well-known/openid-configuration`);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function tokenRequest(params: Record<string, string>, headers: HeadersInit = {}) {
  const response = await fetch(`${op().issuer}/token`, {
    method: 'POST',
    headers: { ...FORM, ...headers },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

function basicAuth(clientId: string, secret: string): HeadersInit {
  return { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` };
}

function isJwt(token: string | undefined): boolean {
  return token?.split('.').length === 3;
}

/** Runs the dev login for the SPA client and returns the code and the PKCE verifier. */
async function authorize(extra: Record<string, string> = {}) {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('hex');
  const url = new URL(`${op().issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: DEMO_CLIENTS.spa.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email',
    state,
    nonce: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
  const callback = new URL(
    await loginWithDevInteractions({ issuer: op().issuer, authorizationUrl: url, login: 'alice' }),
  );
  expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
  expect(callback.searchParams.get('state')).toBe(state);
  expect(callback.searchParams.get('iss')).toBe(op().issuer);
  const code = callback.searchParams.get('code');
  expect(code, callback.href).toBeTruthy();
  return { code: code!, verifier };
}

describe('demo provider', () => {
  it('publishes discovery with every endpoint the library uses', async () => {
    const doc = await discovery(op());
    expect(doc.issuer).toBe(op().issuer);
    expect(op().issuer).toMatch(/^http:\/\/localhost:\d+$/);
    for (const field of [
      'jwks_uri',
      'token_endpoint',
      'introspection_endpoint',
      'revocation_endpoint',
      'device_authorization_endpoint',
      'registration_endpoint',
      'pushed_authorization_request_endpoint',
      'end_session_endpoint',
      'userinfo_endpoint',
    ]) {
      expect(doc[field], field).toMatch(new RegExp(`^${op().issuer}/`));
    }
    expect(op().counts['/.well-known/openid-configuration']).toBe(1);
  });

  it('gives client credentials a JWT access token for the API (RFC 9068)', async () => {
    const { basic } = DEMO_CLIENTS;
    const { status, body } = await tokenRequest(
      { grant_type: 'client_credentials', scope: 'api:read' },
      basicAuth(basic.clientId, basic.clientSecret),
    );
    expect(status, JSON.stringify(body)).toBe(200);
    expect(decodeProtectedHeader(body.access_token!).typ).toBe('at+jwt');

    const jwks = createRemoteJWKSet(new URL(String((await discovery(op())).jwks_uri)));
    const { payload } = await jwtVerify(body.access_token!, jwks, {
      issuer: op().issuer,
      audience: DEFAULT_API_RESOURCE,
      typ: 'at+jwt',
    });
    expect(payload.client_id).toBe(basic.clientId);
    expect(payload.scope).toBe('api:read');
    expect(op().counts['token:client_credentials']).toBe(1);
    expect(op().counts['/token']).toBe(1);
  });

  it('authenticates the client_secret_post and private_key_jwt clients', async () => {
    const { post, privateKeyJwt } = op().clients;
    const viaPost = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: post.clientId,
      client_secret: post.clientSecret,
    });
    expect(viaPost.status, JSON.stringify(viaPost.body)).toBe(200);
    expect(isJwt(viaPost.body.access_token)).toBe(true);

    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: privateKeyJwt.privateJwk.alg, kid: privateKeyJwt.privateJwk.kid })
      .setIssuer(privateKeyJwt.clientId)
      .setSubject(privateKeyJwt.clientId)
      .setAudience(op().issuer)
      .setJti(randomBytes(8).toString('hex'))
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(await importJWK(privateKeyJwt.privateJwk));
    const viaJwt = await tokenRequest({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    expect(viaJwt.status, JSON.stringify(viaJwt.body)).toBe(200);
    expect(op().counts['token:client_credentials']).toBe(2);
  });

  it('runs code + PKCE for the SPA with opaque tokens for userinfo and rotating refresh', async () => {
    const { code, verifier } = await authorize();
    const client_id = DEMO_CLIENTS.spa.clientId;
    const tokens = await tokenRequest({
      grant_type: 'authorization_code',
      client_id,
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    expect(tokens.status, JSON.stringify(tokens.body)).toBe(200);
    // conformIdTokenClaims is off, so the scopes' claims ride in the ID token too.
    expect(decodeJwt(tokens.body.id_token!)).toMatchObject({
      iss: op().issuer,
      aud: client_id,
      sub: 'alice',
      role: ['user'],
      email_verified: true,
    });
    expect(tokens.body.refresh_token).toBeTruthy();
    // No resource requested: an opaque access token, which userinfo accepts.
    expect(isJwt(tokens.body.access_token)).toBe(false);
    const userinfo = await fetch(`${op().issuer}/me`, {
      headers: { authorization: `Bearer ${tokens.body.access_token}` },
    });
    expect(await userinfo.json()).toMatchObject({ sub: 'alice', email: 'alice@example.com' });

    const refresh = { grant_type: 'refresh_token', client_id };
    const refreshed = await tokenRequest({
      ...refresh,
      refresh_token: tokens.body.refresh_token!,
    });
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    expect(refreshed.body.refresh_token).toBeTruthy();
    expect(refreshed.body.refresh_token).not.toBe(tokens.body.refresh_token);
    expect(op().counts['token:refresh_token']).toBe(1);

    // The rotated-out refresh token is spent.
    const reused = await tokenRequest({ ...refresh, refresh_token: tokens.body.refresh_token! });
    expect(reused.body.error).toBe('invalid_grant');
  });

  it('keeps a resource granted at authorization for the code and refresh exchanges', async () => {
    const { code, verifier } = await authorize({
      resource: DEFAULT_API_RESOURCE,
      scope: 'openid api:read',
    });
    const client_id = DEMO_CLIENTS.spa.clientId;
    const tokens = await tokenRequest({
      grant_type: 'authorization_code',
      client_id,
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    expect(tokens.status, JSON.stringify(tokens.body)).toBe(200);
    const refreshed = await tokenRequest({
      grant_type: 'refresh_token',
      client_id,
      refresh_token: tokens.body.refresh_token!,
    });
    for (const accessToken of [tokens.body.access_token, refreshed.body.access_token]) {
      const { payload } = await jwtVerify(accessToken!, createLocalJwks(), {
        audience: DEFAULT_API_RESOURCE,
        typ: 'at+jwt',
      });
      expect(payload.sub).toBe('alice');
      expect(payload.scope).toBe('api:read');
    }
  });

  it('guards registration with the initial access token and supports RFC 7592 reads', async () => {
    const metadata = JSON.stringify({
      redirect_uris: ['http://localhost:5173/other'],
      token_endpoint_auth_method: 'none',
    });
    const registrationUrl = `${op().issuer}/reg`;
    const headers = { 'content-type': 'application/json' };
    const anonymous = await fetch(registrationUrl, { method: 'POST', headers, body: metadata });
    expect(anonymous.status).toBe(401);

    const registered = await fetch(registrationUrl, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${DEMO_INITIAL_ACCESS_TOKEN}` },
      body: metadata,
    });
    expect(registered.status).toBe(201);
    const client = (await registered.json()) as Record<string, string>;
    const read = await fetch(client.registration_client_uri!, {
      headers: { authorization: `Bearer ${client.registration_access_token}` },
    });
    expect(read.status).toBe(200);
    expect(((await read.json()) as Record<string, string>).client_id).toBe(client.client_id);
  });

  it('starts the device flow for the device client', async () => {
    const response = await fetch(`${op().issuer}/device/auth`, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ client_id: DEMO_CLIENTS.device.clientId, scope: 'openid' }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, string>;
    expect(body.device_code).toBeTruthy();
    expect(body.verification_uri).toBe(`${op().issuer}/device`);
  });
});

/** Verifies against the keys the provider reported at start, without another JWKS request. */
function createLocalJwks() {
  return async (header: { kid?: string }) => {
    const jwk = op().keys.publicJwks.keys.find((key) => key.kid === header.kid);
    if (!jwk) throw new Error(`unknown kid ${header.kid}`);
    return importJWK(jwk, jwk.alg);
  };
}
