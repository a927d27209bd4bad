/**
 * One browser engine behind one small interface, so that a spec is written once and runs in
 * Chromium, Firefox and WebKit (issue 11). Each adapter drives its engine the way that works on
 * this machine (DESIGN.md §5): Chromium over CDP with no debugger on any service worker
 * (harness/cdp.ts), Firefox ESR through puppeteer-core over WebDriver BiDi, WebKitGTK through
 * WebKitWebDriver and MiniBrowser (selenium-webdriver) under an X display.
 *
 * Pages are driven with script (`evaluate` of an expression, `waitFor` a truthy one), never with
 * a driver's own locators: the three drivers agree on little else, and what a spec checks is
 * what page script and the servers see.
 */

/** The engines the suite runs in. */
export type EngineName = 'chromium' | 'firefox' | 'webkit';

/** How an engine stops an idle service worker (DESIGN.md §5), and so how a spec stops one. */
export type WorkerStop =
  /** CDP `ServiceWorker.stopAllWorkers` from the page (what the idle stop does, at once). */
  | 'stop-all-workers'
  /** The real idle stop, made short with `dom.serviceWorkers.idle_timeout`. */
  | 'idle-timeout'
  /** WebKit keeps a worker while a page of its origin is open: every page leaves, then waits. */
  | 'leave-origin';

/** Launch options every adapter understands. */
export interface LaunchOptions {
  /** Host names that resolve to 127.0.0.1 (the demo API and its look-alikes). */
  readonly hosts: readonly string[];
  /**
   * Firefox only: stop a worker this many milliseconds after its last event (default: the
   * browser's own, 30 s). Other engines ignore it.
   */
  readonly workerIdleTimeout?: number;
}

/** A page (tab) driven by script. */
export interface EnginePage {
  /**
   * Evaluates `expression` in the page, awaits it when it is a promise, and returns its value
   * (JSON-serialisable values only; `undefined` comes back as `undefined`). Throws the page's error.
   */
  evaluate<T>(expression: string): Promise<T>;
  /** Evaluates until the value is truthy (errors while the page navigates count as not yet). */
  waitFor<T>(expression: string, what: string, timeout?: number): Promise<T>;
  /** Starts a navigation to `url` (does not wait for the page: follow with `waitFor`). */
  goto(url: string): Promise<void>;
  close(): Promise<void>;
}

/** An isolated profile: its own cookies, storage and service workers. */
export interface EngineContext {
  newPage(): Promise<EnginePage>;
  /**
   * Stops the service workers of `origin` as this engine would when idle, with `pages` (every
   * page of this context) on `origin`, and returns once they are stopped. `leave-origin`
   * navigates the pages away and leaves them on `about:blank`: reopen the app afterwards.
   */
  stopWorkers(origin: string, pages: readonly EnginePage[]): Promise<void>;
  close(): Promise<void>;
}

/** A launched engine. */
export interface Engine {
  readonly name: EngineName;
  /** Browser name and version as the driver reports it, e.g. `firefox/153.8.0`. */
  readonly version: string;
  /** How {@link EngineContext.stopWorkers} stops a worker in this engine. */
  readonly workerStop: WorkerStop;
  newContext(): Promise<EngineContext>;
  close(): Promise<void>;
}

/** The engine the suite runs in: `IMW_ENGINE` (`chromium` by default). */
export function engineName(): EngineName {
  const name = process.env.IMW_ENGINE ?? 'chromium';
  if (name !== 'chromium' && name !== 'firefox' && name !== 'webkit') {
    throw new Error(`IMW_ENGINE must be chromium, firefox or webkit, not ${JSON.stringify(name)}`);
  }
  return name;
}

/** Launches `name` (the adapters load their drivers only when used). */
export async function launchEngine(name: EngineName, options: LaunchOptions): Promise<Engine> {
  if (name === 'firefox') return (await import('./firefox.js')).launchFirefox(options);
  if (name === 'webkit') return (await import('./webkit.js')).launchWebKit(options);
  return (await import('./chromium.js')).launchChromiumEngine(options);
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The expression page script evaluates for {@link EnginePage.evaluate} in drivers that return
 * values their own way: the value as JSON text (`undefined` as no text), so that all three
 * engines hand back the same thing.
 */
export function asJson(expression: string): string {
  return `(async () => { const value = await (${expression}); return value === undefined ? undefined : JSON.stringify(value); })()`;
}

/** Reads what {@link asJson} returned. */
export function fromJson<T>(text: unknown): T {
  return (typeof text === 'string' ? JSON.parse(text) : undefined) as T;
}

/**
 * `promise`, or an error naming `what` once `ms` milliseconds pass without an answer: a driver
 * command that hangs (WebDriver has no timeout on new-session or quit) fails its test with the
 * step's name, in time for the test's own timeout to report it.
 */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** `waitFor` on top of `evaluate`, for the adapters. */
export async function pollUntil<T>(
  evaluate: (expression: string) => Promise<T>,
  expression: string,
  what: string,
  timeout = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await evaluate(expression);
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const url = await evaluate('location.href').catch(() => '?');
      throw new Error(`timed out waiting for ${what} (at ${String(url)}): ${String(last ?? '')}`);
    }
    await sleep(100);
  }
}
