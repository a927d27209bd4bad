/**
 * `<RequireAuth>`: renders its children only for a signed-in user.
 *
 * @module
 */

import { createElement, Fragment, type ReactNode, useEffect, useRef } from 'react';
import type { LoginOptions } from '../protocol/messages.js';
import { useIdentity } from './hooks.js';

/** Props of {@link RequireAuth}. */
export interface RequireAuthProps {
  /** What to render for a signed-in user. */
  readonly children?: ReactNode;
  /** What to render while loading, signing in, or when the sign-in could not start. Default nothing. */
  readonly fallback?: ReactNode;
  /**
   * Start a sign-in when the user is not signed in (`unauthenticated` or `expired`). Default
   * `true`; `false` renders `fallback` and leaves it to the app (e.g. a "Sign in" button).
   */
  readonly login?: boolean;
  /** Options of that sign-in. Default `{ returnTo: location.href }`, back to this page. */
  readonly loginOptions?: LoginOptions;
}

/**
 * Renders `children` when the session is `authenticated`, otherwise `fallback`; by default it
 * also starts one sign-in (the page then navigates to the provider and comes back signed in).
 * A failed start shows as `error` in {@link useIdentity}, and no second attempt is made
 * by this component, so a misconfigured provider cannot cause a redirect loop.
 *
 * @example
 * ```tsx
 * <RequireAuth fallback={<p>Signing in…</p>}><Orders /></RequireAuth>
 * ```
 */
export function RequireAuth({
  children,
  fallback = null,
  login: autoLogin = true,
  loginOptions,
}: RequireAuthProps): ReactNode {
  const { state, login } = useIdentity();
  const started = useRef(false);
  const signedOut = state === 'unauthenticated' || state === 'expired';
  useEffect(() => {
    if (!autoLogin || !signedOut || started.current) return;
    started.current = true;
    login(loginOptions ?? { returnTo: location.href }).catch(() => {
      // The provider's `error` holds it; rendering `fallback` stays right.
    });
  }, [autoLogin, signedOut, login, loginOptions]);
  return createElement(Fragment, null, state === 'authenticated' ? children : fallback);
}
