/**
 * `<IdentityProvider>`: follows the worker's session state for the components below it.
 *
 * @module
 */

import { createElement, type ReactNode, useEffect, useMemo, useState } from 'react';
import { deserializeError } from '../client/channel.js';
import type { IdentityClient } from '../client/client.js';
import type { User } from '../protocol/messages.js';
import { IdentityContext, type IdentityContextValue, type IdentityState } from './context.js';

/** Props of {@link IdentityProvider}. */
export interface IdentityProviderProps {
  /**
   * The page client (`createIdentityClient(…)`), created once, outside any component: it
   * registers the worker, and a component may render many times.
   */
  readonly client: IdentityClient;
  /** The app: every component under it can use {@link useIdentity} and {@link useUser}. */
  readonly children?: ReactNode;
}

interface Snapshot {
  readonly state: IdentityState;
  readonly user: User | null;
  readonly error: Error | null;
}

/**
 * Provides the session to {@link useIdentity}, {@link useUser} and {@link RequireAuth}. It asks
 * the worker once (`client.ready()`), then follows its events: a sign-in or sign-out in another
 * tab, an expired session, an error.
 *
 * @example
 * ```tsx
 * <IdentityProvider client={identity}><App /></IdentityProvider>
 * ```
 */
export function IdentityProvider({ client, children }: IdentityProviderProps): ReactNode {
  const [snapshot, setSnapshot] = useState<Snapshot>({ state: 'loading', user: null, error: null });
  useEffect(() => {
    let live = true;
    const unsubscribe = client.subscribe((event) => {
      if (!live) return;
      if (event.type === 'error') {
        const error = deserializeError(event.error);
        setSnapshot((previous) => ({ ...previous, error }));
      } else if (event.type === 'userchanged' || event.type === 'sessionexpired') {
        setSnapshot({ state: event.state, user: event.user, error: null });
      }
    });
    client.ready().then(
      ({ state, user }) => {
        // An event may have arrived first, and it is newer than this answer.
        if (live)
          setSnapshot((previous) =>
            previous.state === 'loading' ? { state, user, error: null } : previous,
          );
      },
      (error: unknown) => {
        if (!live) return;
        const reason = error instanceof Error ? error : new Error(String(error));
        setSnapshot({ state: 'unauthenticated', user: null, error: reason });
      },
    );
    return () => {
      live = false;
      unsubscribe();
    };
  }, [client]);
  const value = useMemo<IdentityContextValue>(
    () => ({
      ...snapshot,
      // A sign-in that cannot start (worker missing, provider unreachable) shows as `error`.
      login: (options) =>
        client.login(options).catch((error: unknown) => {
          const reason = error instanceof Error ? error : new Error(String(error));
          setSnapshot((previous) => ({ ...previous, error: reason }));
          throw error;
        }),
      logout: (options) => client.logout(options),
      client,
    }),
    [snapshot, client],
  );
  return createElement(IdentityContext.Provider, { value }, children);
}
