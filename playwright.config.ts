import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './test/support/chromium.mjs';

/**
 * Browser tests (test/browser) run in real Chromium: `CHROMIUM_PATH`, else Debian's
 * `/usr/bin/chromium`, else Playwright's own download (see test/support/chromium.mjs).
 */
export default defineConfig({
  testDir: 'test/browser',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: chromiumLaunchOptions(),
    trace: 'off',
  },
});
