/**
 * Where a service worker's cold start goes: the first fetch after a stop, `pass` (the
 * pass-through worker) and `ours` (the stand-alone worker, DPoP-bound session persisted) in
 * turn, as in fetch-bench.mjs, with a recorder prepended to both workers' scripts
 * (`BENCH_TRACE=1`, fetch-world.mjs) that notes, in the worker's clock: the script's start and
 * end, the `fetch` event, IndexedDB opens and reads, WebCrypto calls, `fetch()` and its answer.
 * The page notes the start of its fetch, the response headers and the body; every time is
 * printed in ms from the page's fetch start (both clocks are shifted to the epoch with
 * `performance.timeOrigin`), median over the stops.
 *
 * Run after `npm run build`: `node test/bench/cold-trace.mjs` (`COLD_TRACE_STOPS`, default 15).
 * The recorder itself costs a little (patched globals); compare the two workers, not the
 * absolute times with fetch-bench.mjs.
 */
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../support/chromium.mjs';

process.env.BENCH_TRACE = '1';
const { API_HOST, startWorld } = await import('./fetch-world.mjs');
const { openPage, signIn, workerStopper } = await import('./fetch-pages.mjs');

const stops = Number(process.env.COLD_TRACE_STOPS ?? 15);
const browser = await chromium.launch(chromiumLaunchOptions([API_HOST]));
const world = await startWorld();
const context = await browser.newContext();
try {
  const ours = await context.newPage();
  const pass = await context.newPage();
  const none = await context.newPage();
  if ((await openPage(ours, world.origins.ours)) !== 'authenticated') {
    await signIn(ours, world.origins.ours, () => /** @type {any} */ (window).identity.login());
  }
  await openPage(none, world.origins.none);

  /** One fetch from `page`: [start, headers, end] in ms since the epoch. */
  const fetchOnce = (
    /** @type {import('@playwright/test').Page} */ page,
    /** @type {string} */ tag,
  ) =>
    page.evaluate(async (url) => {
      const now = () => performance.timeOrigin + performance.now();
      const start = now();
      const response = await fetch(url);
      const headers = now();
      await response.text();
      return [start, headers, now()];
    }, `${world.api}cold?c=${tag}&i=0`);
  await fetchOnce(ours, 'trace-probe');
  const { lastAuthorization } = world.apiStats('trace-probe');
  world.setFixedHeaders('pass', { authorization: lastAuthorization ?? '' });
  await openPage(pass, world.origins.pass);

  /** The recorder's notes of the worker of `origin` that runs now. */
  const notes = async (/** @type {string} */ origin) => {
    const worker = context
      .serviceWorkers()
      .filter((candidate) => candidate.url().startsWith(`${origin}/`))
      .at(-1);
    if (!worker) throw new Error(`no worker at ${origin}`);
    return worker.evaluate(() => ({
      origin: performance.timeOrigin,
      marks: /** @type {[string, number][]} */ (/** @type {any} */ (self).__trace ?? []),
    }));
  };

  const stopper = await workerStopper(context, none);
  /** @type {Record<string, Map<string, number[]>>} */
  const phases = { pass: new Map(), ours: new Map() };
  const add = (
    /** @type {string} */ who,
    /** @type {string} */ label,
    /** @type {number} */ ms,
  ) => {
    const list = phases[who]?.get(label) ?? [];
    list.push(ms);
    phases[who]?.set(label, list);
  };
  try {
    for (let i = 0; i < stops; i++) {
      for (const [who, page] of /** @type {const} */ ([
        ['pass', pass],
        ['ours', ours],
      ])) {
        await stopper.stopAll();
        const [start = 0, headers = 0, end = 0] = await fetchOnce(page, `trace-${who}`);
        const { origin, marks } = await notes(world.origins[who]);
        add(who, 'worker starts', origin - start);
        const seen = new Map();
        for (const [label, at] of marks) {
          // Repeated labels (two reads, two digests) are numbered in order.
          const n = (seen.get(label) ?? 0) + 1;
          seen.set(label, n);
          add(who, n > 1 ? `${label} #${n}` : label, origin + at - start);
        }
        add(who, 'page: response headers', headers - start);
        add(who, 'page: body read', end - start);
      }
    }
  } finally {
    await stopper.detach();
  }
  const median = (/** @type {number[]} */ values) =>
    [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;
  for (const who of ['pass', 'ours']) {
    const rows = [...(phases[who] ?? new Map())]
      .map(([label, times]) => ({ label, ms: +median(times).toFixed(2), n: times.length }))
      .sort((a, b) => a.ms - b.ms);
    console.log(
      `\n${who === 'pass' ? 'pass-through worker' : 'identity-model-web worker (DPoP, persisted session)'}: ms from the page's fetch start, median of ${stops} stops`,
    );
    console.table(rows);
  }
} finally {
  await context.close();
  await world.close();
  await browser.close();
}
