// A React page of an app that uses the package (tsconfig.page.json: DOM libs, strict,
// skipLibCheck false), with React and its types installed as the app would.

import { createIdentityClient } from 'identity-model-web';
import {
  IdentityProvider,
  type IdentityState,
  RequireAuth,
  useIdentity,
  useUser,
} from 'identity-model-web/react';
import { createElement, type ReactNode } from 'react';

const identity = createIdentityClient({ serviceWorker: '/identity-model-web-sw.js' });

function Name(): ReactNode {
  const { state }: { state: IdentityState } = useIdentity();
  const user = useUser();
  return state === 'authenticated' && user ? String(user.claims.name) : 'Guest';
}

export const app: ReactNode = createElement(
  IdentityProvider,
  { client: identity },
  createElement(RequireAuth, { fallback: 'Signing in…' }, createElement(Name)),
);
