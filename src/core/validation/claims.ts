/**
 * Registered-claim checks (RFC 7519 §4.1, OpenID Connect Core §3.1.3.7). Wrong JSON types are
 * errors, never coerced.
 *
 * @module
 */

import {
  InvalidAudienceError,
  InvalidClaimError,
  InvalidIssuerError,
  MissingClaimError,
  TokenExpiredError,
  TokenNotYetValidError,
} from '../errors.js';
import { checkTemplatedIssuer } from '../lib/issuer-template.js';
import type { ResolvedConfig } from './config.js';
import type { JwtClaims } from './types.js';

/** For `requiredClaims`: any JSON value but `null`. */
function present(claims: JwtClaims, name: string): boolean {
  return Object.hasOwn(claims, name) && claims[name] !== null && claims[name] !== undefined;
}

// Registered claims: a member that is there with the wrong JSON type (`null` included) is invalid,
// never taken as absent.
function numericDate(claims: JwtClaims, name: string, required: boolean): number | undefined {
  if (!Object.hasOwn(claims, name)) {
    if (required) throw new MissingClaimError(`JWT has no "${name}" claim`, { claim: name });
    return undefined;
  }
  const value = claims[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidClaimError(`JWT "${name}" must be a NumericDate (a JSON number)`, {
      claim: name,
    });
  }
  return value;
}

function stringClaim(claims: JwtClaims, name: string, required: boolean): string | undefined {
  if (!Object.hasOwn(claims, name)) {
    if (required) throw new MissingClaimError(`JWT has no "${name}" claim`, { claim: name });
    return undefined;
  }
  const value = claims[name];
  if (typeof value !== 'string') {
    throw new InvalidClaimError(`JWT "${name}" must be a string`, { claim: name });
  }
  return value;
}

/**
 * Checks the claims of a verified token against `config` at time `nowSeconds`.
 *
 * @param issuers The expected issuers (config or discovery), or undefined when none is known.
 */
export function checkClaims(
  claims: JwtClaims,
  config: ResolvedConfig,
  issuers: readonly string[] | undefined,
  nowSeconds: number,
): void {
  const { leeway } = config;
  const exp = numericDate(claims, 'exp', config.requireExp);
  const nbf = numericDate(claims, 'nbf', config.requireNbf);
  const iat = numericDate(claims, 'iat', config.requireIat);
  if (exp !== undefined && nowSeconds >= exp + leeway) {
    throw new TokenExpiredError(
      `JWT expired at ${exp} (now ${Math.floor(nowSeconds)}, leeway ${leeway} s)`,
    );
  }
  if (nbf !== undefined && nowSeconds + leeway < nbf) {
    throw new TokenNotYetValidError(
      `JWT is not valid before ${nbf} (now ${Math.floor(nowSeconds)}, leeway ${leeway} s)`,
    );
  }
  if (iat !== undefined && nowSeconds + leeway < iat) {
    throw new TokenNotYetValidError(
      `JWT was issued in the future (iat ${iat}, now ${Math.floor(nowSeconds)}, leeway ${leeway} s)`,
      {
        claim: 'iat',
      },
    );
  }

  const templates = config.issuerTemplates;
  const checkIss = config.verifyIss && (issuers !== undefined || templates.length > 0);
  const iss = stringClaim(claims, 'iss', config.requireIss ?? checkIss);
  if (checkIss && (iss === undefined || !issuers?.includes(iss))) {
    if (iss === undefined) throw new InvalidIssuerError('JWT has no "iss" claim');
    if (templates.length === 0) {
      throw new InvalidIssuerError(`JWT issuer "${iss}" is not the expected issuer`);
    }
    checkTemplatedIssuer(claims, iss, templates);
  }

  checkAudience(claims, config);

  const sub = stringClaim(claims, 'sub', config.requireSub || config.subject !== undefined);
  if (config.subject !== undefined && sub !== config.subject) {
    throw new InvalidClaimError('JWT "sub" is not the expected subject', { claim: 'sub' });
  }
  stringClaim(claims, 'jti', config.requireJti);
  const nonce = stringClaim(claims, 'nonce', config.nonce !== undefined);
  if (config.nonce !== undefined && nonce !== config.nonce) {
    throw new InvalidClaimError('JWT "nonce" does not match the expected nonce', {
      claim: 'nonce',
    });
  }
  for (const name of config.requiredClaims) {
    if (!present(claims, name))
      throw new MissingClaimError(`JWT has no "${name}" claim`, { claim: name });
  }
}

function checkAudience(claims: JwtClaims, config: ResolvedConfig): void {
  const expected = config.verifyAud ? config.audiences : undefined;
  const required = config.requireAud || expected !== undefined;
  if (!Object.hasOwn(claims, 'aud')) {
    if (required) throw new MissingClaimError('JWT has no "aud" claim', { claim: 'aud' });
    return;
  }
  const aud = claims.aud;
  const list = typeof aud === 'string' ? [aud] : aud;
  if (!Array.isArray(list) || list.length === 0 || list.some((item) => typeof item !== 'string')) {
    throw new InvalidClaimError('JWT "aud" must be a string or a non-empty array of strings', {
      claim: 'aud',
    });
  }
  if (expected && !list.some((item) => expected.includes(item))) {
    throw new InvalidAudienceError('JWT audience does not contain an expected audience');
  }
  const azp = stringClaim(claims, 'azp', false);
  // `azp` rules are ID-token rules (OpenID Connect Core §3.1.3.7 steps 4-5), applied only when
  // the caller names the authorized party (the ID-token path always does). In an access token
  // `azp` names the client the token was issued to, not an audience (Keycloak: `aud: ["api",
  // "account"], azp: "spa-client"`), so it is never compared with `audience`.
  if (config.authorizedParty === undefined) return;
  if (list.length > 1 && azp === undefined) {
    throw new MissingClaimError('JWT with several audiences has no "azp" claim', {
      claim: 'azp',
    });
  }
  if (azp !== undefined && azp !== config.authorizedParty) {
    throw new InvalidAudienceError('JWT "azp" is not the expected authorized party', {
      claim: 'azp',
    });
  }
}
