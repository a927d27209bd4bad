/**
 * The fetch hot path never waits for the provider: when the worker's discovery document has
 * expired, API calls go out at once (the last known document still says what the provider's
 * endpoints are) while a reload runs in the background.
 */
import { type Env, expect, signIn, startEnv, stopEnv, test } from './harness/env.js';
import { call, serviceWorker, setWorkerClock } from './harness/worker.js';

type Handle = (
  ctx: { method: string; path: string; get(header: string): string },
  next: (ctx: unknown) => Promise<void>,
) => Promise<void>;

let env: Env;
let holding = false;
const held: (() => void)[] = [];

test.beforeAll(async () => {
  // Access tokens that outlive the discovery document's hour in the worker's cache.
  env = await startEnv({ apiAccessTokenTTL: 7200 });
  // Holds the browser's discovery requests while `holding` (the API, in Node, is not held);
  // handleRequest is looked up per request, so wrapping it reaches a running provider.
  const provider = env.op.provider as { handleRequest: Handle };
  const original = provider.handleRequest;
  provider.handleRequest = function (this: unknown, ctx, next) {
    const fromBrowser = /Chrome/.test(ctx.get('user-agent'));
    if (holding && fromBrowser && ctx.path === '/.well-known/openid-configuration') {
      return new Promise<void>((resolve) => held.push(resolve)).then(() =>
        original.call(this, ctx, next),
      );
    }
    return original.call(this, ctx, next);
  };
});
test.afterAll(async () => {
  for (const resume of held.splice(0)) resume();
  await stopEnv(env);
});

test('an expired discovery document does not hold up API calls; it is reloaded in the background', async ({
  context,
  page,
}) => {
  await signIn(page, env, 'alice');
  expect((await call(page, `${env.api.origin()}/v1/me`)).status).toBe(200);
  const worker = await serviceWorker(context, env.app.origin);
  holding = true;
  await setWorkerClock(worker, 3_700_000); // past the document's hour, well inside the token's two

  const started = Date.now();
  const result = await call(page, `${env.api.origin()}/v1/me`);
  expect(result.status).toBe(200);
  expect(JSON.parse(result.body)).toMatchObject({ sub: 'alice' });
  expect(env.api.requests.at(-1)).toMatchObject({ path: '/v1/me', valid: true });
  // The call was answered while the provider still held the worker's discovery reload.
  await expect.poll(() => held.length).toBe(1);
  expect(Date.now() - started).toBeLessThan(5_000);
  // A second call while the reload is held does not start another one.
  expect((await call(page, `${env.api.origin()}/v1/me`)).status).toBe(200);
  expect(held.length).toBe(1);
  holding = false;
  for (const resume of held.splice(0)) resume();
});
