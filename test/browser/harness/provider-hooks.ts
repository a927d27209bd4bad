/**
 * Switches on the demo provider for the refresh tests: refresh tokens as the provider issued
 * them (to revoke one from Node), a flag that makes the token endpoint answer 503 to refresh
 * requests without touching the grant, and a gate that holds refresh requests until released
 * (so that concurrent API calls surely overlap one refresh).
 *
 * Reading the form before oidc-provider does makes it warn, once, of an "already parsed request
 * body" (demo/provider.js filters that notice out); it then uses the body given here, as
 * documented.
 */
import { parse } from 'node:querystring';
import type { DemoProvider } from '../../../demo/provider.js';

/** The parts of a Koa context used here. */
interface KoaContext {
  method: string;
  path: string;
  req: AsyncIterable<unknown>;
  request: { body?: unknown };
  status: number;
  type: string;
  body: unknown;
  oidc?: { route?: string };
  get(header: string): string;
  set(header: string, value: string): void;
}
type Handle = (ctx: KoaContext, fn: (ctx: KoaContext) => Promise<void>) => Promise<void>;

export interface ProviderHooks {
  /** While `true`, refresh requests get 503 before the provider sees them (the token is not spent). */
  failRefreshes: boolean;
  /** Refresh requests answered 503 (the provider's own `counts` do not see them). */
  readonly failedRefreshes: number;
  /** Holds refresh requests (before the provider sees them) until the returned function is called. */
  holdRefreshes(): () => void;
  /** Refresh requests waiting at the gate now. */
  readonly heldRefreshes: number;
  /** Every refresh token the token endpoint issued, oldest first. */
  readonly refreshTokens: readonly string[];
  /** Revokes `token` at the provider's revocation endpoint (its grant goes with it). */
  revokeRefreshToken(token: string, clientId?: string): Promise<void>;
}

/** Adds the hooks to `op` (once per provider; they stay until it closes). */
export function installProviderHooks(op: DemoProvider): ProviderHooks {
  const refreshTokens: string[] = [];
  const state = { failRefreshes: false, failedRefreshes: 0, held: 0 };
  let gate: Promise<void> | undefined;
  // `op.provider.use()` does not reach requests after start (Koa composes its middleware once,
  // when the server is created); `handleRequest` is looked up per request, so it is wrapped.
  const provider = op.provider as { handleRequest: Handle };
  const original = provider.handleRequest;
  provider.handleRequest = function (this: unknown, ctx, fn) {
    return original.call(this, ctx, async (inner) => {
      if ((state.failRefreshes || gate) && ctx.method === 'POST' && ctx.path === '/token') {
        // Read the form here; oidc-provider then takes the parsed body from ctx.request.body.
        const chunks: Buffer[] = [];
        for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
        const raw = Buffer.concat(chunks).toString('utf8');
        const refresh = parse(raw).grant_type === 'refresh_token';
        if (refresh && gate) {
          state.held++;
          await gate;
          state.held--;
        }
        if (refresh && state.failRefreshes) {
          state.failedRefreshes++;
          const origin = ctx.get('origin');
          if (origin) ctx.set('access-control-allow-origin', origin);
          ctx.status = 503;
          ctx.type = 'application/json';
          ctx.body = JSON.stringify({ error: 'temporarily_unavailable' });
          return;
        }
        ctx.request.body = raw;
      }
      await fn(inner);
      const body = ctx.body as { refresh_token?: unknown } | undefined;
      if (ctx.oidc?.route === 'token' && typeof body?.refresh_token === 'string') {
        refreshTokens.push(body.refresh_token);
      }
    });
  };
  return {
    get failRefreshes() {
      return state.failRefreshes;
    },
    set failRefreshes(value) {
      state.failRefreshes = value;
    },
    get failedRefreshes() {
      return state.failedRefreshes;
    },
    holdRefreshes() {
      let release = () => {};
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      return () => {
        gate = undefined;
        release();
      };
    },
    get heldRefreshes() {
      return state.held;
    },
    refreshTokens,
    async revokeRefreshToken(token, clientId = 'demo-spa') {
      const response = await fetch(`${op.issuer}/token/revocation`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          token,
          token_type_hint: 'refresh_token',
          client_id: clientId,
        }),
      });
      if (response.status !== 200) {
        throw new Error(`revocation answered ${response.status}: ${await response.text()}`);
      }
    },
  };
}
