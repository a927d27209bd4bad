/**
 * `npm run bench`: figures as ratios to baselines measured in the same run.
 * - Token validation with warm keys (RS256, ES256), in Node (the built package) and in Chromium
 *   (the sources through Vite): identity-model-web vs bare crypto.subtle.verify vs jose.
 * Budgets (DESIGN.md §4): validateToken ≥ 0.8 × bare verify.
 */
import { chromium } from '@playwright/test';
import * as core from 'identity-model-web/core';
import * as jose from 'jose';
import { createServer } from 'vite';
import { chromiumLaunchOptions } from '../support/chromium.mjs';
import { runValidationBench } from './validation-bench.mjs';

const options = {
  tokens: Number(process.env.BENCH_TOKENS ?? 2000),
  rounds: Number(process.env.BENCH_ROUNDS ?? 7),
};

/** @param {string} title @param {Array<Record<string, unknown>>} rows */
function report(title, rows) {
  console.log(`\n${title}`);
  console.table(rows);
}

report(
  `Token validation in Node ${process.version} (tokens/s, median of ${options.rounds} rounds)`,
  await runValidationBench({ core, jose }, options),
);

const vite = await createServer({
  configFile: false,
  root: new URL('../../', import.meta.url).pathname,
  logLevel: 'error',
  server: { host: '127.0.0.1', port: 0, hmr: false },
});
await vite.listen();
const address = vite.httpServer?.address();
if (!address || typeof address === 'string') throw new Error('Vite did not listen');
const port = address.port;
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  const page = await browser.newPage();
  await page.goto(`http://localhost:${port}/test/bench/validation.html`);
  await page.waitForSelector('body[data-ready=true]', { state: 'attached' });
  const version = browser.version();
  const rows = await page.evaluate(
    (o) => /** @type {any} */ (window).runValidationBench(o),
    options,
  );
  report(
    `Token validation in Chromium ${version} (tokens/s, median of ${options.rounds} rounds)`,
    rows,
  );
} finally {
  await browser.close();
  await vite.close();
}
