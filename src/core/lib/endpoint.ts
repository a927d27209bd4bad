/**
 * The rules every endpoint URL passes before the library calls it.
 *
 * @module
 */

import { ConfigurationError, HttpError } from '../errors.js';
import { isSecureEnough, tryParseUrl } from './url.js';

/** Parses an endpoint URL. Throws `ConfigurationError` unless it is an absolute http(s) URL. */
export function parseEndpoint(value: unknown, path: string): URL {
  const url = typeof value === 'string' ? tryParseUrl(value) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new ConfigurationError(`"${path}" must be an absolute http(s) URL`);
  }
  return url;
}

/**
 * Applies the https rule to a parsed endpoint: throws `HttpError` `ERR_ENDPOINT_HTTPS_REQUIRED`
 * (a policy failure) for `http` off loopback under `requireHttps`.
 */
export function assertSecureEndpoint(url: URL, path: string, requireHttps = true): void {
  if (!isSecureEnough(url, requireHttps, true)) {
    throw new HttpError(
      'ERR_ENDPOINT_HTTPS_REQUIRED',
      `"${path}" must use https, got "${url.origin}${url.pathname}"`,
      { url: `${url.origin}${url.pathname}` },
    );
  }
}
