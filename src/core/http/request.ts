/**
 * The one place the library touches the network: `fetch` with a timeout, `redirect: 'manual'`,
 * retries with backoff, and a cap on the body size.
 *
 * @module
 */

import { HttpError } from '../errors.js';
import { type HttpOptions, type ResolvedHttpOptions, resolveHttpOptions } from './defaults.js';
import {
  backoffDelay,
  isRetryableNetworkError,
  isRetryableStatus,
  parseRetryAfter,
  type RetryMode,
} from './retry.js';

/** One protocol request. */
export interface HttpRequest {
  /** Absolute URL. */
  url: string;
  /** Default `GET`. */
  method?: string;
  headers?: HeadersInit;
  body?: string | URLSearchParams;
  /** Default: `idempotent` for GET (any letter case), `never` for anything else. */
  retry?: RetryMode;
}

/** A response whose body has been read (within the size cap). Non-2xx statuses are returned. */
export interface HttpResponse {
  url: string;
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/**
 * Sends `request`, retrying as its {@link RetryMode} allows, and reads the body.
 *
 * Throws {@link HttpError}: `ERR_TIMEOUT` (an attempt, body included, took longer than `timeout`;
 * not retried), `ERR_ABORTED` (the caller's signal), `ERR_NETWORK` (after the allowed retries),
 * `ERR_HTTP_REDIRECT` (any 3xx, or a response an injected `fetch` reached by following a redirect:
 * protocol requests never follow redirects), `ERR_BODY_TOO_LARGE`; `ERR_CONFIGURATION` for bad
 * options. HTTP error statuses are returned, not thrown, so callers can read OAuth error bodies;
 * so is a retryable status once the retries are spent or its `Retry-After` exceeds
 * `maxRetryAfter`.
 */
export async function httpRequest(
  request: HttpRequest,
  options?: HttpOptions | ResolvedHttpOptions,
): Promise<HttpResponse> {
  // Resolving is idempotent, so already-resolved settings pass through unchanged.
  const settings = resolveHttpOptions(options);
  const method = request.method ?? 'GET';
  const mode = request.retry ?? (method.toUpperCase() === 'GET' ? 'idempotent' : 'never');
  for (let attempt = 0; ; attempt++) {
    const canRetry = attempt < settings.retries;
    const outcome = await attemptOnce(request, method, settings);
    if ('error' in outcome) {
      if (canRetry && isRetryableNetworkError(mode, outcome.error)) {
        await wait(backoffDelay(attempt, settings.retryBaseDelay), settings, request.url);
        continue;
      }
      throw new HttpError('ERR_NETWORK', `Request to ${request.url} failed: network error`, {
        url: request.url,
        cause: outcome.error,
      });
    }
    const { response, release, timedOut } = outcome;
    const retryAfterHeader = response.headers.get('retry-after');
    if (canRetry && isRetryableStatus(mode, response.status, retryAfterHeader)) {
      const retryAfter = parseRetryAfter(retryAfterHeader);
      if (retryAfter === undefined || retryAfter <= settings.maxRetryAfter) {
        await discard(response);
        release();
        await wait(
          retryAfter ?? backoffDelay(attempt, settings.retryBaseDelay),
          settings,
          request.url,
        );
        continue;
      }
    }
    try {
      return await readResponse(request.url, response, settings, timedOut);
    } finally {
      release();
    }
  }
}

type Attempt =
  | { response: Response; release: () => void; timedOut: () => boolean }
  | { error: unknown };

/** One fetch with its own timeout; the timer keeps running while the body is read. */
async function attemptOnce(
  request: HttpRequest,
  method: string,
  settings: ResolvedHttpOptions,
): Promise<Attempt> {
  const { signal: callerSignal, timeout } = settings;
  if (callerSignal?.aborted) throw aborted(request.url, callerSignal.reason);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('The operation timed out.', 'TimeoutError'));
  }, timeout);
  const onAbort = () => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onAbort, { once: true });
  const release = () => {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onAbort);
  };
  const init: RequestInit = {
    method,
    redirect: 'manual',
    signal: controller.signal,
    // The library caches metadata itself; a forced JWKS refresh must reach the server.
    cache: 'no-store',
  };
  if (request.headers !== undefined) init.headers = request.headers;
  if (request.body !== undefined) init.body = request.body;
  let response: Response;
  try {
    response = await settings.fetch(request.url, init);
  } catch (error) {
    release();
    if (timedOut) throw timeoutError(request.url, timeout, error);
    if (callerSignal?.aborted) throw aborted(request.url, callerSignal.reason);
    return { error };
  }
  // `redirected`: an injected fetch may follow redirects despite `redirect: 'manual'`.
  if (
    response.type === 'opaqueredirect' ||
    response.redirected ||
    (response.status >= 300 && response.status < 400)
  ) {
    release();
    await discard(response);
    const location = response.headers.get('location');
    throw new HttpError(
      'ERR_HTTP_REDIRECT',
      `Request to ${request.url} was redirected (HTTP ${response.status}${
        location ? ` to ${location}` : ''
      }); protocol requests never follow redirects`,
      { url: request.url, httpStatus: response.status },
    );
  }
  return {
    response,
    release,
    timedOut: () => timedOut,
  };

  function timeoutError(url: string, ms: number, cause: unknown) {
    return new HttpError('ERR_TIMEOUT', `Request to ${url} timed out after ${ms} ms`, {
      url,
      cause,
    });
  }
}

function aborted(url: string, reason: unknown): HttpError {
  return new HttpError('ERR_ABORTED', `Request to ${url} was aborted`, { url, cause: reason });
}

async function wait(ms: number, settings: ResolvedHttpOptions, url: string): Promise<void> {
  try {
    await settings.sleep(ms, settings.signal);
  } catch (reason) {
    throw aborted(url, reason);
  }
}

async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // The body may already be closed or errored; nothing to release.
  }
}

async function readResponse(
  url: string,
  response: Response,
  settings: ResolvedHttpOptions,
  timedOut: () => boolean,
): Promise<HttpResponse> {
  const limit = settings.maxBodySize;
  const tooLarge = () =>
    new HttpError(
      'ERR_BODY_TOO_LARGE',
      `Response from ${url} is larger than the ${limit}-byte limit`,
      { url, httpStatus: response.status },
    );
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await discard(response);
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body) {
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > limit) {
          await reader.cancel().catch(() => {});
          throw tooLarge();
        }
        chunks.push(value);
      }
    } catch (error) {
      if (error instanceof HttpError) throw error;
      if (settings.signal?.aborted) throw aborted(url, settings.signal.reason);
      if (timedOut()) {
        throw new HttpError(
          'ERR_TIMEOUT',
          `Request to ${url} timed out after ${settings.timeout} ms`,
          {
            url,
            cause: error,
          },
        );
      }
      throw new HttpError('ERR_NETWORK', `Reading the response from ${url} failed`, {
        url,
        httpStatus: response.status,
        cause: error,
      });
    }
  }
  const body = chunks.length === 1 ? chunks[0]! : concat(chunks, size);
  return { url, status: response.status, headers: response.headers, body };
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
