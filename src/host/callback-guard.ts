/**
 * The host's callback guard: what the app's server answers on the redirect URI when the service
 * worker did not (it was unregistered by page script, not installed yet, or bypassed by a
 * shift-reload). Without it a static host's SPA fallback serves the app's page at
 * `/callback?code=…`, and any script in that page reads the code from its URL and redeems it
 * (RFC 10017's "acquiring new tokens"). With it, the code never becomes part of a document URL.
 *
 * It imports nothing (no worker, no page client, no Node module), so a server bundles only this.
 *
 * @module identity-model-web/callback-guard
 */

/**
 * The `login_error` value the guard's redirect carries; the page client recognises it (the
 * worker was missing at the callback), re-registers the worker and reports it.
 */
export const CALLBACK_GUARD_ERROR = 'ERR_CALLBACK_WITHOUT_WORKER';

/** Options of {@link createCallbackGuard}. */
export interface CallbackGuardOptions {
  /** The path of the redirect URI the worker answers (no query). Default `/callback`. */
  redirectPath?: string;
  /** Where to send the browser, a path on the same origin. Default `/`. */
  landing?: string;
}

/** The part of a Node (`node:http`, Express, Connect) request the guard reads. */
export interface GuardRequest {
  /**
   * The request target, path and query (`/callback?code=…`), as Node's `IncomingMessage.url` has
   * it.
   */
  readonly url?: string | undefined;
}

/** The part of a Node (`node:http`, Express, Connect) response the guard writes. */
export interface GuardResponse {
  /** Sends the status line and the headers (Node's `ServerResponse.writeHead`). */
  writeHead(status: number, headers: Record<string, string>): unknown;
  /** Ends the response, with no body. */
  end(): unknown;
}

/**
 * Answers a request when its path is the redirect URI's; then returns `true`. Otherwise calls
 * `next()` when given (Connect/Express) and returns `false`.
 */
export type CallbackGuard = (
  request: GuardRequest,
  response: GuardResponse,
  next?: () => void,
) => boolean;

function assertPath(value: string, name: string): void {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) {
    throw new TypeError(`"${name}" must be a path starting with one "/"`);
  }
  if (/[?#]/.test(value)) throw new TypeError(`"${name}" must have no query or fragment`);
}

/**
 * Creates the guard. Every method is answered (a `form_post` response is a POST; its body is
 * never read) with `303 See Other` to `landing?login_error=ERR_CALLBACK_WITHOUT_WORKER#`: the
 * explicit empty fragment makes the browser drop a `#code=…` the redirect URI was reached with
 * (Fetch §4.4), `Cache-Control: no-store` keeps the callback out of caches and the
 * back-forward cache, and `Referrer-Policy: no-referrer` keeps its URL out of the next request.
 *
 * @example node:http
 * ```ts
 * import { createServer } from 'node:http';
 * import { createCallbackGuard } from 'identity-model-web/callback-guard';
 *
 * const guard = createCallbackGuard({ redirectPath: '/callback' });
 * createServer((req, res) => {
 *   if (guard(req, res)) return;
 *   // … the app's static files and SPA fallback
 * });
 * ```
 *
 * @example Express or Connect: `app.use(createCallbackGuard())` before the static files.
 */
export function createCallbackGuard(options: CallbackGuardOptions = {}): CallbackGuard {
  const redirectPath = options.redirectPath ?? '/callback';
  const landing = options.landing ?? '/';
  assertPath(redirectPath, 'redirectPath');
  assertPath(landing, 'landing');
  const location = `${landing}?login_error=${CALLBACK_GUARD_ERROR}#`;
  return (request, response, next) => {
    const raw = request.url ?? '/';
    const path = raw.split(/[?#]/, 1)[0];
    if (path !== redirectPath) {
      next?.();
      return false;
    }
    response.writeHead(303, {
      location,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'content-length': '0',
    });
    response.end();
    return true;
  };
}
