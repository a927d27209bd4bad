/**
 * Checks `identity-model-web/vite` as an app meets it (run after `npm run build`): the packed
 * package installed into a temporary app beside Vite, then
 * - `vite build` emits the worker with its configuration on the first line, a source map that
 *   matches it, and the page bundle;
 * - the configuration line, evaluated as the browser would, resolves path-only redirect URIs
 *   against the worker's URL;
 * - `vite dev` serves the very same bytes (and lets every other request through);
 * - a bad configuration fails `vite build` with the path of the bad member, and a function in it
 *   (which JSON would drop) is refused.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'identity-model-web-vite-'));
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

/** @type {import('identity-model-web/vite').WorkerConfig} */
const config = {
  issuer: 'https://op.example',
  clientId: 'spa',
  redirectUri: '/callback',
  postLogoutRedirectUri: '/',
  scope: 'openid profile api:read',
  apis: [{ url: 'https://api.example.com/v1/', resource: 'https://api.example.com' }],
};

try {
  const [{ filename }] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const installed = join(dir, 'node_modules', pkg.name);
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, filename), '-C', installed, '--strip-components=1']);
  for (const name of [...Object.keys(pkg.dependencies ?? {}), 'vite']) {
    mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name), 'dir');
  }
  const app = join(dir, 'app');
  cpSync(fileURLToPath(new URL('vite-app/', import.meta.url)), app, { recursive: true });
  // Vite and the plugin as the app resolves them: from its node_modules, not from this repo.
  const { build, createServer } = await import(
    pathToFileURL(join(dir, 'node_modules/vite/dist/node/index.js')).href
  );
  const { identityModelWeb } = await import(
    pathToFileURL(join(installed, pkg.exports['./vite'].default)).href
  );
  /** @param {object} plugin @param {string} outDir */
  const viteBuild = (plugin, outDir) =>
    build({
      root: app,
      logLevel: 'silent',
      configFile: false,
      build: { outDir: join(dir, outDir), emptyOutDir: true },
      plugins: [plugin],
    });

  await viteBuild(identityModelWeb({ config }), 'out');
  const script = readFileSync(join(dir, 'out/identity-model-web-sw.js'), 'utf8');
  const prelude = script.slice(0, script.indexOf('\n'));

  await check('vite build emits the worker with its configuration on the first line', () => {
    assert.match(prelude, new RegExp(`^/\\* identity-model-web ${pkg.version}: `));
    assert.ok(prelude.includes(JSON.stringify(config)), 'the configuration is not on line 1');
    const shipped = readFileSync(join(installed, 'dist/identity-model-web-sw.js'), 'utf8');
    assert.equal(
      script.slice(prelude.length + 1).replace(/\/\/# sourceMappingURL=.*\n?$/, ''),
      shipped.replace(/\/\/# sourceMappingURL=.*\n?$/, ''),
      'the worker after line 1 is not the package’s worker',
    );
    assert.match(script, /\/\/# sourceMappingURL=identity-model-web-sw\.js\.map\n$/);
  });

  await check('the source map is emitted and shifted by the configuration line', () => {
    const map = JSON.parse(readFileSync(join(dir, 'out/identity-model-web-sw.js.map'), 'utf8'));
    const shipped = JSON.parse(
      readFileSync(join(installed, 'dist/identity-model-web-sw.js.map'), 'utf8'),
    );
    assert.equal(map.file, 'identity-model-web-sw.js');
    assert.equal(map.mappings, `;${shipped.mappings}`);
  });

  await check('the page bundle is built beside it', () => {
    const html = readFileSync(join(dir, 'out/index.html'), 'utf8');
    assert.match(html, /<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/);
  });

  await check('the configuration line resolves path-only URLs against the worker URL', () => {
    /** @type {{ location: { href: string }, identityModelWebConfig?: Record<string, unknown> }} */
    const self = { location: { href: 'https://app.example/identity-model-web-sw.js' } };
    vm.runInNewContext(prelude, { self, URL });
    // Across vm contexts: compare the plain data.
    assert.deepEqual(JSON.parse(JSON.stringify(self.identityModelWebConfig)), {
      ...config,
      redirectUri: 'https://app.example/callback',
      postLogoutRedirectUri: 'https://app.example/',
    });
  });

  await check('vite dev serves the same worker and map, and passes other requests on', async () => {
    const server = await createServer({
      root: app,
      logLevel: 'silent',
      configFile: false,
      server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, ws: false },
      // The check fetches the worker and the page, never the app's modules: no dependency
      // pre-bundling, which would otherwise still be running (on files this script then
      // deletes) after the server has closed.
      optimizeDeps: { noDiscovery: true, include: [] },
      plugins: [identityModelWeb({ config })],
    });
    await server.listen();
    try {
      const address = server.httpServer.address();
      const origin = `http://127.0.0.1:${address.port}`;
      const worker = await fetch(`${origin}/identity-model-web-sw.js?v=1`);
      assert.equal(worker.status, 200);
      assert.equal(worker.headers.get('content-type'), 'text/javascript');
      assert.equal(worker.headers.get('cache-control'), 'no-cache');
      assert.equal(await worker.text(), script);
      const map = await fetch(`${origin}/identity-model-web-sw.js.map`);
      assert.equal(
        await map.text(),
        readFileSync(join(dir, 'out/identity-model-web-sw.js.map'), 'utf8'),
      );
      const page = await fetch(`${origin}/`);
      assert.match(await page.text(), /<title>vite app<\/title>/);
    } finally {
      await server.close();
    }
  });

  await check('a bad configuration fails vite build with the bad member’s path', async () => {
    await assert.rejects(
      viteBuild(identityModelWeb({ config: { ...config, scope: 'profile' } }), 'bad'),
      /identity-model-web: "config\.scope" must include "openid"/,
    );
    await assert.rejects(
      viteBuild(identityModelWeb({ config: { ...config, clientId: '' } }), 'bad'),
      /identity-model-web: "config\.clientId"/,
    );
  });

  await check('a configuration member JSON would drop is refused', async () => {
    const withFetch = { ...config, fetch: globalThis.fetch };
    await assert.rejects(
      viteBuild(identityModelWeb({ config: withFetch }), 'bad'),
      /identity-model-web: "config\.fetch" cannot be written into the worker script/,
    );
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (failures > 0) {
  console.error(`${failures} Vite plugin check(s) failed`);
  process.exit(1);
}
