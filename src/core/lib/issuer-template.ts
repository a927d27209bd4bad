/**
 * Multi-tenant issuer templates: Microsoft Entra ID's `common` and `organizations` endpoints
 * publish `https://login.microsoftonline.com/{tenantid}/v2.0` as their issuer, and each token's
 * `iss` names the tenant in its `tid` claim. A template accepts exactly that tenant, never any
 * string in its place.
 *
 * @module
 */

import {
  ConfigurationError,
  InvalidClaimError,
  InvalidIssuerError,
  MissingClaimError,
} from '../errors.js';
import { tryParseUrl } from './url.js';

/** The placeholder an issuer template carries exactly once, as Entra ID spells it. */
export const TENANT_ID_PLACEHOLDER = '{tenantid}';

/**
 * A tenant id is a GUID (8-4-4-4-12 hex digits, either case): what Entra ID puts in `tid`. The
 * shape is what makes the template safe: a `tid` with `/`, `.`, `?`, `#`, `@` or `:` could move
 * the filled-in issuer to another path or host, and an empty one would collapse a segment.
 */
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const SAMPLE_TENANT = '00000000-0000-0000-0000-000000000000';

/** Whether `value` is a tenant id an issuer template accepts: a GUID. */
export function isTenantId(value: unknown): value is string {
  return typeof value === 'string' && TENANT_ID.test(value);
}

/** Whether `issuer` is a template (carries `{tenantid}`) rather than an issuer. */
export function isIssuerTemplate(issuer: string): boolean {
  return issuer.includes(TENANT_ID_PLACEHOLDER);
}

/**
 * Checks an `issuerTemplate` option (one template or a list) and returns the list. Each must
 * contain `{tenantid}` exactly once, in the path, and be an absolute URL without query or
 * fragment once filled in.
 */
export function resolveIssuerTemplates(value: unknown, path: string): readonly string[] {
  if (value === undefined) return [];
  const list: unknown = typeof value === 'string' ? [value] : value;
  const valid =
    Array.isArray(list) &&
    list.length > 0 &&
    list.every((template) => {
      if (typeof template !== 'string' || template.split(TENANT_ID_PLACEHOLDER).length !== 2) {
        return false;
      }
      // In the host, a tenant id would choose the server that signs: only the path may carry it.
      const url = tryParseUrl(template.replace(TENANT_ID_PLACEHOLDER, SAMPLE_TENANT));
      return !!url && url.pathname.includes(SAMPLE_TENANT) && !url.search && !url.hash;
    });
  if (!valid) {
    throw new ConfigurationError(
      `"${path}" must be a URL, or a non-empty list of URLs, each with ${TENANT_ID_PLACEHOLDER} once in its path and no query or fragment`,
    );
  }
  return [...(list as string[])];
}

/**
 * Whether `iss` is one of `templates` filled in with the token's `tid`. Throws when `iss` fits
 * no template: `ERR_JWT_CLAIM_MISSING` (no `tid`), `ERR_JWT_CLAIM_INVALID` (`tid` not a GUID:
 * e.g. empty, or with `/` or `..`), `ERR_JWT_ISSUER_MISMATCH` (`iss` names another tenant).
 */
export function checkTemplatedIssuer(
  claims: Readonly<Record<string, unknown>>,
  iss: string,
  templates: readonly string[],
): void {
  if (!Object.hasOwn(claims, 'tid')) {
    throw new MissingClaimError(
      `JWT issuer "${iss}" is not an expected issuer, and there is no "tid" claim to fill the issuer template with`,
      { claim: 'tid' },
    );
  }
  const tid = claims.tid;
  if (!isTenantId(tid)) {
    throw new InvalidClaimError(
      'JWT "tid" must be a tenant id (a GUID) to fill the issuer template',
      {
        claim: 'tid',
      },
    );
  }
  for (const template of templates) {
    if (template.replace(TENANT_ID_PLACEHOLDER, tid) === iss) return;
  }
  throw new InvalidIssuerError(
    `JWT issuer "${iss}" is neither an expected issuer nor the issuer template filled with its tenant "${tid}"`,
  );
}
