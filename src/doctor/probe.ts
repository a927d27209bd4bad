/**
 * Raw requests for the doctor. The library's endpoint layer reads answers and hides the CORS
 * headers; the doctor needs exactly those headers, so it sends its own requests.
 *
 * @module
 */

import type { FetchLike } from '../core/http/defaults.js';

/** An answer, or why there was none. */
export type ProbeResult =
  | {
      readonly ok: true;
      readonly status: number;
      readonly headers: Headers;
      readonly body: unknown;
    }
  | { readonly ok: false; readonly reason: string };

/** Sends one request (no redirects followed) and reads a JSON body when there is one. */
export async function probe(
  fetch: FetchLike,
  url: string,
  init: RequestInit,
  timeout: number,
): Promise<ProbeResult> {
  try {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeout),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { ok: true, status: response.status, headers: response.headers, body };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** The OAuth `error` of a JSON error answer, if any. */
export function oauthError(result: ProbeResult): string | undefined {
  if (!result.ok || typeof result.body !== 'object' || result.body === null) return undefined;
  const error = (result.body as { error?: unknown }).error;
  return typeof error === 'string' ? error : undefined;
}

/** The OAuth `error_description` of a JSON error answer, if any. */
export function oauthErrorDescription(result: ProbeResult): string | undefined {
  if (!result.ok || typeof result.body !== 'object' || result.body === null) return undefined;
  const description = (result.body as { error_description?: unknown }).error_description;
  return typeof description === 'string' ? description : undefined;
}

/** Whether a comma-separated header lists `name` (case-insensitive), or `*`. */
export function listsHeader(value: string | null, name: string): boolean {
  if (value === null) return false;
  return value
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .some((item) => item === '*' || item === name.toLowerCase());
}

/** Whether `Access-Control-Allow-Origin` lets `origin` read the answer. */
export function allowsOrigin(headers: Headers, origin: string): boolean {
  const allowed = headers.get('access-control-allow-origin');
  return allowed === '*' || allowed === origin;
}

/** A CORS preflight for a request from `origin` with `method` and `headers`. */
export function preflight(
  fetch: FetchLike,
  url: string,
  origin: string,
  method: string,
  headers: readonly string[],
  timeout: number,
): Promise<ProbeResult> {
  return probe(
    fetch,
    url,
    {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': method,
        ...(headers.length > 0 ? { 'access-control-request-headers': headers.join(',') } : {}),
      },
    },
    timeout,
  );
}

/** What a preflight answer lacks for `method` and `headers` from `origin`, or `[]`. */
export function preflightGaps(
  result: ProbeResult,
  origin: string,
  method: string,
  headers: readonly string[],
): string[] {
  if (!result.ok) return [`no answer (${result.reason})`];
  const gaps: string[] = [];
  if (result.status < 200 || result.status > 299) gaps.push(`status ${result.status}`);
  if (!allowsOrigin(result.headers, origin)) gaps.push(`Access-Control-Allow-Origin for ${origin}`);
  const methods = result.headers.get('access-control-allow-methods');
  // Without Allow-Methods only simple methods pass; GET and POST are simple.
  if (methods !== null && !listsHeader(methods, method))
    gaps.push(`${method} in Access-Control-Allow-Methods`);
  const allowed = result.headers.get('access-control-allow-headers');
  for (const header of headers) {
    if (!listsHeader(allowed, header)) gaps.push(`${header} in Access-Control-Allow-Headers`);
  }
  return gaps;
}
