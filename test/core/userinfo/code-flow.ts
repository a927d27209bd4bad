/**
 * A code flow against the demo provider with plain fetch (dev login, then the code exchange):
 * what the UserInfo, access-token and logout tests need, without the library's own grant code.
 */
import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { CookieJar, loginWithDevInteractions } from '../../support/login.js';
import type { DemoProvider } from '../../support/provider.js';

/** The token response of the exchange, as sent. */
export interface CodeFlowTokens {
  access_token: string;
  id_token: string;
  token_type: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
}

export interface CodeFlowOptions {
  clientId: string;
  redirectUri: string;
  /** Client secret for `client_secret_basic`; a public client otherwise. */
  clientSecret?: string;
  /** Default `openid profile email`. */
  scope?: string;
  /** Login name (the `sub`). Default `alice`. */
  login?: string;
  /** Extra authorization parameters (e.g. `resource`). */
  extra?: Record<string, string>;
  /** Keep the provider session here (for logout). */
  jar?: CookieJar;
}

/** Runs the dev login with PKCE and exchanges the code; fails the test on any error. */
export async function codeFlow(
  op: DemoProvider,
  options: CodeFlowOptions,
): Promise<CodeFlowTokens> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('hex');
  const url = new URL(`${op.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: options.clientId,
    response_type: 'code',
    redirect_uri: options.redirectUri,
    scope: options.scope ?? 'openid profile email',
    state,
    nonce: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...options.extra,
  }).toString();
  const callback = new URL(
    await loginWithDevInteractions({
      issuer: op.issuer,
      authorizationUrl: url,
      login: options.login ?? 'alice',
      jar: options.jar ?? new CookieJar(),
    }),
  );
  expect(callback.searchParams.get('state')).toBe(state);
  const code = callback.searchParams.get('code');
  expect(code, callback.href).toBeTruthy();
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: code!,
    redirect_uri: options.redirectUri,
    code_verifier: verifier,
  });
  if (options.clientSecret === undefined) form.set('client_id', options.clientId);
  else {
    const basic = `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  }
  const response = await fetch(`${op.issuer}/token`, { method: 'POST', headers, body: form });
  const body = (await response.json()) as CodeFlowTokens;
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body;
}
