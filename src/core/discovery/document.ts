/**
 * Checking a provider metadata document against the specs and the {@link DiscoveryPolicy}.
 *
 * @module
 */

import { DiscoveryError } from '../errors.js';
import type { JsonObject } from '../http/json.js';
import { deepFreeze } from '../lib/freeze.js';
import { isSecureEnough, isUnder, trimTrailingSlashes, tryParseUrl } from '../lib/url.js';
import {
  type BOOLEAN_MEMBERS,
  type CamelCase,
  DISCOVERY_MEMBERS,
  type MemberKind,
  type OBJECT_MEMBERS,
  REQUIRED_MEMBERS,
  RESPONSE_TYPE_PARTS,
  type STRING_MEMBERS,
  type STRINGS_MEMBERS,
  SUBJECT_TYPES,
  type URL_MEMBERS,
} from './members.js';
import type { ResolvedDiscoveryPolicy } from './policy.js';

type Names<T extends readonly string[]> = T[number];

/**
 * A value the library does not know in a list of supported values (e.g. `refresh_token` in
 * Glewlwyd 2.7's `response_types_supported`). It is left out of the typed list (kept in `raw`)
 * and reported here, not a reason to refuse the provider: what is merely unknown is not unsafe.
 */
export interface IgnoredDiscoveryValue {
  /** The member, as sent: `response_types_supported` or `subject_types_supported`. */
  readonly member: string;
  /** The value, as sent. */
  readonly value: string;
}

/**
 * Provider metadata with camelCase names: every member of OpenID Connect Discovery 1.0,
 * RFC 8414, RFC 8628, RFC 9126 (PAR), RFC 9207, RFC 9449 (DPoP), RFC 8705, RFC 9101, RFC 9396,
 * JARM, Session Management, RP-Initiated / Front-Channel / Back-Channel Logout and CIBA; each is
 * present only when the provider sent it. `raw` holds the whole document as sent, including
 * members the library does not know.
 */
export type DiscoveryDocument = {
  readonly [N in Names<typeof URL_MEMBERS | typeof STRING_MEMBERS> as CamelCase<N>]?: string;
} & {
  readonly [N in Names<typeof STRINGS_MEMBERS> as CamelCase<N>]?: readonly string[];
} & {
  readonly [N in Names<typeof BOOLEAN_MEMBERS> as CamelCase<N>]?: boolean;
} & {
  readonly [N in Names<typeof OBJECT_MEMBERS> as CamelCase<N>]?: Readonly<Record<string, string>>;
} & {
  /**
   * `issuer` (Discovery 1.0 §3, RFC 8414 §2): the issuer identifier, checked against the expected
   * one (`discoveryPolicy.validateIssuer`).
   */
  readonly issuer: string;
  /** `authorization_endpoint`: where the user agent is sent to sign in (RFC 6749 §3.1). */
  readonly authorizationEndpoint: string;
  /**
   * `token_endpoint`: where codes, refresh tokens and credentials are exchanged for tokens (RFC
   * 6749 §3.2).
   */
  readonly tokenEndpoint: string;
  /**
   * `response_types_supported`: the known values among those sent (unknown ones are in
   * `ignoredValues`).
   */
  readonly responseTypesSupported: readonly string[];
  /**
   * `subject_types_supported` (`public`, `pairwise`): the known values among those sent (unknown
   * ones are in `ignoredValues`).
   */
  readonly subjectTypesSupported: readonly string[];
  /**
   * `id_token_signing_alg_values_supported`: the `alg` values the provider signs ID tokens with.
   */
  readonly idTokenSigningAlgValuesSupported: readonly string[];
  /**
   * Unknown values left out of `responseTypesSupported` and `subjectTypesSupported`, in document
   * order; empty when there were none. Worth logging: they are what the provider offers and this
   * library ignores.
   */
  readonly ignoredValues: readonly IgnoredDiscoveryValue[];
  /** The document exactly as parsed. */
  readonly raw: JsonObject;
};

const KNOWN_MEMBERS: ReadonlySet<string> = new Set(DISCOVERY_MEMBERS.map(([name]) => name));

function invalid(member: string, message: string): DiscoveryError {
  return new DiscoveryError('ERR_DISCOVERY_INVALID_MEMBER', `"${member}" ${message}`, { member });
}

function checkKind(name: string, kind: MemberKind, value: unknown): void {
  switch (kind) {
    case 'url':
    case 'string':
      if (typeof value !== 'string') throw invalid(name, 'must be a string');
      if (kind === 'url' && !tryParseUrl(value)) throw invalid(name, 'must be an absolute URL');
      return;
    case 'strings':
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
        throw invalid(name, 'must be an array of strings');
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(name, 'must be a boolean');
      return;
    case 'object':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw invalid(name, 'must be a JSON object');
      }
      for (const [alias, url] of Object.entries(value)) {
        if (typeof url !== 'string' || !tryParseUrl(url)) {
          throw invalid(name, `member "${alias}" must be an absolute URL`);
        }
      }
  }
}

/**
 * Checks `raw` and returns the typed document. Throws {@link DiscoveryError}:
 * `ERR_DISCOVERY_INVALID_MEMBER` (wrong JSON type), `ERR_DISCOVERY_MISSING_MEMBER`,
 * `ERR_DISCOVERY_ISSUER_MISMATCH`, `ERR_DISCOVERY_HTTPS_REQUIRED`,
 * `ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED`. Unknown members are ignored; unknown subject and response
 * types are left out of the typed lists and reported in `ignoredValues`.
 *
 * @param expectedIssuer The issuer the document must name (from the request's `issuer`, or the policy's `issuer`).
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation
 */
export function parseDiscoveryDocument(
  raw: JsonObject,
  expectedIssuer: string,
  policy: ResolvedDiscoveryPolicy,
): DiscoveryDocument {
  const document: Record<string, unknown> = {};
  for (const [name, camel, kind] of DISCOVERY_MEMBERS) {
    if (!Object.hasOwn(raw, name)) continue;
    const value = raw[name];
    checkKind(name, kind, value);
    // Arrays are copied and frozen: callers share cached documents.
    document[camel] = Array.isArray(value) ? Object.freeze([...value]) : value;
  }

  const missing = REQUIRED_MEMBERS.filter(
    (name) => !Object.hasOwn(raw, name) && (name !== 'jwks_uri' || policy.requireKeySet),
  );
  if (missing.length > 0) {
    throw new DiscoveryError(
      'ERR_DISCOVERY_MISSING_MEMBER',
      `Discovery document is missing required member${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
      { member: missing[0] },
    );
  }

  // Strict about what is unsafe, liberal about what is merely unknown (DESIGN.md §3): an
  // unknown value in a list of supported values is ignored and reported, never a refusal.
  const ignoredValues: IgnoredDiscoveryValue[] = [];
  const known = (member: string, camel: string, isKnown: (value: string) => boolean) => {
    const values = raw[member] as string[];
    const kept = values.filter((value) => {
      if (isKnown(value)) return true;
      ignoredValues.push(Object.freeze({ member, value }));
      return false;
    });
    if (kept.length !== values.length) document[camel] = Object.freeze(kept);
  };
  known('subject_types_supported', 'subjectTypesSupported', (value) => SUBJECT_TYPES.has(value));
  known('response_types_supported', 'responseTypesSupported', isResponseType);
  document.ignoredValues = Object.freeze(ignoredValues);

  const issuer = raw.issuer as string;
  const issuerUrl = tryParseUrl(issuer);
  if (!issuerUrl) throw invalid('issuer', 'must be an absolute URL');
  if (issuerUrl.search !== '' || issuerUrl.hash !== '') {
    throw invalid('issuer', 'must not have a query or fragment');
  }
  if (!isSecureEnough(issuerUrl, policy.requireHttps, policy.allowHttpOnLoopback)) {
    throw new DiscoveryError('ERR_DISCOVERY_HTTPS_REQUIRED', `Issuer "${issuer}" must use https`, {
      member: 'issuer',
    });
  }
  // A multi-tenant template (Entra's `{tenantid}` issuer) is accepted only when the caller named
  // it, and only as sent: tokens then need a `tid` that fills it (lib/issuer-template.ts).
  if (
    policy.validateIssuer &&
    trimTrailingSlashes(issuer) !== trimTrailingSlashes(expectedIssuer) &&
    !policy.issuerTemplates.includes(issuer)
  ) {
    throw new DiscoveryError(
      'ERR_DISCOVERY_ISSUER_MISMATCH',
      `Issuer "${issuer}" does not match the expected issuer "${expectedIssuer}"`,
      { member: 'issuer' },
    );
  }

  checkEndpoints(raw, expectedIssuer, policy);
  document.raw = deepFreeze(raw);
  return document as DiscoveryDocument;
}

/** A registered response type: a space-separated set of known parts, each once. */
function isResponseType(value: string): boolean {
  const parts = value.split(' ');
  return (
    parts.every((part) => RESPONSE_TYPE_PARTS.has(part)) && new Set(parts).size === parts.length
  );
}

/**
 * `requireHttps` holds for every endpoint whatever the other settings say (as in
 * Duende.IdentityModel): `validateEndpoints: false` or an `endpointValidationExcludeList` entry
 * lifts only the user-info and host checks, never the https one.
 */
function checkEndpoints(raw: JsonObject, expectedIssuer: string, policy: ResolvedDiscoveryPolicy) {
  // The expected issuer alone is matched by origin; an unparsable one matches nothing (it must not
  // promote the first additional base address to "the issuer").
  const expectedOrigin = tryParseUrl(expectedIssuer)?.origin;
  const bases = policy.additionalEndpointBaseAddresses
    .map((base) => tryParseUrl(base))
    .filter((base): base is URL => base !== undefined);
  const excluded = new Set(policy.endpointValidationExcludeList);
  const check = (member: string, value: string, listed: string, sameHostRequired: boolean) => {
    const url = new URL(value);
    if (!isSecureEnough(url, policy.requireHttps, policy.allowHttpOnLoopback)) {
      throw new DiscoveryError(
        'ERR_DISCOVERY_HTTPS_REQUIRED',
        `"${member}" must use https, got "${value}"`,
        { member },
      );
    }
    if (!policy.validateEndpoints || excluded.has(listed)) return;
    if (url.username !== '' || url.password !== '') {
      throw new DiscoveryError(
        'ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED',
        `"${member}" must not contain user info`,
        { member },
      );
    }
    if (!sameHostRequired) return;
    const allowed = url.origin === expectedOrigin || bases.some((base) => isUnder(url, base));
    if (!allowed) {
      throw new DiscoveryError(
        'ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED',
        `"${member}" (${value}) is not on the issuer's origin ${expectedIssuer} or an allowed base address`,
        { member },
      );
    }
  };
  for (const [name, , kind] of DISCOVERY_MEMBERS) {
    if (kind !== 'url' || !Object.hasOwn(raw, name)) continue;
    check(name, raw[name] as string, name, true);
  }
  // Endpoints the library does not type (extensions, newer specs) are still endpoints: an
  // unchecked `raw.custom_endpoint` must not point anywhere the known ones may not.
  for (const [name, value] of Object.entries(raw)) {
    if (!name.endsWith('_endpoint') || KNOWN_MEMBERS.has(name) || typeof value !== 'string')
      continue;
    if (!tryParseUrl(value)) throw invalid(name, 'must be an absolute URL');
    check(name, value, name, true);
  }
  // mTLS aliases live on another host by design (RFC 8705 §5): https is still required.
  const aliases = raw.mtls_endpoint_aliases as Record<string, string> | undefined;
  if (aliases) {
    for (const [alias, value] of Object.entries(aliases)) {
      check(`mtls_endpoint_aliases.${alias}`, value, 'mtls_endpoint_aliases', false);
    }
  }
}
