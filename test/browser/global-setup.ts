/**
 * Builds what the browser tests load, from the current sources: the page client (with
 * workbox-window) as one ES module, and the stand-alone service worker as one classic script.
 */
import { build } from 'vite';
import { buildBrowserBundles } from '../../demo/build.js';
import { BUILD_DIR } from './harness/paths.js';

export default async function globalSetup(): Promise<void> {
  const root = new URL('../../', import.meta.url).pathname;
  await buildBrowserBundles(BUILD_DIR);
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
  // A React app on the `./react` bindings, React from npm bundled in (react.spec.ts).
  await build({
    configFile: false,
    root,
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir: `${BUILD_DIR}apps/`,
      emptyOutDir: false,
      minify: false,
      sourcemap: 'inline',
      lib: {
        entry: 'test/browser/apps/react-app.ts',
        formats: ['es'],
        fileName: () => 'react-app.js',
      },
    },
  });
}
