/**
 * A cookie session with Glewlwyd's own REST API (`/api/auth/`, `/api/user`, …): the
 * administrator's for provisioning, a user's for logging in and granting consent. Glewlwyd
 * authenticates these APIs with its session cookie only.
 */
import { CookieJar } from '../login.js';

export class GlewlwydSession {
  /** The cookies of this session; pass it to the authorization request to reuse the login. */
  readonly jar: CookieJar;

  /** @param api Glewlwyd's API root, `http://127.0.0.1:PORT/api`. */
  constructor(
    readonly api: string,
    jar: CookieJar = new CookieJar(),
  ) {
    this.jar = jar;
  }

  /** Signs in with a password (`POST /api/auth/`); throws unless Glewlwyd accepts. */
  async signIn(username: string, password: string): Promise<void> {
    await this.call('POST', '/auth/', { username, password });
  }

  /**
   * Sends a JSON request and returns the parsed answer (`undefined` for an empty one). Throws
   * with the method, path, status and body unless the status is 2xx.
   */
  async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = new URL(`${this.api}${path}`);
    const headers: Record<string, string> = { cookie: this.jar.header(url) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, {
      method,
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    this.jar.store(response, url);
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`glewlwyd ${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
    }
    return text ? JSON.parse(text) : undefined;
  }
}
