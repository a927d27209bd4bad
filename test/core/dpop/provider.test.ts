/**
 * DPoP against the real provider (oidc-provider 9 with `features.dPoP`, demo/provider.js): the
 * code flow bound with `dpop_jkt`, the exchange, refresh and UserInfo with proofs, client
 * credentials giving a JWT access token whose `cnf.jkt` is the key's thumbprint, PAR, and what
 * the provider refuses (another key, a bound token used as Bearer).
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { pushAuthorizationRequest } from '../../../src/core/authorize/par.js';
import { createPkce } from '../../../src/core/authorize/pkce.js';
import { createAuthorizeUrl } from '../../../src/core/authorize/url.js';
import { createMetadataCache } from '../../../src/core/cache/metadata-cache.js';
import { getDiscoveryDocument } from '../../../src/core/discovery/get.js';
import {
  chooseDpopAlgorithm,
  createDpopHandle,
  type DpopHandle,
  generateDpopKeyPair,
  validateDpopRequest,
} from '../../../src/core/dpop/index.js';
import {
  requestAuthorizationCodeToken,
  requestClientCredentialsToken,
  requestRefreshToken,
} from '../../../src/core/token/index.js';
import { getUserInfo } from '../../../src/core/userinfo/get.js';
import { validateToken } from '../../../src/core/validation/validate.js';
import { loginWithDevInteractions } from '../../support/login.js';
import { DEFAULT_API_RESOURCE, DEMO_CLIENTS, useProvider } from '../../support/provider.js';

const REDIRECT_URI = 'http://localhost:5173/callback';
const op = useProvider({ redirectUris: [REDIRECT_URI] });

async function newHandle(): Promise<DpopHandle> {
  return createDpopHandle(await generateDpopKeyPair());
}

/** Logs in with the SPA client, the code bound to `dpopJkt` when given; returns code and verifier. */
async function authorize(dpopJkt?: string) {
  const { codeVerifier, codeChallenge } = await createPkce();
  const url = createAuthorizeUrl({
    address: `${op().issuer}/auth`,
    clientId: DEMO_CLIENTS.spa.clientId,
    redirectUri: REDIRECT_URI,
    scope: 'openid offline_access',
    prompt: 'consent',
    state: 'state',
    nonce: 'nonce',
    codeChallenge,
    ...(dpopJkt ? { dpopJkt } : {}),
  });
  const callback = new URL(
    await loginWithDevInteractions({ issuer: op().issuer, authorizationUrl: url }),
  );
  const code = callback.searchParams.get('code');
  expect(code, callback.href).toBeTruthy();
  return { code: code!, codeVerifier };
}

function exchange(code: string, codeVerifier: string, dpop?: DpopHandle) {
  return requestAuthorizationCodeToken({
    address: `${op().issuer}/token`,
    clientId: DEMO_CLIENTS.spa.clientId,
    code,
    redirectUri: REDIRECT_URI,
    codeVerifier,
    idToken: { issuer: op().issuer, nonce: 'nonce', cache: createMetadataCache() },
    ...(dpop ? { dpop } : {}),
  });
}

describe('DPoP with oidc-provider', () => {
  it('the provider advertises DPoP and ES256 is chosen', async () => {
    const disco = await getDiscoveryDocument({ issuer: op().issuer, cache: false });
    if (!disco.isSuccessful) throw disco.exception;
    expect(disco.dpopSigningAlgValuesSupported).toContain('ES256');
    expect(chooseDpopAlgorithm(disco.dpopSigningAlgValuesSupported)).toBe('ES256');
  });

  it('code flow bound with dpop_jkt: exchange, refresh and UserInfo with proofs; token_type DPoP', async () => {
    const dpop = await newHandle();
    const { code, codeVerifier } = await authorize(await dpop.thumbprint());
    const tokens = await exchange(code, codeVerifier, dpop);
    if (!tokens.isSuccessful) throw tokens.exception;
    expect(tokens.tokenType).toBe('DPoP');
    expect(tokens.refreshToken).toBeTruthy();

    const info = await getUserInfo({
      address: `${op().issuer}/me`,
      token: tokens.accessToken,
      expectedSubject: 'alice',
      dpop,
    });
    if (!info.isSuccessful) throw info.exception;
    expect(info.claims.sub).toBe('alice');

    const refreshed = await requestRefreshToken({
      address: `${op().issuer}/token`,
      clientId: DEMO_CLIENTS.spa.clientId,
      refreshToken: tokens.refreshToken!,
      idToken: { issuer: op().issuer, cache: createMetadataCache() },
      dpop,
    });
    if (!refreshed.isSuccessful) throw refreshed.exception;
    expect(refreshed.tokenType).toBe('DPoP');
  });

  it('a DPoP-bound access token sent as Bearer, or with another key, is refused at UserInfo', async () => {
    const dpop = await newHandle();
    const { code, codeVerifier } = await authorize();
    const tokens = await exchange(code, codeVerifier, dpop);
    if (!tokens.isSuccessful) throw tokens.exception;
    const bearer = await getUserInfo({ address: `${op().issuer}/me`, token: tokens.accessToken });
    expect(bearer.isSuccessful).toBe(false);
    if (!bearer.isSuccessful) expect(bearer.httpStatus).toBe(401);
    const other = await getUserInfo({
      address: `${op().issuer}/me`,
      token: tokens.accessToken,
      dpop: await newHandle(),
    });
    expect(other.isSuccessful).toBe(false);
    if (!other.isSuccessful) {
      expect(other.httpStatus).toBe(401);
      expect(other.wwwAuthenticate).toMatch(/^DPoP /);
    }
  });

  it('a code bound with dpop_jkt cannot be redeemed with another key', async () => {
    const { code, codeVerifier } = await authorize(await (await newHandle()).thumbprint());
    const tokens = await exchange(code, codeVerifier, await newHandle());
    expect(tokens.isSuccessful).toBe(false);
    if (!tokens.isSuccessful) expect(tokens.error).toBe('invalid_grant');
  });

  it('DPOP-005 client credentials: a JWT access token whose cnf.jkt is the thumbprint of the key', async () => {
    const dpop = await newHandle();
    const token = await requestClientCredentialsToken({
      address: `${op().issuer}/token`,
      ...DEMO_CLIENTS.basic,
      resource: DEFAULT_API_RESOURCE,
      scope: 'api:read',
      dpop,
    });
    if (!token.isSuccessful) throw token.exception;
    expect(token.tokenType).toBe('DPoP');
    const claims = decodeJwt(token.accessToken) as { cnf?: { jkt?: string } };
    expect(claims.cnf?.jkt).toBe(await dpop.thumbprint());
  });

  it('a token bound by the provider passes validateToken then validateDpopRequest with a fresh proof', async () => {
    const dpop = await newHandle();
    const token = await requestClientCredentialsToken({
      address: `${op().issuer}/token`,
      ...DEMO_CLIENTS.basic,
      resource: DEFAULT_API_RESOURCE,
      scope: 'api:read',
      dpop,
    });
    if (!token.isSuccessful) throw token.exception;
    const claims = await validateToken(
      token.accessToken,
      {
        performDisco: true,
        audience: DEFAULT_API_RESOURCE,
        typ: 'at+jwt',
        cache: createMetadataCache(),
      },
      op().issuer,
    );
    // The proof a client would send to the API, captured by a fetch that never leaves the process.
    let seen: Headers | undefined;
    const api = 'https://api.example.com/orders';
    await getUserInfo({
      address: `${api}?page=2`,
      token: token.accessToken,
      dpop,
      fetch: async (_url, init) => {
        seen = new Headers(init.headers);
        return new Response('{"sub":"x"}', { headers: { 'content-type': 'application/json' } });
      },
    });
    const proof = await validateDpopRequest({
      method: 'GET',
      url: `${api}?page=3`,
      headers: seen!,
      accessTokenClaims: claims,
    });
    expect(proof.jkt).toBe(await dpop.thumbprint());
    expect((claims.cnf as { jkt: string }).jkt).toBe(proof.jkt);
    // The same proof replayed with a token bound to another key is refused.
    await expect(
      validateDpopRequest({
        method: 'GET',
        url: api,
        headers: seen!,
        accessTokenClaims: { cnf: { jkt: await (await newHandle()).thumbprint() } },
      }),
    ).rejects.toMatchObject({ code: 'ERR_DPOP_KEY_MISMATCH' });
  });

  it('PAR with a proof: the pushed request carries dpop_jkt, and the code needs the same key', async () => {
    const dpop = await newHandle();
    const { codeVerifier, codeChallenge } = await createPkce();
    const par = await pushAuthorizationRequest({
      address: `${op().issuer}/request`,
      authorizationEndpoint: `${op().issuer}/auth`,
      clientId: DEMO_CLIENTS.spa.clientId,
      redirectUri: REDIRECT_URI,
      scope: 'openid',
      state: 'state',
      nonce: 'nonce',
      codeChallenge,
      dpop,
    });
    if (!par.isSuccessful) throw par.exception;
    const callback = new URL(
      await loginWithDevInteractions({ issuer: op().issuer, authorizationUrl: par.url }),
    );
    const code = callback.searchParams.get('code')!;
    const other = await exchange(code, codeVerifier, await newHandle());
    expect(other.isSuccessful).toBe(false);
    if (!other.isSuccessful) expect(other.error).toBe('invalid_grant');
  });
});
