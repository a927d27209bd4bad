/**
 * What `identity-model-web doctor` checks and reports.
 *
 * @module
 */

import type { DiscoveryPolicy } from '../core/discovery/policy.js';
import type { FetchLike } from '../core/http/defaults.js';

/** How a check came out: `fail` blocks this library, `warn` weakens it, `ok` is fine. */
export type FindingStatus = 'ok' | 'warn' | 'fail';

/** One check's result, with what to change when it is not `ok`. */
export interface Finding {
  /** Stable id of the check, e.g. `cors.token`, `api.expose-www-authenticate`. */
  readonly id: string;
  readonly status: FindingStatus;
  /** What was seen. */
  readonly message: string;
  /** What to change (at the provider, the API or the worker configuration). */
  readonly fix?: string;
}

/** What the doctor is asked to check. */
export interface DoctorOptions {
  /** The provider's issuer (or discovery URL). */
  readonly issuer: string;
  /** The SPA's client id at the provider (a public client). */
  readonly clientId: string;
  /** The app's origin, e.g. `https://app.example`: the origin CORS must allow. */
  readonly origin: string;
  /** The redirect URI sent with the probe grants. Default `<origin>/callback`. */
  readonly redirectUri?: string;
  /** API URLs the worker will call with tokens. */
  readonly apis?: readonly string[];
  /** The discovery policy the worker will use. Default: strict. */
  readonly discoveryPolicy?: DiscoveryPolicy;
  /** Per request, in milliseconds. Default `10000`. */
  readonly timeout?: number;
  /** For tests and proxies. Default `globalThis.fetch`. */
  readonly fetch?: FetchLike;
}
