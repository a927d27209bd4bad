/**
 * The logout route: sign-out without handing the ID token to the page. The `logout` message
 * (revocation, session end) no longer replies with the provider's end-session URL, whose
 * `id_token_hint` is the ID token; it replies with the worker's own route, e.g.
 * `/logout?logout_ticket=…`, and the worker answers the page's navigation there with the
 * `303` to the end-session URL. `id_token_hint` goes from the worker to the provider by way of
 * the browser's redirect, never through page script.
 *
 * The ticket is random, single use and kept in worker memory for {@link TICKET_LIFETIME} ms.
 * Navigations to the path without a ticket this worker issued are not answered (the app's own
 * `/logout`, if it has one, keeps working), and a link from another site cannot sign anyone out.
 *
 * @module
 */

import { encodeBase64url } from '../src/core/worker-api.js';
import type { WorkerContext } from './context.js';

/** The query parameter that carries the ticket. */
export const TICKET_PARAMETER = 'logout_ticket';

/** How long a ticket is good for, in milliseconds: the page navigates as soon as it has it. */
export const TICKET_LIFETIME = 60_000;

/** The route of one worker. */
export interface LogoutRoute {
  /** Keeps `endSessionUrl` for one navigation; returns the route URL that leads there. */
  issue(endSessionUrl: string): string;
  /** Whether `url` is the route (the configured path on the worker's origin). */
  matches(url: URL): boolean;
  /**
   * The answer to a navigation to the route: a `303` to the end-session URL for a ticket this
   * worker issued (spent by this call), else `undefined` (not the worker's to answer).
   */
  answer(url: URL): Response | undefined;
}

const routes = new WeakMap<WorkerContext, LogoutRoute>();

/** 256 random bits, base64url. */
const randomTicket = () => encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));

/** The logout route of the worker that owns `context` (one per context). */
export function logoutRoute(context: WorkerContext): LogoutRoute {
  let route = routes.get(context);
  if (route) return route;
  const { config } = context;
  const origin = config.redirectUri.origin;
  const tickets = new Map<string, { url: string; expiresAt: number }>();
  route = {
    issue(endSessionUrl) {
      const now = context.now();
      for (const [ticket, held] of tickets) if (held.expiresAt <= now) tickets.delete(ticket);
      const ticket = randomTicket();
      tickets.set(ticket, { url: endSessionUrl, expiresAt: now + TICKET_LIFETIME });
      const url = new URL(config.logoutPath, origin);
      url.searchParams.set(TICKET_PARAMETER, ticket);
      return url.href;
    },
    matches: (url) => url.origin === origin && url.pathname === config.logoutPath,
    answer(url) {
      const ticket = url.searchParams.get(TICKET_PARAMETER);
      const held = ticket === null ? undefined : tickets.get(ticket);
      if (!held) return undefined;
      tickets.delete(ticket!);
      if (held.expiresAt <= context.now()) return undefined;
      return new Response(null, {
        status: 303,
        headers: {
          location: held.url,
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
        },
      });
    },
  };
  routes.set(context, route);
  return route;
}
