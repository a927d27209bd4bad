/**
 * Builds what the browser tests load, from the current sources: the page client (with
 * workbox-window) as one ES module, and the stand-alone service worker as one classic script.
 */
import { build } from 'vite';
import { BUILD_DIR } from './harness/paths.js';

export default async function globalSetup(): Promise<void> {
  const root = new URL('../../', import.meta.url).pathname;
  await build({
    configFile: false,
    root,
    logLevel: 'error',
    build: {
      outDir: BUILD_DIR,
      emptyOutDir: true,
      minify: false,
      sourcemap: 'inline',
      lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'client.js' },
    },
  });
  await build({
    configFile: false,
    root,
    logLevel: 'error',
    build: {
      outDir: BUILD_DIR,
      emptyOutDir: false,
      minify: false,
      sourcemap: 'inline',
      lib: {
        entry: 'sw/standalone.ts',
        formats: ['iife'],
        name: 'identityModelWebWorker',
        fileName: () => 'sw.js',
      },
    },
  });
  // An app's own worker importing the library's `./sw` entry (composable.spec.ts).
  await build({
    configFile: false,
    root,
    logLevel: 'error',
    build: {
      outDir: `${BUILD_DIR}apps/`,
      emptyOutDir: false,
      minify: false,
      sourcemap: 'inline',
      lib: {
        entry: 'test/browser/apps/composed-sw.ts',
        formats: ['iife'],
        name: 'composedWorker',
        fileName: () => 'composed-sw.js',
      },
    },
  });
}
