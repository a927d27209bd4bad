/**
 * The engine suite (`engines/*.engine.ts`): the same specs in Chromium, Firefox ESR or WebKitGTK,
 * chosen by `IMW_ENGINE` (engines/engine.ts). Run by `npm run test:browser:{chromium,firefox,webkit}`
 * (WebKit under `xvfb-run -a`). Files run one after another: each launches its own browser, and
 * two browsers at once on a loaded 2-core machine make timings (idle stops) unreliable.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: new URL('../../', import.meta.url).pathname,
  test: {
    include: ['test/browser/engines/**/*.engine.ts'],
    // The same bundles as the CDP suite (its app is the one served here).
    globalSetup: ['test/browser/cdp-setup.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    // The Chromium adapter is the CDP harness: Node 20's WebSocket is behind a flag.
    execArgv: ['--experimental-websocket'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
