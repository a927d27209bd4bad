/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// `vite build` builds the library entries (the package's `exports`): ESM, dependencies external.
// `vite build --mode standalone` builds the prebuilt stand-alone service worker: one classic
// script with every dependency inside, minified (dist/identity-model-web-sw.js).
// `vitest` (the `test` block) runs the Node tests under test/; the browser tests under
// test/browser/ run in real Chromium through Playwright (playwright.config.ts).
// `vite build --mode bin` builds the command line (`npx identity-model-web doctor …`) for Node:
// dist/bin/identity-model-web.js, apart from the page and worker bundles.
export default defineConfig(({ mode }) =>
  mode === 'bin'
    ? {
        build: {
          ssr: 'src/bin/identity-model-web.ts',
          target: 'node20',
          outDir: 'dist/bin',
          emptyOutDir: false,
          sourcemap: true,
          minify: false,
          rolldownOptions: {
            external: [/^node:/, /^oauth4webapi/, /^idb-keyval/, /^workbox-window/],
            output: { entryFileNames: 'identity-model-web.js', banner: '#!/usr/bin/env node' },
          },
        },
      }
    : mode === 'standalone'
      ? {
          // The stand-alone worker is a public client that discovers its keys: the flag drops the
          // code for client secrets, private_key_jwt and configured keys (src/core/lib/standalone.ts).
          define: { __IMW_STANDALONE_WORKER__: 'true' },
          build: {
            // Every module-level constant inlined where it is used, over three passes (rolldown's
            // default inlines only some, once): about 0.1 KB less gzip, the same code.
            rolldownOptions: { optimization: { inlineConst: { mode: 'all', pass: 3 } } },
            target: 'es2022',
            outDir: 'dist',
            emptyOutDir: false,
            sourcemap: true,
            minify: true,
            lib: {
              entry: 'sw/standalone.ts',
              formats: ['iife'],
              name: 'identityModelWebWorker',
              fileName: () => 'identity-model-web-sw.js',
            },
          },
        }
      : {
          // Only the stand-alone worker sets it (above): the package's entries drop its branches.
          define: { __IMW_STANDALONE_WORKER__: 'false' },
          build: {
            target: 'es2022',
            outDir: 'dist',
            emptyOutDir: true,
            sourcemap: true,
            minify: false,
            lib: {
              entry: {
                index: 'src/index.ts',
                sw: 'sw/index.ts',
                core: 'src/core/index.ts',
                vite: 'src/vite/index.ts',
                react: 'src/react/index.ts',
                // The host's callback guard: a Node handler that imports nothing of the rest.
                'callback-guard': 'src/host/callback-guard.ts',
              },
              formats: ['es'],
            },
            rolldownOptions: {
              // The package.json `dependencies`, left to the app's bundler; Biome stops src/ and sw/
              // from importing anything else (noUndeclaredDependencies). The Vite plugin's `vite`
              // and `node:` imports belong to the app's build tooling; React to the app.
              external: [
                /^oauth4webapi/,
                /^idb-keyval/,
                /^workbox-window/,
                /^vite$/,
                /^node:/,
                /^react($|\/)/,
              ],
              // Code the entries share goes to one neutrally named chunk.
              output: { chunkFileNames: 'shared-[hash].js' },
            },
          },
          test: {
            include: ['test/**/*.test.ts'],
            exclude: ['test/browser/**', 'node_modules/**'],
            environment: 'node',
            testTimeout: 20_000,
            hookTimeout: 30_000,
            pool: 'forks',
          },
        },
);
