/**
 * The doctor's API checks: what a browser needs from an API the worker calls with tokens.
 *
 * @module
 */

import type { FetchLike } from '../core/http/defaults.js';
import { allowsOrigin, listsHeader, preflight, preflightGaps, probe } from './probe.js';
import type { Finding } from './types.js';

/**
 * For one API URL: the CORS preflight for `authorization` (and `dpop`), and an unauthenticated
 * GET whose 401 the page must be able to read, `WWW-Authenticate` included (the worker refreshes
 * on a 401 only when it can read that header).
 */
export async function checkApi(
  fetch: FetchLike,
  url: string,
  origin: string,
  dpop: boolean,
  timeout: number,
): Promise<Finding[]> {
  const headers = dpop ? ['authorization', 'dpop'] : ['authorization'];
  const findings: Finding[] = [];
  const gaps = preflightGaps(
    await preflight(fetch, url, origin, 'GET', headers, timeout),
    origin,
    'GET',
    headers,
  );
  findings.push(
    gaps.length === 0
      ? {
          id: 'api.preflight',
          status: 'ok',
          message: `${url}: preflight from ${origin} allows ${headers.join(', ')}`,
        }
      : {
          id: 'api.preflight',
          status: 'fail',
          message: `${url}: preflight from ${origin} lacks ${gaps.join('; ')}`,
          fix: `answer OPTIONS with Access-Control-Allow-Origin: ${origin} and Access-Control-Allow-Headers: ${headers.join(', ')}`,
        },
  );
  const result = await probe(fetch, url, { method: 'GET', headers: { origin } }, timeout);
  if (!result.ok) {
    findings.push({
      id: 'api.unauthenticated',
      status: 'fail',
      message: `${url}: no answer (${result.reason})`,
    });
    return findings;
  }
  if (result.status !== 401) {
    findings.push({
      id: 'api.unauthenticated',
      status: 'warn',
      message: `${url}: answered ${result.status} to a request without a token (401 expected)`,
    });
    return findings;
  }
  const readable = allowsOrigin(result.headers, origin);
  const exposed = listsHeader(
    result.headers.get('access-control-expose-headers'),
    'www-authenticate',
  );
  findings.push(
    readable && exposed && result.headers.has('www-authenticate')
      ? {
          id: 'api.www-authenticate',
          status: 'ok',
          message: `${url}: 401 with WWW-Authenticate exposed to ${origin}`,
        }
      : {
          id: 'api.www-authenticate',
          status: 'fail',
          message: `${url}: the 401 ${
            !readable
              ? `has no Access-Control-Allow-Origin for ${origin}`
              : !exposed
                ? 'does not expose WWW-Authenticate (Access-Control-Expose-Headers)'
                : 'has no WWW-Authenticate header'
          }`,
          fix: 'answer 401 with WWW-Authenticate (RFC 6750 §3), Access-Control-Allow-Origin and Access-Control-Expose-Headers: WWW-Authenticate, so the worker can refresh on invalid_token',
        },
  );
  return findings;
}
