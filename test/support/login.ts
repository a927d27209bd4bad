/**
 * Drives oidc-provider's development login and consent pages with plain HTTP, as a browser would:
 * redirects followed by hand, forms read from the returned HTML, cookies kept in a tiny jar.
 */

/**
 * Cookies per (name, path), sent to the paths they were set for. Single host, so no domains;
 * enough for oidc-provider's interaction, resume and session cookies.
 */
export class CookieJar {
  readonly #cookies = new Map<string, { name: string; value: string; path: string }>();

  /** Stores the `Set-Cookie` headers of a response (an expired cookie is removed). */
  store(response: Response, requestUrl: URL): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = defaultPath(requestUrl);
      let expired = false;
      for (const attribute of attributes) {
        const [key = '', val = ''] = attribute.split('=', 2);
        const lower = key.toLowerCase();
        if (lower === 'path' && val.startsWith('/')) path = val;
        if (lower === 'expires' && Date.parse(val) <= Date.now()) expired = true;
        if (lower === 'max-age' && Number(val) <= 0) expired = true;
      }
      const key = `${name}\t${path}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path });
    }
  }

  /** The `Cookie` header value for a request to `url` (empty when nothing matches). */
  header(url: URL): string {
    return [...this.#cookies.values()]
      .filter(({ path }) => pathMatches(url.pathname, path))
      .map(({ name, value }) => `${name}=${value}`)
      .join('; ');
  }
}

function defaultPath(url: URL): string {
  const slash = url.pathname.lastIndexOf('/');
  return slash <= 0 ? '/' : url.pathname.slice(0, slash);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  const prefix = cookiePath.endsWith('/') ? cookiePath : `${cookiePath}/`;
  return requestPath.startsWith(prefix);
}

export interface DevLoginOptions {
  /** The provider's issuer; any redirect leaving its origin is the callback. */
  issuer: string;
  /** A complete authorization request URL (or a PAR `request_uri` one). */
  authorizationUrl: string | URL;
  /** Login name, which becomes the `sub`. Default `alice`. */
  login?: string;
  /** Any password works. */
  password?: string;
  /** Pass the same jar to a later login to reuse the provider session (SSO, logout). */
  jar?: CookieJar;
}

const MAX_STEPS = 20;

/**
 * Follows an authorization request through the dev login and consent pages and returns the URL
 * the provider finally redirects to outside its own origin: the client's redirect URI with
 * `code`/`state`/`iss`, or with `error` when the provider refused.
 */
export async function loginWithDevInteractions(options: DevLoginOptions): Promise<string> {
  const { issuer, login = 'alice', password = 'secret', jar = new CookieJar() } = options;
  const origin = new URL(issuer).origin;
  let url = new URL(options.authorizationUrl);
  let init: RequestInit = { method: 'GET' };

  for (let step = 0; step < MAX_STEPS; step++) {
    const headers = new Headers(init.headers);
    const cookie = jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    jar.store(response, url);

    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url);
      if (url.origin !== origin) return url.href;
      init = { method: 'GET' };
      continue;
    }

    const html = await response.text();
    if (response.status !== 200) {
      throw new Error(`dev login: ${response.status} at ${url.href}: ${html.slice(0, 500)}`);
    }
    const form = parseForm(html);
    if (!form) throw new Error(`dev login: no form at ${url.href}: ${html.slice(0, 500)}`);
    ({ url, init } = submit(form, url, login, password));
  }
  throw new Error(`dev login: no callback after ${MAX_STEPS} requests`);
}

/** The request that submits `form` (found at `base`), with the credentials on a login form. */
function submit(
  form: { action: string; fields: Map<string, string> },
  base: URL,
  login: string,
  password: string,
): { url: URL; init: RequestInit } {
  if (form.fields.get('prompt') === 'login') {
    form.fields.set('login', login);
    form.fields.set('password', password);
  }
  return {
    url: new URL(form.action, base),
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([...form.fields]).toString(),
    },
  };
}

/** The first POST form of a page: its action and the named inputs with their values. */
function parseForm(html: string): { action: string; fields: Map<string, string> } | undefined {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const action = attribute(form[1] ?? '', 'action');
  if (action === undefined) return undefined;
  const fields = new Map<string, string>();
  for (const input of (form[2] ?? '').matchAll(/<input\b([^>]*)>/gi)) {
    const name = attribute(input[1] ?? '', 'name');
    if (name) fields.set(name, attribute(input[1] ?? '', 'value') ?? '');
  }
  return { action, fields };
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}="([^"]*)"`, 'i').exec(tag);
  return match?.[1] === undefined ? undefined : decodeEntities(match[1]);
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([\da-f]+);/gi, (_, code: string) =>
      String.fromCodePoint(Number.parseInt(code, 16)),
    )
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export interface DeviceVerificationOptions {
  /** The provider's issuer (all pages stay on its origin). */
  issuer: string;
  /** `verification_uri`, or `verification_uri_complete` (then `userCode` may be left out). */
  verificationUri: string;
  /** The user code to type into the input page. */
  userCode?: string;
  /** Login name, which becomes the `sub`. Default `alice`. */
  login?: string;
  /** Any password works. */
  password?: string;
  /** Press "Abort" on the confirmation page instead of "Continue" (the device gets `access_denied`). */
  abort?: boolean;
  jar?: CookieJar;
}

/**
 * Plays the user's part of the device flow (RFC 8628 §3.3) on oidc-provider's pages with plain
 * HTTP: the user code input page, the confirmation page, then login and consent. Resolves with
 * the last page's HTML: the "Sign-in Success" page, or (with `abort`) the input page again.
 */
export async function completeDeviceVerification(
  options: DeviceVerificationOptions,
): Promise<string> {
  const { issuer, login = 'alice', password = 'secret', jar = new CookieJar() } = options;
  const origin = new URL(issuer).origin;
  let url = new URL(options.verificationUri);
  let init: RequestInit = { method: 'GET' };
  let confirmed = false;

  for (let step = 0; step < MAX_STEPS; step++) {
    if (url.origin !== origin) throw new Error(`device verification: left the provider for ${url}`);
    const headers = new Headers(init.headers);
    const cookie = jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    jar.store(response, url);

    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url);
      init = { method: 'GET' };
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) {
      throw new Error(
        `device verification: ${response.status} at ${url.href}: ${html.slice(0, 500)}`,
      );
    }
    const form = parseForm(html);
    // The success page has no form; after an abort the input page comes back.
    if (!form || (confirmed && options.abort)) return html;
    if (form.fields.has('user_code') && form.fields.get('user_code') === '') {
      if (options.userCode === undefined) throw new Error('device verification: no user code');
      form.fields.set('user_code', options.userCode);
    }
    if (form.fields.has('confirm')) {
      confirmed = true;
      if (options.abort) {
        form.fields.delete('confirm');
        form.fields.set('abort', 'yes');
      }
    }
    ({ url, init } = submit(form, url, login, password));
  }
  throw new Error(`device verification: not finished after ${MAX_STEPS} requests`);
}
