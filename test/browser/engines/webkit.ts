/**
 * WebKit for the engine suite: WebKitGTK's MiniBrowser driven by WebKitWebDriver (Debian's
 * `webkit2gtk-driver`) through selenium-webdriver. Paths: `WEBKIT_DRIVER_PATH` (default
 * `/usr/bin/WebKitWebDriver`) and `MINIBROWSER_PATH` (default: the one webkit2gtk-4.1 or 4.0
 * ships). MiniBrowser needs a display: run under `xvfb-run -a` (without one the new-session
 * call hangs instead of failing, so this checks first). Each context is its own WebDriver
 * session (its own MiniBrowser, own storage); its pages are the session's windows, driven one
 * at a time. Host names reach 127.0.0.1 through a local proxy (host-proxy.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { Builder, type WebDriver } from 'selenium-webdriver';
import {
  asJson,
  type Engine,
  type EngineContext,
  type EnginePage,
  fromJson,
  type LaunchOptions,
  pollUntil,
  sleep,
  within,
} from './engine.js';
import { startHostProxy } from './host-proxy.js';

/** WebKit keeps a worker while a page of its origin is open and stops it ~10 s after the last leaves. */
const LEAVE_ORIGIN_WAIT = 15_000;
/**
 * A new MiniBrowser session answers in 0.5–2 s, up to 10 s on a loaded machine; now and then the
 * driver never starts the browser at all (see {@link NO_SESSION_BUS}), and then waiting longer
 * does not help: a fresh driver does. So each try is bounded, and there are a few.
 */
const NEW_SESSION_WAIT = 15_000;
const NEW_SESSION_TRIES = 4;
/** Any other command: the page-load and script timeouts (30 s) answer before this. */
const COMMAND_WAIT = 45_000;
/** Closing a session: afterwards the driver and its MiniBrowser are killed. */
const QUIT_WAIT = 10_000;

/** The WebKitWebDriver binary. */
export function webkitDriverExecutable(): string {
  return process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
}

/** The MiniBrowser binary. */
export function miniBrowserExecutable(): string {
  if (process.env.MINIBROWSER_PATH) return process.env.MINIBROWSER_PATH;
  for (const version of ['4.1', '4.0']) {
    const path = `/usr/lib/x86_64-linux-gnu/webkit2gtk-${version}/MiniBrowser`;
    if (existsSync(path)) return path;
  }
  throw new Error('No MiniBrowser found: set MINIBROWSER_PATH or install webkit2gtk-driver');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Without a D-Bus session bus, GLib in the driver and in MiniBrowser spawns `dbus-launch` (absent
 * in CI) to autolaunch one, at every new session. Now and then a new session hangs with no
 * MiniBrowser started: 1 to 4 times in 15 sessions under `xvfb-run`, never under strace (which
 * slows the race away). An address that fails at once keeps GLib from spawning anything (a
 * session bus the machine does have is used as it is), and made it rarer (2 in 25); the bounded
 * tries of {@link NEW_SESSION_WAIT} handle the rest.
 */
const NO_SESSION_BUS: NodeJS.ProcessEnv = process.env.DBUS_SESSION_BUS_ADDRESS
  ? {}
  : { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/identity-model-web/no-session-bus' };

async function startDriver(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  // Its own process group, so that killing it also ends the MiniBrowser it started.
  const child = spawn(webkitDriverExecutable(), [`--port=${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
    env: { ...process.env, ...NO_SESSION_BUS },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited: ${stderr}`);
    const ready = await fetch(`${url}/status`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { child, url };
    if (Date.now() > deadline) {
      kill(child);
      throw new Error(`WebKitWebDriver did not start: ${stderr}`);
    }
    await sleep(100);
  }
}

/** Ends a driver and the MiniBrowser it started (its process group). */
function kill(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/**
 * Launches the host proxy; each context is a WebDriver session of its own WebKitWebDriver
 * (a driver serves one session at a time).
 */
export async function launchWebKit(options: LaunchOptions): Promise<Engine> {
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    throw new Error('WebKitGTK needs a display: run the WebKit suite under `xvfb-run -a`');
  }
  const binary = miniBrowserExecutable();
  const proxy = await startHostProxy(options.hosts);
  const sessions = new Set<{ driver: WebDriver; child: ChildProcess }>();
  const attempt = async () => {
    const server = await startDriver();
    try {
      const driver = await within(
        NEW_SESSION_WAIT,
        'WebKitWebDriver new session',
        new Builder()
          .usingServer(server.url)
          .withCapabilities({
            browserName: 'MiniBrowser',
            'webkitgtk:browserOptions': { binary, args: ['--automation'] },
            proxy: {
              proxyType: 'manual',
              httpProxy: proxy.address,
              noProxy: ['localhost', '127.0.0.1'],
            },
          })
          .build(),
      );
      const session = { driver, child: server.child };
      sessions.add(session);
      return session;
    } catch (error) {
      kill(server.child);
      throw error;
    }
  };
  // A browser that never answers the new-session call is the machine's trouble, not the
  // library's: another driver and browser, a few times, then the error.
  const open = async () => {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        if (tries >= NEW_SESSION_TRIES) throw error;
      }
    }
  };
  const quit = async (session: { driver: WebDriver; child: ChildProcess }) => {
    sessions.delete(session);
    await within(QUIT_WAIT, 'WebKitWebDriver quit', session.driver.quit()).catch(() => {});
    kill(session.child);
  };

  let spare: Awaited<ReturnType<typeof open>> | undefined = await open();
  const capabilities = await spare.driver.getCapabilities();
  const version = `webkitgtk/${String(capabilities.get('browserVersion'))}`;

  return {
    name: 'webkit',
    version,
    workerStop: 'leave-origin',
    async newContext(): Promise<EngineContext> {
      const session = spare ?? (await open());
      spare = undefined;
      const { driver } = session;
      await driver.manage().setTimeouts({ script: 30_000, pageLoad: 30_000 });
      // One window at a time: every command switches to its page's window first.
      let queue: Promise<unknown> = Promise.resolve();
      let current: string | undefined;
      const queued = <T>(step: () => Promise<T>): Promise<T> => {
        const next = queue.then(() => within(COMMAND_WAIT, 'WebKitWebDriver command', step()));
        queue = next.catch(() => {});
        return next;
      };
      const run = <T>(handle: string, step: () => Promise<T>): Promise<T> =>
        queued(async () => {
          if (current !== handle) {
            await driver.switchTo().window(handle);
            current = handle;
          }
          return step();
        });
      let initialUsed = false;
      const newPage = async (): Promise<EnginePage> => {
        let handle: string;
        if (!initialUsed) {
          initialUsed = true;
          handle = await driver.getWindowHandle();
        } else {
          handle = await queued(async () => {
            await driver.switchTo().newWindow('tab');
            current = await driver.getWindowHandle();
            return current;
          });
        }
        const evaluate = <T>(expression: string) =>
          run(handle, async () =>
            fromJson<T>(await driver.executeScript(`return ${asJson(expression)};`)),
          );
        const page: EnginePage = {
          evaluate,
          waitFor: <T>(expression: string, what: string, timeout?: number) =>
            pollUntil<T>(evaluate, expression, what, timeout),
          async goto(url) {
            // A worker's redirect or a later navigation may interrupt this one: specs wait for
            // what they need with waitFor.
            await run(handle, () => driver.get(url)).catch(() => {});
          },
          async close() {
            await run(handle, async () => {
              await driver.close();
              current = undefined;
            }).catch(() => {});
          },
        };
        return page;
      };
      return {
        newPage,
        async stopWorkers(_origin, leaving) {
          for (const page of leaving) await page.goto('about:blank');
          await sleep(LEAVE_ORIGIN_WAIT);
        },
        close: () => quit(session),
      };
    },
    async close() {
      await Promise.all([...sessions].map(quit));
      await proxy.close();
    },
  };
}
