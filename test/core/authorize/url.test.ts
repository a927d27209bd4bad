/**
 * createAuthorizeUrl and prepareAuthorization: every parameter, the encoding, repeated
 * resources, the endpoint's own query, and the arguments refused before anything is built.
 */
import { describe, expect, it } from 'vitest';
import {
  type AuthorizeUrlRequest,
  createAuthorizeUrl,
  createCodeChallenge,
  prepareAuthorization,
} from '../../../src/core/authorize/index.js';
import { ConfigurationError, HttpError } from '../../../src/core/errors.js';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

const BASE: AuthorizeUrlRequest = {
  address: 'https://op.example/authorize',
  clientId: 'spa',
  redirectUri: 'https://app.example/callback',
  state: 'state-1',
  codeChallenge: CHALLENGE,
};

function build(extra: Partial<AuthorizeUrlRequest> = {}): URL {
  return new URL(createAuthorizeUrl({ ...BASE, ...extra }));
}

function configurationError(fn: () => unknown): ConfigurationError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigurationError);
  expect((caught as ConfigurationError).code).toBe('ERR_CONFIGURATION');
  return caught as ConfigurationError;
}

describe('createAuthorizeUrl: parameters', () => {
  it('sends the required parameters with code, S256 and nothing else', () => {
    const url = build();
    expect(url.origin + url.pathname).toBe('https://op.example/authorize');
    expect([...url.searchParams]).toEqual([
      ['response_type', 'code'],
      ['client_id', 'spa'],
      ['redirect_uri', 'https://app.example/callback'],
      ['state', 'state-1'],
      ['code_challenge', CHALLENGE],
      ['code_challenge_method', 'S256'],
    ]);
    expect(url.hash).toBe('');
  });

  it('sends every optional parameter under its protocol name', () => {
    const url = build({
      scope: ['openid', 'profile', 'email'],
      nonce: 'nonce-1',
      prompt: ['login', 'consent'],
      maxAge: 0,
      loginHint: 'alice@example.com',
      idTokenHint: 'eyJ.hint.sig',
      acrValues: ['urn:mace:incommon:iap:silver', 'urn:example:acr:mfa'],
      uiLocales: ['fr-CA', 'fr', 'en'],
      responseMode: 'form_post',
      claims: { id_token: { email: { essential: true } }, userinfo: { name: null } },
      resource: 'https://api.example/',
      parameters: { display: 'popup', dpop_jkt: 'thumbprint' },
    });
    const params = url.searchParams;
    expect(params.get('scope')).toBe('openid profile email');
    expect(params.get('nonce')).toBe('nonce-1');
    expect(params.get('prompt')).toBe('login consent');
    expect(params.get('max_age')).toBe('0');
    expect(params.get('login_hint')).toBe('alice@example.com');
    expect(params.get('id_token_hint')).toBe('eyJ.hint.sig');
    expect(params.get('acr_values')).toBe('urn:mace:incommon:iap:silver urn:example:acr:mfa');
    expect(params.get('ui_locales')).toBe('fr-CA fr en');
    expect(params.get('response_mode')).toBe('form_post');
    expect(JSON.parse(params.get('claims')!)).toEqual({
      id_token: { email: { essential: true } },
      userinfo: { name: null },
    });
    expect(params.getAll('resource')).toEqual(['https://api.example/']);
    expect(params.get('display')).toBe('popup');
    expect(params.get('dpop_jkt')).toBe('thumbprint');
    for (const name of params.keys()) expect(params.getAll(name)).toHaveLength(1);
  });

  it('sends string forms of scope, prompt, acr_values and ui_locales as given', () => {
    const params = build({
      scope: 'openid offline_access',
      prompt: 'none',
      acrValues: '2',
      uiLocales: 'de',
    }).searchParams;
    expect(params.get('scope')).toBe('openid offline_access');
    expect(params.get('prompt')).toBe('none');
    expect(params.get('acr_values')).toBe('2');
    expect(params.get('ui_locales')).toBe('de');
  });

  it('RFC 8707: repeats resource once per indicator, in order', () => {
    const url = build({ resource: ['urn:example:api', 'https://api.example/v2?x=1'] });
    expect(url.searchParams.getAll('resource')).toEqual([
      'urn:example:api',
      'https://api.example/v2?x=1',
    ]);
    expect(url.search.match(/[?&]resource=/g)).toHaveLength(2);
  });

  it('percent-encodes every value, so none can add or end a parameter', () => {
    const hostile = 'a b&c=d#e?f+g%h/é€💡\n"<>';
    const url = createAuthorizeUrl({
      ...BASE,
      redirectUri: 'https://app.example/cb?x=1&y=2',
      state: hostile,
      loginHint: hostile,
      parameters: { 'x&y=z': hostile },
    });
    expect(url).not.toMatch(/[ #"<>\n]|é|€/);
    expect(url).toContain('redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1%26y%3D2');
    expect(url).toContain('state=a+b%26c%3Dd%23e%3Ff%2Bg%25h%2F%C3%A9%E2%82%AC%F0%9F%92%A1%0A');
    const params = new URL(url).searchParams;
    expect(params.get('state')).toBe(hostile);
    expect(params.get('login_hint')).toBe(hostile);
    expect(params.get('redirect_uri')).toBe('https://app.example/cb?x=1&y=2');
    expect(params.get('x&y=z')).toBe(hostile);
    expect(params.has('y')).toBe(false);
    expect(new URL(url).hash).toBe('');
  });

  it("keeps the endpoint's own query and replaces a library parameter found there", () => {
    const url = build({ address: 'https://op.example/authorize?tenant=t1&client_id=evil' });
    expect(url.searchParams.get('tenant')).toBe('t1');
    expect(url.searchParams.getAll('client_id')).toEqual(['spa']);
  });

  it('accepts http on loopback, and http elsewhere only with requireHttps: false', () => {
    expect(build({ address: 'http://localhost:3000/auth' }).host).toBe('localhost:3000');
    expect(build({ address: 'http://127.0.0.1:3000/auth' }).host).toBe('127.0.0.1:3000');
    expect(() => build({ address: 'http://op.example/auth' })).toThrow(HttpError);
    try {
      build({ address: 'http://op.example/auth' });
    } catch (error) {
      expect((error as HttpError).code).toBe('ERR_ENDPOINT_HTTPS_REQUIRED');
    }
    expect(build({ address: 'http://op.example/auth', requireHttps: false }).protocol).toBe(
      'http:',
    );
  });
});

describe('createAuthorizeUrl: refused arguments', () => {
  it.each([
    'client_id',
    'redirect_uri',
    'code_challenge',
    'code_challenge_method',
    'state',
    'nonce',
    'response_type',
    'scope',
    'request_uri',
  ])('extra parameters cannot set %s', (name) => {
    const error = configurationError(() => build({ parameters: { [name]: 'x' } }));
    expect(error.message).toContain(`"parameters.${name}"`);
  });

  it('extra parameters cannot set a parameter given by a named option', () => {
    configurationError(() => build({ prompt: 'login', parameters: { prompt: 'none' } }));
    configurationError(() => build({ resource: 'urn:a', parameters: { resource: 'urn:b' } }));
    expect(build({ parameters: { prompt: 'none' } }).searchParams.get('prompt')).toBe('none');
  });

  it('extra parameters must be strings with a name', () => {
    configurationError(() => build({ parameters: { max_age: 5 as unknown as string } }));
    configurationError(() => build({ parameters: { '': 'x' } }));
    configurationError(() => build({ parameters: 'display=popup' as unknown as never }));
  });

  it.each(['token', 'id_token', 'code id_token', 'code token', 'none', ''])(
    'responseType %j is refused (code only)',
    (responseType) => {
      configurationError(() => build({ responseType: responseType as 'code' }));
    },
  );

  it('codeChallengeMethod plain is refused, and so is any other', () => {
    const error = configurationError(() => build({ codeChallengeMethod: 'plain' as 'S256' }));
    expect(error.message).toMatch(/plain is refused/);
    configurationError(() => build({ codeChallengeMethod: 's256' as 'S256' }));
  });

  it('the challenge must be a 43-character base64url S256 value', async () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    // A "plain" challenge (the verifier itself) has the right shape only by accident: 43 chars.
    expect(
      build({ codeChallenge: await createCodeChallenge(verifier) }).searchParams.get(
        'code_challenge',
      ),
    ).toBe(CHALLENGE);
    configurationError(() => build({ codeChallenge: undefined as unknown as string }));
    configurationError(() => build({ codeChallenge: CHALLENGE.slice(1) }));
    configurationError(() => build({ codeChallenge: `${CHALLENGE}=` }));
    configurationError(() => build({ codeChallenge: `${CHALLENGE.slice(1)}+` }));
    configurationError(() => build({ codeChallenge: 'a'.repeat(128) }));
  });

  it('prompt none cannot be combined with another value', () => {
    configurationError(() => build({ prompt: ['none', 'login'] }));
    configurationError(() => build({ prompt: 'login none' }));
  });

  it.each([
    ['clientId', { clientId: '' }],
    ['state (missing)', { state: undefined as unknown as string }],
    ['state (empty)', { state: '' }],
    ['nonce (empty)', { nonce: '' }],
    ['redirectUri (relative)', { redirectUri: '/callback' }],
    ['redirectUri (fragment)', { redirectUri: 'https://app.example/cb#x' }],
    ['maxAge (negative)', { maxAge: -1 }],
    ['maxAge (fraction)', { maxAge: 1.5 }],
    ['maxAge (string)', { maxAge: '60' as unknown as number }],
    ['responseMode', { responseMode: 'query.jwt' as 'query' }],
    ['claims (array)', { claims: [] as unknown as Record<string, unknown> }],
    ['claims (string)', { claims: '{}' as unknown as Record<string, unknown> }],
    ['scope (item with a space)', { scope: ['openid profile'] }],
    ['scope (empty array)', { scope: [] }],
    ['resource (relative)', { resource: 'api' }],
    ['resource (fragment)', { resource: ['urn:a', 'https://api.example/#x'] }],
    ['address (relative)', { address: '/authorize' }],
    ['address (fragment)', { address: 'https://op.example/authorize#x' }],
    ['address (not http)', { address: 'ftp://op.example/authorize' }],
  ] as const)('%s is refused', (_, extra) => {
    configurationError(() => build(extra as Partial<AuthorizeUrlRequest>));
  });
});

describe('prepareAuthorization', () => {
  it('makes fresh state, nonce and an S256 pair whose challenge is in the URL', async () => {
    const first = await prepareAuthorization({
      address: BASE.address,
      clientId: 'spa',
      redirectUri: BASE.redirectUri,
      scope: 'openid',
    });
    const second = await prepareAuthorization({
      address: BASE.address,
      clientId: 'spa',
      redirectUri: BASE.redirectUri,
      scope: 'openid',
    });
    const params = new URL(first.url).searchParams;
    expect(params.get('state')).toBe(first.state);
    expect(params.get('nonce')).toBe(first.nonce);
    expect(params.get('code_challenge')).toBe(await createCodeChallenge(first.codeVerifier));
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(first.url).not.toContain(first.codeVerifier);
    expect(first.state).not.toBe(second.state);
    expect(first.nonce).not.toBe(second.nonce);
    expect(first.codeVerifier).not.toBe(second.codeVerifier);
    for (const value of [first.state, first.nonce, first.codeVerifier]) {
      expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });

  it('refuses the same bad arguments as createAuthorizeUrl', async () => {
    await expect(
      prepareAuthorization({
        address: BASE.address,
        clientId: 'spa',
        redirectUri: BASE.redirectUri,
        parameters: { code_challenge_method: 'plain' },
      }),
    ).rejects.toBeInstanceOf(ConfigurationError);
  });
});
