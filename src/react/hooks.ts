/**
 * The hooks that read `<IdentityProvider>`'s session.
 *
 * @module
 */

import { useContext } from 'react';
import type { User } from '../protocol/messages.js';
import { IdentityContext, type IdentityContextValue } from './context.js';

export type { IdentityContextValue, IdentityState } from './context.js';

/**
 * The session state, the user, the last error, `login` and `logout`, from the nearest
 * {@link IdentityProvider}.
 *
 * @throws `Error` when no `IdentityProvider` is above the component (a setup mistake).
 *
 * @example
 * ```tsx
 * const { state, user, login } = useIdentity();
 * if (state === 'unauthenticated') return <button onClick={() => login()}>Sign in</button>;
 * ```
 */
export function useIdentity(): IdentityContextValue {
  const value = useContext(IdentityContext);
  if (value === null) {
    throw new Error('identity-model-web/react: useIdentity() needs an <IdentityProvider> above it');
  }
  return value;
}

/**
 * The signed-in user's claims and expiry (never a token), or `null` while loading and when
 * signed out.
 *
 * @example
 * ```tsx
 * const user = useUser();
 * return <span>{user ? String(user.claims.name) : 'Guest'}</span>;
 * ```
 */
export function useUser(): User | null {
  return useIdentity().user;
}
