/**
 * The React context the provider fills and the hooks read.
 *
 * @module
 */

import { createContext } from 'react';
import type { IdentityClient } from '../client/client.js';
import type { LoginOptions, LogoutOptions, SessionState, User } from '../protocol/messages.js';

/**
 * The session state as components see it: the worker's {@link SessionState}, or `loading`
 * until the worker has answered once.
 */
export type IdentityState = SessionState | 'loading';

/** What {@link useIdentity} returns. */
export interface IdentityContextValue {
  /** `loading` until the worker first answers, then the worker's session state. */
  readonly state: IdentityState;
  /** The signed-in user's claims and expiry (never a token), or `null`. */
  readonly user: User | null;
  /**
   * The last error: a failed first contact with the worker, or the worker's `error` event (its
   * `code` says what; e.g. `ERR_PROTOCOL_VERSION`). Cleared by the next user change.
   */
  readonly error: Error | null;
  /** Starts a sign-in (the page navigates to the provider). */
  readonly login: (options?: LoginOptions) => Promise<void>;
  /** Signs out (the worker revokes and clears the tokens, every tab hears it). */
  readonly logout: (options?: LogoutOptions) => Promise<void>;
  /** The page client, for what the hooks do not cover (`validateToken`, `getAccessToken`). */
  readonly client: IdentityClient;
}

/** Filled by `IdentityProvider`; `null` outside one. */
export const IdentityContext = createContext<IdentityContextValue | null>(null);
