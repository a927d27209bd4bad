/**
 * The debugger-free browser suite (`*.cdp.ts`): Chromium over CDP with no debugger on any
 * service worker (harness/cdp.ts), for what Playwright cannot test because it keeps every worker
 * alive: idle stops, keep-alive, updates. Run by `npm run test:browser` after Playwright's specs.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: new URL('../../', import.meta.url).pathname,
  test: {
    include: ['test/browser/**/*.cdp.ts'],
    globalSetup: ['test/browser/cdp-setup.ts'],
    environment: 'node',
    pool: 'forks',
    // Node 20's WebSocket is behind a flag (22 has it by default).
    execArgv: ['--experimental-websocket'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
