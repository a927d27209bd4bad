/**
 * validateAuthorizeCallback against hostile callbacks: state mismatch and reuse, RFC 9207 issuer
 * checks, error responses, error and code together, the wrong response mode, duplicated
 * parameters and another redirect URI.
 */
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import {
  type AuthorizeCallbackExpectation,
  validateAuthorizeCallback,
} from '../../../src/core/authorize/index.js';
import {
  AuthorizationResponseError,
  ConfigurationError,
  IdentityModelError,
  ProtocolError,
} from '../../../src/core/errors.js';

const ISSUER = 'https://op.example';
const REDIRECT = 'https://app.example/callback';

function expectation(extra: Partial<AuthorizeCallbackExpectation> = {}) {
  return { state: 'state-1', issuer: ISSUER, ...extra };
}

function callback(params: Record<string, string> | string[][], base = REDIRECT): string {
  const query = new URLSearchParams(params).toString();
  return base.includes('?') ? `${base}&${query}` : `${base}?${query}`;
}

/** Runs `fn`, which must throw; returns the error. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function refused(fn: () => unknown, code: string, parameter?: string): AuthorizationResponseError {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(AuthorizationResponseError);
  expect(error).toBeInstanceOf(IdentityModelError);
  expect((error as AuthorizationResponseError).code).toBe(code);
  expect((error as AuthorizationResponseError).name).toBe('AuthorizationResponseError');
  if (parameter !== undefined) {
    expect((error as AuthorizationResponseError).parameter).toBe(parameter);
  }
  return error as AuthorizationResponseError;
}

describe('validateAuthorizeCallback: success', () => {
  it('returns code, state and iss from the query', () => {
    const result = validateAuthorizeCallback(
      callback({ code: 'c-1', state: 'state-1', iss: ISSUER }),
      expectation({ issParameterSupported: true, redirectUri: REDIRECT }),
    );
    expect(result.code).toBe('c-1');
    expect(result.state).toBe('state-1');
    expect(result.iss).toBe(ISSUER);
    expect(result.params.get('code')).toBe('c-1');
  });

  it('accepts a response without iss when the provider does not advertise it', () => {
    const result = validateAuthorizeCallback(
      new URL(callback({ code: 'c-1', state: 'state-1' })),
      expectation(),
    );
    expect(result.code).toBe('c-1');
    expect('iss' in result).toBe(false);
  });

  it("keeps the redirect URI's own query parameters in params", () => {
    const result = validateAuthorizeCallback(
      callback({ code: 'c', state: 'state-1' }, `${REDIRECT}?tenant=t1`),
      expectation({ redirectUri: `${REDIRECT}?tenant=t1` }),
    );
    expect(result.params.get('tenant')).toBe('t1');
  });

  it('reads the fragment with responseMode fragment', () => {
    const result = validateAuthorizeCallback(
      `${REDIRECT}#${new URLSearchParams({ code: 'c-f', state: 'state-1', iss: ISSUER })}`,
      expectation({ responseMode: 'fragment', issParameterSupported: true }),
    );
    expect(result.code).toBe('c-f');
  });

  it('reads a form_post body given as URLSearchParams', () => {
    const body = new URLSearchParams({ code: 'c-p', state: 'state-1', iss: ISSUER });
    const result = validateAuthorizeCallback(body, expectation({ responseMode: 'form_post' }));
    expect(result.code).toBe('c-p');
    expect(result.iss).toBe(ISSUER);
  });

  it("returns params that pass oauth4webapi's validateAuthResponse for its code exchange", async () => {
    const { params } = validateAuthorizeCallback(
      callback({ code: 'c-x', state: 'state-1' }),
      expectation(),
    );
    const branded = oauth.validateAuthResponse(
      { issuer: ISSUER },
      { client_id: 'spa' },
      params,
      'state-1',
    );
    let sent: URLSearchParams | undefined;
    await oauth.authorizationCodeGrantRequest(
      { issuer: ISSUER, token_endpoint: `${ISSUER}/token` },
      { client_id: 'spa' },
      oauth.None(),
      branded,
      REDIRECT,
      'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      {
        [oauth.customFetch]: async (_url, init) => {
          sent = new URLSearchParams(init.body as URLSearchParams);
          return new Response('{}', { headers: { 'content-type': 'application/json' } });
        },
      },
    );
    expect(sent?.get('code')).toBe('c-x');
  });
});

describe('validateAuthorizeCallback: state', () => {
  it('refuses another state (ERR_STATE_MISMATCH)', () => {
    refused(
      () => validateAuthorizeCallback(callback({ code: 'c', state: 'attacker' }), expectation()),
      'ERR_STATE_MISMATCH',
      'state',
    );
  });

  it('refuses a missing state', () => {
    const error = refused(
      () => validateAuthorizeCallback(callback({ code: 'c' }), expectation()),
      'ERR_STATE_MISMATCH',
    );
    expect(error.message).toMatch(/missing/);
  });

  it('refuses a state that differs only in case or by a prefix', () => {
    for (const state of ['STATE-1', 'state-', 'state-1 ', 'state-10']) {
      refused(
        () => validateAuthorizeCallback(callback({ code: 'c', state }), expectation()),
        'ERR_STATE_MISMATCH',
      );
    }
  });

  it('never puts the expected state in the message', () => {
    const error = refused(
      () => validateAuthorizeCallback(callback({ code: 'c', state: 'x' }), expectation()),
      'ERR_STATE_MISMATCH',
    );
    expect(error.message).not.toContain('state-1');
  });

  it('accepts the same expectation once: a replayed callback is ERR_STATE_REUSED', () => {
    const expected = expectation();
    const url = callback({ code: 'c', state: 'state-1' });
    expect(validateAuthorizeCallback(url, expected).code).toBe('c');
    refused(() => validateAuthorizeCallback(url, expected), 'ERR_STATE_REUSED', 'state');
    refused(() => validateAuthorizeCallback(url, expected), 'ERR_STATE_REUSED');
  });

  it('a failed callback uses the expectation up too (the transaction ends)', () => {
    const expected = expectation();
    refused(
      () => validateAuthorizeCallback(callback({ code: 'c', state: 'forged' }), expected),
      'ERR_STATE_MISMATCH',
    );
    refused(
      () => validateAuthorizeCallback(callback({ code: 'c', state: 'state-1' }), expected),
      'ERR_STATE_REUSED',
    );
  });

  it('an error response uses the expectation up', () => {
    const expected = expectation();
    expect(() =>
      validateAuthorizeCallback(callback({ error: 'access_denied', state: 'state-1' }), expected),
    ).toThrow(ProtocolError);
    refused(
      () => validateAuthorizeCallback(callback({ code: 'c', state: 'state-1' }), expected),
      'ERR_STATE_REUSED',
    );
  });

  it('a bad expectation is a ConfigurationError and is not used up', () => {
    const expected = { state: 'state-1', issuer: '' };
    expect(() =>
      validateAuthorizeCallback(callback({ code: 'c', state: 'state-1' }), expected),
    ).toThrow(ConfigurationError);
    expected.issuer = ISSUER;
    expect(
      validateAuthorizeCallback(callback({ code: 'c', state: 'state-1' }), expected).code,
    ).toBe('c');
  });

  it('remembers the object, not the value: a store must delete the transaction on use', () => {
    // Documented limit: a second expectation object with the same state is a new transaction.
    const url = callback({ code: 'c', state: 'state-1' });
    validateAuthorizeCallback(url, expectation());
    expect(validateAuthorizeCallback(url, expectation()).code).toBe('c');
  });
});

describe('validateAuthorizeCallback: issuer (RFC 9207)', () => {
  it('refuses another iss (ERR_CALLBACK_ISSUER_MISMATCH)', () => {
    const error = refused(
      () =>
        validateAuthorizeCallback(
          callback({ code: 'c', state: 'state-1', iss: 'https://evil.example' }),
          expectation({ issParameterSupported: true }),
        ),
      'ERR_CALLBACK_ISSUER_MISMATCH',
      'iss',
    );
    expect(error.message).toContain('https://evil.example');
  });

  it('refuses a missing iss when the provider advertises the parameter', () => {
    refused(
      () =>
        validateAuthorizeCallback(
          callback({ code: 'c', state: 'state-1' }),
          expectation({ issParameterSupported: true }),
        ),
      'ERR_CALLBACK_ISSUER_MISMATCH',
      'iss',
    );
  });

  it('refuses a wrong iss even when the provider does not advertise the parameter', () => {
    refused(
      () =>
        validateAuthorizeCallback(
          callback({ code: 'c', state: 'state-1', iss: `${ISSUER}/` }),
          expectation({ issParameterSupported: false }),
        ),
      'ERR_CALLBACK_ISSUER_MISMATCH',
    );
  });

  it('compares iss exactly: no trailing slash, case or empty-string leniency', () => {
    for (const iss of [`${ISSUER}/`, 'https://OP.example', '', 'https://op.example.evil']) {
      refused(
        () =>
          validateAuthorizeCallback(
            callback({ code: 'c', state: 'state-1', iss }),
            expectation({ issParameterSupported: true }),
          ),
        'ERR_CALLBACK_ISSUER_MISMATCH',
      );
    }
  });

  it('checks iss on error responses too', () => {
    refused(
      () =>
        validateAuthorizeCallback(
          callback({ error: 'access_denied', state: 'state-1', iss: 'https://evil.example' }),
          expectation(),
        ),
      'ERR_CALLBACK_ISSUER_MISMATCH',
    );
  });
});

describe('validateAuthorizeCallback: error responses', () => {
  it('turns an error response into a ProtocolError, with the description kept as text', () => {
    const description = '<script>alert(1)</script> & "quotes"';
    const error = thrown(() =>
      validateAuthorizeCallback(
        callback({
          error: 'access_denied',
          error_description: description,
          error_uri: 'https://op.example/errors/access_denied',
          state: 'state-1',
          iss: ISSUER,
        }),
        expectation({ issParameterSupported: true }),
      ),
    ) as ProtocolError;
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe('ERR_OAUTH_ERROR');
    expect(error.error).toBe('access_denied');
    expect(error.errorDescription).toBe(description);
    expect(error.errorUri).toBe('https://op.example/errors/access_denied');
    expect(error.httpStatus).toBeUndefined();
    expect(error.message).toContain('access_denied');
  });

  it('checks state before reporting the error (a forged error response is a state mismatch)', () => {
    refused(
      () =>
        validateAuthorizeCallback(
          callback({ error: 'access_denied', state: 'forged' }),
          expectation(),
        ),
      'ERR_STATE_MISMATCH',
    );
  });

  it('refuses error and code together (ERR_CALLBACK_INVALID)', () => {
    refused(
      () =>
        validateAuthorizeCallback(
          callback({ code: 'c', error: 'access_denied', state: 'state-1' }),
          expectation(),
        ),
      'ERR_CALLBACK_INVALID',
      'code',
    );
  });

  it('refuses an empty error and a missing or empty code', () => {
    refused(
      () => validateAuthorizeCallback(callback({ error: '', state: 'state-1' }), expectation()),
      'ERR_CALLBACK_INVALID',
      'error',
    );
    refused(
      () => validateAuthorizeCallback(callback({ state: 'state-1' }), expectation()),
      'ERR_CALLBACK_INVALID',
      'code',
    );
    refused(
      () => validateAuthorizeCallback(callback({ code: '', state: 'state-1' }), expectation()),
      'ERR_CALLBACK_INVALID',
      'code',
    );
  });
});

describe('validateAuthorizeCallback: response mode', () => {
  it('refuses a fragment response when query was expected', () => {
    const error = refused(
      () =>
        validateAuthorizeCallback(
          `${REDIRECT}#${new URLSearchParams({ code: 'c', state: 'state-1' })}`,
          expectation(),
        ),
      'ERR_CALLBACK_INVALID',
    );
    expect(error.message).toMatch(/fragment/);
  });

  it('refuses a query response when fragment was expected', () => {
    refused(
      () =>
        validateAuthorizeCallback(
          callback({ code: 'c', state: 'state-1' }),
          expectation({ responseMode: 'fragment' }),
        ),
      'ERR_CALLBACK_INVALID',
    );
  });

  it('refuses a response split over query and fragment', () => {
    refused(
      () =>
        validateAuthorizeCallback(
          `${callback({ code: 'c', state: 'state-1' })}#state=state-1`,
          expectation(),
        ),
      'ERR_CALLBACK_INVALID',
    );
  });

  it('ignores a fragment without response parameters', () => {
    expect(
      validateAuthorizeCallback(`${callback({ code: 'c', state: 'state-1' })}#_=_`, expectation())
        .code,
    ).toBe('c');
  });

  it('refuses implicit, hybrid and JARM responses', () => {
    for (const name of ['id_token', 'access_token', 'response']) {
      refused(
        () =>
          validateAuthorizeCallback(
            callback({ code: 'c', state: 'state-1', [name]: 'x' }),
            expectation(),
          ),
        'ERR_CALLBACK_INVALID',
        name,
      );
    }
  });

  it('refuses a form body unless form_post was expected, and a URL when it was', () => {
    const body = new URLSearchParams({ code: 'c', state: 'state-1' });
    expect(() => validateAuthorizeCallback(body, expectation())).toThrow(ConfigurationError);
    expect(() =>
      validateAuthorizeCallback(
        callback({ code: 'c', state: 'state-1' }),
        expectation({ responseMode: 'form_post' }),
      ),
    ).toThrow(ConfigurationError);
    expect(() =>
      validateAuthorizeCallback(
        body,
        expectation({ responseMode: 'form_post', redirectUri: REDIRECT }),
      ),
    ).toThrow(ConfigurationError);
  });
});

describe('validateAuthorizeCallback: duplicated parameters', () => {
  it.each([
    [
      'state',
      [
        ['code', 'c'],
        ['state', 'state-1'],
        ['state', 'state-1'],
      ],
    ],
    [
      'state',
      [
        ['code', 'c'],
        ['state', 'state-1'],
        ['state', 'forged'],
      ],
    ],
    [
      'code',
      [
        ['code', 'c'],
        ['code', 'd'],
        ['state', 'state-1'],
      ],
    ],
    [
      'iss',
      [
        ['code', 'c'],
        ['state', 'state-1'],
        ['iss', ISSUER],
        ['iss', ISSUER],
      ],
    ],
    [
      'error',
      [
        ['error', 'a'],
        ['error', 'b'],
        ['state', 'state-1'],
      ],
    ],
  ])('refuses two %s parameters', (name, params) => {
    refused(
      () => validateAuthorizeCallback(callback(params), expectation()),
      'ERR_CALLBACK_INVALID',
      name,
    );
  });

  it('refuses duplicates in a form_post body', () => {
    const body = new URLSearchParams([
      ['code', 'c'],
      ['state', 'state-1'],
      ['state', 'state-1'],
    ]);
    refused(
      () => validateAuthorizeCallback(body, expectation({ responseMode: 'form_post' })),
      'ERR_CALLBACK_INVALID',
      'state',
    );
  });
});

describe('validateAuthorizeCallback: redirect URI', () => {
  it.each([
    ['another path', 'https://app.example/callback2'],
    ['a sub-path', 'https://app.example/callback/x'],
    ['a trailing slash', 'https://app.example/callback/'],
    ['another host', 'https://app.example.evil.net/callback'],
    ['another port', 'https://app.example:8443/callback'],
    ['another scheme', 'http://app.example/callback'],
  ])('refuses %s', (_, base) => {
    refused(
      () =>
        validateAuthorizeCallback(
          callback({ code: 'c', state: 'state-1' }, base),
          expectation({ redirectUri: REDIRECT }),
        ),
      'ERR_CALLBACK_INVALID',
    );
  });

  it('refuses credentials in the callback URL', () => {
    refused(
      () =>
        validateAuthorizeCallback(
          callback({ code: 'c', state: 'state-1' }, 'https://user@app.example/callback'),
          expectation({ redirectUri: REDIRECT }),
        ),
      'ERR_CALLBACK_INVALID',
    );
  });

  it('compares parsed URLs: default port, host case and dot segments are the same URL', () => {
    for (const base of [
      'https://app.example:443/callback',
      'https://APP.example/callback',
      'https://app.example/x/../callback',
    ]) {
      expect(
        validateAuthorizeCallback(
          callback({ code: 'c', state: 'state-1' }, base),
          expectation({ redirectUri: REDIRECT }),
        ).code,
      ).toBe('c');
    }
  });

  it('works for custom schemes (native and Electron apps)', () => {
    const redirectUri = 'com.example.app:/oauth/callback';
    expect(
      validateAuthorizeCallback(
        callback({ code: 'c', state: 'state-1' }, redirectUri),
        expectation({ redirectUri }),
      ).code,
    ).toBe('c');
    refused(
      () =>
        validateAuthorizeCallback(
          callback({ code: 'c', state: 'state-1' }, 'com.evil.app:/oauth/callback'),
          expectation({ redirectUri }),
        ),
      'ERR_CALLBACK_INVALID',
    );
  });

  it('refuses a callback that is not an absolute URL', () => {
    refused(
      () => validateAuthorizeCallback('/callback?code=c&state=state-1', expectation()),
      'ERR_CALLBACK_INVALID',
    );
  });
});
