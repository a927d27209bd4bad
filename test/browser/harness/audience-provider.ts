/**
 * The demo oidc-provider made to name APIs as Auth0 does: by an `audience` parameter instead of
 * RFC 8707 `resource`, with one refresh token good for several APIs (Auth0's Multi-Resource
 * Refresh Token). Each audience is a resource server of oidc-provider's resource indicators
 * feature, with its own scopes and JWT access tokens:
 *
 * - at authorization (and PAR), `audience` is an extra parameter (`extraParams`); naming a known
 *   one grants every audience of the client, that one first (`defaultResource`). Without one the
 *   access token is opaque, as Auth0's is;
 * - at the token endpoint, `audience` picks which granted audience the access token is for, and
 *   without one it is the first (the sign-in's), as Auth0 answers a refresh without `audience`.
 *   oidc-provider has no option for token-endpoint parameters of its built-in grants: `audience`
 *   is added to the code and refresh grants' parameter lists, the one internal this reaches.
 *
 * Also records what reached the provider's authorization, PAR and token endpoints: the
 * parameters as the client sent them (`ctx.oidc.body` or the query, before oidc-provider drops
 * the ones it does not know) and the status it answered.
 */
import type { DemoProvider } from '../../../demo/provider.js';

/** One audience: its identifier (the `aud` of its tokens) and its scopes. */
export interface Audience {
  readonly audience: string;
  readonly scope: string;
}

/** One request to the authorization, PAR or token endpoint, as the client sent it. */
export interface EndpointRequest {
  readonly route: string;
  readonly params: Readonly<Record<string, string | string[] | undefined>>;
  readonly status: number;
}

type Params = Record<string, unknown> | undefined;
type Ctx = { oidc: { route?: string; params?: Params } };

/** `startProvider`'s `config` for `audiences`; their access tokens live `accessTokenTTL` s. */
export function audienceConfig(
  audiences: readonly Audience[],
  accessTokenTTL: number,
): Record<string, unknown> {
  const known = new Map(audiences.map((entry) => [entry.audience, entry.scope]));
  const asked = (ctx: Ctx) => {
    const audience = ctx.oidc.params?.audience;
    return typeof audience === 'string' && known.has(audience) ? audience : undefined;
  };
  return {
    extraParams: ['audience'],
    features: {
      resourceIndicators: {
        enabled: true,
        defaultResource: async (ctx: Ctx, _client: unknown, oneOf?: string[]) => {
          const audience = asked(ctx);
          if (oneOf) return audience && oneOf.includes(audience) ? audience : oneOf[0];
          if (ctx.oidc.route === 'token' || !audience) return undefined;
          return [audience, ...[...known.keys()].filter((other) => other !== audience)];
        },
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, resource: string) => {
          const scope = known.get(resource);
          if (scope === undefined) {
            // Loaded as demo/provider.js loads it (by then it has), for the OAuth error.
            const { errors } = await import('oidc-provider');
            throw new errors.InvalidTarget();
          }
          return { scope, audience: resource, accessTokenFormat: 'jwt', accessTokenTTL };
        },
      },
    },
  };
}

/** Makes the token endpoint read `audience` in code and refresh grants (see the header). */
export async function acceptAudienceAtTokenEndpoint(op: DemoProvider): Promise<void> {
  // Not a literal: the module has no types, and only its default export is used.
  const specifier = 'oidc-provider/lib/helpers/weak_cache.js';
  const { default: internals } = (await import(specifier)) as {
    default: (provider: unknown) => { grantTypeParams: Map<string | undefined, Set<string>> };
  };
  const { grantTypeParams } = internals(op.provider);
  for (const grant of [undefined, 'authorization_code', 'refresh_token']) {
    const params = grantTypeParams.get(grant);
    if (!params) throw new Error(`oidc-provider has no parameter list for ${grant}`);
    params.add('audience');
  }
}

type Handle = (ctx: KoaContext, fn: (ctx: KoaContext) => Promise<void>) => Promise<void>;
interface KoaContext {
  method: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  oidc?: { route?: string; body?: Record<string, string | string[] | undefined> };
}

const ROUTES = new Set(['authorization', 'pushed_authorization_request', 'token']);

/** Records the requests to the authorization, PAR and token endpoints of `op`, oldest first. */
export function recordEndpointRequests(op: DemoProvider): EndpointRequest[] {
  const requests: EndpointRequest[] = [];
  // Wrapped per instance: Koa composed its middleware when the server was created.
  const provider = op.provider as { handleRequest: Handle };
  const original = provider.handleRequest;
  provider.handleRequest = function (this: unknown, ctx, fn) {
    return original.call(this, ctx, async (inner) => {
      try {
        await fn(inner);
      } finally {
        const route = ctx.oidc?.route;
        if (route && ROUTES.has(route)) {
          const params = ctx.method === 'POST' ? (ctx.oidc?.body ?? {}) : ctx.query;
          requests.push({ route, params: { ...params }, status: ctx.status });
        }
      }
    });
  };
  return requests;
}
