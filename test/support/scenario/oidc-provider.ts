/**
 * The oidc-provider adapter of the shared scenario: the demo provider (demo/provider.js) per
 * suite, its development login and consent pages driven with plain HTTP (test/support/login.ts).
 * It follows the specs the scenario checks, so it declares no deviation.
 */
import { CookieJar, completeDeviceVerification, loginWithDevInteractions } from '../login.js';
import { DEFAULT_API_RESOURCE, DEMO_CLIENTS, startProvider } from '../provider.js';
import type { ScenarioAdapter, ScenarioUserAgent } from './adapter.js';

const REDIRECT_URI = 'http://localhost:5173/callback';
const POST_LOGOUT_REDIRECT_URI = 'http://localhost:5173/';
const LOGIN = 'alice';

export const oidcProviderAdapter: ScenarioAdapter = {
  name: 'oidc-provider',
  deviations: {
    ignoredDiscoveryValues: [],
    basicCredentialsNotDecoded: false,
    authTimeZero: false,
    refreshWithoutIdToken: false,
    refreshErrorWithoutBody: false,
    publicClientCannotRevoke: false,
    introspectsOnlyOwnTokens: false,
    clientAuthFailureStatus: 401,
    silentSignInError: 'login_required',
  },
  async start() {
    const op = await startProvider({
      redirectUris: [REDIRECT_URI],
      postLogoutRedirectUris: [POST_LOGOUT_REDIRECT_URI],
    });
    return {
      issuer: op.issuer,
      spa: {
        clientId: DEMO_CLIENTS.spa.clientId,
        redirectUri: REDIRECT_URI,
        postLogoutRedirectUri: POST_LOGOUT_REDIRECT_URI,
        scope: 'openid profile email',
      },
      machine: {
        ...DEMO_CLIENTS.basic,
        authMethod: 'client_secret_basic',
        scope: 'api:read',
        // Client credentials default to the demo API resource, with RFC 9068 JWTs.
        audience: DEFAULT_API_RESOURCE,
        typ: 'at+jwt',
      },
      device: { clientId: DEMO_CLIENTS.device.clientId },
      publishedKids: op.keys.publicJwks.keys.map((key) => key.kid),
      userEmail: `${LOGIN}@example.com`,
      newUserAgent: () => devInteractionsAgent(op.issuer),
      close: () => op.close(),
    };
  },
};

/** A browser on oidc-provider's development pages, with one cookie jar. */
function devInteractionsAgent(issuer: string): ScenarioUserAgent {
  const jar = new CookieJar();
  const get = async (url: URL) => {
    const response = await fetch(url, { headers: { cookie: jar.header(url) }, redirect: 'manual' });
    jar.store(response, url);
    return response;
  };
  return {
    authorize: (authorizationUrl) =>
      loginWithDevInteractions({ issuer, authorizationUrl, login: LOGIN, jar }),
    async authorizeSilently(authorizationUrl) {
      const response = await get(new URL(authorizationUrl));
      await response.body?.cancel();
      return new URL(response.headers.get('location') ?? '', authorizationUrl).href;
    },
    async approveDevice(verificationUri, userCode) {
      const page = await completeDeviceVerification({
        issuer,
        verificationUri,
        userCode,
        login: LOGIN,
        jar,
      });
      if (!page.includes('Sign-in Success')) throw new Error(`device flow: ${page.slice(0, 300)}`);
    },
    async endSession(endSessionUrl) {
      const page = await get(new URL(endSessionUrl));
      const html = await page.text();
      if (page.status !== 200)
        throw new Error(`end session: ${page.status}: ${html.slice(0, 300)}`);
      const done = await confirmLogout(html, jar);
      const location = done.headers.get('location');
      if (!location) throw new Error(`end session: ${done.status} without a redirect`);
      return new URL(location, endSessionUrl).href;
    },
  };
}

/**
 * Submits the logout confirmation: the form's inputs plus the "Yes, sign me out" button
 * (`<button name="logout" value="yes">`, outside the form).
 */
async function confirmLogout(html: string, jar: CookieJar): Promise<Response> {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`end session: no confirmation form: ${html.slice(0, 300)}`);
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
    fields.append(name!, value!);
  }
  fields.set('logout', 'yes');
  const target = new URL(action);
  const response = await fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header(target) },
    body: fields,
    redirect: 'manual',
  });
  jar.store(response, target);
  return response;
}
