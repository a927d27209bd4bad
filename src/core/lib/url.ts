/**
 * URL facts the policies depend on. Always parsed with `URL`, never compared as raw strings.
 *
 * @module
 */

/**
 * True for loopback hosts: `localhost`, 127.0.0.0/8 and `[::1]`. The host is taken from the
 * parsed URL, so `127.evil.com` or `localhost.evil.net` are not loopback.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-8.3
 */
export function isLoopback(url: URL): boolean {
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * `value` without its trailing slashes. A loop rather than `/\/+$/`, which backtracks
 * quadratically on a long run of slashes followed by another character (a hostile `issuer`
 * of 100,000 slashes and a letter costs seconds of CPU).
 */
export function trimTrailingSlashes(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x2f) end--;
  return value.slice(0, end);
}

/** Parses an absolute URL, or returns undefined. */
export function tryParseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** True when `url` may be used under an HTTPS requirement (https, or http on loopback if allowed). */
export function isSecureEnough(url: URL, requireHttps: boolean, allowHttpOnLoopback: boolean) {
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  return !requireHttps || (allowHttpOnLoopback && isLoopback(url));
}

/**
 * True when `url` is at or below `base`: same scheme, host and port, and the path of `url`
 * starts with the path of `base` at a segment boundary (after the URL parser's normalisation).
 */
export function isUnder(url: URL, base: URL): boolean {
  if (url.origin !== base.origin || url.username !== '' || url.password !== '') return false;
  const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return url.pathname === base.pathname || url.pathname.startsWith(prefix);
}
