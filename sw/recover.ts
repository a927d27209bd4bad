/**
 * Recovery without DPoP: a restarted worker that had a session but holds no tokens (they lived
 * in its memory only) signs the user in again without them, through the provider's session: an
 * authorization request with `prompt=none` (OpenID Connect Core §3.1.2.1), built and completed
 * by the ordinary sign-in code (login.ts: PKCE, state, nonce, transaction, ID token validated in
 * full).
 *
 * A worker cannot make an iframe or navigate a page, so it asks one open page (the focused one
 * first) to do it: `silentSignIn` on a `MessagePort` (src/protocol). A page that does not accept
 * within {@link ACK_WAIT} is passed over for the next one; while there is none, the worker looks
 * again until the timeout. The callback navigation comes back to the worker, which completes the
 * sign-in itself and answers with a redirect to the redirect URI with no query and an explicit
 * `#` (so no code stays in the frame's URL or history, and no fragment of the provider's
 * survives the redirect), which it answers with an empty document; then it tells the page to
 * remove the frame. `login_required` and the other `prompt=none` refusals, any other failure and
 * the timeout all end in `expired` (`sessionexpired`), as without recovery.
 *
 * @module
 */

import { ProtocolError } from '../src/core/errors.js';
import {
  type CommandEnvelope,
  isTagged,
  MESSAGE_TAG,
  PROTOCOL_VERSION,
  serializeError,
} from '../src/protocol/messages.js';
import type { WorkerContext } from './context.js';
import { completeLogin, isCallbackUrl, prepareLogin, sameOrigin } from './login.js';

/** How long a page has to accept the request before the next one is asked, in milliseconds. */
export const ACK_WAIT = 1_000;

/** How often the worker looks for a page while none has accepted, in milliseconds. */
export const LOOK_AGAIN = 250;

/** The provider's answers to `prompt=none` that mean "the user must act" (OIDC Core §3.1.2.6). */
const INTERACTION_NEEDED = new Set([
  'login_required',
  'interaction_required',
  'consent_required',
  'account_selection_required',
]);

/** Waits `ms` milliseconds (injected: Node tests drive it with their clock). */
export type Wait = (ms: number) => Promise<void>;

/** The windows a worker can ask (its `clients`; replaceable in tests). */
export type WindowsLike = Pick<Clients, 'matchAll'>;

/** One silent sign-in, once a transaction exists. */
interface Pending {
  readonly state: string;
  readonly mode: 'iframe' | 'redirect';
  /** Where a `redirect` recovery lands: the page that went. */
  returnTo: string;
  /** Called once the callback has been handled, with whether a session came of it. */
  readonly settle: (ok: boolean) => void;
}

/** The silent sign-in of a restarted worker. */
export interface Recovery {
  /** Runs one silent sign-in; resolves when it has ended (`authenticated` or `expired`). */
  run(): Promise<void>;
  /**
   * The answer to a navigation to the redirect URI when it belongs to the silent sign-in (its
   * callback, or the frame's landing page), else `undefined` (the ordinary callback handles it).
   */
  answer(request: Request): Promise<Response> | undefined;
}

const landingPage = () =>
  new Response('<!doctype html><meta charset="utf-8"><title></title>', {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; frame-ancestors 'self'",
      'referrer-policy': 'no-referrer',
    },
  });

/** `url` with an explicit fragment (a redirect without one keeps the request's fragment). */
function withFragment(url: string): string {
  return url.includes('#') ? url : `${url}#`;
}

/** The windows to ask, best first: top-level only, the focused one, then visible ones. */
function rank(windows: readonly WindowClient[]): WindowClient[] {
  const score = (client: WindowClient) =>
    (client.focused ? 2 : 0) + (client.visibilityState === 'visible' ? 1 : 0);
  return windows
    .filter((client) => client.frameType !== 'nested')
    .sort((a, b) => score(b) - score(a));
}

/** Creates the recovery of a worker; `wait` defaults to `setTimeout`. */
export function createRecovery(
  context: WorkerContext,
  windows: WindowsLike,
  wait: Wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Recovery {
  const { config } = context;
  const mode = config.silentRecovery === 'redirect' ? 'redirect' : 'iframe';
  const timeout = config.silentRecoveryTimeout * 1000;
  let pending: Pending | undefined;
  // States of attempts that ended without their callback: a frame that still navigates gets the
  // empty landing page, not the ordinary callback's error page (the app, inside a hidden frame).
  const abandoned = new Set<string>();
  // One-time marks of the landing redirects this worker issued: a bare redirect-URI navigation
  // is also what a fragment-mode authorization response looks like here (the worker never sees
  // a fragment), and that one must meet the ordinary callback's refusal, which drops the fragment.
  const landings = new Set<string>();
  const removeMessage = { tag: MESSAGE_TAG, v: PROTOCOL_VERSION, remove: true };

  /** Offers `command` to `client`; resolves with the port when the page accepted in time. */
  function offer(client: WindowClient, command: CommandEnvelope): Promise<MessagePort | undefined> {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      let settled = false;
      channel.port1.onmessage = (event: MessageEvent<unknown>) => {
        const data = event.data as { accepted?: unknown };
        if (settled || !isTagged(data) || data.accepted !== true) return;
        settled = true;
        resolve(channel.port1);
      };
      try {
        client.postMessage(command, [channel.port2]);
      } catch {
        // The page went away meanwhile.
      }
      void wait(ACK_WAIT).then(() => {
        if (settled) return;
        settled = true;
        channel.port1.close();
        resolve(undefined);
      });
    });
  }

  /** Asks pages in turn until one accepts; `over()` says when to give up. */
  async function ask(
    command: CommandEnvelope,
    over: () => boolean,
  ): Promise<{ port: MessagePort; client: WindowClient } | undefined> {
    const asked = new Set<string>();
    while (!over()) {
      const found = await windows.matchAll({ type: 'window' }).catch(() => []);
      for (const client of rank(found as readonly WindowClient[])) {
        if (over()) return undefined;
        if (asked.has(client.id)) continue;
        asked.add(client.id);
        const port = await offer(client, command);
        if (port) return { port, client };
      }
      // None open, or none answered (an older client, or a page still loading): look again.
      await wait(LOOK_AGAIN);
    }
    return undefined;
  }

  async function run(): Promise<void> {
    await context.broadcast({ type: 'userchanged', state: 'resuming', user: null }).catch(() => {});
    let over = false;
    let state: string | undefined;
    let port: MessagePort | undefined;
    const attempt = async (): Promise<boolean> => {
      const login = await prepareLogin(context, { prompt: 'none' });
      state = login.state;
      if (over) return false;
      let settle!: (ok: boolean) => void;
      const settled = new Promise<boolean>((resolve) => {
        settle = resolve;
      });
      const own: Pending = { state: login.state, mode, returnTo: '', settle };
      pending = own;
      const command: CommandEnvelope = {
        tag: MESSAGE_TAG,
        v: PROTOCOL_VERSION,
        command: { type: 'silentSignIn', mode, url: login.url, timeout },
      };
      const accepted = await ask(command, () => over);
      if (!accepted) return false;
      if (over) {
        // Accepted just after the timeout: the frame goes at once.
        accepted.port.postMessage(removeMessage);
        accepted.port.close();
        return false;
      }
      port = accepted.port;
      own.returnTo = sameOrigin(accepted.client.url, config.redirectUri.origin);
      return settled;
    };
    const timedOut = wait(timeout).then(() => false);
    let ok = false;
    try {
      ok = await Promise.race([attempt(), timedOut]);
    } catch (error) {
      // Discovery unreachable, a PAR refusal…: nothing more to try.
      await context.broadcast({ type: 'error', error: serializeError(error) }).catch(() => {});
    } finally {
      over = true;
      pending = undefined;
      port?.postMessage(removeMessage);
      port?.close();
    }
    if (ok) return;
    // A callback arriving later must find no transaction (it would start a session nobody waits
    // for, in a frame that is gone).
    if (state !== undefined) {
      abandoned.add(state);
      await context.transactions.take(state, context.now()).catch(() => {});
    }
    // Signed out (or in) meanwhile: that stands.
    if (context.state === 'resuming') await context.endSession('expired');
  }

  /** Completes the silent sign-in from its callback; the answer never shows the code. */
  async function complete(request: Request, own: Pending): Promise<Response> {
    let ok = false;
    try {
      if (context.state === 'resuming') {
        await completeLogin(context, request.url);
        ok = true;
      }
    } catch (error) {
      const expected = error instanceof ProtocolError && INTERACTION_NEEDED.has(error.error);
      if (!expected) {
        await context.broadcast({ type: 'error', error: serializeError(error) }).catch(() => {});
      }
    }
    if (pending === own) pending = undefined;
    // Before the answer: a page that lands (redirect mode) learns the outcome from `hello`.
    if (!ok && context.state === 'resuming') await context.endSession('expired');
    own.settle(ok);
    return own.mode === 'redirect'
      ? Response.redirect(withFragment(own.returnTo), 303)
      : toLandingPage();
  }

  /**
   * The frame's way out of a callback: the redirect URI with a one-time landing mark instead of
   * the code, and an explicit fragment.
   */
  function toLandingPage(): Response {
    const redirect = config.redirectUri;
    const mark = crypto.randomUUID();
    landings.add(mark);
    return Response.redirect(`${redirect.origin}${redirect.pathname}?landing=${mark}#`, 303);
  }

  return {
    run,
    answer(request) {
      const url = new URL(request.url);
      if (!isCallbackUrl(context, url)) return undefined;
      // The frame's landing page after the callback: empty, and never a sign-in.
      const mark = url.searchParams.get('landing');
      if (mark !== null && landings.delete(mark)) return Promise.resolve(landingPage());
      const own = pending;
      const states = url.searchParams.getAll('state');
      if (states.length !== 1) return undefined;
      if (abandoned.delete(states[0]!)) return Promise.resolve(toLandingPage());
      if (!own || states[0] !== own.state) return undefined;
      return complete(request, own);
    },
  };
}
