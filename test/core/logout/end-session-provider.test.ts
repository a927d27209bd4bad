/**
 * createEndSessionUrl against the real provider (demo/provider.js, oidc-provider 9): the
 * end-session endpoint accepts the URL, and after the confirmation the browser lands on the
 * post-logout redirect URI with `state`. Unregistered redirects and bad hints are refused
 * (controls showing the provider does check what the URL carries).
 */
import { describe, expect, it } from 'vitest';
import {
  createPkce,
  createState,
  prepareAuthorization,
  validateAuthorizeCallback,
} from '../../../src/core/authorize/index.js';
import { createEndSessionUrl } from '../../../src/core/logout/end-session.js';
import { CookieJar, loginWithDevInteractions } from '../../support/login.js';
import { DEMO_CLIENTS, useProvider } from '../../support/provider.js';

const op = useProvider();
const REDIRECT = 'http://localhost:5173/callback';
const POST_LOGOUT = 'http://localhost:5173/';

/** Logs in with demo-spa and returns the ID token and the session's cookie jar. */
async function login(): Promise<{ idToken: string; jar: CookieJar }> {
  const issuer = op().issuer;
  const jar = new CookieJar();
  const prepared = await prepareAuthorization({
    address: `${issuer}/auth`,
    clientId: DEMO_CLIENTS.spa.clientId,
    redirectUri: REDIRECT,
    scope: 'openid',
  });
  const callback = await loginWithDevInteractions({ issuer, authorizationUrl: prepared.url, jar });
  const { code } = validateAuthorizeCallback(callback, { state: prepared.state, issuer });
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: DEMO_CLIENTS.spa.clientId,
      code,
      redirect_uri: REDIRECT,
      code_verifier: prepared.codeVerifier,
    }),
  });
  const body = (await response.json()) as { id_token: string };
  expect(typeof body.id_token).toBe('string');
  return { idToken: body.id_token, jar };
}

/** GET with the jar's cookies, no redirects followed. */
async function get(url: string, jar: CookieJar): Promise<Response> {
  const target = new URL(url);
  const response = await fetch(target, {
    headers: { cookie: jar.header(target) },
    redirect: 'manual',
  });
  jar.store(response, target);
  return response;
}

/**
 * Submits the provider's logout confirmation: the form's inputs plus the named submit button
 * (oidc-provider's "Yes, sign me out" is `<button name="logout" value="yes">`, outside the form).
 */
async function confirmLogout(html: string, jar: CookieJar): Promise<Response> {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  expect(action).toBeDefined();
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
    fields.append(name!, value!);
  }
  const button = /<button[^>]*value="([^"]*)"[^>]*name="([^"]+)"/.exec(html);
  if (button) fields.set(button[2]!, button[1]!);
  expect(fields.get('logout')).toBe('yes');
  const target = new URL(action!);
  const response = await fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header(target) },
    body: fields,
    redirect: 'manual',
  });
  jar.store(response, target);
  return response;
}

describe('RP-initiated logout against oidc-provider', () => {
  it('the end-session endpoint accepts the URL and returns to post_logout_redirect_uri with state', async () => {
    const { idToken, jar } = await login();
    const state = createState();
    const url = createEndSessionUrl({
      address: `${op().issuer}/session/end`,
      idTokenHint: idToken,
      clientId: DEMO_CLIENTS.spa.clientId,
      postLogoutRedirectUri: POST_LOGOUT,
      state,
      uiLocales: 'en',
    });
    const page = await get(url, jar);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/session\/end\/confirm/);
    expect(html).not.toMatch(/<h1>error<\/h1>/);

    const done = await confirmLogout(html, jar);
    expect([302, 303]).toContain(done.status);
    const landing = new URL(done.headers.get('location')!);
    expect(landing.origin + landing.pathname).toBe(POST_LOGOUT);
    expect(landing.searchParams.get('state')).toBe(state);

    // The session is gone: a silent authorization request now needs a login.
    const { codeChallenge } = await createPkce();
    const silent = await get(
      `${op().issuer}/auth?${new URLSearchParams({
        client_id: DEMO_CLIENTS.spa.clientId,
        response_type: 'code',
        redirect_uri: REDIRECT,
        scope: 'openid',
        state: 's',
        prompt: 'none',
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      })}`,
      jar,
    );
    expect(new URL(silent.headers.get('location')!).searchParams.get('error')).toBe(
      'login_required',
    );
  });

  it('an unregistered post_logout_redirect_uri is refused (control)', async () => {
    const { idToken, jar } = await login();
    const response = await get(
      createEndSessionUrl({
        address: `${op().issuer}/session/end`,
        idTokenHint: idToken,
        postLogoutRedirectUri: 'http://localhost:5173/elsewhere',
      }),
      jar,
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/post_logout_redirect_uri/);
  });

  it('a tampered id_token_hint is refused (control)', async () => {
    const { idToken, jar } = await login();
    const [header, payload] = idToken.split('.');
    const response = await get(
      createEndSessionUrl({
        address: `${op().issuer}/session/end`,
        idTokenHint: `${header}.${payload}.AAAA`,
        clientId: DEMO_CLIENTS.spa.clientId,
      }),
      jar,
    );
    expect(response.status).toBe(400);
  });
});
