/**
 * The session after the browser stops the service worker, in each engine's own way (DESIGN.md
 * §5, issue 11): Chromium stops an idle worker ~30 s after its last event (here at once, with
 * `ServiceWorker.stopAllWorkers`; the 30 s idle stop is measured in keep-alive.cdp.ts), Firefox
 * likewise (here after 3 s: `dom.serviceWorkers.idle_timeout`), WebKit only ~10 s after the last
 * page of the origin leaves.
 *
 * What survives a stop (DESIGN.md §3): DPoP-bound persisted sessions resume at once; without
 * DPoP, a silent `prompt=none` re-authentication. These specs use a Bearer client, so they see
 * the silent re-authentication ({@link expectSessionAfterStop}).
 */
import { describe, expect, test } from 'vitest';
import { sleep } from './engine.js';
import {
  bearer,
  call,
  type EnginePage,
  eventTypes,
  getUser,
  openApp,
  signIn,
  useScenario,
} from './scenario.js';

/** Firefox's idle timeout for this file, in ms (the browser's own is 30 s). */
const IDLE = 3_000;

const scenario = useScenario({}, { workerIdleTimeout: IDLE });
const env = () => scenario.env;
const engine = process.env.IMW_ENGINE ?? 'chromium';

/** One API call from `page` and what the API saw of it. */
async function apiCall(page: EnginePage, path: string) {
  const before = env().api.requests.length;
  const { status } = await call(page, scenario.api(path));
  return { status, seen: env().api.requests.slice(before) };
}

/** Token and authorization requests the provider has answered so far. */
function providerRequests() {
  const counts = env().op.counts;
  const of = (key: string) => counts[key] ?? 0;
  const tokens = Object.keys(counts)
    .filter((key) => key.startsWith('token:'))
    .reduce((sum, key) => sum + of(key), 0);
  return { tokens, authorizations: of('/auth') + of('/request') };
}

/**
 * The session after the worker was stopped, with a Bearer client (no DPoP): the restarted worker
 * has no tokens, finds its session marker and signs in again silently (`prompt=none` in a frame
 * the page makes; the worker answers its callback), so the next API call carries a new valid
 * token after one more authorization (a PAR request and an authorization request), and the state is `authenticated` again. (The
 * DPoP-bound resume, with no provider request at all, is dpop-resume.cdp.ts in Chromium.)
 */
async function expectSessionAfterStop(
  page: EnginePage,
  token: string,
  atProvider: { authorizations: number },
) {
  const after = await apiCall(page, 'after-stop');
  expect(after.status).toBe(200);
  expect(after.seen).toEqual([expect.objectContaining({ valid: true })]);
  expect(bearer(after.seen[0]!.authorization)).not.toBe(token);
  // One silent authorization: pushed first (PAR, `/request`), then `/auth` with its request_uri.
  expect(providerRequests().authorizations).toBe(atProvider.authorizations + 2);
  expect(await getUser(page)).toMatchObject({ state: 'authenticated', user: { sub: 'alice' } });
  expect(await eventTypes(page)).not.toContain('sessionexpired');
}

describe(`the worker's lifecycle in ${engine}`, () => {
  test('after the browser stops the worker, a silent sign-in restores the session: the next call has a new token', async () => {
    // No keep-alive: the idle stop (Firefox) must be able to happen.
    const { context, page } = await scenario.openContext('/?keepAlive=0');
    await signIn(page, env());
    const before = await apiCall(page, 'before-stop');
    expect(before.status).toBe(200);
    expect(before.seen).toEqual([expect.objectContaining({ valid: true })]);
    const atProvider = providerRequests();

    await context.stopWorkers(env().app.origin, [page]);
    const reloaded = scenario.engine.workerStop === 'leave-origin';
    // WebKit: back on the app after every page had left it.
    if (reloaded) await openApp(page, env(), '/?keepAlive=0');
    await expectSessionAfterStop(page, bearer(before.seen[0]!.authorization)!, atProvider);
  });

  // Chromium: the keep-alive against the real 30 s idle stop is keep-alive.cdp.ts (3 minutes).
  test.skipIf(engine === 'chromium')(
    'while the session is kept (Firefox: the keep-alive; WebKit: an open page), an idle page keeps its tokens',
    async () => {
      // Firefox: a keep-alive a second against the 3 s idle timeout. WebKit keeps the worker
      // while a page of its origin is open, so no keep-alive at all.
      const path = engine === 'firefox' ? '/?keepAlive=1' : '/?keepAlive=0';
      const { page } = await scenario.openContext(path);
      await signIn(page, env());
      const atProvider = providerRequests();

      // Idle for several idle windows (Firefox) / longer than WebKit's stop delay.
      await sleep(engine === 'firefox' ? 4 * IDLE : 15_000);

      const after = await apiCall(page, 'after-idle');
      expect(after.status).toBe(200);
      expect(after.seen).toEqual([
        expect.objectContaining({ valid: true, authorization: expect.stringMatching(/^Bearer /) }),
      ]);
      expect(await getUser(page)).toMatchObject({ state: 'authenticated', user: { sub: 'alice' } });
      expect(await eventTypes(page)).not.toContain('sessionexpired');
      // Kept, not recovered: no new token or authorization request.
      expect(providerRequests()).toEqual(atProvider);
    },
  );
});
