/**
 * Sign-out: revoke, clear, tell every page, and hand back the provider's end-session URL.
 *
 * @module
 */

import { createEndSessionUrl } from '../src/core/logout/end-session.js';
import { revokeToken } from '../src/core/revocation/revoke.js';
import { WorkerError } from '../src/protocol/errors.js';
import type { LogoutOptions } from '../src/protocol/messages.js';
import type { WorkerContext } from './context.js';
import { logoutRoute } from './logout-route.js';
import type { TokenSource } from './tokens.js';

/**
 * Revokes the refresh token (RFC 7009; its grant goes with it at most providers) and the access
 * tokens when the provider has a revocation endpoint, clears the session and tells every page.
 * Revocation failures do not stop the sign-out. Returns the end-session URL (RP-Initiated
 * Logout) behind the worker's logout route (see logout-route.ts) for the page to navigate to, or
 * `null` when the provider has none.
 */
export async function logout(
  context: WorkerContext,
  tokens: TokenSource,
  options: LogoutOptions,
): Promise<{ endSessionUrl: string | null }> {
  const { config } = context;
  const requested = options.postLogoutRedirectUri;
  if (requested !== undefined && requested !== config.postLogoutRedirectUri) {
    throw new WorkerError(
      'ERR_INVALID_MESSAGE',
      '"postLogoutRedirectUri" must be the one in the worker configuration',
    );
  }
  // End the session first: from here no refresh sends its refresh token any more. Then let a
  // refresh already at the provider finish, so the refresh token revoked is the current one
  // (a refresh that finds its session ended keeps the rotated token on it for this).
  const session = context.session;
  await context.endSession('unauthenticated');
  await tokens.idle();
  const disco = context.peekDiscovery() ?? (await context.discovery().catch(() => undefined));
  if (session && disco?.revocationEndpoint) {
    const revoke = (token: string, tokenTypeHint: string) =>
      revokeToken({
        ...config.http,
        address: disco.revocationEndpoint!,
        clientId: config.clientId,
        token,
        tokenTypeHint,
      }).catch(() => undefined);
    const revocations: Promise<unknown>[] = [];
    if (session.refreshToken) revocations.push(revoke(session.refreshToken, 'refresh_token'));
    for (const accessToken of session.accessTokens.values()) {
      revocations.push(revoke(accessToken.token, 'access_token'));
    }
    await Promise.all(revocations);
  }
  const endSessionEndpoint = disco?.endSessionEndpoint;
  if (!endSessionEndpoint) return { endSessionUrl: null };
  // The page gets the worker's logout route, not the URL: its id_token_hint is the ID token.
  return {
    endSessionUrl: logoutRoute(context).issue(
      createEndSessionUrl({
        address: endSessionEndpoint,
        clientId: config.clientId,
        ...(session?.idToken ? { idTokenHint: session.idToken } : {}),
        ...(config.postLogoutRedirectUri === undefined
          ? {}
          : { postLogoutRedirectUri: config.postLogoutRedirectUri }),
      }),
    ),
  };
}
