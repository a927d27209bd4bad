/**
 * Runs before the browser tests: when no Chromium is found (CHROMIUM_PATH, /usr/bin/chromium)
 * and Playwright's own is not installed, installs Playwright's (a one-time download on machines
 * that can reach it). CI installs Debian's chromium instead (.ci/run).
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { chromiumExecutable } from './chromium.mjs';

if (!chromiumExecutable() && !existsSync(chromium.executablePath())) {
  console.log("No Chromium found: installing Playwright's (npx playwright install chromium)");
  execSync('npx playwright install chromium', { stdio: 'inherit' });
}
