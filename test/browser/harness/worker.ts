/**
 * Driving the service worker from a test: its clock (the test app's worker config reads
 * `self.__clockAt ?? Date.now() + self.__clockOffset`), the browser stopping it (CDP), and what pages see of it.
 */
import type { BrowserContext, CDPSession, Page, Worker } from '@playwright/test';
import type { UserState, WorkerEvent } from '../../../src/protocol/messages.js';

type WorkerGlobals = { __clockOffset?: number; __clockAt?: number | undefined };

/** The running service worker of `origin` (waits for one to start). */
export async function serviceWorker(context: BrowserContext, origin: string): Promise<Worker> {
  const running = context.serviceWorkers().find((worker) => worker.url().startsWith(origin));
  if (running) return running;
  return context.waitForEvent('serviceworker', {
    predicate: (worker) => worker.url().startsWith(origin),
  });
}

/**
 * Stops the worker's clock at `at` (epoch milliseconds), so that real time spent by a loaded
 * machine between two steps does not count; `undefined` lets it run again.
 */
export async function freezeWorkerClock(worker: Worker, at: number | undefined): Promise<void> {
  await worker.evaluate((ms) => {
    (self as unknown as WorkerGlobals).__clockAt = ms;
  }, at);
}

/** Moves the worker's clock `offset` milliseconds from real time (0: real time). */
export async function setWorkerClock(worker: Worker, offset: number): Promise<void> {
  await worker.evaluate((ms) => {
    (self as unknown as WorkerGlobals).__clockOffset = ms;
  }, offset);
}

/** The browser's service-worker controls (CDP `ServiceWorker` domain) for `page`'s context. */
export interface WorkerControl {
  /** Stops every running version of `origin`'s worker, as the browser does when it is idle. */
  stop(origin: string): Promise<void>;
  /** The running status CDP last reported for `origin`'s active version. */
  status(origin: string): string | undefined;
  detach(): Promise<void>;
}

interface Version {
  versionId: string;
  scriptURL: string;
  runningStatus: string;
  status: string;
}

/** Attaches to the `ServiceWorker` CDP domain through `page`. */
export async function workerControl(context: BrowserContext, page: Page): Promise<WorkerControl> {
  const cdp: CDPSession = await context.newCDPSession(page);
  const versions = new Map<string, Version>();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions: updated }) => {
    for (const version of updated as Version[]) versions.set(version.versionId, version);
  });
  await cdp.send('ServiceWorker.enable');
  const ofOrigin = (origin: string) =>
    [...versions.values()].filter(
      (v) => v.scriptURL.startsWith(origin) && v.status === 'activated',
    );
  /** Resolves once `found` returns something, re-checking on every version update (5 s at most). */
  const until = async <T>(found: () => T | undefined, what: string): Promise<T> => {
    const deadline = Date.now() + 5_000;
    for (let value = found(); ; value = found()) {
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await Promise.race([
        new Promise((resolve) => cdp.once('ServiceWorker.workerVersionUpdated', resolve)),
        new Promise((resolve) => setTimeout(resolve, 250)),
      ]);
    }
  };
  return {
    async stop(origin) {
      const running = await until(() => {
        const list = ofOrigin(origin).filter((v) => v.runningStatus === 'running');
        return list.length > 0 ? list : undefined;
      }, `a running service worker for ${origin}`);
      for (const version of running) {
        await cdp.send('ServiceWorker.stopWorker', { versionId: version.versionId });
      }
      await until(
        () => (ofOrigin(origin).every((v) => v.runningStatus === 'stopped') ? true : undefined),
        `the service worker of ${origin} to stop`,
      );
    },
    status: (origin) => ofOrigin(origin)[0]?.runningStatus,
    detach: () => cdp.detach(),
  };
}

/** The identity client the test app puts on `window`. */
export interface PageIdentity {
  ready(): Promise<UserState>;
  getUser(): Promise<UserState>;
  validateToken(
    jwt: string,
    options?: { audience?: string | readonly string[]; typ?: string },
  ): Promise<Record<string, unknown>>;
}

type PageGlobals = { identity: PageIdentity; events: WorkerEvent[] };

/** `getUser()` on `page`. */
export function getUser(page: Page): Promise<UserState> {
  return page.evaluate(() => (window as unknown as PageGlobals).identity.getUser());
}

// The page helpers live in app-page.ts; these names are kept for the refresh and restart specs.
export { call, events as pageEvents } from './app-page.js';

/** Fetches every URL of `urls` at once from `page`; resolves when all have answered. */
export function callMany(
  page: Page,
  urls: readonly string[],
  init: RequestInit = {},
): Promise<{ status: number; body: string }[]> {
  return page.evaluate(
    ({ urls, init }) =>
      Promise.all(
        urls.map(async (url) => {
          const response = await fetch(url, init);
          return { status: response.status, body: await response.text() };
        }),
      ),
    { urls, init },
  );
}

type Pending = { __pending?: Promise<{ status: number; body: string }[]> };

/** Starts fetches of every URL of `urls` from `page` and returns once they are all sent. */
export async function startCalls(
  page: Page,
  urls: readonly string[],
  init: RequestInit = {},
): Promise<void> {
  await page.evaluate(
    ({ urls, init }) => {
      (window as unknown as Pending).__pending = Promise.all(
        urls.map(async (url) => {
          const response = await fetch(url, init);
          return { status: response.status, body: await response.text() };
        }),
      );
    },
    { urls, init },
  );
}

/** Waits for the fetches {@link startCalls} started on `page`. */
export function finishCalls(page: Page): Promise<{ status: number; body: string }[]> {
  return page.evaluate(() => (window as unknown as Pending).__pending ?? []);
}
