/**
 * Plays the browser and the end user against Glewlwyd with plain HTTP, doing what its login page
 * (`login.html`, a React app) would do through Glewlwyd's API:
 * - the authorization endpoint always redirects to `login.html?…&callback_url=…` first; the page
 *   signs the user in (`POST /api/auth/`), records the consent (`PUT /api/auth/grant/{client}`,
 *   scopes space-separated although API.md says commas), then re-requests `callback_url` with
 *   `&g_continue`, which answers with the redirect to the client;
 * - the device verification URI does the same, then shows a result page;
 * - the end-session endpoint redirects to `login.html?prompt=end_session&sid=…&callback_url=…`;
 *   the page deletes the OpenID session (`DELETE /api/oidc/session/{sid}`) and the Glewlwyd
 *   session (`DELETE /api/auth/`), then navigates to `callback_url`.
 */
import { CookieJar } from '../login.js';
import { GlewlwydSession } from './session.js';

const MAX_STEPS = 10;

export class GlewlwydUserAgent {
  readonly jar = new CookieJar();
  readonly #session: GlewlwydSession;
  #signedIn = false;

  /**
   * @param origin Glewlwyd's origin (`http://localhost:PORT`): any redirect elsewhere is the
   *   client's.
   * @param username The user who signs in when the login page comes up.
   */
  constructor(
    readonly origin: string,
    readonly username: string,
    readonly password: string,
  ) {
    this.#session = new GlewlwydSession(`${origin}/api`, this.jar);
  }

  /**
   * Follows an authorization request (or a PAR `request_uri` one) through the login page to the
   * client's redirect URI and returns that URL (with `code`, `state`, `iss`, or with `error`).
   */
  async authorize(authorizationUrl: string): Promise<string> {
    const landing = await this.#navigate(authorizationUrl);
    if (landing.external) return landing.url.href;
    throw new Error(`glewlwyd authorize: ended at ${landing.url.href}: ${landing.body}`);
  }

  /** One GET of an authorization URL, no login: the `Location` it answers with. */
  async authorizeOnce(authorizationUrl: string): Promise<string> {
    const response = await this.#get(new URL(authorizationUrl));
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (!location) throw new Error(`glewlwyd authorize: ${response.status} without a redirect`);
    return new URL(location, authorizationUrl).href;
  }

  /**
   * The user's part of the device flow (RFC 8628 §3.3): opens the verification URI with the user
   * code, signs in and consents. Throws unless Glewlwyd ends on its `deviceComplete` page.
   */
  async approveDevice(verificationUri: string, userCode: string): Promise<void> {
    const url = new URL(verificationUri);
    url.searchParams.set('code', userCode);
    const landing = await this.#navigate(url.href);
    if (landing.external || landing.url.searchParams.get('prompt') !== 'deviceComplete') {
      throw new Error(`glewlwyd device: ended at ${landing.url.href}`);
    }
  }

  /**
   * Opens an end-session URL and confirms the sign-out as the login page does. Returns where
   * the page then sends the browser: the post-logout redirect URI with `state`, or Glewlwyd's
   * own page when there is none.
   */
  async endSession(endSessionUrl: string): Promise<string> {
    const first = await this.#get(new URL(endSessionUrl));
    const location = first.headers.get('location');
    await first.body?.cancel();
    if (!location) throw new Error(`glewlwyd end session: ${first.status} at ${endSessionUrl}`);
    const login = new URL(location, endSessionUrl);
    const params = login.searchParams;
    if (params.get('prompt') !== 'end_session') {
      throw new Error(`glewlwyd end session: not an end-session prompt: ${login.href}`);
    }
    await this.#session.call('DELETE', `/${params.get('plugin')}/session/${params.get('sid')}`);
    await this.#session.call('DELETE', '/auth/');
    this.#signedIn = false;
    return params.get('callback_url') ?? login.href;
  }

  /** GET with redirects followed by hand until the client's origin or a page of Glewlwyd's. */
  async #navigate(start: string): Promise<{ url: URL; external: boolean; body: string }> {
    let url = new URL(start);
    for (let step = 0; step < MAX_STEPS; step++) {
      if (url.origin !== this.origin) return { url, external: true, body: '' };
      if (url.pathname.endsWith('/login.html')) {
        // A page that reports a result (`prompt=deviceComplete`, `deviceCodeError`, …).
        if (url.searchParams.get('prompt')?.startsWith('device')) {
          return { url, external: false, body: '' };
        }
        url = await this.#loginPage(url);
        continue;
      }
      const response = await this.#get(url);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        url = new URL(location, url);
        continue;
      }
      return { url, external: false, body: (await response.text()).slice(0, 500) };
    }
    throw new Error(`glewlwyd: no landing after ${MAX_STEPS} requests from ${start}`);
  }

  /** What `login.html` does: sign in, consent to the scopes, continue to `callback_url`. */
  async #loginPage(url: URL): Promise<URL> {
    const params = url.searchParams;
    const callback = params.get('callback_url');
    if (!callback) throw new Error(`glewlwyd login page without callback_url: ${url.href}`);
    if (!this.#signedIn) {
      await this.#session.signIn(this.username, this.password);
      this.#signedIn = true;
    }
    const clientId = params.get('client_id');
    const scope = params.get('scope');
    if (clientId && scope) {
      await this.#session.call('PUT', `/auth/grant/${encodeURIComponent(clientId)}`, { scope });
    }
    return new URL(`${callback}${callback.includes('?') ? '&' : '?'}g_continue`);
  }

  async #get(url: URL): Promise<Response> {
    const response = await fetch(url, {
      headers: { cookie: this.jar.header(url) },
      redirect: 'manual',
    });
    this.jar.store(response, url);
    return response;
  }
}
