/**
 * Glewlwyd 2.7 (Debian's `glewlwyd`) as a second real provider for the tests: find it, start
 * and provision it, drive its login. See test/support/glewlwyd/README.md.
 */
import { findGlewlwyd } from './install.js';

export { findGlewlwyd, type GlewlwydInstall, INSTALL_HINT } from './install.js';
export { GLEWLWYD_API_SCOPE, type GlewlwydProvisioning } from './provision.js';
export { type GlewlwydServer, type StartOptions, startGlewlwyd } from './server.js';
export { GlewlwydSession } from './session.js';
export { GlewlwydUserAgent } from './user-agent.js';

/**
 * Why Glewlwyd suites skip here, or `undefined` when they run. They skip only on a developer
 * machine without Glewlwyd; under CI (`CI` set, not `false`/`0`) they always run, so a missing
 * Glewlwyd fails the run with the reason instead of passing silently.
 */
export function glewlwydSkipReason(): string | undefined {
  const install = findGlewlwyd();
  if (install.available) return undefined;
  const ci = process.env.CI;
  if (ci && ci !== 'false' && ci !== '0') return undefined;
  return install.reason;
}
