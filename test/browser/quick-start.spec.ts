/**
 * The README's quick start, as a new user would follow it: its snippets are read from README.md
 * (the `doctor` line, `vite.config.ts` and `src/main.ts`), only the placeholders are replaced
 * (the provider, the client, the API), and then the doctor checks the real oidc-provider and the
 * demo API, a Vite dev server serves the app with the plugin from the packed package (`npm pack`
 * of the build, unpacked into the app's node_modules as npm would install it), and
 * Chromium signs in and makes the authorized API call. If the README's quick start stops
 * working, or its placeholders change, this fails.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { createServer, type ViteDevServer } from 'vite';
import { startApiServer } from '../../demo/api-server.js';
import { DEFAULT_API_RESOURCE, startProvider } from '../../demo/provider.js';
import {
  createDpopNonceIssuer,
  createDpopReplayCache,
  createMetadataCache,
  validateAccessToken,
  validateDpopRequest,
} from '../../src/core/index.js';

const root = new URL('../../', import.meta.url).pathname;

/** The README's "Quick start" section: its shell lines and its two TypeScript files. */
function quickStart() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Quick start');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const blocks = [...section.matchAll(/^```(\w+)\n([\s\S]*?)^```/gm)].map(([, lang, code]) => ({
    lang,
    code: code!,
  }));
  const file = (name: string) => {
    const block = blocks.find((b) => b.lang === 'ts' && b.code.startsWith(`// ${name}`));
    if (!block) throw new Error(`README quick start: no snippet starting with "// ${name}"`);
    return block.code;
  };
  const shell = blocks.find((b) => b.lang === 'sh')?.code ?? '';
  const doctor = shell.split('\n').find((line) => line.startsWith('npx identity-model-web doctor'));
  if (!doctor) throw new Error('README quick start: no "npx identity-model-web doctor" line');
  return { doctor, viteConfig: file('vite.config.ts'), main: file('src/main.ts') };
}

/** `texts` with each placeholder replaced; a placeholder none of them has fails. */
function fill(texts: string[], replacements: Record<string, string>): string[] {
  for (const from of Object.keys(replacements)) {
    expect(texts.join('\n'), `README quick start placeholder ${from}`).toContain(from);
  }
  return texts.map((text) =>
    Object.entries(replacements).reduce((out, [from, to]) => out.replaceAll(from, to), text),
  );
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};

/**
 * The packed package (run after `npm run build`) unpacked into `app`'s node_modules, with its
 * dependencies and Vite linked from this checkout (the machine has no registry to install from):
 * the files a user's `npm install identity-model-web` puts there, and no others.
 */
async function installPacked(app: string): Promise<string> {
  const run = promisify(execFile);
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', app],
    { cwd: root, encoding: 'utf8', timeout: 120_000 },
  );
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  const installed = join(app, 'node_modules', pkg.name);
  mkdirSync(installed, { recursive: true });
  await run('tar', ['-xzf', join(app, filename), '-C', installed, '--strip-components=1']);
  for (const name of [...Object.keys(pkg.dependencies), 'vite']) {
    mkdirSync(dirname(join(app, 'node_modules', name)), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), join(app, 'node_modules', name), 'dir');
  }
  return installed;
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('the README quick start: the doctor passes, then sign-in and an authorized API call in a Vite app', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const snippets = quickStart();
  const appOrigin = `http://localhost:${await freePort()}`;
  const op = await startProvider({
    redirectUris: [`${appOrigin}/callback`],
    postLogoutRedirectUris: [`${appOrigin}/`],
  });
  const cache = createMetadataCache();
  const api = await startApiServer({
    validate: (token: string) =>
      validateAccessToken(
        token,
        { performDisco: true, audience: DEFAULT_API_RESOURCE, cache },
        op.issuer,
      ),
    dpop: { validateDpopRequest, createDpopNonceIssuer, createDpopReplayCache },
  });
  const app = mkdtempSync(join(tmpdir(), 'imw-quick-start-'));
  let vite: ViteDevServer | undefined;
  try {
    const placeholders = {
      'https://op.example': op.issuer,
      "'spa'": "'demo-spa'",
      'https://api.example.com/v1/orders': `${api.origin()}/v1/me`,
      'https://api.example.com/v1/': `${api.origin()}/v1/`,
      "'https://api.example.com'": `'${DEFAULT_API_RESOURCE}'`,
    };
    // The doctor, as the README runs it (installed: the package's bin).
    const [doctor = ''] = fill([snippets.doctor], {
      'https://op.example': op.issuer,
      '--client-id spa': '--client-id demo-spa',
      'http://localhost:5173': appOrigin,
      'https://api.example.com/v1/': `${api.origin()}/v1/`,
    });
    const args = doctor.split(' ').slice(2); // without "npx identity-model-web"
    const installed = await installPacked(app);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(installed, pkg.bin['identity-model-web'] ?? 'missing bin'), ...args],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(stdout).toMatch(/^0 failed/m);

    // A fresh Vite app holding the README's two files; the package is the built one.
    mkdirSync(join(app, 'src'));
    writeFileSync(join(app, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(
      join(app, 'index.html'),
      '<!doctype html><html><body><script type="module" src="/src/main.ts"></script></body></html>\n',
    );
    const [viteConfig = '', main = ''] = fill([snippets.viteConfig, snippets.main], placeholders);
    writeFileSync(join(app, 'vite.config.ts'), viteConfig);
    writeFileSync(join(app, 'src/main.ts'), main);
    vite = await createServer({
      root: app,
      configFile: join(app, 'vite.config.ts'),
      logLevel: 'warn',
      // The package's dependencies and Vite are links into this checkout's node_modules.
      server: {
        port: Number(new URL(appOrigin).port),
        strictPort: true,
        fs: { allow: [app, join(root, 'node_modules')] },
      },
    });
    await vite.listen();

    const logged: string[] = [];
    page.on('console', (message) => logged.push(message.text()));
    await page.goto(`${appOrigin}/`);
    // main.ts finds nobody signed in and calls login(): the provider's login page.
    await page.locator('input[name=login]').fill('alice', { timeout: 120_000 });
    await page.locator('input[name=password]').fill('any');
    await page.locator('button[type=submit]').click();
    await page.waitForURL(
      (url) => url.origin === appOrigin || url.pathname.includes('/interaction/'),
    );
    if (page.url().includes('/interaction/')) {
      await page.locator('button[type=submit]', { hasText: /continue/i }).click();
    }
    // Back on the app, main.ts runs again: signed in, it calls the API and logs the answer.
    await expect.poll(() => logged, { timeout: 120_000 }).toContain('alice 200');
    const calls = api.requests.filter((request) => request.path === '/v1/me');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.scheme).not.toBeNull();
  } finally {
    await vite?.close();
    await api.close();
    await op.close();
    rmSync(app, { recursive: true, force: true });
  }
});
