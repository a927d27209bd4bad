/**
 * The React bindings without a browser (react-dom/server): the hooks outside a provider, and the
 * first render inside one (before the worker answers: `loading`, no user, RequireAuth's fallback).
 * The worker-backed behaviour is tested in real Chromium (test/browser/react.spec.ts).
 */
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { IdentityClient } from '../../src/client/client.js';
import { IdentityProvider, RequireAuth, useIdentity, useUser } from '../../src/react/index.js';

function Probe() {
  const { state } = useIdentity();
  const user = useUser();
  return h('p', null, `${state}:${user === null ? 'nobody' : 'someone'}`);
}

/** A client that never answers: only the first render is looked at. */
const silentClient = {
  ready: () => new Promise(() => {}),
  subscribe: () => () => {},
} as unknown as IdentityClient;

describe('React bindings', () => {
  it('useIdentity outside an IdentityProvider throws a setup message', () => {
    expect(() => renderToString(h(Probe))).toThrow(
      'identity-model-web/react: useIdentity() needs an <IdentityProvider> above it',
    );
  });

  it('renders loading, no user and the fallback before the worker answers', () => {
    const html = renderToString(
      h(
        IdentityProvider,
        { client: silentClient },
        h(Probe),
        h(RequireAuth, { fallback: h('i', null, 'wait') }, h('b', null, 'secret')),
      ),
    );
    expect(html).toContain('loading:nobody');
    expect(html).toContain('<i>wait</i>');
    expect(html).not.toContain('secret');
  });
});
