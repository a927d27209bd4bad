import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './test/support/chromium.mjs';

const TEST_HOSTS = ['api.test.com', 'api.test.com.evil.net', 'apixtest.com', 'evil.test'];

/**
 * Browser tests (test/browser) run in real Chromium: `CHROMIUM_PATH`, else Debian's
 * `/usr/bin/chromium`, else Playwright's own download (see test/support/chromium.mjs).
 */
export default defineConfig({
  testDir: 'test/browser',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/browser/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    // The demo API answers on 127.0.0.1 under these names (and lookalikes that must get no token).
    launchOptions: chromiumLaunchOptions(TEST_HOSTS),
    trace: 'off',
  },
});
