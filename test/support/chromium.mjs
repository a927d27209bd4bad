/**
 * Where Chromium is and how it is launched, shared by playwright.config.ts and the benchmarks
 * (plain JavaScript so that Node runs it without a build step).
 */
import { existsSync } from 'node:fs';

/**
 * The Chromium to launch: `CHROMIUM_PATH` (or `PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH`), then
 * Debian's `/usr/bin/chromium`; `undefined` lets Playwright use its own download
 * (`npx playwright install chromium`).
 * @returns {string | undefined}
 */
export function chromiumExecutable() {
  const fromEnv = process.env.CHROMIUM_PATH ?? process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH;
  if (fromEnv) return fromEnv;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return undefined;
}

/**
 * Flags that keep Chromium off the network: every host but loopback resolves to nothing (tests
 * add their own mappings to 127.0.0.1), and background services stay quiet.
 */
export const CHROMIUM_ARGS = [
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launch options for Playwright's `chromium.launch()`. `hosts` resolve to 127.0.0.1.
 * @param {string[]} [hosts]
 */
export function chromiumLaunchOptions(hosts = []) {
  const executablePath = chromiumExecutable();
  const mapped = hosts.map((host) => `MAP ${host} 127.0.0.1`).join(' , ');
  const args = CHROMIUM_ARGS.map((arg) =>
    mapped && arg.startsWith('--host-resolver-rules=')
      ? arg.replace('--host-resolver-rules=', `--host-resolver-rules=${mapped} , `)
      : arg,
  );
  return {
    ...(executablePath ? { executablePath } : {}),
    args,
    // Chromium's sandbox cannot start as root (CI containers).
    ...(process.getuid?.() === 0 ? { chromiumSandbox: false } : {}),
  };
}
