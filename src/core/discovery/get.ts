/**
 * Fetching (and caching) the discovery document.
 *
 * @module
 */

import { getDefaultCache } from '../cache/default.js';
import type { CacheLoader, MetadataCache } from '../cache/metadata-cache.js';
import { DiscoveryError } from '../errors.js';
import { maxAgeSeconds } from '../http/cache-control.js';
import type { HttpOptions } from '../http/defaults.js';
import { assertOk, isJsonObject, readJsonObject } from '../http/json.js';
import { httpRequest } from '../http/request.js';
import { type FailedResponse, toResponse } from '../lib/response.js';
import { isSecureEnough } from '../lib/url.js';
import { type DiscoveryDocument, parseDiscoveryDocument } from './document.js';
import { DISCOVERY_MEMBERS } from './members.js';
import {
  type DiscoveryPolicy,
  policyKey,
  type ResolvedDiscoveryPolicy,
  resolveDiscoveryPolicy,
} from './policy.js';
import { parseDiscoveryUrl } from './url.js';

/** Lifetime of a discovery document when the server sends no `max-age`, in seconds: 1 hour. */
export const DEFAULT_DISCOVERY_TTL = 3600;

/** Arguments of {@link getDiscoveryDocument}. */
export interface DiscoveryRequest extends HttpOptions {
  /** The issuer, or the full discovery URL (the well-known path is appended once). */
  issuer: string;
  /** Validation policy; strict by default. */
  discoveryPolicy?: DiscoveryPolicy;
  /**
   * Cache to use. Default: the shared in-memory cache (see `configureDefaultCache`).
   * `false` always fetches (and stores nothing).
   */
  cache?: MetadataCache | false;
}

/** A successful discovery response: the typed document plus `isSuccessful: true`. */
export type DiscoverySuccess = DiscoveryDocument & {
  /** Always `true` here: the call succeeded, and every success field can be read. */
  readonly isSuccessful: true;
};

/** What {@link getDiscoveryDocument} resolves to: check `isSuccessful` first. */
export type DiscoveryDocumentResponse = DiscoverySuccess | FailedResponse;

const SUCCESS_FIELDS = [...DISCOVERY_MEMBERS.map(([, camel]) => camel), 'ignoredValues', 'raw'];

/**
 * Fetches and validates an OpenID Provider's discovery document. Never throws for a bad
 * provider: the response says `isSuccessful: false` with `errorMessage`, `errorType`, `errorCode`,
 * `httpStatus` and the `exception`. Bad arguments throw a `ConfigurationError`. Results are
 * cached (lifetime from `Cache-Control: max-age`, clamped to [60 s, 24 h], default 1 h).
 *
 * @example
 * ```ts
 * const disco = await getDiscoveryDocument({ issuer: 'https://op.example' });
 * if (!disco.isSuccessful) throw disco.exception;
 * console.log(disco.tokenEndpoint, disco.jwksUri);
 * ```
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html
 * @see https://www.rfc-editor.org/rfc/rfc8414
 */
export async function getDiscoveryDocument(
  request: DiscoveryRequest,
): Promise<DiscoveryDocumentResponse> {
  return toResponse(
    async () => ({ isSuccessful: true as const, ...(await fetchDiscoveryDocument(request)) }),
    SUCCESS_FIELDS,
  );
}

/**
 * @internal Like {@link getDiscoveryDocument} but returns the document or throws the library
 * error (`HttpError`, `DiscoveryError`). Used by every function that needs provider metadata; not
 * exported by the package (a failed result's `exception` and its throwing getters cover it).
 */
export function fetchDiscoveryDocument(request: DiscoveryRequest): Promise<DiscoveryDocument> {
  return discoveryHandle(request).get();
}

/**
 * A prepared discovery lookup: the address parsed and the policy resolved once, so that hot
 * paths (token validation, the worker's fetch handler) can `peek` the cache without any I/O or
 * parsing. Not exported by the package; the worker reaches it through `worker-api.ts`.
 */
export interface DiscoveryHandle {
  get(): Promise<DiscoveryDocument>;
  peek(): DiscoveryDocument | undefined;
}

/** Prepares a discovery lookup; see {@link DiscoveryHandle}. */
export function discoveryHandle(request: DiscoveryRequest): DiscoveryHandle {
  const { url, issuer: derived } = parseDiscoveryUrl(request.issuer);
  const policy = resolveDiscoveryPolicy(request.discoveryPolicy);
  const expectedIssuer = policy.issuer ?? derived;
  const insecure = !isSecureEnough(new URL(url), policy.requireHttps, policy.allowHttpOnLoopback);
  const loader: CacheLoader<DiscoveryDocument> = {
    defaultTtl: DEFAULT_DISCOVERY_TTL,
    load: () => load(url, expectedIssuer, policy, request),
    revive: (stored) => revive(stored, expectedIssuer, policy),
  };
  const cache = request.cache === false ? undefined : (request.cache ?? getDefaultCache());
  const key = `${url}|${policyKey(policy)}`;
  return {
    async get() {
      if (insecure) {
        throw new DiscoveryError(
          'ERR_DISCOVERY_HTTPS_REQUIRED',
          `Discovery address "${url}" must use https (discoveryPolicy.requireHttps)`,
        );
      }
      if (!cache) return (await loader.load()).value;
      return (await cache.discovery.get(key, loader)).value;
    },
    peek: () => (insecure ? undefined : cache?.discovery.peek<DiscoveryDocument>(key)?.value),
  };
}

async function load(
  url: string,
  expectedIssuer: string,
  policy: ResolvedDiscoveryPolicy,
  options: HttpOptions,
) {
  const response = await httpRequest({ url, headers: { accept: 'application/json' } }, options);
  assertOk(response, 'Discovery request');
  const raw = readJsonObject(response);
  return {
    value: parseDiscoveryDocument(raw, expectedIssuer, policy),
    maxAge: maxAgeSeconds(response.headers),
  };
}

/** Documents read back from a persistent store are validated again: the store is page-writable. */
function revive(stored: unknown, expectedIssuer: string, policy: ResolvedDiscoveryPolicy) {
  const raw = (stored as { raw?: unknown } | null)?.raw;
  if (!isJsonObject(raw)) throw new TypeError('stored discovery document has no raw member');
  return parseDiscoveryDocument(raw, expectedIssuer, policy);
}
