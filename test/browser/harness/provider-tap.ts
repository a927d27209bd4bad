/**
 * Token endpoint responses as the demo provider sent them, and Node-side calls that check a
 * token at the provider (introspection, a refresh attempt).
 *
 * NOTE: rebuilt from its uses in tabs.spec.ts after it was overwritten by mistake by the
 * allowlist/storage work (which now lives in provider-record.ts); check it against the original.
 *
 * `op.provider.use()` does not reach requests after start (Koa composes the middleware stack
 * once, when the server is created); `handleRequest` is looked up per request, so it is wrapped.
 */
import { DEMO_CLIENTS, type DemoProvider } from '../../../demo/provider.js';

/** A token endpoint response body. */
export interface TokenResponse {
  readonly access_token?: string;
  readonly refresh_token?: string;
  readonly id_token?: string;
  readonly token_type?: string;
  readonly expires_in?: number;
  readonly scope?: string;
  readonly [member: string]: unknown;
}

type KoaContext = { status: number; body: unknown; oidc?: { route?: string } };
type Handle = (ctx: KoaContext, fn: (ctx: KoaContext) => Promise<void>) => Promise<void>;

/** Records every successful token endpoint response of `op` into the returned array. */
export function recordTokenResponses(op: DemoProvider): TokenResponse[] {
  const responses: TokenResponse[] = [];
  const provider = op.provider as { handleRequest: Handle };
  const original = provider.handleRequest;
  provider.handleRequest = function (this: unknown, ctx, fn) {
    return original.call(this, ctx, async (inner) => {
      await fn(inner);
      if (ctx.oidc?.route === 'token' && ctx.status === 200 && typeof ctx.body === 'object') {
        responses.push(JSON.parse(JSON.stringify(ctx.body)) as TokenResponse);
      }
    });
  };
  return responses;
}

/** The refresh token of the latest response that had one. */
export function lastRefreshToken(responses: readonly TokenResponse[]): string {
  for (let i = responses.length - 1; i >= 0; i--) {
    const token = responses[i]!.refresh_token;
    if (typeof token === 'string') return token;
  }
  throw new Error('no token response carried a refresh token');
}

/** Introspects `token` as the confidential demo client (which may introspect any token). */
export async function introspect(
  op: DemoProvider,
  token: string,
  tokenTypeHint?: string,
): Promise<Record<string, unknown>> {
  const { clientId, clientSecret } = DEMO_CLIENTS.basic;
  const response = await fetch(`${op.issuer}/token/introspection`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      token,
      ...(tokenTypeHint === undefined ? {} : { token_type_hint: tokenTypeHint }),
    }),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** Tries `refreshToken` at the token endpoint as the public SPA client. */
export async function useRefreshToken(
  op: DemoProvider,
  refreshToken: string,
  clientId: string = DEMO_CLIENTS.spa.clientId,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${op.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: clientId,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
