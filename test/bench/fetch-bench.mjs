/**
 * Fetch latency through a token-attaching service worker, in one Chromium (DESIGN.md §4).
 *
 * Contenders, each on its own origin (fetch-world.mjs): `ours` (the built stand-alone worker,
 * signed in through the real provider), `pass` (a hand-written worker that copies the headers,
 * sets a fixed `Authorization` and forwards), `pass2` (the same on another origin: a control
 * that shows how far apart two identical workers measure in this run), `peer`
 * (@axa-fr/oidc-client-service-worker, signed in through the same provider by
 * @axa-fr/oidc-client), `none` (no worker; the page sets the header). `pass`, `pass2` and `none`
 * send the very token `ours` attaches.
 *
 * - Warm: after a warm-up round each, `rounds` rounds of `fetches` sequential same-page GETs to
 *   the allowlisted API per contender, the contenders interleaved and their order rotated each
 *   round. Each sample: `performance.now()` around `await fetch(url)` plus reading the body.
 *   Inside each worker, a probe also times its own work: from the `fetch` event to its call of
 *   `fetch()` (`workerUs`, median, microseconds).
 *   Short rounds keep the contenders side by side in time, so load from other processes on this
 *   2-core machine falls on all of them alike.
 * - Cold: CDP `ServiceWorker.stopAllWorkers`, then one timed fetch, `pass` and `ours`
 *   alternating. The session lives in worker memory only (DESIGN §3), so `ours`' first fetch
 *   after a stop goes out without a token; the first authorized fetch follows a sign-in that
 *   rides on the provider's session, and discovery/JWKS requests at the provider are counted
 *   from the stop to the end of that fetch.
 *
 * Budgets: warm median of `ours` ≤ 1.05 × `pass`; first fetch after a stop ≤ ~1.5 × `pass`'s;
 * no discovery/JWKS request before the first authorized fetch.
 */
import { cpus, loadavg } from 'node:os';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { DEFAULT_API_RESOURCE } from '../../demo/provider.js';
import { openPage, signIn, timeFetches, workerStopper } from './fetch-pages.mjs';
import { startWorld } from './fetch-world.mjs';

export { API_HOST } from './fetch-world.mjs';

/** @typedef {import('./fetch-world.mjs').Contender} Contender */
/** @typedef {import('@playwright/test').Page} Page */

/**
 * @typedef {object} FetchBenchOptions
 * @property {number} [fetches] Fetches per contender per round (default 25).
 * @property {number} [rounds] Measured rounds (default 80).
 * @property {number} [cold] Cold starts per contender (default 15).
 */

/** @param {number[]} values @param {number} q */
const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return /** @type {number} */ (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
};
const median = (/** @type {number[]} */ values) => quantile(values, 0.5);
const ms = (/** @type {number} */ value) => +value.toFixed(3);
const ratio = (/** @type {number} */ a, /** @type {number} */ b) => +(a / b).toFixed(3);
const range = (/** @type {number[]} */ values) =>
  `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;

/** @type {Contender[]} */
const CONTENDERS = ['ours', 'pass', 'pass2', 'peer', 'none'];

const LABELS = {
  ours: 'identity-model-web worker',
  pass: 'pass-through worker (fixed header)',
  pass2: 'the same pass-through worker, another origin (control)',
  peer: '@axa-fr/oidc-client-service-worker',
  none: 'no worker (page sets the header)',
};

/** Signs `ours` in: identity.login() → provider → the worker's callback → `/`. */
async function signInOurs(/** @type {Page} */ page, /** @type {string} */ origin) {
  const state = await signIn(page, origin, () => /** @type {any} */ (window).identity.login());
  if (state !== 'authenticated') throw new Error(`ours: signed in but ${state}`);
}

/**
 * Opens every contender's page, signed in where there is a sign-in.
 * @param {import('@playwright/test').BrowserContext} context
 * @param {import('./fetch-world.mjs').World} world
 */
async function preparePages(context, world) {
  /** @type {Record<Contender, Page>} */
  const pages = {
    ours: await context.newPage(),
    pass: await context.newPage(),
    pass2: await context.newPage(),
    peer: await context.newPage(),
    none: await context.newPage(),
  };
  if ((await openPage(pages.ours, world.origins.ours)) !== 'authenticated') {
    await signInOurs(pages.ours, world.origins.ours);
  }
  // The fixed header of `pass` and `none`: the token `ours` attaches (same bytes on the wire).
  await pages.ours.evaluate(timeFetches, {
    url: `${world.api}probe?c=probe`,
    count: 1,
    authorization: null,
  });
  const [token] = world.apiStats('probe').tokens;
  if (!token) throw new Error('ours: no token on an allowlisted request after sign-in');
  const authorization = `Bearer ${token}`;
  world.setFixedHeader(authorization);
  await openPage(pages.pass, world.origins.pass);
  await openPage(pages.pass2, world.origins.pass2);
  await openPage(pages.none, world.origins.none);
  let peerState = await openPage(pages.peer, world.origins.peer);
  if (peerState !== 'authenticated') {
    // loginAsync navigates away and never resolves: not awaited. Should the peer fail to sign
    // in (a new version, a provider change), its worker is measured as it is, and labelled so.
    peerState = await signIn(pages.peer, world.origins.peer, () => {
      /** @type {any} */ (window).peer.loginAsync('/');
    }).catch(async (/** @type {unknown} */ error) => {
      await openPage(pages.peer, world.origins.peer);
      return `not signed in: ${String(error).split('\n')[0]}`;
    });
  }
  return { pages, authorization, peerState };
}

/**
 * Warm rounds, interleaved. Returns every sample and each round's median, per contender.
 * @param {Record<Contender, Page>} pages @param {import('./fetch-world.mjs').World} world
 * @param {string} authorization @param {number} fetches @param {number} rounds
 */
async function measureWarm(pages, world, authorization, fetches, rounds) {
  /** @type {Record<string, { samples: number[], roundMedians: number[] }>} */
  const out = {};
  for (const name of CONTENDERS) out[name] = { samples: [], roundMedians: [] };
  const run = (/** @type {Contender} */ name, /** @type {number} */ round) =>
    pages[name].evaluate(timeFetches, {
      url: `${world.api}bench?c=${name}&r=${round}`,
      count: fetches,
      authorization: name === 'none' ? authorization : null,
    });
  for (const name of CONTENDERS) await run(name, -1); // warm-up, not counted
  await probes(pages, world, true);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < CONTENDERS.length; k++) {
      const name = /** @type {Contender} */ (CONTENDERS[(round + k) % CONTENDERS.length]);
      const times = await run(name, round);
      out[name]?.samples.push(...times);
      out[name]?.roundMedians.push(median(times));
    }
  }
  return out;
}

/**
 * The probe of each contender's worker (fetch-world.mjs): ms from its `fetch` event to its own
 * `fetch()` call, per measured request; emptied with `clear`.
 * @param {Record<Contender, Page>} pages @param {import('./fetch-world.mjs').World} world
 * @param {boolean} [clear]
 */
async function probes(pages, world, clear = false) {
  /** @type {Record<string, number[]>} */
  const out = {};
  for (const name of CONTENDERS) {
    const worker = pages[name]
      .context()
      .serviceWorkers()
      .find((candidate) => candidate.url().startsWith(`${world.origins[name]}/`));
    if (!worker) continue;
    out[name] = await worker.evaluate((empty) => {
      const times = /** @type {any} */ (self).__benchProbe ?? [];
      const copy = [...times];
      if (empty) times.length = 0;
      return copy;
    }, clear);
  }
  return out;
}

/**
 * Cold starts: stop every worker, time one fetch; `pass` then `ours`, `count` times.
 * @param {import('@playwright/test').BrowserContext} context
 * @param {Record<Contender, Page>} pages @param {import('./fetch-world.mjs').World} world
 * @param {number} count
 */
async function measureCold(context, pages, world, count) {
  await pages.peer.close(); // its client keeps its worker busy (keep-alive request, timers)
  const stopper = await workerStopper(context, pages.none); // a page no worker controls
  const metadataRequests = () =>
    (world.op.counts['/.well-known/openid-configuration'] ?? 0) + (world.op.counts['/jwks'] ?? 0);
  const first = (/** @type {Page} */ page, /** @type {string} */ tag) =>
    page
      .evaluate(timeFetches, { url: `${world.api}cold?c=${tag}`, count: 1, authorization: null })
      .then(([time]) => /** @type {number} */ (time));
  /** @type {{ pass: number[], ours: number[], authorized: number[], signIn: number[] }} */
  const times = { pass: [], ours: [], authorized: [], signIn: [] };
  let metadata = 0;
  try {
    for (let i = 0; i < count; i++) {
      await stopper.stopAll();
      times.pass.push(await first(pages.pass, 'cold-pass'));
      await stopper.stopAll();
      const before = metadataRequests();
      times.ours.push(await first(pages.ours, 'cold-ours'));
      const start = performance.now();
      await openPage(pages.ours, world.origins.ours);
      await signInOurs(pages.ours, world.origins.ours);
      times.signIn.push(performance.now() - start);
      times.authorized.push(await first(pages.ours, 'cold-ours-authorized'));
      metadata += metadataRequests() - before;
    }
  } finally {
    await stopper.detach();
  }
  return { times, metadata };
}

/**
 * Runs the benchmark; returns table rows and the budget ratios.
 * @param {import('@playwright/test').Browser} browser launched with `chromiumLaunchOptions([API_HOST])`
 * @param {FetchBenchOptions} [options]
 */
export async function runFetchBench(browser, options = {}) {
  const fetches = options.fetches ?? 25;
  const rounds = options.rounds ?? 80;
  const coldStarts = options.cold ?? 15;
  const loadBefore = loadavg()[0] ?? 0;
  const world = await startWorld();
  const context = await browser.newContext();
  try {
    const { pages, authorization, peerState } = await preparePages(context, world);
    const isolated = await pages.none.evaluate(() => crossOriginIsolated);
    const warm = await measureWarm(pages, world, authorization, fetches, rounds);
    const inWorker = await probes(pages, world);

    // Which requests carried a token, and whether the provider signed it for the API.
    const jwks = createRemoteJWKSet(new URL(`${world.op.issuer}/jwks`));
    const tokens = async (/** @type {string} */ tag) => {
      const stats = world.apiStats(tag);
      let valid = 0;
      for (const token of stats.tokens) {
        await jwtVerify(token, jwks, { issuer: world.op.issuer, audience: DEFAULT_API_RESOURCE })
          .then(() => valid++)
          .catch(() => {});
      }
      return `${stats.withToken}/${stats.requests} (${valid}/${stats.tokens.size} valid)`;
    };

    const warmMedian = (/** @type {string} */ name) => median(warm[name]?.samples ?? []);
    const warmRows = [];
    for (const name of CONTENDERS) {
      const { samples = [], roundMedians = [] } = warm[name] ?? {};
      // Round by round against `pass` (rounds run side by side): how steady the ratio is.
      const perRound = roundMedians.map((value, i) => value / (warm.pass?.roundMedians[i] ?? 1));
      warmRows.push({
        contender:
          name === 'peer' && peerState !== 'authenticated'
            ? `${LABELS.peer} (${peerState})`
            : LABELS[name],
        medianMs: ms(warmMedian(name)),
        p90Ms: ms(quantile(samples, 0.9)),
        vsPassThrough: ratio(warmMedian(name), warmMedian('pass')),
        vsNoWorker: ratio(warmMedian(name), warmMedian('none')),
        workerUs: inWorker[name]?.length ? Math.round(median(inWorker[name]) * 1000) : '',
        roundRatioToPass: `${quantile(perRound, 0.25).toFixed(2)}–${quantile(perRound, 0.75).toFixed(2)}`,
        withToken: await tokens(name),
      });
    }

    const { times, metadata } = await measureCold(context, pages, world, coldStarts);
    const coldPass = median(times.pass);
    const coldOurs = median(times.ours);
    const coldRows = [
      {
        measured: `${LABELS.pass}: first fetch after a stop`,
        medianMs: ms(coldPass),
        rangeMs: range(times.pass),
        vsPassThrough: 1,
        withToken: await tokens('cold-pass'),
        discoveryJwksRequests: '',
      },
      {
        measured: `${LABELS.ours}: first fetch after a stop (session gone with the worker)`,
        medianMs: ms(coldOurs),
        rangeMs: range(times.ours),
        vsPassThrough: ratio(coldOurs, coldPass),
        withToken: await tokens('cold-ours'),
        discoveryJwksRequests: '',
      },
      {
        measured: `${LABELS.ours}: sign-in again (provider session, no form), to the page ready`,
        medianMs: ms(median(times.signIn)),
        rangeMs: range(times.signIn),
        vsPassThrough: '',
        withToken: '',
        discoveryJwksRequests: '',
      },
      {
        measured: `${LABELS.ours}: then the first authorized fetch`,
        medianMs: ms(median(times.authorized)),
        rangeMs: range(times.authorized),
        vsPassThrough: '',
        withToken: await tokens('cold-ours-authorized'),
        discoveryJwksRequests: metadata,
      },
    ];
    return {
      warm: warmRows,
      cold: coldRows,
      isolated,
      load: `load average ${loadBefore.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)} on ${cpus().length} cores`,
      budget: {
        warm: ratio(warmMedian('ours'), warmMedian('pass')),
        control: ratio(warmMedian('pass2'), warmMedian('pass')),
        cold: ratio(coldOurs, coldPass),
        coldMetadataRequests: metadata,
      },
    };
  } finally {
    await context.close();
    await world.close();
  }
}
