/**
 * The page's error when the browser refuses to register the worker. The browser says only
 * "ServiceWorker script evaluation failed" (Chromium) or "encountered an error during
 * installation" (Firefox), with no code; the usual cause is the worker's configuration, which
 * the page cannot see, so the message names it and where to read the worker's own error.
 *
 * @module
 */

import { WorkerError } from '../protocol/errors.js';

/** The browsers' words for a script that loaded but threw while it ran. */
const EVALUATION_FAILED = /evaluation failed|error during installation|importScripts/i;
/** The browsers' words for a script that could not be fetched. */
const NOT_SERVED = /bad HTTP response|404|MIME type|could not be fetched|failed to fetch/i;

/**
 * A `WorkerError` (`ERR_WORKER_UNAVAILABLE`) for a failed registration of `script`, saying what
 * to change for the likely cause (as setup-hints.ts does: "To fix: …"); the browser's error is
 * kept as `cause` and quoted in the message.
 *
 * @example
 * ```ts
 * await workbox.register().catch((error) => { throw workerStartError('/sw.js', error); });
 * // WorkerError: The service worker /sw.js did not start (… evaluation failed). To fix: serve
 * //   identity-model-web.config.js next to the stand-alone worker, setting …
 * ```
 */
export function workerStartError(script: string, error: unknown): WorkerError {
  const said = error instanceof Error ? error.message : String(error);
  // Kept short: every byte here is in the page bundle.
  const fix = EVALUATION_FAILED.test(said)
    ? ' To fix: serve identity-model-web.config.js next to the stand-alone worker, setting ' +
      'self.identityModelWebConfig (its script threw: its console says why).'
    : NOT_SERVED.test(said)
      ? ' To fix: serve the script at that URL, as JavaScript.'
      : '';
  return new WorkerError(
    'ERR_WORKER_UNAVAILABLE',
    `The service worker ${script} did not start (${said}).${fix}`,
    { cause: error },
  );
}
