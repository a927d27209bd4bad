/**
 * The size budgets of DESIGN.md §4, checked in `npm test` (after the build):
 * - the page bundle: the `.` entry with workbox-window, minified and gzipped, ≤ 6 KB;
 * - the worker bundle: the stand-alone worker (dist/identity-model-web-sw.js, every dependency
 *   inside), gzipped, ≤ 32 KB (DESIGN.md §4: the budget with DPoP).
 * Prints both sizes (docs/performance.md states them) and exits non-zero when one is over its
 * budget: each budget is a hard ceiling.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const KB = 1024;
const BUDGETS = { page: 6 * KB, worker: 32 * KB };
const root = new URL('../../', import.meta.url).pathname;

/** The page entry as an app's bundler would ship it: minified, dependencies included. */
async function pageBundle() {
  const result = /** @type {any} */ (
    await build({
      configFile: false,
      root,
      logLevel: 'error',
      build: {
        write: false,
        minify: true,
        lib: { entry: 'src/index.ts', formats: ['es'], fileName: 'page' },
      },
    })
  );
  const outputs = Array.isArray(result) ? result : [result];
  const chunk = outputs
    .flatMap((output) => output.output)
    .find((/** @type {{ type: string }} */ item) => item.type === 'chunk');
  if (!chunk) throw new Error('no page chunk');
  return /** @type {string} */ (chunk.code);
}

const sizes = {
  page: gzipSync(await pageBundle(), { level: 9 }).length,
  worker: gzipSync(readFileSync(`${root}dist/identity-model-web-sw.js`), { level: 9 }).length,
};
let over = false;
for (const [name, size] of Object.entries(sizes)) {
  const budget = BUDGETS[/** @type {'page' | 'worker'} */ (name)];
  over ||= size > budget;
  const verdict = size <= budget ? 'ok  ' : 'OVER';
  // The margin left, or the excess: what the next change may add, or must take out.
  const gap =
    size <= budget
      ? `${((budget - size) / KB).toFixed(2)} KB left`
      : `over by ${((size - budget) / KB).toFixed(2)} KB`;
  console.log(
    `${verdict} ${name} bundle: ${(size / KB).toFixed(2)} KB gzip (budget ${budget / KB} KB, ${gap})`,
  );
}
if (over) process.exit(1);
