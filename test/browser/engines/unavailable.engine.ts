/**
 * Where an engine lacks what the library needs, the client fails with a typed error instead of
 * half-working: Firefox with service workers turned off (`dom.serviceWorkers.enabled`, which
 * enterprise policies and privacy setups set) has no `navigator.serviceWorker`, and
 * `createIdentityClient` throws `WorkerError` `ERR_WORKER_UNAVAILABLE`. Firefox only: the other
 * engines here have no switch for it.
 */
import { describe, expect, test } from 'vitest';
import { useScenario } from './scenario.js';

describe.runIf((process.env.IMW_ENGINE ?? 'chromium') === 'firefox')(
  'Firefox with service workers turned off',
  () => {
    const scenario = useScenario({}, { firefoxPrefs: { 'dom.serviceWorkers.enabled': false } });

    test('createIdentityClient throws WorkerError ERR_WORKER_UNAVAILABLE', async () => {
      const context = await scenario.engine.newContext();
      const page = await context.newPage();
      await page.goto(`${scenario.env.app.origin}/`);
      await page.waitFor(
        `location.origin === ${JSON.stringify(scenario.env.app.origin)} && document.readyState === 'complete'`,
        'the app page',
      );
      const outcome = await page.evaluate<unknown>(`import('/client.js').then((client) => {
        try {
          client.createIdentityClient({ serviceWorker: '/sw.js' });
          return 'created';
        } catch (error) {
          return { name: error.name, code: error.code, serviceWorker: 'serviceWorker' in navigator };
        }
      })`);
      expect(outcome).toEqual({
        name: 'WorkerError',
        code: 'ERR_WORKER_UNAVAILABLE',
        serviceWorker: false,
      });
      await context.close();
    });
  },
);
