/**
 * A React app on the library's React bindings (react.spec.ts): the session state, the user, a
 * `RequireAuth` section, and sign-in/sign-out buttons. `/` leaves the sign-in to a button;
 * `/auto` lets `RequireAuth` start it.
 */
import { createElement as h, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { createIdentityClient } from '../../../src/index.js';
import { IdentityProvider, RequireAuth, useIdentity, useUser } from '../../../src/react/index.js';

const identity = createIdentityClient({ serviceWorker: '/sw.js', timeout: 15000 });
// The harness's sign-in helpers drive `window.identity`, as with the plain test app.
(window as unknown as { identity: typeof identity }).identity = identity;

function Status() {
  const { state, error, login, logout } = useIdentity();
  const user = useUser();
  useEffect(() => {
    if (state !== 'loading') document.body.dataset.ready = 'true';
  }, [state]);
  return h(
    'div',
    null,
    h('p', { id: 'state' }, state),
    h('p', { id: 'user' }, user ? String(user.claims.sub) : 'nobody'),
    h('p', { id: 'error' }, error ? ((error as { code?: string }).code ?? error.message) : ''),
    h(
      'button',
      { type: 'button', id: 'login', onClick: () => void login().catch(() => {}) },
      'Sign in',
    ),
    h('button', { type: 'button', id: 'logout', onClick: () => void logout() }, 'Sign out'),
  );
}

function App() {
  const auto = location.pathname === '/auto';
  return h(
    'main',
    null,
    h(Status),
    h(
      RequireAuth,
      { login: auto, fallback: h('p', { id: 'fallback' }, 'Please sign in') },
      h('p', { id: 'protected' }, 'Protected content'),
    ),
  );
}

createRoot(document.getElementById('root')!).render(
  h(IdentityProvider, { client: identity }, h(App)),
);
