const CACHE_HIT = 'validateToken, verified-token cache hit (not the budget)';
/** Tokens per contender turn: small, so that the contenders of one round share the same load. */
const BLOCK = 20;

/**
 * Token validation throughput with warm keys, in whatever runtime imports it (Node or a page).
 * Contenders, each over the same distinct tokens:
 * - `floor`: `crypto.subtle.verify` alone, key imported once, the signing input and signature
 *   bytes of every token prepared before the timed loop: the crypto floor of DESIGN.md §4;
 * - `split + decode + verify`: the floor plus splitting the token, decoding the signature and
 *   encoding the signing input inside the loop (the least any JWS library does; shown beside);
 * - `validateToken`: identity-model-web (keys from a warm discovery + JWKS cache; all checks);
 * - `jose.jwtVerify`: the peer, with the same key and the same claim options;
 * - separately, `validateToken` answering from its verified-token cache (the same tokens again):
 *   not a distinct-token figure, so never the budget's.
 * Rounds are paired and interleaved: a round walks the tokens in blocks of 20 and every
 * contender validates each block in turn (the order rotating), and a contender's ratio is taken
 * to the floor of the same round. Reported: the median ratio over rounds and its spread (lowest–highest), the median
 * throughput, and the library's own time per token (its time minus the floor's, same round).
 *
 * @param {object} deps
 * @param {typeof import('../../src/core/index.js')} deps.core
 * @param {typeof import('jose')} deps.jose
 * @param {{ tokens?: number, rounds?: number, algs?: string[] }} [options]
 */
export async function runValidationBench({ core, jose }, options = {}) {
  const count = options.tokens ?? 2000;
  const rounds = options.rounds ?? 9;
  const issuer = 'https://op.example';
  const audience = 'urn:example:api';
  const results = [];
  for (const alg of options.algs ?? ['RS256', 'ES256']) {
    const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
    const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'k1', alg, use: 'sig' };
    const now = Math.floor(Date.now() / 1000);
    /** @type {string[]} */
    const tokens = [];
    for (let i = 0; i < count; i++) {
      tokens.push(
        await new jose.SignJWT({ sub: `user-${i}`, scope: 'api:read', client_id: 'c' })
          .setProtectedHeader({ alg, kid: 'k1', typ: 'at+jwt' })
          .setIssuer(issuer)
          .setAudience(audience)
          .setIssuedAt(now)
          .setExpirationTime(now + 3600)
          .setJti(`jti-${i}`)
          .sign(privateKey),
      );
    }
    // A warm cache holding the discovery document and key set, as after a first validation.
    const disco = {
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [alg],
    };
    /** @type {import('../../src/core/index.js').FetchLike} */
    const fetch = async (url) =>
      new Response(JSON.stringify(url.endsWith('/jwks') ? { keys: [jwk] } : disco), {
        headers: { 'content-type': 'application/json' },
      });
    const cache = core.createMetadataCache();
    const config = { performDisco: true, audience, typ: 'at+jwt', cache, fetch };
    await core.validateToken(/** @type {string} */ (tokens[0]), config, issuer);

    const verifyParams =
      alg === 'RS256' ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: 'SHA-256' };
    const importParams =
      alg === 'RS256'
        ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
        : { name: 'ECDSA', namedCurve: 'P-256' };
    const key = await crypto.subtle.importKey('jwk', jwk, importParams, false, ['verify']);
    const encoder = new TextEncoder();
    const split = (/** @type {string} */ token) => {
      const dot = token.lastIndexOf('.');
      return {
        signature: /** @type {Uint8Array<ArrayBuffer>} */ (
          jose.base64url.decode(token.slice(dot + 1))
        ),
        signingInput: encoder.encode(token.slice(0, dot)),
      };
    };
    // The floor's inputs, prepared outside every timed loop.
    const prepared = tokens.map(split);

    // The separate figure: the same tokens again, answered by the verified-token cache.
    const cachedConfig = { ...config, verifiedTokenCache: { maxEntries: count } };
    for (const token of tokens) await core.validateToken(token, cachedConfig, issuer);

    /** @type {Record<string, (from: number, to: number) => Promise<void>>} */
    const contenders = {
      floor: async (from, to) => {
        for (let i = from; i < to; i++) {
          const { signature, signingInput } = /** @type {(typeof prepared)[0]} */ (prepared[i]);
          if (!(await crypto.subtle.verify(verifyParams, key, signature, signingInput))) {
            throw new Error('bad signature');
          }
        }
      },
      'split + decode + verify': async (from, to) => {
        for (let i = from; i < to; i++) {
          const { signature, signingInput } = split(/** @type {string} */ (tokens[i]));
          if (!(await crypto.subtle.verify(verifyParams, key, signature, signingInput))) {
            throw new Error('bad signature');
          }
        }
      },
      validateToken: async (from, to) => {
        for (let i = from; i < to; i++) {
          await core.validateToken(/** @type {string} */ (tokens[i]), config, issuer);
        }
      },
      'jose.jwtVerify': async (from, to) => {
        for (let i = from; i < to; i++) {
          await jose.jwtVerify(/** @type {string} */ (tokens[i]), key, {
            issuer,
            audience,
            typ: 'at+jwt',
            algorithms: [alg],
          });
        }
      },
      [CACHE_HIT]: async (from, to) => {
        for (let i = from; i < to; i++) {
          await core.validateToken(/** @type {string} */ (tokens[i]), cachedConfig, issuer);
        }
      },
    };
    const names = Object.keys(contenders);
    /** @type {Record<string, number[]>} milliseconds per round */
    const times = Object.fromEntries(names.map((name) => [name, []]));
    // Warm-up: every code path compiled before the first measured round.
    for (const name of names) await contenders[name]?.(0, count);
    // Each round walks the tokens in blocks; every contender runs each block in turn (the order
    // rotating), so load from other processes lands on all contenders alike.
    for (let round = 0; round < rounds; round++) {
      /** @type {Record<string, number>} */
      const spent = Object.fromEntries(names.map((name) => [name, 0]));
      for (let from = 0, block = 0; from < count; from += BLOCK, block++) {
        const to = Math.min(from + BLOCK, count);
        for (let i = 0; i < names.length; i++) {
          const name = /** @type {string} */ (names[(i + block + round) % names.length]);
          const start = performance.now();
          await contenders[name]?.(from, to);
          spent[name] = /** @type {number} */ (spent[name]) + performance.now() - start;
        }
      }
      for (const name of names) times[name]?.push(/** @type {number} */ (spent[name]));
    }

    const median = (/** @type {number[]} */ values) => {
      const sorted = [...values].sort((a, b) => a - b);
      const at = (/** @type {number} */ i) => sorted[i] ?? Number.NaN;
      const mid = sorted.length >> 1;
      return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
    };
    const floor = /** @type {number[]} */ (times.floor);
    const row = (/** @type {string} */ name, /** @type {number[]} */ ms) => {
      // Paired: each round's ratio is to the floor of the same round.
      const ratios = ms.map((t, i) => /** @type {number} */ (floor[i]) / t);
      const extra = ms.map((t, i) => ((t - /** @type {number} */ (floor[i])) / count) * 1000);
      return {
        alg,
        contender: name,
        perSecond: Math.round((count / median(ms)) * 1000),
        ratioToFloor: +median(ratios).toFixed(3),
        spread: `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
        usOverFloor: +median(extra).toFixed(1),
      };
    };
    for (const name of names) results.push(row(name, /** @type {number[]} */ (times[name])));
  }
  return results;
}
