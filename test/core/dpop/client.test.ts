/**
 * DPoP proofs sent by the endpoint layer, seen by a local server: the proof on every grant, PAR
 * and UserInfo request, the nonce retry (once), nonces remembered per origin, and the nonce loop
 * ending in a typed error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushAuthorizationRequest } from '../../../src/core/authorize/par.js';
import {
  accessTokenHash,
  createDpopHandle,
  type DpopHandle,
  generateDpopKeyPair,
} from '../../../src/core/dpop/index.js';
import { ConfigurationError, DpopError, type ProtocolError } from '../../../src/core/errors.js';
import {
  requestAuthorizationCodeToken,
  requestClientCredentialsToken,
  requestDeviceToken,
  requestRefreshToken,
  requestTokenExchangeToken,
} from '../../../src/core/token/index.js';
import { getUserInfo } from '../../../src/core/userinfo/get.js';
import { jsonFixture } from '../../support/hostile-op.js';
import { startServer, type TestServer } from '../../support/server.js';
import { failure, onlyRequest, success, TOKEN_BODY, tokenRoute } from '../token/token-server.js';
import { readProof } from './support.js';

let server: TestServer;
let dpop: DpopHandle;

beforeAll(async () => {
  server = await startServer();
  dpop = createDpopHandle(await generateDpopKeyPair());
});

afterAll(async () => {
  await server.close();
});

const DPOP_TOKEN = Object.freeze({ ...TOKEN_BODY, token_type: 'DPoP' });
const NONCE_ERROR = {
  status: 400,
  body: { error: 'use_dpop_nonce', error_description: 'nonce required' },
};

/** A UserInfo route answering `answers` in turn (the last repeats). */
function userInfoRoute(
  ...answers: { status?: number; headers?: Record<string, string>; body?: unknown }[]
): string {
  const path = `/userinfo-${Math.random().toString(36).slice(2)}`;
  let call = 0;
  server.route('GET', path, (_req, res) => {
    const answer = answers[Math.min(call++, answers.length - 1)]!;
    res
      .writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers })
      .end(JSON.stringify(answer.body ?? { sub: 'alice' }));
  });
  return path;
}

describe('DPoP proofs on token requests', () => {
  it('DPOP-001 a proof with typ dpop+jwt, the asymmetric alg, a public-only jwk, jti, htm, htu, iat', async () => {
    const route = tokenRoute(server, { body: DPOP_TOKEN });
    const before = Math.floor(Date.now() / 1000);
    const token = success(
      await requestClientCredentialsToken({
        address: `${route.url}?tenant=a#frag`,
        clientId: 'c',
        clientSecret: 's',
        dpop,
      }),
    );
    expect(token.tokenType).toBe('DPoP');
    const { header, payload } = await readProof(onlyRequest(route).headers.dpop);
    expect(header.typ).toBe('dpop+jwt');
    expect(header.alg).toBe('ES256');
    expect(Object.keys(header.jwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(payload.htm).toBe('POST');
    // RFC 9449 §4.2: htu without query and fragment.
    expect(payload.htu).toBe(route.url);
    expect(payload.jti).toMatch(/^.{16,}$/);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.iat).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
  });

  it('DPOP-001 an RS256 key pair signs RS256 proofs', async () => {
    const route = tokenRoute(server);
    const rsa = createDpopHandle(await generateDpopKeyPair('RS256'));
    success(await requestClientCredentialsToken({ address: route.url, clientId: 'c', dpop: rsa }));
    const { header } = await readProof(onlyRequest(route).headers.dpop);
    expect(header.alg).toBe('RS256');
    expect(Object.keys(header.jwk).sort()).toEqual(['e', 'kty', 'n']);
  });

  it('DPOP-002 the token request carries the proof in the DPoP header, without ath, Authorization untouched', async () => {
    const route = tokenRoute(server, { body: DPOP_TOKEN });
    success(
      await requestClientCredentialsToken({
        address: route.url,
        clientId: 'c',
        clientSecret: 's',
        dpop,
      }),
    );
    const seen = onlyRequest(route);
    const { payload } = await readProof(seen.headers.dpop);
    expect(payload).not.toHaveProperty('ath');
    expect(seen.headers.authorization).toMatch(/^Basic /);
  });

  it('every grant carries a fresh proof: code, refresh, client credentials, token exchange, device', async () => {
    const route = tokenRoute(server, { body: DPOP_TOKEN });
    const common = { address: route.url, clientId: 'c', dpop };
    await requestAuthorizationCodeToken({
      ...common,
      code: 'code',
      redirectUri: 'https://app.example/cb',
      codeVerifier: 'v'.repeat(43),
    });
    await requestRefreshToken({ ...common, refreshToken: 'rt' });
    await requestClientCredentialsToken(common);
    await requestTokenExchangeToken({
      ...common,
      subjectToken: 'st',
      subjectTokenType: 'urn:ietf:params:oauth:token-type:access_token',
    });
    await requestDeviceToken({ ...common, deviceCode: 'dc' });
    const seen = route.seen();
    expect(seen.map((request) => request.form.get('grant_type'))).toEqual([
      'authorization_code',
      'refresh_token',
      'client_credentials',
      'urn:ietf:params:oauth:grant-type:token-exchange',
      'urn:ietf:params:oauth:grant-type:device_code',
    ]);
    const jtis = new Set<unknown>();
    for (const request of seen) jtis.add((await readProof(request.headers.dpop)).payload.jti);
    expect(jtis.size).toBe(5);
  });

  it('a Bearer answer to a DPoP request is accepted and reported as Bearer', async () => {
    const route = tokenRoute(server);
    const token = success(
      await requestClientCredentialsToken({ address: route.url, clientId: 'c', dpop }),
    );
    expect(token.tokenType).toBe('Bearer');
  });

  it('a dpop that is not a handle is a ConfigurationError before any request', async () => {
    const route = tokenRoute(server);
    await expect(
      requestClientCredentialsToken({
        address: route.url,
        clientId: 'c',
        dpop: { keyPair: dpop.keyPair } as DpopHandle,
      }),
    ).rejects.toThrow(ConfigurationError);
    expect(route.seen()).toHaveLength(0);
  });
});

describe('DPoP nonces', () => {
  it('DPOP-004 a 400 use_dpop_nonce is retried once with the nonce, then remembered for the origin', async () => {
    const handle = createDpopHandle(await generateDpopKeyPair());
    const route = tokenRoute(
      server,
      { ...NONCE_ERROR, headers: { 'DPoP-Nonce': 'n-1' } },
      { body: DPOP_TOKEN },
    );
    success(
      await requestClientCredentialsToken({ address: route.url, clientId: 'c', dpop: handle }),
    );
    const [first, second] = route.seen();
    expect((await readProof(first!.headers.dpop)).payload).not.toHaveProperty('nonce');
    const retried = (await readProof(second!.headers.dpop)).payload;
    expect(retried.nonce).toBe('n-1');
    expect(retried.jti).not.toBe((await readProof(first!.headers.dpop)).payload.jti);

    // The next request to the same origin (another path) carries the nonce at once.
    const other = tokenRoute(server, { body: DPOP_TOKEN });
    success(
      await requestClientCredentialsToken({ address: other.url, clientId: 'c', dpop: handle }),
    );
    expect((await readProof(onlyRequest(other).headers.dpop)).payload.nonce).toBe('n-1');
  });

  it('DPOP-004 a 401 DPoP use_dpop_nonce challenge from a resource is retried once with the nonce', async () => {
    const fixture = jsonFixture<{ status: number; headers: Record<string, string> }>(
      'dpop/dpop-nonce-error-response.json',
    );
    const handle = createDpopHandle(await generateDpopKeyPair());
    const path = userInfoRoute({ status: fixture.status, headers: fixture.headers }, {});
    const info = await getUserInfo({ address: `${server.url}${path}`, token: 'at', dpop: handle });
    if (!info.isSuccessful) throw info.exception;
    const seen = server.requests.filter((request) => request.path === path);
    expect(seen).toHaveLength(2);
    const nonce = fixture.headers['DPoP-Nonce'] ?? fixture.headers['dpop-nonce'];
    expect((await readProof(seen[1]!.headers.dpop)).payload.nonce).toBe(nonce);
  });

  it('a DPoP-Nonce on a successful answer is remembered too', async () => {
    const handle = createDpopHandle(await generateDpopKeyPair());
    const route = tokenRoute(
      server,
      { body: DPOP_TOKEN, headers: { 'DPoP-Nonce': 'fresh' } },
      { body: DPOP_TOKEN },
    );
    success(
      await requestClientCredentialsToken({ address: route.url, clientId: 'c', dpop: handle }),
    );
    success(
      await requestClientCredentialsToken({ address: route.url, clientId: 'c', dpop: handle }),
    );
    const [, second] = route.seen();
    expect((await readProof(second!.headers.dpop)).payload.nonce).toBe('fresh');
  });

  it('nonces are kept per origin: another origin gets none', async () => {
    const handle = createDpopHandle(await generateDpopKeyPair());
    const route = tokenRoute(server, { body: DPOP_TOKEN, headers: { 'DPoP-Nonce': 'only-here' } });
    success(
      await requestClientCredentialsToken({ address: route.url, clientId: 'c', dpop: handle }),
    );
    const other = await startServer();
    try {
      const elsewhere = tokenRoute(other, { body: DPOP_TOKEN });
      success(
        await requestClientCredentialsToken({
          address: elsewhere.url,
          clientId: 'c',
          dpop: handle,
        }),
      );
      expect((await readProof(onlyRequest(elsewhere).headers.dpop)).payload).not.toHaveProperty(
        'nonce',
      );
    } finally {
      await other.close();
    }
  });

  it('DPOP-004 a second use_dpop_nonce in a row ends in ERR_DPOP_NONCE_LOOP after exactly two requests', async () => {
    const handle = createDpopHandle(await generateDpopKeyPair());
    let n = 0;
    const path = `/loop-${Math.random().toString(36).slice(2)}`;
    server.route('POST', path, (_req, res) => {
      res
        .writeHead(400, { 'content-type': 'application/json', 'DPoP-Nonce': `n-${++n}` })
        .end(JSON.stringify(NONCE_ERROR.body));
    });
    const token = failure(
      await requestClientCredentialsToken({
        address: `${server.url}${path}`,
        clientId: 'c',
        dpop: handle,
      }),
    );
    expect(token.errorCode).toBe('ERR_DPOP_NONCE_LOOP');
    expect(token.errorType).toBe('protocol');
    expect(token.httpStatus).toBe(400);
    expect(token.exception).toBeInstanceOf(DpopError);
    expect((token.exception as DpopError).error).toBe('use_dpop_nonce');
    expect((token.exception.cause as ProtocolError).error).toBe('use_dpop_nonce');
    expect(server.count(path)).toBe(2);
  });

  it('a nonce loop at a resource (401 challenges) also stops after one retry', async () => {
    const handle = createDpopHandle(await generateDpopKeyPair());
    const challenge = {
      status: 401,
      headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': 'again' },
    };
    const path = userInfoRoute(challenge);
    const info = await getUserInfo({ address: `${server.url}${path}`, token: 'at', dpop: handle });
    expect(info.isSuccessful).toBe(false);
    if (info.isSuccessful) return;
    expect(info.errorCode).toBe('ERR_DPOP_NONCE_LOOP');
    expect(server.count(path)).toBe(2);
  });

  it('use_dpop_nonce without a DPoP-Nonce header is not retried: the OAuth error is returned', async () => {
    const route = tokenRoute(server, NONCE_ERROR);
    const token = failure(
      await requestClientCredentialsToken({ address: route.url, clientId: 'c', dpop }),
    );
    expect(token.errorCode).toBe('ERR_OAUTH_ERROR');
    expect(token.error).toBe('use_dpop_nonce');
    expect(route.seen()).toHaveLength(1);
  });

  it('without a DPoP handle, use_dpop_nonce is never retried', async () => {
    const route = tokenRoute(server, { ...NONCE_ERROR, headers: { 'DPoP-Nonce': 'x' } });
    failure(await requestClientCredentialsToken({ address: route.url, clientId: 'c' }));
    expect(route.seen()).toHaveLength(1);
  });
});

describe('DPoP at UserInfo and PAR', () => {
  it('DPOP-008 a DPoP-bound token goes as Authorization: DPoP with a proof whose ath is its hash', async () => {
    const path = userInfoRoute({});
    const info = await getUserInfo({
      address: `${server.url}${path}?x=1`,
      token: 'example-dpop-bound-access-token-value',
      dpop,
    });
    if (!info.isSuccessful) throw info.exception;
    const [seen] = server.requests.filter((request) => request.path === path);
    expect(seen!.headers.authorization).toBe('DPoP example-dpop-bound-access-token-value');
    const { payload } = await readProof(seen!.headers.dpop);
    expect(payload.htm).toBe('GET');
    expect(payload.htu).toBe(`${server.url}${path}`);
    expect(payload.ath).toBe('yRhCjMZbSgJuej6MpSmViNnUiiuiK_CT3FHQXkjq7vk');
  });

  it('DPOP-003 the resource-request proof carries ath = base64url(SHA-256(token))', async () => {
    const path = userInfoRoute({});
    const token = 'Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU';
    const info = await getUserInfo({ address: `${server.url}${path}`, token, dpop });
    if (!info.isSuccessful) throw info.exception;
    const [seen] = server.requests.filter((request) => request.path === path);
    const { payload } = await readProof(seen!.headers.dpop);
    expect(payload.ath).toBe(await accessTokenHash(token));
    expect(payload.ath).toBe('fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo');
  });

  it('without dpop, UserInfo keeps the Bearer scheme and sends no proof', async () => {
    const path = userInfoRoute({});
    await getUserInfo({ address: `${server.url}${path}`, token: 'at' });
    const [seen] = server.requests.filter((request) => request.path === path);
    expect(seen!.headers.authorization).toBe('Bearer at');
    expect(seen!.headers.dpop).toBeUndefined();
  });

  it('PAR carries a proof and dpop_jkt = the thumbprint of its key (RFC 9449 §10.1)', async () => {
    const path = `/par-${Math.random().toString(36).slice(2)}`;
    server.route('POST', path, (_req, res) => {
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ request_uri: 'urn:r', expires_in: 60 }));
    });
    const par = await pushAuthorizationRequest({
      address: `${server.url}${path}`,
      authorizationEndpoint: 'https://op.example/authorize',
      clientId: 'c',
      redirectUri: 'https://app.example/cb',
      state: 's',
      codeChallenge: 'c'.repeat(43),
      dpop,
    });
    if (!par.isSuccessful) throw par.exception;
    const [seen] = server.requests.filter((request) => request.path === path);
    expect(new URLSearchParams(seen!.body).get('dpop_jkt')).toBe(await dpop.thumbprint());
    expect((await readProof(seen!.headers.dpop)).payload.htm).toBe('POST');
  });
});

describe('dpop_jkt in the authorization request', () => {
  it('createAuthorizeUrl sends dpopJkt as dpop_jkt; anything but a thumbprint is refused', async () => {
    const { createAuthorizeUrl } = await import('../../../src/core/authorize/url.js');
    const base = {
      address: 'https://op.example/authorize',
      clientId: 'c',
      redirectUri: 'https://app.example/cb',
      state: 's',
      codeChallenge: 'c'.repeat(43),
    };
    const jkt = await dpop.thumbprint();
    const url = new URL(createAuthorizeUrl({ ...base, dpopJkt: jkt }));
    expect(url.searchParams.get('dpop_jkt')).toBe(jkt);
    expect(() => createAuthorizeUrl({ ...base, dpopJkt: 'short' })).toThrow(ConfigurationError);
    expect(() =>
      createAuthorizeUrl({ ...base, dpopJkt: jkt, parameters: { dpop_jkt: jkt } }),
    ).toThrow(ConfigurationError);
  });
});
