/**
 * Token validation throughput with warm keys, in whatever runtime imports it (Node or a page):
 * - `bare`: crypto.subtle.verify on each token (split, base64url-decode the signature, encode the
 *   signing input, verify): the least work any JWS validation must do;
 * - `validateToken`: identity-model-web (keys from a warm discovery + JWKS cache; all claim checks);
 * - `jose.jwtVerify`: the peer, with the same key and the same claim options;
 * - separately, `validateToken` answering from its verified-token cache (same tokens again).
 * Every measured validation uses a distinct token. Rounds are interleaved and the median of each
 * contender's rounds is reported.
 *
 * @param {object} deps
 * @param {typeof import('../../src/core/index.js')} deps.core
 * @param {typeof import('jose')} deps.jose
 * @param {{ tokens?: number, rounds?: number, algs?: string[] }} [options]
 */
export async function runValidationBench({ core, jose }, options = {}) {
  const count = options.tokens ?? 2000;
  const rounds = options.rounds ?? 5;
  const issuer = 'https://op.example';
  const audience = 'urn:example:api';
  const results = [];
  for (const alg of options.algs ?? ['RS256', 'ES256']) {
    const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
    const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'k1', alg, use: 'sig' };
    const now = Math.floor(Date.now() / 1000);
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
    const config = { performDisco: true, audience, typ: 'at+jwt', cache, http: { fetch } };
    await core.validateToken(/** @type {string} */ (tokens[0]), config, issuer);

    const verifyParams =
      alg === 'RS256' ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: 'SHA-256' };
    const importParams =
      alg === 'RS256'
        ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
        : { name: 'ECDSA', namedCurve: 'P-256' };
    const key = await crypto.subtle.importKey('jwk', jwk, importParams, false, ['verify']);
    const encoder = new TextEncoder();
    const contenders = {
      bare: async (/** @type {string} */ token) => {
        const dot = token.lastIndexOf('.');
        const signature = /** @type {Uint8Array<ArrayBuffer>} */ (
          jose.base64url.decode(token.slice(dot + 1))
        );
        if (
          !(await crypto.subtle.verify(
            verifyParams,
            key,
            signature,
            encoder.encode(token.slice(0, dot)),
          ))
        ) {
          throw new Error('bad signature');
        }
      },
      validateToken: (/** @type {string} */ token) => core.validateToken(token, config, issuer),
      'jose.jwtVerify': (/** @type {string} */ token) =>
        jose.jwtVerify(token, key, { issuer, audience, typ: 'at+jwt', algorithms: [alg] }),
    };
    /** @type {Record<string, number[]>} */
    const perSecond = { bare: [], validateToken: [], 'jose.jwtVerify': [] };
    for (const fn of Object.values(contenders))
      for (const token of tokens.slice(0, 200)) await fn(token);
    for (let round = 0; round < rounds; round++) {
      for (const [name, fn] of Object.entries(contenders)) {
        const start = performance.now();
        for (const token of tokens) await fn(token);
        perSecond[name]?.push((count / (performance.now() - start)) * 1000);
      }
    }
    // The separate figure: the same tokens again, answered by the verified-token cache.
    const cachedConfig = { ...config, verifiedTokenCache: { maxEntries: count } };
    for (const token of tokens) await core.validateToken(token, cachedConfig, issuer);
    /** @type {number[]} */
    const cachedRounds = [];
    for (let round = 0; round < rounds; round++) {
      const start = performance.now();
      for (const token of tokens) await core.validateToken(token, cachedConfig, issuer);
      cachedRounds.push((count / (performance.now() - start)) * 1000);
    }
    perSecond['validateToken, verified-token cache hit'] = cachedRounds;
    const median = (/** @type {number[]} */ values) =>
      /** @type {number} */ ([...values].sort((a, b) => a - b)[values.length >> 1]);
    const bare = median(perSecond.bare ?? []);
    for (const [name, values] of Object.entries(perSecond)) {
      const value = median(values);
      results.push({
        alg,
        contender: name,
        perSecond: Math.round(value),
        ratioToBare: +(value / bare).toFixed(2),
      });
    }
  }
  return results;
}
