/**
 * A real back-channel logout: oidc-provider (demo/provider.js) sends a logout token to the RP's
 * `backchannel_logout_uri` (a route on the local test server) when the user confirms an
 * RP-initiated logout, and validateLogoutToken accepts it with the session's `sid`.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { validateLogoutToken } from '../../../src/core/logout/backchannel.js';
import { CookieJar } from '../../support/login.js';
import { useProvider } from '../../support/provider.js';
import { startServer } from '../../support/server.js';
import { codeFlow } from '../userinfo/code-flow.js';

const REDIRECT_URI = 'http://localhost:5173/callback';
const CLIENT_ID = 'backchannel-rp';

const rp = await startServer();
afterAll(() => rp.close());
const received: string[] = [];
rp.route('POST', '/backchannel', (_req, res, body) => {
  received.push(new URLSearchParams(body).get('logout_token') ?? '');
  res.writeHead(200, { 'cache-control': 'no-store' }).end();
});

const op = useProvider({
  redirectUris: [REDIRECT_URI],
  clients: [
    {
      client_id: CLIENT_ID,
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [REDIRECT_URI],
      backchannel_logout_uri: `${rp.url}/backchannel`,
      backchannel_logout_session_required: true,
    },
  ],
  config: {
    // oidc-provider refuses outgoing requests to loopback addresses (its SSRF guard, a custom
    // undici dispatcher); the RP here is on 127.0.0.1, so send without that dispatcher.
    fetch: (url: string, { dispatcher: _guard, ...init }: RequestInit & { dispatcher?: unknown }) =>
      globalThis.fetch(url, init),
  },
});

/** GET with the jar's cookies; no redirects followed. */
async function get(url: URL, jar: CookieJar): Promise<Response> {
  const response = await fetch(url, { headers: { cookie: jar.header(url) }, redirect: 'manual' });
  jar.store(response, url);
  return response;
}

/** Confirms oidc-provider's logout page: its form inputs plus `logout=yes` (the "Yes" button). */
async function confirmLogout(html: string, jar: CookieJar): Promise<Response> {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  expect(action, html).toBeDefined();
  const fields = new URLSearchParams({ logout: 'yes' });
  for (const [, name, value] of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
    fields.append(name!, value!);
  }
  const target = new URL(action!, op().issuer);
  return fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header(target) },
    body: fields,
    redirect: 'manual',
  });
}

describe('back-channel logout from oidc-provider', () => {
  it('validates the logout token the provider sends on logout', async () => {
    const jar = new CookieJar();
    const tokens = await codeFlow(op(), {
      clientId: CLIENT_ID,
      redirectUri: REDIRECT_URI,
      scope: 'openid',
      jar,
    });
    const { sid } = decodeJwt(tokens.id_token);
    expect(typeof sid).toBe('string');

    const endSession = new URL(`${op().issuer}/session/end`);
    endSession.search = new URLSearchParams({
      id_token_hint: tokens.id_token,
      client_id: CLIENT_ID,
    }).toString();
    const page = await get(endSession, jar);
    expect(page.status).toBe(200);
    const done = await confirmLogout(await page.text(), jar);
    expect(done.status).toBeLessThan(400);
    await done.body?.cancel();

    expect(received).toHaveLength(1);
    const logoutToken = received[0]!;
    expect(decodeProtectedHeader(logoutToken).typ).toBe('logout+jwt');
    const claims = await validateLogoutToken(logoutToken, {
      issuer: op().issuer,
      clientId: CLIENT_ID,
    });
    expect(claims.sid).toBe(sid);
    expect(claims.sub).toBe('alice');
    expect(claims.iss).toBe(op().issuer);
    expect(claims.events['http://schemas.openid.net/event/backchannel-logout']).toEqual({});

    // The same token for another client is refused.
    await expect(
      validateLogoutToken(logoutToken, { issuer: op().issuer, clientId: 'demo-spa' }),
    ).rejects.toMatchObject({ code: 'ERR_JWT_AUDIENCE_INVALID' });
  });
});
