/**
 * Type-checks a small app against the packed package, as a user receives it (run after
 * `npm run build`): `npm pack`, the tarball unpacked into a temporary node_modules beside the
 * package's runtime `dependencies` (and the optional peers the Vite config and the React page
 * use; nothing else), then `tsc` with `strict` and `skipLibCheck: false`, so every emitted `.d.ts` is checked:
 * - test/package/consumer/page.ts and react-page.ts, DOM libs, import `.`, `./core` and
 *   `./react` (with React, its peer);
 * - test/package/consumer/worker.ts, WebWorker libs, imports `./sw` and `./core`;
 * - test/package/consumer/vite.config.ts, Node types, imports `./vite` (with Vite, its peer).
 * Also checks that the `./sw` declarations bring in the WebWorker lib themselves.
 */
import { execFile, execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const dir = mkdtempSync(join(tmpdir(), 'identity-model-web-consumer-'));
let failures = 0;

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
  // Only what an app's install would add beside the package: a declaration that imports a
  // dev dependency (jose, @types/node) fails to resolve here.
  // The optional peers as an app that uses them has them: Vite (and Node's types) for the Vite
  // config, React and its types for the React bindings.
  const peers = ['vite', '@types/node', 'react', '@types/react'];
  for (const name of [...Object.keys(pkg.dependencies ?? {}), ...peers]) {
    mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name), 'dir');
  }
  cpSync(fileURLToPath(new URL('consumer/', import.meta.url)), dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');

  const swTypes = readFileSync(join(installed, pkg.exports['./sw'].types), 'utf8');
  if (swTypes.includes('<reference lib="webworker"')) {
    console.log('ok   the ./sw declarations reference the WebWorker lib');
  } else {
    failures++;
    console.error(
      `FAIL the ./sw declarations reference the WebWorker lib\n     ${pkg.exports['./sw'].types} has no /// <reference lib="webworker" preserve="true" />`,
    );
  }

  const projects = {
    'tsconfig.page.json': "a page (DOM libs) imports '.', './core' and './react'",
    'tsconfig.worker.json': "a service worker (WebWorker libs) imports './sw' and './core'",
    'tsconfig.vite.json': "a vite.config.ts (Node types) imports './vite'",
  };
  const results = await Promise.all(
    Object.keys(projects).map((project) =>
      promisify(execFile)(process.execPath, [tsc, '-p', project], { cwd: dir }).then(
        () => '',
        (/** @type {{ stdout?: string, message: string }} */ error) =>
          error.stdout || error.message,
      ),
    ),
  );
  for (const [index, [project, what]] of Object.entries(projects).entries()) {
    const output = results[index];
    if (!output) {
      console.log(`ok   ${what}: strict, skipLibCheck false`);
      continue;
    }
    failures++;
    console.error(
      `FAIL ${what}: strict, skipLibCheck false (test/package/consumer/${project})\n${output
        .trim()
        .split('\n')
        .map((line) => `     ${line}`)
        .join('\n')}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (failures > 0) {
  console.error(`${failures} consumer type check(s) failed: the published .d.ts files are broken`);
  process.exit(1);
}
