/**
 * Records what reached the demo provider: method, path, route, the Authorization and DPoP
 * headers (and the DPoP-Nonce answered), a CORS preflight's requested headers, the parameters
 * oidc-provider parsed and the response body it set (the token endpoint's tokens, the PAR
 * request's nonce, the token request's code verifier).
 *
 * `op.provider.use()` cannot do this after start: Koa composes its middleware once, when the
 * server is created. `handleRequest` is looked up on the app for every request, so wrapping it
 * on the instance sees every request, around the whole middleware stack.
 */
import type { DemoProvider } from '../../../demo/provider.js';

/** One request as the provider saw it. */
export interface ProviderHit {
  readonly method: string;
  readonly path: string;
  /** oidc-provider's route name (`token`, `discovery`, `jwks`, …); undefined when no route matched. */
  readonly route: string | undefined;
  readonly authorization: string | null;
  /** The `DPoP` proof header (RFC 9449 §4), else null. */
  readonly dpop: string | null;
  /** The `DPoP-Nonce` the provider answered with (RFC 9449 §8), else null. */
  readonly dpopNonce: string | null;
  /** `Access-Control-Request-Headers` of a CORS preflight (lowercase), else null. */
  readonly preflightHeaders: string | null;
  /** Parameters oidc-provider parsed from the query or the form body. */
  readonly params: Readonly<Record<string, unknown>>;
  /** The response body as the provider set it (an object for JSON endpoints). */
  readonly body: unknown;
  readonly status: number;
}

export interface ProviderTap {
  readonly hits: ProviderHit[];
  /** Every token endpoint response body (objects with `access_token`, `refresh_token`, …). */
  tokenResponses(): Record<string, unknown>[];
  /** Puts the provider back as it was. */
  remove(): void;
}

type Handle = (ctx: KoaContext, fn: (ctx: KoaContext) => Promise<void>) => Promise<void>;
interface KoaContext {
  method: string;
  path: string;
  status: number;
  body: unknown;
  get(name: string): string;
  response: { get(name: string): string };
  oidc?: { route?: string; params?: Record<string, unknown> };
}

function plain(value: unknown): unknown {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return undefined;
  try {
    return JSON.parse(JSON.stringify(value));
  } catch {
    return undefined;
  }
}

/** Starts recording; call `remove()` when done (or let the provider close). */
export function tapProvider(op: DemoProvider): ProviderTap {
  const provider = op.provider as { handleRequest: Handle };
  const hits: ProviderHit[] = [];
  const original = provider.handleRequest;
  provider.handleRequest = function (this: unknown, ctx, fn) {
    return original.call(this, ctx, async (inner) => {
      try {
        await fn(inner);
      } finally {
        const params = Object.fromEntries(
          Object.entries(ctx.oidc?.params ?? {}).filter(([, value]) => value !== undefined),
        );
        hits.push({
          method: ctx.method,
          path: ctx.path,
          route: ctx.oidc?.route,
          authorization: ctx.get('authorization') || null,
          dpop: ctx.get('dpop') || null,
          dpopNonce: ctx.response.get('dpop-nonce') || null,
          preflightHeaders:
            ctx.method === 'OPTIONS'
              ? ctx.get('access-control-request-headers').toLowerCase() || null
              : null,
          params,
          body: plain(ctx.body),
          status: ctx.status,
        });
      }
    });
  };
  return {
    hits,
    tokenResponses: () =>
      hits
        .filter((hit) => hit.route === 'token' && hit.status === 200)
        .map((hit) => hit.body as Record<string, unknown>),
    remove() {
      provider.handleRequest = original;
    },
  };
}
