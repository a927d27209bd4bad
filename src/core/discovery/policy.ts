/**
 * The discovery validation policy: the union of the seed's and Duende.IdentityModel's.
 *
 * @module
 */

import {
  assertObject,
  assertOptionalBoolean,
  assertStringArray,
  assertUrl,
} from '../lib/assert.js';
import { resolveIssuerTemplates } from '../lib/issuer-template.js';

/**
 * How strictly a discovery document (and the address it came from) is checked. Every member is
 * optional; the defaults are the strict ones.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation
 */
export interface DiscoveryPolicy {
  /**
   * The expected issuer. Default: the discovery address without
   * `/.well-known/openid-configuration`.
   */
  issuer?: string;
  /**
   * Multi-tenant issuer template(s) the document's `issuer` may be instead of the expected issuer,
   * each with `{tenantid}` exactly once in its path: Microsoft Entra ID's `common` and
   * `organizations` endpoints publish `https://login.microsoftonline.com/{tenantid}/v2.0`. The
   * document's `issuer` must then equal a template exactly; tokens validated with it must carry
   * the tenant in `tid` (see `TokenValidationConfig.issuerTemplate`). Default: none.
   *
   * @example
   * ```ts
   * await getDiscoveryDocument({
   *   issuer: 'https://login.microsoftonline.com/common/v2.0',
   *   discoveryPolicy: { issuerTemplate: 'https://login.microsoftonline.com/{tenantid}/v2.0' },
   * });
   * ```
   */
  issuerTemplate?: string | readonly string[];
  /**
   * Require `https` for the address, the issuer and every endpoint (`validateEndpoints` and
   * `endpointValidationExcludeList` do not lift this). Default `true`.
   */
  requireHttps?: boolean;
  /**
   * Allow `http` on loopback hosts (`localhost`, 127.0.0.0/8, `[::1]`) even when
   * `requireHttps` is on. Default `true`.
   */
  allowHttpOnLoopback?: boolean;
  /**
   * Require `issuer` to equal the issuer exactly (a trailing slash aside; case, scheme and
   * port matter). Default `true`. OpenID Connect Discovery 1.0 §4.3.
   */
  validateIssuer?: boolean;
  /**
   * Require every `*_endpoint`, `jwks_uri` and `check_session_iframe` to be on the issuer's
   * origin or under one of `additionalEndpointBaseAddresses`, without user info. Default `true`.
   * Whatever this says, every endpoint must be an absolute URL and, per `requireHttps`, https.
   */
  validateEndpoints?: boolean;
  /** Base URLs besides the issuer where endpoints may live, e.g. a separate JWKS host. */
  additionalEndpointBaseAddresses?: readonly string[];
  /**
   * Member names left out of the host check of `validateEndpoints`, e.g. `['jwks_uri']`
   * (`requireHttps` still applies to them).
   */
  endpointValidationExcludeList?: readonly string[];
  /** Require `jwks_uri`. Default `true`. */
  requireKeySet?: boolean;
}

/** A policy with every default applied. */
export interface ResolvedDiscoveryPolicy {
  /** {@link DiscoveryPolicy.issuer}, when given. */
  issuer: string | undefined;
  /** {@link DiscoveryPolicy.issuerTemplate} as a list; empty when none. */
  issuerTemplates: readonly string[];
  /** {@link DiscoveryPolicy.requireHttps}. Default `true`. */
  requireHttps: boolean;
  /** {@link DiscoveryPolicy.allowHttpOnLoopback}. Default `true`. */
  allowHttpOnLoopback: boolean;
  /** {@link DiscoveryPolicy.validateIssuer}. Default `true`. */
  validateIssuer: boolean;
  /** {@link DiscoveryPolicy.validateEndpoints}. Default `true`. */
  validateEndpoints: boolean;
  /** {@link DiscoveryPolicy.additionalEndpointBaseAddresses}. Default `[]`. */
  additionalEndpointBaseAddresses: readonly string[];
  /** {@link DiscoveryPolicy.endpointValidationExcludeList}. Default `[]`. */
  endpointValidationExcludeList: readonly string[];
  /** {@link DiscoveryPolicy.requireKeySet}. Default `true`. */
  requireKeySet: boolean;
}

function bool(value: unknown, path: string, fallback: boolean): boolean {
  assertOptionalBoolean(value, path);
  return value ?? fallback;
}

function strings(value: unknown, path: string): readonly string[] {
  if (value === undefined) return [];
  assertStringArray(value, path, { nonEmpty: false });
  return value;
}

/** Applies defaults and checks types, quoting the path of a bad member. */
export function resolveDiscoveryPolicy(policy: DiscoveryPolicy = {}): ResolvedDiscoveryPolicy {
  assertObject(policy, 'discoveryPolicy');
  if (policy.issuer !== undefined) assertUrl(policy.issuer, 'discoveryPolicy.issuer');
  return {
    issuer: policy.issuer,
    issuerTemplates: resolveIssuerTemplates(
      policy.issuerTemplate,
      'discoveryPolicy.issuerTemplate',
    ),
    requireHttps: bool(policy.requireHttps, 'discoveryPolicy.requireHttps', true),
    allowHttpOnLoopback: bool(
      policy.allowHttpOnLoopback,
      'discoveryPolicy.allowHttpOnLoopback',
      true,
    ),
    validateIssuer: bool(policy.validateIssuer, 'discoveryPolicy.validateIssuer', true),
    validateEndpoints: bool(policy.validateEndpoints, 'discoveryPolicy.validateEndpoints', true),
    additionalEndpointBaseAddresses: strings(
      policy.additionalEndpointBaseAddresses,
      'discoveryPolicy.additionalEndpointBaseAddresses',
    ),
    endpointValidationExcludeList: strings(
      policy.endpointValidationExcludeList,
      'discoveryPolicy.endpointValidationExcludeList',
    ),
    requireKeySet: bool(policy.requireKeySet, 'discoveryPolicy.requireKeySet', true),
  };
}

/** A stable string for a resolved policy: part of the cache key. */
export function policyKey(policy: ResolvedDiscoveryPolicy): string {
  return JSON.stringify([
    policy.issuer ?? null,
    policy.issuerTemplates,
    policy.requireHttps,
    policy.allowHttpOnLoopback,
    policy.validateIssuer,
    policy.validateEndpoints,
    policy.additionalEndpointBaseAddresses,
    policy.endpointValidationExcludeList,
    policy.requireKeySet,
  ]);
}
