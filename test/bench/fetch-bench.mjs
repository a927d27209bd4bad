/**
 * Fetch latency through a token-attaching service worker, in one Chromium (DESIGN.md §4).
 *
 * Contenders, each on its own origin (fetch-world.mjs): `ours` (the built stand-alone worker,
 * signed in through the real provider; DPoP, which the provider offers: a fresh proof per call),
 * `bearer` (the same worker with DPoP off: Bearer tokens), `pass` (a hand-written worker that
 * copies the headers, sets a fixed `Authorization` and forwards), `passDpop` (the same worker
 * setting fixed `Authorization: DPoP` and `DPoP` headers: one proof of `ours`, reused), `pass2`
 * (`pass` on another origin: a control that shows how far apart two identical workers measure
 * in this run), `peer` (@axa-fr/oidc-client-service-worker, signed in through the same provider
 * by @axa-fr/oidc-client), `none` (no worker; the page sets the header). `pass`, `pass2` and
 * `none` send the very header `bearer` attaches; `passDpop` the very headers `ours` attached
 * once. Each of ours is compared with the pass-through worker that sends the same bytes.
 *
 * - Warm: after a warm-up round each, `rounds` rounds of `fetches` sequential same-page GETs to
 *   the allowlisted API per contender, the contenders interleaved and their order rotated each
 *   round. Each sample: `performance.now()` around `await fetch(url)` plus reading the body.
 *   Inside each worker, a probe also times its own work: from the `fetch` event to its call of
 *   `fetch()` (`workerUs`, median, microseconds).
 *   Short rounds keep the contenders side by side in time, so load from other processes on this
 *   2-core machine falls on all of them alike.
 * - Cold: CDP `ServiceWorker.stopAllWorkers`, then one timed fetch, `pass`, `ours` and
 *   `bearer` in turn, in the same rounds. `ours` keeps its DPoP-bound session in IndexedDB beside
 *   its non-extractable key (DESIGN §3), so its first fetch after a stop is authorized at once;
 *   every request reaching the provider from the stop to the end of that fetch is counted (0
 *   expected: the access token is still valid). `bearer`'s session lives in worker memory only,
 *   so its first fetch goes out without a token; its first authorized fetch follows a sign-in
 *   that rides on the provider's session, and discovery/JWKS requests are counted from the stop
 *   to the end of that fetch.
 *
 * Budgets: warm median of `bearer` ≤ 1.05 × `pass`, of `ours` (DPoP) ≤ 1.15 × `passDpop`;
 * `ours`' first authorized fetch after a stop ≤ 1.5 × `pass`'s first fetch after a stop; no
 * provider request before it.
 */
import { cpus, loadavg } from 'node:os';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { DEFAULT_API_RESOURCE } from '../../demo/provider.js';
import { openPage, signIn, timeFetches, workerStopper } from './fetch-pages.mjs';
import { CONTENDERS, startWorld } from './fetch-world.mjs';

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

const LABELS = {
  ours: 'identity-model-web worker (default: DPoP)',
  bearer: 'identity-model-web worker, DPoP off (Bearer)',
  pass: 'pass-through worker (fixed header)',
  passDpop: 'pass-through worker (fixed DPoP token and proof)',
  pass2: 'the same pass-through worker, another origin (control)',
  peer: '@axa-fr/oidc-client-service-worker',
  none: 'no worker (page sets the header)',
};

/** Each contender's baseline: the pass-through worker that sends the same bytes. */
const BASELINE = /** @type {Record<Contender, Contender>} */ ({
  ours: 'passDpop',
  bearer: 'pass',
  pass: 'pass',
  passDpop: 'pass',
  pass2: 'pass',
  peer: 'pass',
  none: 'pass',
});

/** Signs one of ours in: identity.login() → provider → the worker's callback → `/`. */
async function signInOurs(/** @type {Page} */ page, /** @type {string} */ origin) {
  const state = await signIn(page, origin, () => /** @type {any} */ (window).identity.login());
  if (state !== 'authenticated') throw new Error(`${origin}: signed in but ${state}`);
}

/** One allowlisted fetch from one of ours; returns the headers it carried at the API. */
async function probeHeaders(
  /** @type {Page} */ page,
  /** @type {import('./fetch-world.mjs').World} */ world,
  /** @type {string} */ tag,
) {
  await page.evaluate(timeFetches, {
    url: `${world.api}probe?c=${tag}`,
    count: 1,
    authorization: null,
  });
  const { lastAuthorization, lastProof } = world.apiStats(tag);
  if (!lastAuthorization)
    throw new Error(`${tag}: no token on an allowlisted request after sign-in`);
  /** @type {Record<string, string>} */
  const headers = { authorization: lastAuthorization };
  if (lastProof) headers.dpop = lastProof;
  return headers;
}

/**
 * Opens every contender's page, signed in where there is a sign-in.
 * @param {import('@playwright/test').BrowserContext} context
 * @param {import('./fetch-world.mjs').World} world
 */
async function preparePages(context, world) {
  const pages = /** @type {Record<Contender, Page>} */ ({});
  for (const name of CONTENDERS) pages[name] = await context.newPage();
  for (const name of /** @type {const} */ (['ours', 'bearer'])) {
    if ((await openPage(pages[name], world.origins[name])) !== 'authenticated') {
      await signInOurs(pages[name], world.origins[name]);
    }
  }
  // The fixed headers of the pass-through workers and `none`: what ours attach (same bytes on
  // the wire), `pass` the Bearer token, `passDpop` the DPoP token and one proof.
  const bearerHeaders = await probeHeaders(pages.bearer, world, 'probe-bearer');
  const dpopHeaders = await probeHeaders(pages.ours, world, 'probe-ours');
  const authorization = bearerHeaders.authorization ?? '';
  world.setFixedHeaders('pass', bearerHeaders);
  world.setFixedHeaders('passDpop', dpopHeaders);
  for (const name of /** @type {const} */ (['pass', 'passDpop', 'pass2', 'none'])) {
    await openPage(pages[name], world.origins[name]);
  }
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
  return { pages, authorization, peerState, dpopHeaders };
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
 * Cold starts: stop every worker, time one fetch; `pass`, `ours`, `bearer` in turn, `count` times.
 * @param {import('@playwright/test').BrowserContext} context
 * @param {Record<Contender, Page>} pages @param {import('./fetch-world.mjs').World} world
 * @param {number} count
 */
async function measureCold(context, pages, world, count) {
  await pages.peer.close(); // its client keeps its worker busy (keep-alive request, timers)
  const stopper = await workerStopper(context, pages.none); // a page no worker controls
  const metadataRequests = () =>
    (world.op.counts['/.well-known/openid-configuration'] ?? 0) + (world.op.counts['/jwks'] ?? 0);
  // Every request at the provider (the per-grant `token:…` keys count the same ones again).
  const providerRequests = () =>
    Object.entries(world.op.counts)
      .filter(([key]) => !key.includes(':'))
      .reduce((sum, [, value]) => sum + value, 0);
  const first = (/** @type {Page} */ page, /** @type {string} */ tag) =>
    page
      .evaluate(timeFetches, { url: `${world.api}cold?c=${tag}`, count: 1, authorization: null })
      .then(([time]) => /** @type {number} */ (time));
  /** @type {{ pass: number[], ours: number[], bearer: number[], authorized: number[], signIn: number[] }} */
  const times = { pass: [], ours: [], bearer: [], authorized: [], signIn: [] };
  let metadata = 0;
  let oursProvider = 0;
  try {
    for (let i = 0; i < count; i++) {
      await stopper.stopAll();
      times.pass.push(await first(pages.pass, 'cold-pass'));
      await stopper.stopAll();
      const beforeOurs = providerRequests();
      times.ours.push(await first(pages.ours, 'cold-ours'));
      oursProvider += providerRequests() - beforeOurs;
      await stopper.stopAll();
      const before = metadataRequests();
      times.bearer.push(await first(pages.bearer, 'cold-bearer'));
      const start = performance.now();
      await openPage(pages.bearer, world.origins.bearer);
      if ((await getState(pages.bearer)) !== 'authenticated') {
        await signInOurs(pages.bearer, world.origins.bearer);
      }
      times.signIn.push(performance.now() - start);
      times.authorized.push(await first(pages.bearer, 'cold-bearer-authorized'));
      metadata += metadataRequests() - before;
    }
  } finally {
    await stopper.detach();
  }
  return { times, metadata, oursProvider };
}

/** The client's state in one of our pages (`authenticated`, `expired`, …). */
const getState = (/** @type {Page} */ page) =>
  page.evaluate(async () => (await /** @type {any} */ (window).identity.getUser()).state);

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
    const { pages, authorization, peerState, dpopHeaders } = await preparePages(context, world);
    const isolated = await pages.none.evaluate(() => crossOriginIsolated);
    const warm = await measureWarm(pages, world, authorization, fetches, rounds);
    const inWorker = await probes(pages, world);

    // Which requests carried a token, whether the provider signed it for the API, the scheme,
    // and for DPoP how many proofs with how many distinct jtis (one per request).
    const jwks = createRemoteJWKSet(new URL(`${world.op.issuer}/jwks`));
    const tokens = async (/** @type {string} */ tag) => {
      const stats = world.apiStats(tag);
      let valid = 0;
      for (const token of stats.tokens) {
        await jwtVerify(token, jwks, { issuer: world.op.issuer, audience: DEFAULT_API_RESOURCE })
          .then(() => valid++)
          .catch(() => {});
      }
      const proofs = stats.proofs ? `, ${stats.proofs} proofs, ${stats.jtis.size} jtis` : '';
      return `${stats.withToken}/${stats.requests} ${[...stats.schemes].join('+') || 'no token'} (${valid}/${stats.tokens.size} valid${proofs})`;
    };

    const warmMedian = (/** @type {string} */ name) => median(warm[name]?.samples ?? []);
    /** Per round, `name`'s median over its baseline's median in the same round. */
    const roundRatios = (/** @type {Contender} */ name) =>
      (warm[name]?.roundMedians ?? []).map(
        (value, i) => value / (warm[BASELINE[name]]?.roundMedians[i] ?? 1),
      );
    const warmRows = [];
    for (const name of CONTENDERS) {
      const { samples = [] } = warm[name] ?? {};
      const perRound = roundRatios(name);
      warmRows.push({
        contender:
          name === 'peer' && peerState !== 'authenticated'
            ? `${LABELS.peer} (${peerState})`
            : LABELS[name],
        medianMs: ms(warmMedian(name)),
        p90Ms: ms(quantile(samples, 0.9)),
        baseline: BASELINE[name] === name ? '' : BASELINE[name],
        vsBaseline: ratio(warmMedian(name), warmMedian(BASELINE[name])),
        vsNoWorker: ratio(warmMedian(name), warmMedian('none')),
        workerUs: inWorker[name]?.length ? Math.round(median(inWorker[name]) * 1000) : '',
        // Round by round against the baseline (rounds run side by side): how steady the ratio is.
        roundRatio: `${quantile(perRound, 0.25).toFixed(2)}–${quantile(perRound, 0.75).toFixed(2)}`,
        withToken: await tokens(name),
      });
    }

    const { times, metadata, oursProvider } = await measureCold(context, pages, world, coldStarts);
    const coldPass = median(times.pass);
    const coldOurs = median(times.ours);
    const coldBearer = median(times.bearer);
    const coldRows = [
      {
        measured: `${LABELS.pass}: first fetch after a stop`,
        medianMs: ms(coldPass),
        rangeMs: range(times.pass),
        vsPassThrough: 1,
        withToken: await tokens('cold-pass'),
        providerRequests: '',
      },
      {
        measured: `${LABELS.ours}: first fetch after a stop (session persisted, token valid)`,
        medianMs: ms(coldOurs),
        rangeMs: range(times.ours),
        vsPassThrough: ratio(coldOurs, coldPass),
        withToken: await tokens('cold-ours'),
        providerRequests: `${oursProvider} (any)`,
      },
      {
        measured: `${LABELS.bearer}: first fetch after a stop (session gone with the worker)`,
        medianMs: ms(coldBearer),
        rangeMs: range(times.bearer),
        vsPassThrough: ratio(coldBearer, coldPass),
        withToken: await tokens('cold-bearer'),
        providerRequests: '',
      },
      {
        measured: `${LABELS.bearer}: sign-in again (provider session, no form), to the page ready`,
        medianMs: ms(median(times.signIn)),
        rangeMs: range(times.signIn),
        vsPassThrough: '',
        withToken: '',
        providerRequests: '',
      },
      {
        measured: `${LABELS.bearer}: then the first authorized fetch`,
        medianMs: ms(median(times.authorized)),
        rangeMs: range(times.authorized),
        vsPassThrough: '',
        withToken: await tokens('cold-bearer-authorized'),
        providerRequests: `${metadata} (discovery/JWKS)`,
      },
    ];
    const coldOursStats = world.apiStats('cold-ours');
    // Each stop's pair (pass, then ours, a moment apart): steadier under load than two medians.
    const coldPairs = times.ours.map((value, i) => value / (times.pass[i] ?? value));
    const spread = (/** @type {Contender} */ name) => {
      const perRound = roundRatios(name);
      return `${quantile(perRound, 0.25).toFixed(2)}–${quantile(perRound, 0.75).toFixed(2)}`;
    };
    return {
      warm: warmRows,
      cold: coldRows,
      isolated,
      dpop: Boolean(dpopHeaders.dpop),
      load: `load average ${loadBefore.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)} on ${cpus().length} cores`,
      budget: {
        bearer: ratio(warmMedian('bearer'), warmMedian('pass')),
        bearerSpread: spread('bearer'),
        dpop: ratio(warmMedian('ours'), warmMedian('passDpop')),
        dpopSpread: spread('ours'),
        control: ratio(warmMedian('pass2'), warmMedian('pass')),
        cold: ratio(coldOurs, coldPass),
        coldPairs: `${ratio(median(coldPairs), 1)} (${quantile(coldPairs, 0.25).toFixed(2)}–${quantile(coldPairs, 0.75).toFixed(2)})`,
        coldAuthorized: coldOursStats.withToken === coldOursStats.requests,
        coldProviderRequests: oursProvider,
        coldMetadataRequests: metadata,
      },
    };
  } finally {
    await context.close();
    await world.close();
  }
}
