/**
 * Resource-server validation of DPoP requests (RFC 9449 §4.3, §7.1) with proofs made by jose:
 * each check refuses with its own code, on an injected clock.
 */
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accessTokenHash,
  calculateJwkThumbprint,
  createDpopNonceIssuer,
  createDpopReplayCache,
  type DpopRequestValidation,
  validateDpopRequest,
} from '../../../src/core/dpop/index.js';
import { ConfigurationError, DpopError, type ErrorCode } from '../../../src/core/errors.js';
import { expectCode, NOW, NOW_S, segment, testClock } from '../../support/hostile-op.js';

const URL_ = 'https://api.example.com/orders';
const TOKEN = 'example-dpop-bound-access-token-value';

interface Signer {
  privateKey: CryptoKey;
  jwk: JWK;
  jkt: string;
}

let es256: Signer;
let other: Signer;

async function signer(alg: string): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk) };
}

beforeAll(async () => {
  es256 = await signer('ES256');
  other = await signer('ES256');
});

let jtis = 0;

/** A proof for GET URL_ at NOW with `ath` of TOKEN, with overrides. */
async function proof(
  options: {
    key?: Signer;
    alg?: string;
    header?: Record<string, unknown>;
    claims?: Record<string, unknown>;
  } = {},
): Promise<string> {
  const key = options.key ?? es256;
  return new SignJWT({
    jti: `jti-${++jtis}`,
    htm: 'GET',
    htu: URL_,
    iat: NOW_S,
    ath: await accessTokenHash(TOKEN),
    ...options.claims,
  })
    .setProtectedHeader({
      alg: options.alg ?? 'ES256',
      typ: 'dpop+jwt',
      jwk: key.jwk,
      ...options.header,
    } as { alg: string })
    .sign(key.privateKey);
}

/** The request of a well-behaved client: Authorization: DPoP TOKEN, proof bound to es256. */
function request(dpop: string, extra: Partial<DpopRequestValidation> = {}): DpopRequestValidation {
  return {
    method: 'GET',
    url: `${URL_}?page=1`,
    headers: new Headers({ authorization: `DPoP ${TOKEN}`, dpop }),
    accessTokenClaims: { cnf: { jkt: es256.jkt } },
    replayCache: createDpopReplayCache({ now: () => NOW }),
    now: () => NOW,
    ...extra,
  };
}

async function refused(promise: Promise<unknown>, code: ErrorCode, claim?: string) {
  const error = await expectCode<DpopError>(promise, code);
  expect(error).toBeInstanceOf(DpopError);
  if (claim !== undefined) expect(error.claim).toBe(claim);
  return error;
}

describe('validateDpopRequest: a valid request', () => {
  it('accepts the proof and returns its claims, key and thumbprint', async () => {
    const result = await validateDpopRequest(request(await proof()));
    expect(result.jkt).toBe(es256.jkt);
    expect(result.claims.htm).toBe('GET');
    expect(Object.keys(result.jwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
  });

  it('accepts Node request headers (IncomingHttpHeaders)', async () => {
    const dpop = await proof();
    await validateDpopRequest(
      request(dpop, { headers: { authorization: `DPoP ${TOKEN}`, dpop, host: 'api.example.com' } }),
    );
  });

  it('accepts RS256 and PS256 proofs', async () => {
    for (const alg of ['RS256', 'PS256']) {
      const key = await signer(alg);
      await validateDpopRequest(
        request(await proof({ key, alg }), { accessTokenClaims: { cnf: { jkt: key.jkt } } }),
      );
    }
  });
});

describe('validateDpopRequest: htm and htu', () => {
  it('DPOP-006 a wrong htm is refused, naming htm', async () => {
    const error = await refused(
      validateDpopRequest(request(await proof({ claims: { htm: 'POST' } }))),
      'ERR_DPOP_HTM_MISMATCH',
      'htm',
    );
    expect(error.error).toBe('invalid_dpop_proof');
    await refused(
      validateDpopRequest(request(await proof({ claims: { htm: 'get' } }))),
      'ERR_DPOP_HTM_MISMATCH',
    );
  });

  it('DPOP-006 a wrong htu is refused, naming htu: path, host, port, scheme', async () => {
    for (const htu of [
      'https://api.example.com/orders/1',
      'https://api.example.com/order',
      'https://api.example.com.evil.net/orders',
      'https://api.example.com:8443/orders',
      'http://api.example.com/orders',
      'not a url',
    ]) {
      await refused(
        validateDpopRequest(request(await proof({ claims: { htu } }))),
        'ERR_DPOP_HTU_MISMATCH',
        'htu',
      );
    }
  });

  it('the query and fragment of htu and of the request are ignored; URLs compare after normalisation', async () => {
    for (const htu of [
      `${URL_}?page=2`,
      `${URL_}#x`,
      'HTTPS://API.example.COM:443/orders',
      'https://api.example.com/./a/../orders',
    ]) {
      await validateDpopRequest(request(await proof({ claims: { htu } })));
    }
    const encoded = 'https://api.example.com/a%2fb';
    await validateDpopRequest(
      request(await proof({ claims: { htu: 'https://api.example.com/a%2Fb' } }), { url: encoded }),
    );
  });
});

describe('validateDpopRequest: iat, jti, nonce', () => {
  it('a stale iat (older than maxAge) and a future iat (beyond leeway) are refused', async () => {
    await refused(
      validateDpopRequest(request(await proof({ claims: { iat: NOW_S - 301 } }))),
      'ERR_DPOP_IAT_INVALID',
      'iat',
    );
    await refused(
      validateDpopRequest(request(await proof({ claims: { iat: NOW_S + 61 } }))),
      'ERR_DPOP_IAT_INVALID',
      'iat',
    );
    await validateDpopRequest(request(await proof({ claims: { iat: NOW_S - 300 } })));
    await validateDpopRequest(request(await proof({ claims: { iat: NOW_S + 60 } })));
    await refused(
      validateDpopRequest(request(await proof({ claims: { iat: NOW_S - 20 } }), { maxAge: 10 })),
      'ERR_DPOP_IAT_INVALID',
    );
  });

  it('a replayed jti is refused; the default cache is shared by calls without one', async () => {
    const clock = testClock();
    const replayCache = createDpopReplayCache({ now: clock.now });
    const dpop = await proof();
    await validateDpopRequest(request(dpop, { replayCache, now: clock.now }));
    await refused(
      validateDpopRequest(request(dpop, { replayCache, now: clock.now })),
      'ERR_DPOP_JTI_REPLAYED',
      'jti',
    );
    // Once the proof is too old to be accepted, its jti may leave the cache.
    clock.advance(361_000);
    await refused(
      validateDpopRequest(request(dpop, { replayCache, now: clock.now })),
      'ERR_DPOP_IAT_INVALID',
    );

    const { replayCache: _own, ...shared } = request(await proof());
    await validateDpopRequest(shared);
    await refused(validateDpopRequest(shared), 'ERR_DPOP_JTI_REPLAYED');
  });

  it('a forged proof does not reach the replay cache', async () => {
    const seen: string[] = [];
    const replayCache = {
      use: (jti: string) => {
        seen.push(jti);
        return true;
      },
    };
    const forged = await proof({ key: other, header: { jwk: es256.jwk } });
    await refused(validateDpopRequest(request(forged, { replayCache })), 'ERR_DPOP_PROOF_INVALID');
    expect(seen).toEqual([]);
  });

  it('the replay cache is bounded: the oldest entry goes first', () => {
    const cache = createDpopReplayCache({ maxEntries: 2, now: () => NOW });
    expect(cache.use('a', NOW + 1000)).toBe(true);
    expect(cache.use('b', NOW + 1000)).toBe(true);
    expect(cache.use('a', NOW + 1000)).toBe(false);
    expect(cache.use('c', NOW + 1000)).toBe(true);
    expect(cache.use('b', NOW + 1000)).toBe(false);
    expect(cache.use('a', NOW + 1000)).toBe(true);
  });

  it('a required nonce: missing or wrong is ERR_DPOP_NONCE_INVALID with error use_dpop_nonce', async () => {
    const clock = testClock();
    const nonces = createDpopNonceIssuer({ lifetime: 60, now: clock.now });
    const nonce = await nonces.issue();
    const check = (value: string) => nonces.check(value);
    const missing = await refused(
      validateDpopRequest(request(await proof(), { nonce: check })),
      'ERR_DPOP_NONCE_INVALID',
      'nonce',
    );
    expect(missing.error).toBe('use_dpop_nonce');
    await refused(
      validateDpopRequest(
        request(await proof({ claims: { nonce: `${nonce}x` } }), { nonce: check }),
      ),
      'ERR_DPOP_NONCE_INVALID',
    );
    await validateDpopRequest(request(await proof({ claims: { nonce } }), { nonce: check }));
    await validateDpopRequest(request(await proof({ claims: { nonce: 'n' } }), { nonce: 'n' }));
    clock.advance(61_000);
    expect(await nonces.check(nonce)).toBe(false);
    expect(await nonces.check(await nonces.issue())).toBe(true);
    expect(await createDpopNonceIssuer().check(nonce)).toBe(false);
  });
});

describe('validateDpopRequest: ath and cnf.jkt', () => {
  it('a wrong or missing ath is refused', async () => {
    await refused(
      validateDpopRequest(
        request(await proof({ claims: { ath: await accessTokenHash('other') } })),
      ),
      'ERR_DPOP_ATH_MISMATCH',
      'ath',
    );
    await refused(
      validateDpopRequest(request(await proof({ claims: { ath: undefined } }))),
      'ERR_DPOP_ATH_MISMATCH',
    );
    await refused(
      validateDpopRequest(request(await proof(), { accessToken: 'another-token' })),
      'ERR_DPOP_ATH_MISMATCH',
    );
  });

  it("DPOP-005 a proof signed by another key than the token's cnf.jkt is refused (invalid_token)", async () => {
    const error = await refused(
      validateDpopRequest(request(await proof({ key: other }))),
      'ERR_DPOP_KEY_MISMATCH',
    );
    expect(error.error).toBe('invalid_token');
    await refused(
      validateDpopRequest(request(await proof(), { accessTokenClaims: {} })),
      'ERR_DPOP_KEY_MISMATCH',
    );
  });
});

describe('validateDpopRequest: the proof itself', () => {
  it('DPOP-006 a proof signed with a symmetric algorithm is refused', async () => {
    const secret = new TextEncoder().encode('x'.repeat(32));
    const hs256 = await new SignJWT({ jti: 'h', htm: 'GET', htu: URL_, iat: NOW_S })
      .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: es256.jwk } as { alg: string })
      .sign(secret);
    await refused(validateDpopRequest(request(hs256)), 'ERR_DPOP_PROOF_INVALID', 'alg');
    // Nor when the caller lists it.
    await refused(
      validateDpopRequest(request(hs256, { algorithms: ['HS256', 'ES256'] })),
      'ERR_DPOP_PROOF_INVALID',
    );
  });

  it('DPOP-006 a proof with alg none is refused', async () => {
    const payload = { jti: 'n', htm: 'GET', htu: URL_, iat: NOW_S };
    const none = `${segment({ alg: 'none', typ: 'dpop+jwt', jwk: es256.jwk })}.${segment(payload)}.`;
    await refused(validateDpopRequest(request(none)), 'ERR_DPOP_PROOF_INVALID');
    const noneSigned = `${none}AAAA`;
    await refused(validateDpopRequest(request(noneSigned)), 'ERR_DPOP_PROOF_INVALID', 'alg');
  });

  it('DPOP-006 a proof without the embedded jwk is refused', async () => {
    await refused(
      validateDpopRequest(request(await proof({ header: { jwk: undefined } }))),
      'ERR_DPOP_PROOF_INVALID',
      'jwk',
    );
  });

  it('a jwk with private members is refused', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    expect(privateJwk.d).toBeTruthy();
    await refused(
      validateDpopRequest(request(await proof({ header: { jwk: privateJwk } }))),
      'ERR_DPOP_PROOF_INVALID',
      'jwk',
    );
  });

  it('a signature by another key than the embedded jwk is refused', async () => {
    await refused(
      validateDpopRequest(request(await proof({ key: other, header: { jwk: es256.jwk } }))),
      'ERR_DPOP_PROOF_INVALID',
    );
  });

  it('a wrong typ, missing claims, an oversized proof, none or several DPoP headers are refused', async () => {
    await refused(
      validateDpopRequest(request(await proof({ header: { typ: 'JWT' } }))),
      'ERR_DPOP_PROOF_INVALID',
      'typ',
    );
    for (const claim of ['jti', 'htm', 'htu', 'iat']) {
      await refused(
        validateDpopRequest(request(await proof({ claims: { [claim]: undefined } }))),
        'ERR_DPOP_PROOF_INVALID',
        claim,
      );
    }
    const big = await proof({ claims: { pad: 'x'.repeat(9000) } });
    await refused(validateDpopRequest(request(big)), 'ERR_DPOP_PROOF_INVALID');
    await refused(
      validateDpopRequest(request(await proof(), { maxProofSize: 100 })),
      'ERR_DPOP_PROOF_INVALID',
    );
    const dpop = await proof();
    await refused(
      validateDpopRequest(request(dpop, { headers: { authorization: `DPoP ${TOKEN}` } })),
      'ERR_DPOP_PROOF_INVALID',
    );
    await refused(
      validateDpopRequest(request(dpop, { headers: { dpop: [dpop, dpop] } })),
      'ERR_DPOP_PROOF_INVALID',
    );
    const joined = new Headers();
    joined.append('dpop', dpop);
    joined.append('dpop', dpop);
    await refused(
      validateDpopRequest(request(dpop, { headers: joined })),
      'ERR_DPOP_PROOF_INVALID',
    );
  });

  it('bad options are a ConfigurationError', async () => {
    await expect(validateDpopRequest(request(await proof(), { maxAge: -1 }))).rejects.toThrow(
      ConfigurationError,
    );
  });
});
