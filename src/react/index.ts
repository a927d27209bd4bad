/**
 * `identity-model-web/react`: React bindings for the page client. React (18 or later) is an
 * optional peer dependency; nothing here holds a token: the state is the one the worker reports
 * (session state and the user's claims).
 *
 * @example
 * ```tsx
 * import { createIdentityClient } from 'identity-model-web';
 * import { IdentityProvider, RequireAuth, useIdentity } from 'identity-model-web/react';
 *
 * const identity = createIdentityClient({ serviceWorker: '/identity-model-web-sw.js' });
 *
 * function Header() {
 *   const { state, user, login, logout } = useIdentity();
 *   if (state === 'loading') return null;
 *   return user
 *     ? <button onClick={() => logout()}>Sign out {String(user.claims.name)}</button>
 *     : <button onClick={() => login()}>Sign in</button>;
 * }
 *
 * createRoot(root).render(
 *   <IdentityProvider client={identity}>
 *     <Header />
 *     <RequireAuth fallback={<p>Signing in…</p>}><Orders /></RequireAuth>
 *   </IdentityProvider>,
 * );
 * ```
 *
 * @packageDocumentation
 *
 * @module identity-model-web/react
 */

// The page client's types the bindings' signatures use, so an app can name them from here too.
export type { IdentityClient } from '../client/client.js';
export type {
  LoginOptions,
  LogoutOptions,
  SerializedError,
  SessionState,
  User,
  UserState,
  WorkerEvent,
} from '../protocol/messages.js';
export { type IdentityContextValue, type IdentityState, useIdentity, useUser } from './hooks.js';
export { IdentityProvider, type IdentityProviderProps } from './provider.js';
export { RequireAuth, type RequireAuthProps } from './require-auth.js';
