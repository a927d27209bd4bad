/**
 * Checks the built package as a user receives it (run after `npm run build`):
 * - every `exports` entry has its files (and `.d.ts`); the stand-alone worker resolves by name;
 * - the core entry imports and works in Node: `import { getDiscoveryDocument } from 'identity-model-web/core'`;
 * - the stand-alone worker bundle leaves out the code its build flag drops;
 * - publint finds no packaging error or warning.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { publint } from 'publint';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const root = new URL('../../', import.meta.url);
let failures = 0;
/** @param {string} name @param {() => unknown} fn */
const check = async (name, fn) => {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (error) {
    failures++;
    console.error(`FAIL ${name}\n     ${error instanceof Error ? error.message : error}`);
  }
};

for (const [entry, target] of Object.entries(pkg.exports)) {
  await check(`exports["${entry}"] has its files`, () => {
    for (const file of typeof target === 'string' ? [target] : [target.default, target.types]) {
      assert.ok(existsSync(new URL(file, root)), `${file} is missing`);
    }
  });
}

await check('the stand-alone worker leaves out what a public client never runs', () => {
  // vite.config.ts sets __IMW_STANDALONE_WORKER__ there (src/core/lib/standalone.ts): no
  // private_key_jwt, configured keys, process-environment defaults or the verified-token cache.
  const code = readFileSync(new URL('dist/identity-model-web-sw.js', root), 'utf8');
  for (const text of [
    'client-assertion-type:jwt-bearer',
    'HTTP_RETRY_COUNT',
    'config.key" is a',
    'verifiedTokenCache.maxEntries',
    // Argument checks on values the worker builds itself, or that sw/config.ts and the start's
    // discovery handle checked (test/sw/start-checks.test.ts): the callback expectations, the
    // ID-token expectations, the token validation config, the authorization request's own
    // members, client authentication and the cache's durations.
    'expected.issParameterSupported',
    '.requireAuthTime`',
    'config.maxTokenSize',
    'this check is never skipped',
    'a SHA-256 JWK thumbprint',
    'encodeBasicCredentials',
    'options.refreshCooldown',
  ]) {
    assert.ok(!code.includes(text), `the worker bundle carries ${JSON.stringify(text)}`);
  }
  // What a page may send (prompt) and what page-writable IndexedDB holds (the transaction's
  // verifier and max_age) are still checked there.
  for (const text of [
    '"prompt" cannot combine',
    'must be 43 to 128 characters',
    '.maxAge" must be a non-negative integer',
  ]) {
    assert.ok(code.includes(text), `the worker bundle lost ${JSON.stringify(text)}`);
  }
  assert.ok(code.includes('dpop+jwt'), 'the check reads the real worker bundle');
});

await check("'identity-model-web/standalone-worker.js' resolves to the stand-alone worker", () => {
  // A file for the app to copy and serve (a classic script), not a module to import.
  assert.equal(
    import.meta.resolve('identity-model-web/standalone-worker.js'),
    new URL('dist/identity-model-web-sw.js', root).href,
  );
});

await check(
  "import { getDiscoveryDocument } from 'identity-model-web/core' works in Node",
  async () => {
    /** @type {Record<string, unknown> & typeof import('identity-model-web/core')} */
    const core = await import('identity-model-web/core');
    for (const name of [
      'getDiscoveryDocument',
      'parseDiscoveryUrl',
      'getJwks',
      'validateToken',
      'requestClientCredentialsToken',
      'toPrincipal',
      'IdentityModelError',
    ]) {
      assert.equal(typeof core[name], 'function', `${name} is not exported`);
    }
    assert.deepEqual(core.parseDiscoveryUrl('https://op.example/'), {
      url: 'https://op.example/.well-known/openid-configuration',
      issuer: 'https://op.example',
    });
    // A call that needs no network: a malformed token is refused with a typed error.
    await assert.rejects(
      core.validateToken('a.b', { key: { kty: 'oct', k: 'x'.repeat(43) } }),
      (error) => error instanceof core.IdentityModelError && error.code === 'ERR_JWT_MALFORMED',
    );
  },
);

await check('the page and worker entries import', async () => {
  await import('identity-model-web');
  const worker = 'identity-model-web/sw';
  await import(worker);
});

await check('publint: no errors or warnings', async () => {
  const { messages } = await publint({ pkgDir: new URL('.', root).pathname, strict: true });
  const bad = messages.filter((m) => m.type !== 'suggestion');
  assert.equal(bad.length, 0, JSON.stringify(bad, null, 2));
});

if (failures > 0) {
  console.error(`${failures} package check(s) failed`);
  process.exit(1);
}
