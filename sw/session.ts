/**
 * The signed-in session, in worker memory: the refresh token and access tokens never leave the
 * worker except in outbound requests to the provider and the allowlisted APIs, and, when they
 * are DPoP-bound, in the persisted session record (session-store.ts).
 *
 * @module
 */

import type { DpopHandle } from '../src/core/index.js';
import type { User } from '../src/protocol/messages.js';

/** An access token for one {@link tokenKey}. */
export interface AccessToken {
  readonly token: string;
  readonly tokenType: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
  readonly scope: string | undefined;
}

/** Everything the worker holds for a signed-in user. */
export interface Session {
  /** The ID token (the `id_token_hint` of sign-out); not kept for a resumed session. */
  readonly idToken: string | undefined;
  readonly idTokenClaims: Readonly<Record<string, unknown>> & { sub: string };
  refreshToken: string | undefined;
  /** Access tokens by {@link tokenKey} (`''` for the token without resource, scope or parameters). */
  readonly accessTokens: Map<string, AccessToken>;
  readonly scope: string | undefined;
  /**
   * The DPoP key the tokens are bound to (RFC 9449), when the provider issued DPoP tokens: the
   * session is then persisted (session-store.ts). Cleared if a refresh comes back unbound.
   */
  dpop?: DpopHandle | undefined;
}

/** True when `token` is DPoP-bound (`token_type` `DPoP`, RFC 9449 §5; case-insensitive). */
export function isDpopTokenType(tokenType: string): boolean {
  return tokenType.toLowerCase() === 'dpop';
}

/**
 * The key of an API's access token in {@link Session.accessTokens}: what its token requests ask
 * for. Entries that ask for the same `resource`, `scope` and `parameters` share one token. Without
 * `scope` and `parameters` it is the resource indicator, or `''` (persisted sessions use it).
 */
export function tokenKey(entry: {
  readonly resource?: string | undefined;
  readonly scope?: string | undefined;
  readonly parameters?: Readonly<Record<string, string>> | undefined;
}): string {
  const { resource = '', scope, parameters } = entry;
  // Sorted: `{ a, b }` and `{ b, a }` are the same request.
  return scope === undefined && parameters === undefined
    ? resource
    : JSON.stringify([resource, scope, Object.entries(parameters ?? {}).sort()]);
}

/** What a page may see of a session: claims and timing, never a token. */
export function publicUser(session: Session): User {
  let expiresAt = 0;
  for (const token of session.accessTokens.values())
    expiresAt = Math.max(expiresAt, token.expiresAt);
  // The ID token's protocol claims say nothing about the user; the nonce in particular stays in
  // the worker (spent, but a page has no use for it).
  const { nonce: _nonce, at_hash: _atHash, c_hash: _cHash, ...claims } = session.idTokenClaims;
  return Object.freeze({
    sub: session.idTokenClaims.sub,
    claims: Object.freeze(claims),
    expiresAt,
    scope: session.scope,
  });
}
