/**
 * Configuration advice the worker can check itself. The worker asks only for
 * `response_mode=query`; a provider that also answers in a fragment or by `web_message` lets
 * script in the page run its own authorization request with the app's client_id and redirect
 * URI and receive the code where the worker cannot stop it: `web_message` posts it to the
 * opener window, and a fragment reaches any redirect URI the worker and the host's callback
 * guard do not answer. Only the provider's client configuration closes that: restrict the
 * client to `query` (where the provider allows it per client) and register exactly one redirect
 * URI, the one the worker answers.
 *
 * @module
 */

import type { DiscoveryDocument } from '../src/core/discovery/document.js';
import type { WorkerEvent } from '../src/protocol/messages.js';

/** Response modes that deliver a code where neither the worker nor the host guard answers. */
const RISKY_MODES = ['web_message', 'fragment'] as const;

/** The warning for `disco`, or `undefined` when it advertises no risky response mode. */
export function responseModeWarning(
  disco: DiscoveryDocument,
  redirectUri: string,
): Extract<WorkerEvent, { type: 'warning' }> | undefined {
  const supported = disco.responseModesSupported ?? [];
  const risky = RISKY_MODES.filter((mode) => supported.includes(mode));
  if (risky.length === 0) return undefined;
  return {
    type: 'warning',
    code: 'WARN_RESPONSE_MODES',
    // The facts only: the page client adds what to change (src/client/setup-hints.ts), so that
    // its text stays out of the worker bundle.
    message:
      `The provider supports response_mode ${risky.join(' and ')}: page script can use them ` +
      `to get a code for ${redirectUri} that the worker never sees.`,
  };
}
