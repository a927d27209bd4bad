/**
 * Builds what a browser loads, from the current sources: the page client (with workbox-window)
 * as one ES module (`client.js`), and the stand-alone service worker as one classic script
 * (`sw.js`). Used by the browser demo and the browser tests.
 */
import { build } from 'vite';

const root = new URL('../', import.meta.url).pathname;

/**
 * @param {string} outDir Folder ending in `/`; emptied first.
 * @param {{ minify?: boolean }} [options]
 */
export async function buildBrowserBundles(outDir, options = {}) {
  /** @param {Record<string, unknown>} lib @param {boolean} empty */
  const bundle = (lib, empty) =>
    build({
      configFile: false,
      root,
      logLevel: 'error',
      build: {
        outDir,
        emptyOutDir: empty,
        minify: options.minify ?? false,
        sourcemap: 'inline',
        lib: /** @type {any} */ (lib),
      },
    });
  await bundle({ entry: 'src/index.ts', formats: ['es'], fileName: () => 'client.js' }, true);
  await bundle(
    {
      entry: 'sw/standalone.ts',
      formats: ['iife'],
      name: 'identityModelWebWorker',
      fileName: () => 'sw.js',
    },
    false,
  );
}

/**
 * Builds the parts of the package the demo's servers run in Node, from the current sources, so
 * that the demo needs no `npm run build` first: `core.js` (identity-model-web/core) and
 * `callback-guard.js` (identity-model-web/callback-guard), ES modules whose dependencies stay
 * imports (resolved from node_modules).
 * @param {string} outDir Folder ending in `/`; emptied first.
 */
export async function buildServerModules(outDir) {
  await build({
    configFile: false,
    root,
    logLevel: 'error',
    // As in the package's own entries (vite.config.ts).
    define: { __IMW_STANDALONE_WORKER__: 'false' },
    build: {
      ssr: true,
      target: 'node20',
      outDir,
      emptyOutDir: true,
      minify: false,
      sourcemap: false,
      rolldownOptions: {
        input: { core: 'src/core/index.ts', 'callback-guard': 'src/host/callback-guard.ts' },
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'shared-[hash].js' },
      },
    },
  });
}
