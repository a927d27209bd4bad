/**
 * The demo API (demo/api-server.js, as the browser tests start it) validating DPoP requests
 * (RFC 9449 §7) with the core's `validateDpopRequest`, against tokens from the real provider:
 * bound tokens need a proof from their key, a bound token as Bearer is refused (§7.2), replayed
 * and stale proofs are refused, nonces are demanded when the test asks (§9), and unbound tokens
 * keep working as Bearer. Clients are the core's own (`getUserInfo` with a `dpop` handle);
 * hostile proofs are made with jose.
 */
import { decodeJwt, exportJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  accessTokenHash,
  createDpopHandle,
  type DpopHandle,
  generateDpopKeyPair,
} from '../../src/core/dpop/index.js';
import { requestClientCredentialsToken } from '../../src/core/token/index.js';
import { getUserInfo } from '../../src/core/userinfo/get.js';
import { type ApiServer, startApiServer } from '../browser/harness/api-server.js';
import { DEFAULT_API_RESOURCE, DEMO_CLIENTS, useProvider } from '../support/provider.js';
import { expectFailure, expectSuccess } from '../support/result.js';

const op = useProvider();
let api: ApiServer;
let url: string;

beforeAll(async () => {
  api = await startApiServer({
    issuer: op().issuer,
    resource: DEFAULT_API_RESOURCE,
    appOrigin: 'http://localhost:1',
  });
  url = `${api.origin('127.0.0.1')}/v1/me`;
});
afterAll(async () => {
  await api?.close();
});
beforeEach(() => {
  api.dpopNonce = 'off';
});

const newHandle = async (): Promise<DpopHandle> => createDpopHandle(await generateDpopKeyPair());

/** A JWT access token for the API (client credentials), bound to `dpop` when given. */
async function apiToken(dpop?: DpopHandle): Promise<string> {
  const token = expectSuccess(
    await requestClientCredentialsToken({
      address: `${op().issuer}/token`,
      ...DEMO_CLIENTS.basic,
      resource: DEFAULT_API_RESOURCE,
      scope: 'api:read',
      ...(dpop ? { dpop } : {}),
    }),
  );
  expect(token.tokenType).toBe(dpop ? 'DPoP' : 'Bearer');
  return token.accessToken;
}

/** The API's requests from now on. */
function since(): () => ApiServer['requests'] {
  const before = api.requests.length;
  return () => api.requests.slice(before);
}

/** A plain fetch with the given headers; status, challenge, nonce and JSON body. */
async function send(headers: Record<string, string>, target = url, method = 'GET') {
  const response = await fetch(target, { method, headers });
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    nonce: response.headers.get('dpop-nonce'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** A proof made with jose for `key`, `GET url` now, the token's `ath`, with overrides. */
async function joseProof(
  key: CryptoKeyPair,
  token: string,
  claims: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT({
    jti: crypto.randomUUID(),
    htm: 'GET',
    htu: url,
    iat: Math.floor(Date.now() / 1000),
    ath: await accessTokenHash(token),
    ...claims,
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(key.publicKey) })
    .sign(key.privateKey);
}

describe('the demo API and DPoP (RFC 9449 §7)', () => {
  it('an unbound token keeps working as Bearer; the answer names the scheme and the claims', async () => {
    const token = await apiToken();
    const seen = since();
    const answer = await send({ authorization: `Bearer ${token}` });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ scheme: 'Bearer', dpop: null });
    expect(answer.body.claims).not.toHaveProperty('cnf');
    expect(seen()).toEqual([
      expect.objectContaining({ scheme: 'Bearer', valid: true, error: null, status: 200 }),
    ]);
  });

  it('DPOP-008 a bound token with a proof from its key is accepted: scheme DPoP, cnf.jkt = the proof key, htu without the query', async () => {
    const dpop = await newHandle();
    const token = await apiToken(dpop);
    const jkt = await dpop.thumbprint();
    const seen = since();
    const info = expectSuccess(await getUserInfo({ address: `${url}?page=2#frag`, token, dpop }));
    expect(info.claims).toMatchObject({
      scheme: 'DPoP',
      claims: { cnf: { jkt } },
      dpop: { jkt, claims: { htm: 'GET', htu: url, ath: await accessTokenHash(token) } },
    });
    const [request] = seen();
    expect(request).toMatchObject({ scheme: 'DPoP', valid: true, status: 200 });
    expect(request?.authorization).toBe(`DPoP ${token}`);
    expect(decodeJwt(request!.dpopProof!).htu).toBe(url);
  });

  it('RFC 9449 §7.2: a bound token presented as Bearer is refused', async () => {
    const token = await apiToken(await newHandle());
    const seen = since();
    const answer = await send({ authorization: `Bearer ${token}` });
    expect(answer.status).toBe(401);
    expect(answer.challenge).toMatch(/^Bearer error="invalid_token", DPoP algs="ES256 /);
    expect(seen()).toEqual([
      expect.objectContaining({ valid: false, error: 'bound_token_as_bearer', claims: null }),
    ]);
  });

  it('DPOP-005 a bound token with a proof from another key is refused (cnf.jkt mismatch)', async () => {
    const token = await apiToken(await newHandle());
    const seen = since();
    const info = expectFailure(
      await getUserInfo({ address: url, token, dpop: await newHandle() }),
      {
        httpStatus: 401,
      },
    );
    expect(info.wwwAuthenticate).toMatch(/^DPoP error="invalid_token"/);
    expect(seen()).toEqual([expect.objectContaining({ error: 'ERR_DPOP_KEY_MISMATCH' })]);
  });

  it('a bound token without a proof, and an unknown token with a proof, are refused', async () => {
    const dpop = await newHandle();
    const token = await apiToken(dpop);
    const noProof = await send({ authorization: `DPoP ${token}` });
    expect(noProof.status).toBe(401);
    expect(noProof.challenge).toMatch(/^DPoP error="invalid_dpop_proof"/);
    const unknown = expectFailure(
      await getUserInfo({ address: url, token: `${token.slice(0, -4)}AAAA`, dpop }),
      { httpStatus: 401 },
    );
    expect(unknown.wwwAuthenticate).toMatch(/^DPoP error="invalid_token"/);
  });

  it('a proof replayed (same jti), a proof for another URL or method, and a stale one are refused', async () => {
    const key = await generateDpopKeyPair();
    const token = await apiToken(createDpopHandle(key));
    const proof = await joseProof(key, token);
    const headers = { authorization: `DPoP ${token}`, dpop: proof };
    expect((await send(headers)).status).toBe(200);
    const seen = since();
    expect((await send(headers)).status).toBe(401);
    expect((await send(headers, `${api.origin('127.0.0.1')}/v1/other`)).status).toBe(401);
    expect((await send(headers, url, 'POST')).status).toBe(401);
    const stale = await joseProof(key, token, { iat: Math.floor(Date.now() / 1000) - 600 });
    expect((await send({ ...headers, dpop: stale })).status).toBe(401);
    const wrongAth = await joseProof(key, token, { ath: await accessTokenHash('another') });
    expect((await send({ ...headers, dpop: wrongAth })).status).toBe(401);
    expect(seen().map((r) => r.error)).toEqual([
      'ERR_DPOP_JTI_REPLAYED',
      'ERR_DPOP_HTU_MISMATCH',
      'ERR_DPOP_HTM_MISMATCH',
      'ERR_DPOP_IAT_INVALID',
      'ERR_DPOP_ATH_MISMATCH',
    ]);
  });

  it('DPOP-004 with nonces demanded: 401 use_dpop_nonce and a DPoP-Nonce, one retry, then the nonce is sent at once', async () => {
    const dpop = await newHandle();
    const token = await apiToken(dpop);
    api.dpopNonce = 'required';
    const first = await send({ authorization: `DPoP ${token}`, dpop: 'x' });
    expect(first.status).toBe(401);
    const seen = since();
    expectSuccess(await getUserInfo({ address: url, token, dpop }));
    const [challenged, retried] = seen();
    expect(seen()).toHaveLength(2);
    expect(challenged).toMatchObject({ status: 401, error: 'ERR_DPOP_NONCE_INVALID' });
    expect(decodeJwt(challenged!.dpopProof!)).not.toHaveProperty('nonce');
    expect(retried).toMatchObject({ status: 200, scheme: 'DPoP' });
    const nonce = decodeJwt(retried!.dpopProof!).nonce;
    expect(nonce).toEqual(expect.any(String));

    const next = since();
    expectSuccess(await getUserInfo({ address: url, token, dpop }));
    expect(next()).toHaveLength(1);
    expect(decodeJwt(next()[0]!.dpopProof!).nonce).toBe(nonce);
  });

  it('the nonce challenge carries the DPoP-Nonce and the challenge that names use_dpop_nonce', async () => {
    const key = await generateDpopKeyPair();
    const token = await apiToken(createDpopHandle(key));
    api.dpopNonce = 'required';
    const answer = await send({
      authorization: `DPoP ${token}`,
      dpop: await joseProof(key, token),
    });
    expect(answer.status).toBe(401);
    expect(answer.challenge).toMatch(/^DPoP error="use_dpop_nonce"/);
    expect(answer.nonce).toMatch(/^[0-9a-z]+\.[\w-]+$/);
    const forged = await joseProof(key, token, { nonce: `${answer.nonce}x` });
    expect((await send({ authorization: `DPoP ${token}`, dpop: forged })).status).toBe(401);
    const good = await joseProof(key, token, { nonce: answer.nonce });
    expect((await send({ authorization: `DPoP ${token}`, dpop: good })).status).toBe(200);
  });

  it('DPOP-004 a nonce loop (every answer demands a fresh nonce) ends in ERR_DPOP_NONCE_LOOP after two requests', async () => {
    const dpop = await newHandle();
    const token = await apiToken(dpop);
    api.dpopNonce = 'loop';
    const seen = since();
    const info = expectFailure(await getUserInfo({ address: url, token, dpop }), {
      code: 'ERR_DPOP_NONCE_LOOP',
    });
    expect(info.httpStatus).toBe(401);
    expect(seen()).toHaveLength(2);
    const nonces = seen().map((r) => decodeJwt(r.dpopProof!).nonce);
    expect(nonces[0]).toBeUndefined();
    expect(nonces[1]).toEqual(expect.any(String));
  });

  it('CORS: the preflight allows the dpop header; answers expose DPoP-Nonce and WWW-Authenticate', async () => {
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization,dpop',
      },
    });
    expect(preflight.status).toBe(204);
    const allowed = preflight.headers.get('access-control-allow-headers')?.split(/\s*,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'dpop']));
    const answer = await fetch(url, { headers: { origin: 'http://localhost:5173' } });
    const exposed = answer.headers.get('access-control-expose-headers')?.split(/\s*,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['www-authenticate', 'dpop-nonce']));
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer, DPoP algs=/);
  });
});
