/**
 * What to change, for the setup mistakes a first sign-in meets (a provider or an API set up
 * differently from the worker). The worker reports the facts only: an error's code, the OAuth
 * `error` the provider sent (RFC 6749 §4.1.2.1 and §5.2, RFC 9126 §2.3, RFC 8707 §2) and which
 * sign-in request failed (`step`), or a warning's code. The text lives here, in the page bundle,
 * so that the worker bundle does not carry it: one line naming the setting that fixes it,
 * appended to the message as "To fix: …", so that the `login()` rejection and the `error` event
 * are enough to act on without the provider's logs.
 *
 * @module
 */

import type { SerializedError, WorkerEvent } from '../protocol/messages.js';

const CODE_FLOW = 'allow the client the code flow and refresh tokens';

/**
 * The fix by OAuth `error` of a refused sign-in request, or by code. Kept short: every byte here
 * is in the page bundle.
 */
const HINTS: Readonly<Record<string, string>> = {
  invalid_target: 'the provider must know each `resource` of `apis` (RFC 8707), or remove it',
  invalid_client: 'register `clientId` as a public client (no secret)',
  unauthorized_client: CODE_FLOW,
  unsupported_response_type: CODE_FLOW,
  invalid_scope: 'allow the client `scope`, or change it',
  invalid_request: 'register `redirectUri` exactly, and allow PKCE S256',
  // A sign-in request that got no answer: most often no CORS for the app at the endpoint.
  ERR_NETWORK: 'allow this origin by CORS at the PAR and token endpoints',
  // RFC 6750 §3.1: without the challenge the worker cannot tell an expired token.
  WARN_WWW_AUTHENTICATE_HIDDEN:
    'send it, with Access-Control-Expose-Headers: WWW-Authenticate, or the worker never refreshes',
  // sw/config-advice.ts: only the provider's client settings close that door.
  WARN_RESPONSE_MODES:
    'restrict the client to response_mode=query at the provider (where it allows that per ' +
    'client) and register exactly one redirect URI, the one named',
};

/** What a hint is chosen by: an error's (or a warning's) code and the facts that come with it. */
export type HintFacts = Pick<SerializedError, 'code' | 'error' | 'step'>;

/**
 * The one-line fix for what the worker reported, or `undefined` when it is not a known setup
 * mistake: an OAuth refusal of a sign-in request (not the same `error` from elsewhere, which
 * means something else), a sign-in request that got no answer, an API whose 401 hides
 * `WWW-Authenticate` from CORS, or a provider offering response modes page script can use.
 *
 * @example
 * ```ts
 * setupHint({ code: 'ERR_OAUTH_ERROR', error: 'invalid_client', step: 'par' });
 * // 'register `clientId` as a public client (no secret)'
 * ```
 */
export function setupHint({ code, error, step }: HintFacts): string | undefined {
  const key = code === 'ERR_OAUTH_ERROR' ? error : code;
  return (step || code.startsWith('WARN_')) && key && Object.hasOwn(HINTS, key)
    ? HINTS[key]
    : undefined;
}

/** `reported` with its hint ending its message ("…. To fix: …."), or as it is without one. */
export function withSetupHint<T extends HintFacts & { readonly message: string }>(reported: T): T {
  const hint = setupHint(reported);
  return hint
    ? { ...reported, message: `${reported.message.replace(/\.$/, '')}. To fix: ${hint}.` }
    : reported;
}

/** `event` as listeners get it: an `error` or `warning` event with its hint in its message. */
export function hintedEvent(event: WorkerEvent): WorkerEvent {
  if (event.type === 'error') return { ...event, error: withSetupHint(event.error) };
  return event.type === 'warning' ? withSetupHint(event) : event;
}
