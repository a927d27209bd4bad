/**
 * Maps oauth4webapi's errors onto the library's error families.
 *
 * @module
 */

import * as oauth from 'oauth4webapi';
import { ConfigurationError, HttpError, IdentityModelError, ProtocolError } from '../errors.js';
import type { HttpResponse } from '../http/request.js';
import { oauthErrorBody } from './oauth-response.js';

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Turns whatever an oauth4webapi call threw into an {@link IdentityModelError}: an OAuth error
 * body or `WWW-Authenticate` challenge becomes a {@link ProtocolError}; a body that is not JSON,
 * an unexpected status or a malformed response an {@link HttpError}; an argument error a
 * {@link ConfigurationError}. Library errors pass through.
 *
 * `response` is the response the error is about, when the caller has it: its status fills
 * `status` when oauth4webapi's error carries none, and a 401 with both a challenge and an error
 * body (RFC 6749 §5.2: `invalid_client` with `WWW-Authenticate: Basic …`) reports the body's
 * `error`, `error_description` and `error_uri`.
 */
export function toLibraryError(error: unknown, url: string, response?: HttpResponse): unknown {
  if (error instanceof IdentityModelError) return error;
  if (error instanceof oauth.ResponseBodyError) {
    const body = error.cause as Record<string, unknown>;
    return new ProtocolError(
      `${url} answered HTTP ${error.status} with error "${error.error}"${
        error.error_description ? `: ${error.error_description}` : ''
      }`,
      {
        error: error.error,
        errorDescription: error.error_description,
        errorUri: text(body?.error_uri),
        status: error.status,
        wwwAuthenticate: error.response.headers.get('www-authenticate') ?? undefined,
      },
    );
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const wwwAuthenticate = error.response.headers.get('www-authenticate') ?? undefined;
    // oauth4webapi looks at the challenge before the body; the body is the token endpoint's error.
    const body = oauthErrorBody(response);
    if (body) {
      return new ProtocolError(
        `${url} answered HTTP ${error.status} with error "${body.error}"${
          typeof body.error_description === 'string' ? `: ${body.error_description}` : ''
        }`,
        {
          error: body.error as string,
          errorDescription: text(body.error_description),
          errorUri: text(body.error_uri),
          status: error.status,
          wwwAuthenticate,
        },
      );
    }
    const challenge = error.cause[0];
    const parameters = challenge?.parameters ?? {};
    // A challenge without `error` names no OAuth error (RFC 6750 §3.1): report the status.
    if (!parameters.error) {
      return new HttpError('ERR_HTTP_STATUS', `${url} answered HTTP ${error.status}`, {
        url,
        status: error.status,
        cause: error,
      });
    }
    return new ProtocolError(
      `${url} answered HTTP ${error.status} with a ${challenge?.scheme ?? ''} challenge "${parameters.error}"`,
      {
        error: parameters.error,
        errorDescription: parameters.error_description,
        errorUri: parameters.error_uri,
        status: error.status,
        wwwAuthenticate,
      },
    );
  }
  if (error instanceof oauth.OperationProcessingError) {
    const status = (error.cause as { status?: unknown } | undefined)?.status;
    const options = {
      url,
      cause: error,
      status: typeof status === 'number' ? status : response?.status,
    };
    switch (error.code) {
      case oauth.RESPONSE_IS_NOT_JSON:
        return new HttpError('ERR_CONTENT_TYPE', `Response from ${url} is not JSON`, options);
      case oauth.PARSE_ERROR:
        return new HttpError('ERR_INVALID_JSON', `Response from ${url} is not valid JSON`, options);
      case oauth.RESPONSE_IS_NOT_CONFORM:
        return new HttpError(
          'ERR_HTTP_STATUS',
          `${url} answered with an unexpected HTTP status`,
          options,
        );
      default:
        return new HttpError(
          'ERR_INVALID_RESPONSE',
          `Invalid response from ${url}: ${error.message}`,
          options,
        );
    }
  }
  if (error instanceof oauth.UnsupportedOperationError) {
    return new HttpError('ERR_INVALID_RESPONSE', `Invalid response from ${url}: ${error.message}`, {
      url,
      cause: error,
      status: response?.status,
    });
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (
    error instanceof TypeError &&
    (code === 'ERR_INVALID_ARG_TYPE' || code === 'ERR_INVALID_ARG_VALUE')
  ) {
    return new ConfigurationError(error.message, { cause: error });
  }
  return error;
}
