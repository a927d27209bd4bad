/**
 * A 401 from an allowlisted API whose `WWW-Authenticate` the worker cannot read. A
 * cross-origin response shows a service worker only the headers CORS exposes, and
 * `WWW-Authenticate` is not among the safelisted ones: without
 * `Access-Control-Expose-Headers: WWW-Authenticate` the worker cannot see `invalid_token`
 * (RFC 6750 §3.1) and never refreshes on a 401. Said once per API origin per worker start; the
 * page client (src/client/setup-hints.ts) appends the fix to the message.
 *
 * @module
 */

import type { WorkerEvent } from '../src/protocol/messages.js';

/** API origins already warned about (one warning per origin per worker). */
const warned = new Set<string>();

/**
 * The warning for `response` to a request for `url`, or `undefined`: only for a 401 of a CORS
 * response that shows no `WWW-Authenticate` (a same-origin response shows every header, so there
 * the API did not send one), and only the first time for the origin.
 */
export function unreadableChallengeWarning(
  response: Pick<Response, 'status' | 'type' | 'headers'>,
  url: string,
): Extract<WorkerEvent, { type: 'warning' }> | undefined {
  if (response.status !== 401 || response.type !== 'cors') return undefined;
  if (response.headers.get('www-authenticate') !== null) return undefined;
  const origin = new URL(url).origin;
  if (warned.has(origin)) return undefined;
  warned.add(origin);
  return {
    type: 'warning',
    code: 'WARN_WWW_AUTHENTICATE_HIDDEN',
    // The fact only: the page client adds what to change (its text stays out of the worker).
    message: `${origin} answered 401 with no WWW-Authenticate header readable through CORS.`,
  };
}
