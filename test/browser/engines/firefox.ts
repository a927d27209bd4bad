/**
 * Firefox for the engine suite: Debian's Firefox ESR (`FIREFOX_PATH`, else `/usr/bin/firefox-esr`,
 * else `/usr/bin/firefox`) driven by puppeteer-core over WebDriver BiDi (there is no geckodriver
 * package). Host names map to 127.0.0.1 with `network.dns.localDomains`; a worker's idle stop is
 * made short with `dom.serviceWorkers.idle_timeout`, as users' browsers stop it after 30 s.
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import {
  asJson,
  type Engine,
  type EngineContext,
  type EnginePage,
  fromJson,
  type LaunchOptions,
  pollUntil,
  sleep,
} from './engine.js';

/** The Firefox binary: `FIREFOX_PATH`, else Debian's ESR, else a `firefox` in /usr/bin. */
export function firefoxExecutable(): string {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) return fromEnv;
  for (const path of ['/usr/bin/firefox-esr', '/usr/bin/firefox'])
    if (existsSync(path)) return path;
  throw new Error('No Firefox found: set FIREFOX_PATH or install firefox-esr (apt-get)');
}

function wrap(page: Page): EnginePage {
  const evaluate = async <T>(expression: string) =>
    fromJson<T>(await page.evaluate(asJson(expression)));
  return {
    evaluate,
    waitFor: <T>(expression: string, what: string, timeout?: number) =>
      pollUntil<T>(evaluate, expression, what, timeout),
    async goto(url) {
      // Started, not awaited: a worker's redirect or the next navigation may abort this one.
      page.goto(url).catch(() => {});
      await sleep(50);
    },
    close: () => page.close().catch(() => {}),
  };
}

/** Launches Firefox headless with the hosts mapped and, if asked, a short worker idle timeout. */
export async function launchFirefox(options: LaunchOptions): Promise<Engine> {
  const idle = options.workerIdleTimeout;
  const browser: Browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxExecutable(),
    headless: true,
    extraPrefsFirefox: {
      'network.dns.localDomains': options.hosts.join(','),
      ...(idle === undefined
        ? {}
        : {
            'dom.serviceWorkers.idle_timeout': idle,
            // While an event is pending (a fetch waiting for the provider): a little longer.
            'dom.serviceWorkers.idle_extended_timeout': idle + 10_000,
          }),
    },
  });
  return {
    name: 'firefox',
    version: await browser.version(),
    workerStop: 'idle-timeout',
    async newContext(): Promise<EngineContext> {
      const context = await browser.createBrowserContext();
      return {
        newPage: async () => wrap(await context.newPage()),
        async stopWorkers() {
          if (idle === undefined) {
            throw new Error('Firefox stops workers by idle timeout: launch with workerIdleTimeout');
          }
          // Nothing observes a Firefox worker without attaching to it: wait out the idle window
          // (no event reaches the worker meanwhile) with a margin; specs check the effect.
          await sleep(idle + 3_000);
        },
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}
