/**
 * Chromium driven over the DevTools protocol with no debugger on any service worker.
 *
 * A debugger attached to a service worker keeps it alive (Chromium never stops it for idleness),
 * and Playwright attaches to every worker; so idle, stop and restart tests launch Chromium here
 * and attach to page targets only (DESIGN.md §5). Worker targets are watched through
 * `Target.setDiscoverTargets`, which reports them being created and destroyed without
 * attaching. Needs Node's `WebSocket` (`--experimental-websocket` on Node 20).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumLaunchOptions } from '../../support/chromium.mjs';

type Params = Record<string, unknown>;

/** A target as `Target.targetCreated` / `targetInfoChanged` describe it. */
export interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  browserContextId?: string;
}

/** A service-worker target's life as seen from the browser: when it appeared and went away. */
export interface WorkerTarget {
  readonly targetId: string;
  readonly url: string;
  readonly browserContextId: string | undefined;
  /** `Date.now()` when the target was reported. */
  readonly createdAt: number;
  /** `Date.now()` when it was destroyed (the worker stopped), if it was. */
  destroyedAt?: number;
}

/** One CDP connection (the browser's), with flat sessions for attached pages. */
export class Cdp {
  #nextId = 1;
  readonly #pending = new Map<
    number,
    { resolve: (value: Params) => void; reject: (error: Error) => void }
  >();
  readonly #listeners = new Set<(method: string, params: Params, sessionId?: string) => void>();

  constructor(readonly socket: WebSocket) {
    // A browser that exits (e.g. on `Browser.close`) may close the socket before answering:
    // settle what is pending instead of leaving its callers waiting for ever.
    socket.addEventListener('close', () => {
      for (const pending of this.#pending.values()) pending.reject(new Error('CDP socket closed'));
      this.#pending.clear();
    });
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as {
        id?: number;
        result?: Params;
        error?: { message: string };
        method?: string;
        params?: Params;
        sessionId?: string;
      };
      if (message.id !== undefined) {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.error) pending?.reject(new Error(message.error.message));
        else pending?.resolve(message.result ?? {});
      } else if (message.method) {
        for (const listener of this.#listeners)
          listener(message.method, message.params ?? {}, message.sessionId);
      }
    });
  }

  /** Sends a command (to the browser, or to an attached target's `sessionId`). */
  send<T = Params>(method: string, params: Params = {}, sessionId?: string): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: Params) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params, sessionId }));
    });
  }

  /** Calls `listener` for every event; returns the unsubscribe function. */
  on(listener: (method: string, params: Params, sessionId?: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** A launched Chromium: its CDP connection and the service-worker targets it has reported. */
export interface Browser {
  readonly cdp: Cdp;
  /** Every service-worker target reported since launch, in order. */
  readonly workers: WorkerTarget[];
  /** A fresh, isolated browser context (own service workers, storage and cookies). */
  newContext(): Promise<string>;
  /**
   * Opens a page in `browserContextId` (default: the browser's default context, the one whose
   * storage a `profile` keeps) and attaches to it (and only it).
   */
  newPage(browserContextId?: string): Promise<PageSession>;
  /**
   * Opens a tab in `browserContextId` in front of the others (their pages become hidden), without
   * attaching to it; returns its target id.
   */
  newTabInFront(browserContextId: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Launches Chromium (test/support/chromium.mjs: path and flags; `hosts` resolve to 127.0.0.1)
 * headless with `--remote-debugging-port=0`, connects to the port it prints, and starts
 * discovering targets (without attaching to any). `extraArgs` go on the command line too.
 * `options.profile`: a user-data directory to use and keep (a browser restart reopens it);
 * by default a temporary one, deleted at `close()`.
 */
export async function launchChromium(
  hosts: string[] = [],
  extraArgs: string[] = [],
  options: { profile?: string } = {},
): Promise<Browser> {
  const launch = chromiumLaunchOptions(hosts) as {
    executablePath?: string;
    args: string[];
    chromiumSandbox?: boolean;
  };
  // No Debian Chromium: Playwright's download (only its path is used; nothing attaches).
  launch.executablePath ??= (await import('@playwright/test')).chromium.executablePath();
  const profile = options.profile ?? (await mkdtemp(join(tmpdir(), 'imw-cdp-')));
  const child: ChildProcess = spawn(
    launch.executablePath,
    [
      ...launch.args,
      '--headless',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      ...(launch.chromiumSandbox === false ? ['--no-sandbox'] : []),
      ...extraArgs,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${text}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`Chromium exited (${code}): ${text}`)));
  });
  child.stderr?.resume();
  const socket = new WebSocket(endpoint);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  const cdp = new Cdp(socket);
  const workers: WorkerTarget[] = [];
  cdp.on((method, params) => {
    if (method === 'Target.targetCreated') {
      const info = params.targetInfo as TargetInfo;
      if (info.type !== 'service_worker') return;
      workers.push({
        targetId: info.targetId,
        url: info.url,
        browserContextId: info.browserContextId,
        createdAt: Date.now(),
      });
    } else if (method === 'Target.targetDestroyed') {
      const worker = workers.find((w) => w.targetId === params.targetId);
      if (worker && worker.destroyedAt === undefined) worker.destroyedAt = Date.now();
    }
  });
  await cdp.send('Target.setDiscoverTargets', { discover: true });

  return {
    cdp,
    workers,
    async newContext() {
      const { browserContextId } = await cdp.send<{ browserContextId: string }>(
        'Target.createBrowserContext',
      );
      return browserContextId;
    },
    async newPage(browserContextId) {
      const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', {
        url: 'about:blank',
        browserContextId,
      });
      const { targetInfo } = await cdp.send<{ targetInfo: TargetInfo }>('Target.getTargetInfo', {
        targetId,
      });
      const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', {
        targetId,
        flatten: true,
      });
      await cdp.send('Page.enable', {}, sessionId);
      return new PageSession(cdp, targetId, sessionId, targetInfo.browserContextId ?? '');
    },
    async newTabInFront(browserContextId) {
      const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', {
        url: 'about:blank',
        browserContextId,
      });
      await cdp.send('Target.activateTarget', { targetId });
      return targetId;
    },
    async close() {
      await cdp.send('Browser.close').catch(() => {});
      socket.close();
      if (child.exitCode === null) {
        await new Promise((resolve) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve(undefined);
          }, 5_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve(undefined);
          });
        });
      }
      if (options.profile === undefined) await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A page target the test is attached to (flat session). */
export class PageSession {
  constructor(
    readonly cdp: Cdp,
    readonly targetId: string,
    readonly sessionId: string,
    readonly browserContextId: string,
  ) {}

  /** Sends a command to this page's session (e.g. `ServiceWorker.stopAllWorkers`). */
  send<T = Params>(method: string, params: Params = {}): Promise<T> {
    return this.cdp.send<T>(method, params, this.sessionId);
  }

  /**
   * Evaluates `expression` in the page (awaiting a promise) and returns its JSON value; throws
   * the page's exception.
   */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.send<{
      result: { value?: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) {
      throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    }
    return result.value as T;
  }

  /**
   * Evaluates `expression` until it returns something truthy (errors while the page navigates
   * count as not yet); returns that value.
   */
  async waitFor<T>(expression: string, what: string, timeout = 15_000): Promise<T> {
    const deadline = Date.now() + timeout;
    let last: unknown;
    for (;;) {
      try {
        const value = await this.evaluate<T>(expression);
        if (value) return value;
      } catch (error) {
        last = error;
      }
      if (Date.now() > deadline) {
        const url = await this.evaluate<string>('location.href').catch(() => '?');
        throw new Error(`timed out waiting for ${what} (at ${url}): ${String(last ?? '')}`);
      }
      await sleep(100);
    }
  }

  /** Navigates to `url` (does not wait for the load). */
  async goto(url: string): Promise<void> {
    await this.send('Page.navigate', { url });
  }

  /** Stops every service worker of this page's context (ServiceWorker domain, no attaching). */
  async stopAllWorkers(): Promise<void> {
    await this.send('ServiceWorker.enable');
    await this.send('ServiceWorker.stopAllWorkers');
  }
}
