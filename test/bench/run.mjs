/**
 * `npm run bench`: figures as ratios to baselines measured in the same run.
 * - Token validation with warm keys (RS256, ES256), in Node (the built package) and in Chromium
 *   (the sources through Vite): identity-model-web vs the crypto floor (crypto.subtle.verify
 *   alone, inputs prepared outside the timed loop) vs jose; paired, interleaved rounds.
 * - Fetch latency through the service worker with a token attached, warm and after a stop:
 *   identity-model-web with DPoP and with Bearer vs pass-through workers sending the same
 *   headers vs @axa-fr/oidc-client-service-worker vs no worker (fetch-bench.mjs).
 * Budgets (DESIGN.md §4): validateToken ≥ 0.8 × the floor; fetch through the worker ≤ 1.05 ×
 * the pass-through worker with Bearer, ≤ 1.15 × with a DPoP proof; the first authorized fetch
 * after a stop (DPoP, token still valid) ≤ 1.5 × the pass-through worker's first fetch, with no
 * provider request.
 *
 * Environment: BENCH_TOKENS, BENCH_ROUNDS, BENCH_ALGS=RS256,ES256 and BENCH_RUNTIME=node|chromium
 * (validation); BENCH_FETCHES (per round),
 * BENCH_FETCH_ROUNDS, BENCH_COLD (fetch); BENCH_ONLY=validation|fetch runs one part;
 * BENCH_SW=path serves another build of the stand-alone worker as ours (to compare a change);
 * BENCH_ISOLATED=0 serves the fetch pages without COOP and COEP; BENCH_VERIFY=stub replaces
 * crypto.subtle.verify with a resolved `true` in the validation bench, so that `usOverFloor` is
 * each contender's own time per token without the crypto (ratios then mean nothing).
 */
import { chromium } from '@playwright/test';
import * as core from 'identity-model-web/core';
import * as jose from 'jose';
import { createServer } from 'vite';
import { chromiumLaunchOptions } from '../support/chromium.mjs';
import { API_HOST, runFetchBench } from './fetch-bench.mjs';
import { runValidationBench } from './validation-bench.mjs';

const options = {
  tokens: Number(process.env.BENCH_TOKENS ?? 2000),
  rounds: Number(process.env.BENCH_ROUNDS ?? 9),
  algs: (process.env.BENCH_ALGS ?? 'RS256,ES256').split(','),
};
const runtime = process.env.BENCH_RUNTIME;
const fetchOptions = {
  fetches: Number(process.env.BENCH_FETCHES ?? 25),
  rounds: Number(process.env.BENCH_FETCH_ROUNDS ?? 80),
  cold: Number(process.env.BENCH_COLD ?? 15),
};
const only = process.env.BENCH_ONLY;
const stubVerify = process.env.BENCH_VERIFY === 'stub';

/** BENCH_VERIFY=stub: every `crypto.subtle.verify` in this realm resolves `true` at once. */
function stubSubtleVerify() {
  Object.getPrototypeOf(crypto.subtle).verify = () => Promise.resolve(true);
}

/** @param {string} title @param {Array<Record<string, unknown>>} rows */
function report(title, rows) {
  console.log(`\n${title}`);
  console.table(rows);
}

/** The validation budget (DESIGN.md §4) read off the rows of one runtime. */
function validationBudget(/** @type {Array<Record<string, unknown>>} */ rows) {
  if (stubVerify) {
    const own = rows
      .filter((row) => row.contender === 'validateToken')
      .map((row) => `- ${row.alg}: validateToken's own time ${row.usOverFloor} µs per token`);
    console.log(['crypto.subtle.verify stubbed (BENCH_VERIFY=stub): no budget', ...own].join('\n'));
    return;
  }
  const lines = rows
    .filter((row) => row.contender === 'validateToken')
    .map((row) => {
      const ratio = /** @type {number} */ (row.ratioToFloor);
      const verdict = ratio >= 0.9 ? 'holds, aim met' : ratio >= 0.8 ? 'holds' : 'MISSED';
      return `- ${row.alg}: validateToken ${ratio} × the floor (rounds ${row.spread}; ≥ 0.8, aim 0.9: ${verdict})`;
    });
  console.log(['Budget (DESIGN.md §4):', ...lines].join('\n'));
}

const validationTitle = (/** @type {string} */ where) =>
  `Token validation in ${where}: ${options.tokens} distinct tokens per round, ${options.rounds} paired rounds (ratio: median and lowest–highest over rounds, each round to its own floor)`;

if (only !== 'fetch' && runtime !== 'chromium') {
  if (stubVerify) stubSubtleVerify();
  const rows = await runValidationBench({ core, jose }, options);
  report(validationTitle(`Node ${process.version}`), rows);
  validationBudget(rows);
}

/** Token validation in the page: the sources through Vite. */
async function validationInChromium(/** @type {import('@playwright/test').Browser} */ browser) {
  const vite = await createServer({
    configFile: false,
    root: new URL('../../', import.meta.url).pathname,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, hmr: false },
  });
  try {
    await vite.listen();
    const address = vite.httpServer?.address();
    if (!address || typeof address === 'string') throw new Error('Vite did not listen');
    const page = await browser.newPage();
    await page.goto(`http://localhost:${address.port}/test/bench/validation.html`);
    await page.waitForSelector('body[data-ready=true]', { state: 'attached' });
    if (stubVerify) await page.evaluate(stubSubtleVerify);
    const rows = await page.evaluate(
      (o) => /** @type {any} */ (window).runValidationBench(o),
      options,
    );
    await page.close();
    report(validationTitle(`Chromium ${browser.version()}`), rows);
    validationBudget(rows);
  } finally {
    await vite.close();
  }
}

/** Fetch latency through the workers (the built package: run `npm run build` first). */
async function fetchInChromium(/** @type {import('@playwright/test').Browser} */ browser) {
  const result = await runFetchBench(browser, fetchOptions);
  const { fetches, rounds, cold } = fetchOptions;
  const timer = result.isolated ? '' : '; pages not cross-origin isolated: 0.1 ms timer';
  report(
    `Fetch through a service worker in Chromium ${browser.version()} (ms per fetch, body read; ${rounds} interleaved rounds × ${fetches} fetches per contender; ${result.load}${timer})`,
    result.warm,
  );
  report(
    `Service worker cold start (CDP ServiceWorker.stopAllWorkers, then one fetch; ${cold} times each)`,
    result.cold,
  );
  const { budget } = result;
  const verdict = (/** @type {boolean} */ ok) => (ok ? 'holds' : 'MISSED');
  // Two identical workers measure this far apart in this run: a miss by less is not a finding.
  const noise = Math.abs(budget.control - 1);
  const warmVerdict = (/** @type {number} */ value, /** @type {number} */ limit) =>
    value <= limit
      ? 'holds'
      : value <= limit + noise
        ? "MISSED, within this run's noise"
        : 'MISSED';
  const dpopNote = result.dpop ? '' : ' (NO DPoP PROOF SEEN: the worker sent Bearer)';
  console.log(
    [
      '\nBudgets (DESIGN.md §4):',
      `- fetch through the worker, Bearer: ${budget.bearer} × pass-through (rounds ${budget.bearerSpread}; ≤ 1.05: ${warmVerdict(budget.bearer, 1.05)}; control, the same pass-through worker on another origin: ${budget.control} ×)`,
      `- fetch through the worker, DPoP proof: ${budget.dpop} × pass-through with fixed DPoP headers (rounds ${budget.dpopSpread}; ≤ 1.15: ${warmVerdict(budget.dpop, 1.15)})${dpopNote}`,
      `- first authorized fetch after a stop (DPoP, token valid): ${budget.cold} × pass-through's first fetch (per stop, paired: median ${budget.coldPairs}; ≤ 1.5: ${budget.coldAuthorized ? verdict(budget.cold <= 1.5) : 'MISSED: not every such fetch carried a token'})`,
      `- provider requests from the stop to that fetch: ${budget.coldProviderRequests} (0: ${verdict(budget.coldProviderRequests === 0)})`,
      `- without DPoP, discovery/JWKS requests from the stop to the first authorized fetch: ${budget.coldMetadataRequests} (0: ${verdict(budget.coldMetadataRequests === 0)})`,
    ].join('\n'),
  );
}

// One Chromium for every browser figure; the API's host name resolves to 127.0.0.1.
if (only !== 'validation' || runtime !== 'node') {
  const browser = await chromium.launch(chromiumLaunchOptions([API_HOST]));
  try {
    if (only !== 'fetch' && runtime !== 'node') await validationInChromium(browser);
    if (only !== 'validation') await fetchInChromium(browser);
  } finally {
    await browser.close();
  }
}
