/**
 * The scenario layer the engine specs (`*.engine.ts`) are written against: the world (a real
 * oidc-provider, the demo API, the keep-alive test app serving the stand-alone worker), one
 * engine from `IMW_ENGINE` (engine.ts), and the steps a spec takes: open the app, sign in,
 * call an API through the worker, read the session, move the worker's clock, stop the worker.
 * What the servers saw is read from them directly (`env.api.requests`, `env.op.counts`).
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startCdpApp } from '../harness/cdp-app.js';
import { openApp, signIn } from '../harness/cdp-sign-in.js';
import { type Env, startEnv, stopEnv } from '../harness/world.js';
import {
  type Engine,
  type EngineContext,
  type EnginePage,
  engineName,
  type LaunchOptions,
  launchEngine,
} from './engine.js';

export type { Engine, EngineContext, EnginePage };
export { openApp, signIn };

/** The demo API's name and the look-alikes that must never get its token (all on 127.0.0.1). */
export const TEST_HOSTS = ['api.test.com', 'api.test.com.evil.net', 'apixtest.com', 'evil.test'];

/** What `useScenario` hands the spec once `beforeAll` has run. */
export interface Scenario {
  readonly env: Env;
  readonly engine: Engine;
  /**
   * A fresh context with one page on the app (ready; `path` e.g. `/?keepAlive=0`), closed after
   * the test, or after the file when `keep` (a session several tests share).
   */
  openContext(path?: string, keep?: boolean): Promise<{ context: EngineContext; page: EnginePage }>;
  /** An allowlisted API URL (`/v1/<path>` on api.test.com). */
  api(path: string): string;
}

/**
 * Starts the world and the engine for the current file (closed after it); `providerOptions`
 * go to the demo provider (e.g. `{ apiAccessTokenTTL: 120 }`).
 */
export function useScenario(
  providerOptions: Parameters<typeof startEnv>[0] = {},
  launch: Omit<LaunchOptions, 'hosts'> = {},
): Scenario {
  let env: Env | undefined;
  let engine: Engine | undefined;
  const contexts: EngineContext[] = [];
  const kept: EngineContext[] = [];
  beforeAll(async () => {
    env = await startEnv(providerOptions, await startCdpApp());
    engine = await launchEngine(engineName(), { hosts: TEST_HOSTS, ...launch });
    console.log(`engine: ${engine.version}`);
  });
  // Each test's contexts close after it (WebKit: one MiniBrowser and driver each).
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close().catch(() => {});
  });
  afterAll(async () => {
    for (const context of kept) await context.close().catch(() => {});
    await engine?.close();
    await stopEnv(env);
  });
  const scenario: Scenario = {
    get env() {
      if (!env) throw new Error('the scenario starts in beforeAll');
      return env;
    },
    get engine() {
      if (!engine) throw new Error('the scenario starts in beforeAll');
      return engine;
    },
    async openContext(path = '/', keep = false) {
      const context = await scenario.engine.newContext();
      (keep ? kept : contexts).push(context);
      const page = await context.newPage();
      await openApp(page, scenario.env, path);
      return { context, page };
    },
    api: (path) => `${scenario.env.api.origin()}/v1/${path}`,
  };
  return scenario;
}

/** A fetch from the page (through its worker): status and body text. */
export function call(
  page: EnginePage,
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; body: string }> {
  return page.evaluate(
    `fetch(${JSON.stringify(url)}, ${JSON.stringify(init)}).then(async (r) => ({ status: r.status, body: await r.text() }))`,
  );
}

/** Starts fetches of `urls` at once from `page` (kept on `window`); {@link finishCalls} awaits them. */
export async function startCalls(page: EnginePage, urls: readonly string[]): Promise<void> {
  await page.evaluate(
    `void (window.__pending = Promise.all(${JSON.stringify(urls)}.map(async (url) => { const r = await fetch(url); return { status: r.status, body: await r.text() }; })))`,
  );
}

/** The answers to the fetches {@link startCalls} started on `page`. */
export function finishCalls(page: EnginePage): Promise<{ status: number; body: string }[]> {
  return page.evaluate('window.__pending');
}

/** The session as the page's client reports it. */
export interface PageUser {
  state: 'authenticated' | 'unauthenticated' | 'expired';
  user: { sub: string; claims: Record<string, unknown>; expiresAt: number } | null;
}

/** `identity.getUser()` on `page`. */
export const getUser = (page: EnginePage) => page.evaluate<PageUser>('window.identity.getUser()');

/** The types of the events the page's client delivered, in order. */
export const eventTypes = (page: EnginePage) =>
  page.evaluate<string[]>('window.events.map((e) => e.type)');

/**
 * Moves the clock of the worker controlling `page` `offset` ms from real time (0: real time),
 * through the test app's configuration script (harness/app-server.ts); resolves once applied.
 */
export async function setWorkerClock(page: EnginePage, offset: number): Promise<void> {
  const answer = await page.evaluate<string>(`new Promise((resolve, reject) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => reject(new Error('the worker did not answer')), 5000);
    channel.port1.onmessage = (event) => { clearTimeout(timer); resolve(event.data); };
    navigator.serviceWorker.controller.postMessage({ type: '__setClockOffset', offset: ${offset} }, [channel.port2]);
  })`);
  if (answer !== 'ok') throw new Error(`the worker answered ${String(answer)}`);
}

/** The bearer token of an Authorization header (null when there was none). */
export const bearer = (authorization: string | null) =>
  authorization?.replace(/^Bearer /, '') ?? null;
