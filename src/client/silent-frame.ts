/**
 * The page's part in a restarted worker's silent sign-in (sw/recover.ts): on the worker's
 * `silentSignIn` request, a hidden iframe on the provider's `prompt=none` authorization URL (a
 * worker cannot create one), or, in `redirect` mode, a navigation of the page itself. The
 * frame's callback navigation goes to the worker, which answers it without showing the code to
 * the page; the worker then says `remove`.
 *
 * @module
 */

import {
  type CommandEnvelope,
  isTagged,
  MESSAGE_TAG,
  PROTOCOL_VERSION,
} from '../protocol/messages.js';

/** Extra time the page keeps a frame past the worker's timeout when the worker says nothing. */
const GRACE = 5_000;

/** How long the page waits for the landing page once the worker said `remove`, in ms. */
const LANDING_WAIT = 2_000;

function accept(port: MessagePort): void {
  port.postMessage({ tag: MESSAGE_TAG, v: PROTOCOL_VERSION, accepted: true });
}

/**
 * Handles `data` when it is the worker's `silentSignIn` request (returns `true`), else returns
 * `false`. `navigate` is the client's navigation (redirect mode).
 */
export function handleSilentSignIn(
  data: unknown,
  port: MessagePort | undefined,
  navigate: (url: string) => void,
): boolean {
  if (!isTagged(data) || !('command' in data)) return false;
  const { command } = data as CommandEnvelope;
  if (data.v !== PROTOCOL_VERSION || !port || command?.type !== 'silentSignIn') return true;
  let url: URL;
  try {
    url = new URL(command.url);
  } catch {
    return true;
  }
  // Only the provider's web address: never a `javascript:` or `data:` URL in a frame.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return true;
  if (command.mode === 'redirect') {
    accept(port);
    port.close();
    navigate(url.href);
    return true;
  }
  const frame = document.createElement('iframe');
  frame.hidden = true;
  frame.style.display = 'none';
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  frame.title = 'Silent sign-in';
  frame.dataset.identityModelWeb = 'silent-sign-in';
  frame.src = url.href;
  (document.body ?? document.documentElement).append(frame);
  let loaded = false;
  let timer: ReturnType<typeof setTimeout>;
  const remove = () => {
    clearTimeout(timer);
    frame.remove();
    port.close();
  };
  // The frame's only document is the worker's empty landing page (the provider redirects at
  // once): once it has loaded, the frame can go without an aborted navigation.
  frame.addEventListener('load', () => {
    loaded = true;
  });
  const wait = typeof command.timeout === 'number' ? command.timeout : 10_000;
  timer = setTimeout(remove, wait + GRACE);
  port.onmessage = (event: MessageEvent<unknown>) => {
    const message = event.data as { remove?: unknown };
    if (!isTagged(message) || message.remove !== true) return;
    // The worker says so as soon as it has the outcome; its landing page may still be on its way.
    if (loaded) remove();
    else {
      frame.addEventListener('load', remove, { once: true });
      clearTimeout(timer);
      timer = setTimeout(remove, LANDING_WAIT);
    }
  };
  accept(port);
  return true;
}
