/**
 * createEndSessionUrl (OpenID Connect RP-Initiated Logout 1.0 §2): parameters, encoding, the
 * endpoint's own query, and refused arguments.
 */
import { describe, expect, it } from 'vitest';
import { ConfigurationError, HttpError } from '../../../src/core/errors.js';
import {
  createEndSessionUrl,
  type EndSessionUrlRequest,
} from '../../../src/core/logout/end-session.js';

const ADDRESS = 'https://op.example/session/end';

function build(extra: Partial<EndSessionUrlRequest> = {}): URL {
  return new URL(createEndSessionUrl({ address: ADDRESS, ...extra }));
}

describe('createEndSessionUrl', () => {
  it('with no options is the endpoint itself', () => {
    expect(createEndSessionUrl({ address: ADDRESS })).toBe(ADDRESS);
  });

  it('sends every parameter under its protocol name, once', () => {
    const url = build({
      idTokenHint: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.sig',
      postLogoutRedirectUri: 'https://app.example/logged-out?from=op',
      state: 'logout-state',
      clientId: 'spa',
      uiLocales: ['fr-CA', 'en'],
      logoutHint: 'alice@example.com',
      parameters: { extra: 'yes' },
    });
    expect(url.origin + url.pathname).toBe(ADDRESS);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      id_token_hint: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.sig',
      client_id: 'spa',
      post_logout_redirect_uri: 'https://app.example/logged-out?from=op',
      state: 'logout-state',
      logout_hint: 'alice@example.com',
      ui_locales: 'fr-CA en',
      extra: 'yes',
    });
    for (const name of url.searchParams.keys())
      expect(url.searchParams.getAll(name)).toHaveLength(1);
  });

  it('percent-encodes values so none can add a parameter or a fragment', () => {
    const hostile = 'a b&state=evil#frag"<>é';
    const text = createEndSessionUrl({
      address: ADDRESS,
      clientId: 'spa',
      state: hostile,
      postLogoutRedirectUri: 'https://app.example/out?a=1&b=2',
    });
    expect(text).not.toMatch(/[ #"<>]|é/);
    expect(text).toContain(
      'post_logout_redirect_uri=https%3A%2F%2Fapp.example%2Fout%3Fa%3D1%26b%3D2',
    );
    const url = new URL(text);
    expect(url.searchParams.getAll('state')).toEqual([hostile]);
    expect(url.searchParams.has('b')).toBe(false);
  });

  it("keeps the endpoint's own query and replaces a named parameter found there", () => {
    const url = build({ address: `${ADDRESS}?p=1&state=evil`, state: 's' });
    expect(url.searchParams.get('p')).toBe('1');
    expect(url.searchParams.getAll('state')).toEqual(['s']);
  });

  it.each([
    'id_token_hint',
    'post_logout_redirect_uri',
    'state',
    'client_id',
    'ui_locales',
    'logout_hint',
  ])('extra parameters cannot set %s', (name) => {
    expect(() => build({ parameters: { [name]: 'x' } })).toThrow(ConfigurationError);
  });

  it('postLogoutRedirectUri needs idTokenHint or clientId', () => {
    expect(() => build({ postLogoutRedirectUri: 'https://app.example/' })).toThrow(
      /needs "idTokenHint" or "clientId"/,
    );
    expect(
      build({ postLogoutRedirectUri: 'https://app.example/', clientId: 'spa' }).searchParams.get(
        'post_logout_redirect_uri',
      ),
    ).toBe('https://app.example/');
    expect(
      build({
        postLogoutRedirectUri: 'https://app.example/',
        idTokenHint: 'x.y.z',
      }).searchParams.has('client_id'),
    ).toBe(false);
  });

  it.each([
    ['a relative postLogoutRedirectUri', { clientId: 'c', postLogoutRedirectUri: '/out' }],
    [
      'a postLogoutRedirectUri with a fragment',
      { clientId: 'c', postLogoutRedirectUri: 'https://a.example/#x' },
    ],
    ['an empty idTokenHint', { idTokenHint: '' }],
    ['an empty state', { state: '' }],
    ['a non-string clientId', { clientId: 5 as unknown as string }],
    ['an empty uiLocales array', { uiLocales: [] }],
    ['a relative address', { address: '/session/end' }],
    ['an address with a fragment', { address: `${ADDRESS}#x` }],
    ['a non-string extra parameter', { parameters: { x: 1 as unknown as string } }],
  ] as const)('refuses %s (ConfigurationError)', (_, extra) => {
    expect(() => build(extra as Partial<EndSessionUrlRequest>)).toThrow(ConfigurationError);
  });

  it('applies the https rule to the endpoint (loopback http allowed)', () => {
    expect(build({ address: 'http://localhost:3000/session/end' }).host).toBe('localhost:3000');
    expect(() => build({ address: 'http://op.example/session/end' })).toThrow(HttpError);
    expect(build({ address: 'http://op.example/session/end', requireHttps: false }).protocol).toBe(
      'http:',
    );
  });
});
