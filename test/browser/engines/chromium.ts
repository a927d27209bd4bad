/**
 * Chromium for the engine suite: the debugger-free CDP harness (harness/cdp.ts), so that a
 * service worker stops as it would for a user; `ServiceWorker.stopAllWorkers` from the page
 * stops it on demand (the idle stop itself, ~30 s, is measured in keep-alive.cdp.ts).
 */
import { launchChromium, type PageSession } from '../harness/cdp.js';
import type { Engine, EngineContext, EnginePage, LaunchOptions } from './engine.js';

function wrap(session: PageSession): EnginePage & { session: PageSession } {
  return {
    session,
    evaluate: (expression) => session.evaluate(expression),
    waitFor: (expression, what, timeout) => session.waitFor(expression, what, timeout),
    goto: (url) => session.goto(url),
    async close() {
      await session.cdp.send('Target.closeTarget', { targetId: session.targetId }).catch(() => {});
    },
  };
}

/** Launches Chromium (`CHROMIUM_PATH`, else Debian's, else Playwright's download). */
export async function launchChromiumEngine(options: LaunchOptions): Promise<Engine> {
  const browser = await launchChromium([...options.hosts]);
  const { product } = await browser.cdp.send<{ product: string }>('Browser.getVersion');
  return {
    name: 'chromium',
    version: product.replace(/^(Headless)?Chrome/, 'chromium'),
    workerStop: 'stop-all-workers',
    async newContext(): Promise<EngineContext> {
      const id = await browser.newContext();
      return {
        newPage: async () => wrap(await browser.newPage(id)),
        async stopWorkers(origin, pages) {
          const page = pages[0] as ReturnType<typeof wrap> | undefined;
          if (!page) throw new Error('stopWorkers needs a page of the context');
          const running = () =>
            browser.workers.filter(
              (w) =>
                w.browserContextId === id &&
                w.url.startsWith(origin) &&
                w.destroyedAt === undefined,
            ).length;
          await page.session.stopAllWorkers();
          const deadline = Date.now() + 10_000;
          while (running() > 0) {
            if (Date.now() > deadline) throw new Error(`the worker of ${origin} did not stop`);
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        },
        async close() {
          await browser.cdp.send('Target.disposeBrowserContext', { browserContextId: id });
        },
      };
    },
    close: () => browser.close(),
  };
}
