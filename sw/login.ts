/**
 * Sign-in: the authorization request (PKCE S256, state, nonce, resource indicators, PAR when the
 * provider offers it) and its callback (state, iss, code exchange, ID token validated in full).
 *
 * @module
 */

import { validateAuthorizeCallback } from '../src/core/authorize/callback.js';
import { pushAuthorizationRequest } from '../src/core/authorize/par.js';
import type { AuthorizeParameters } from '../src/core/authorize/parameters.js';
import { createPkce } from '../src/core/authorize/pkce.js';
import { createNonce, createState } from '../src/core/authorize/random.js';
import { createAuthorizeUrl } from '../src/core/authorize/url.js';
import type { DiscoveryDocument } from '../src/core/discovery/document.js';
import { AuthorizationResponseError, DiscoveryError, HttpError } from '../src/core/errors.js';
import { chooseDpopAlgorithm, type DpopHandle } from '../src/core/index.js';
import { requestAuthorizationCodeToken } from '../src/core/token/authorization-code.js';
import { defined, tryParseUrl } from '../src/core/worker-api.js';
import { WorkerError } from '../src/protocol/errors.js';
import {
  type LoginOptions,
  type SerializedError,
  serializeError,
} from '../src/protocol/messages.js';
import type { ApiEntry } from './allowlist.js';
import { responseModeRefusal } from './callback-response.js';
import type { WorkerContext } from './context.js';
import { isDpopTokenType, type Session, tokenKey } from './session.js';
import { accessTokenExpiry } from './tokens.js';

const entries = (context: WorkerContext) =>
  [...context.config.apis, ...context.config.pageTokenUrls].map((api) => api.entry);

/** The resource indicators of every configured API, deduplicated, in order. */
function resources(context: WorkerContext): string[] {
  const all = entries(context)
    .map((entry) => entry.resource)
    .filter((resource): resource is string => resource !== undefined);
  return [...new Set(all)];
}

/**
 * The sign-in's API: the first entry with a `resource` or `parameters`. Its parameters go into
 * the authorization request and the code exchange (Auth0 names the API of the code's access
 * token by `audience` at authorization), so the code's token is its token.
 */
function signInApi(context: WorkerContext): Pick<ApiEntry, 'resource' | 'parameters'> {
  return entries(context).find((entry) => entry.resource ?? entry.parameters) ?? {};
}

/**
 * `error` marked with the sign-in request that failed (serialized as `step`): the page client
 * turns the step and the error's code (and OAuth `error`) into a hint of what to change, so the
 * hints' text stays out of the worker bundle.
 */
function failedAt(error: unknown, step: SerializedError['step']): unknown {
  return Object.assign(error as object, { step });
}

/**
 * The worker's DPoP key when this sign-in uses DPoP: `config.dpop` is not `false` and discovery
 * advertises `dpop_signing_alg_values_supported` with an algorithm the library can generate
 * (ES256 when offered). The key is made on first use and kept (dpop-key.ts).
 */
async function dpopKey(
  context: WorkerContext,
  disco: DiscoveryDocument,
): Promise<DpopHandle | undefined> {
  const supported = disco.dpopSigningAlgValuesSupported;
  if (!context.config.dpop || supported === undefined) return undefined;
  const alg = chooseDpopAlgorithm(supported);
  return alg === undefined ? undefined : context.dpopKeys.loadOrCreate(alg);
}

/** `candidate` when it is a URL of the app's origin, else the origin's root. */
export function sameOrigin(candidate: string | undefined, origin: string): string {
  if (candidate !== undefined) {
    try {
      const url = new URL(candidate, origin);
      if (url.origin === origin) return url.href;
    } catch {
      // not a URL: fall through
    }
  }
  return `${origin}/`;
}

function optionalText(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > 2048) {
    throw new WorkerError('ERR_INVALID_MESSAGE', `"${name}" must be a string`);
  }
  return value;
}

/** Builds the authorization URL and keeps the transaction; the page navigates to the URL. */
export async function startLogin(
  context: WorkerContext,
  options: LoginOptions & { currentUrl?: string },
): Promise<{ url: string }> {
  // The state stays in the worker: the page has no use for it.
  try {
    const { url } = await prepareLogin(context, options);
    return { url };
  } catch (error) {
    // A refused sign-in request is most often a setup mistake: every page hears of it, not only
    // a caller of login() that catches (an app that does not would otherwise show nothing).
    const serialized = serializeError(error);
    if (serialized.step)
      await context.broadcast({ type: 'error', error: serialized }).catch(() => {});
    throw error;
  }
}

/**
 * {@link startLogin}, also giving the transaction's `state` (the silent sign-in of recover.ts
 * recognises its callback by it; with PAR the URL does not show it).
 */
export async function prepareLogin(
  context: WorkerContext,
  options: LoginOptions & { currentUrl?: string },
): Promise<{ url: string; state: string }> {
  const { config } = context;
  const maxAge = options.maxAge;
  if (
    maxAge !== undefined &&
    (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 0)
  ) {
    throw new WorkerError('ERR_INVALID_MESSAGE', '"maxAge" must be a non-negative integer');
  }
  const prompt = optionalText(options.prompt, 'prompt');
  const loginHint = optionalText(options.loginHint, 'loginHint');
  const uiLocales = optionalText(options.uiLocales, 'uiLocales');
  const acrValues = optionalText(options.acrValues, 'acrValues');
  const origin = config.redirectUri.origin;
  const returnTo = sameOrigin(
    optionalText(options.returnTo, 'returnTo') ?? optionalText(options.currentUrl, 'currentUrl'),
    origin,
  );

  const disco = await context.discovery();
  const pkce = await createPkce();
  const state = createState();
  const nonce = createNonce();
  const indicators = resources(context);
  const dpop = await dpopKey(context, disco);
  const parameters: AuthorizeParameters = {
    clientId: config.clientId,
    redirectUri: config.redirectUri.href,
    scope: config.scope,
    state,
    nonce,
    codeChallenge: pkce.codeChallenge,
    codeChallengeMethod: 'S256',
    ...(indicators.length > 0 ? { resource: indicators } : {}),
    // RFC 9449 §10: binds the code to the key, so only this worker can redeem it.
    ...(dpop ? { dpopJkt: await dpop.thumbprint() } : {}),
    ...defined({ prompt, loginHint, uiLocales, acrValues, maxAge }),
    ...defined({ parameters: signInApi(context).parameters }),
  };
  const parEndpoint = disco.pushedAuthorizationRequestEndpoint;
  const usePar = config.par === true || (config.par === 'auto' && parEndpoint !== undefined);
  let url: string;
  if (usePar) {
    if (!parEndpoint) {
      // The configuration requires a member the document lacks, as the policy's requireKeySet does.
      throw new DiscoveryError(
        'ERR_DISCOVERY_MISSING_MEMBER',
        'The provider has no PAR endpoint (config.par is true)',
        { member: 'pushed_authorization_request_endpoint' },
      );
    }
    const pushed = await pushAuthorizationRequest({
      ...config.http,
      ...parameters,
      address: parEndpoint,
      authorizationEndpoint: disco.authorizationEndpoint,
      issuer: disco.issuer,
      ...(dpop ? { dpop } : {}),
    });
    if (!pushed.isSuccessful) throw failedAt(pushed.exception, 'par');
    url = pushed.url;
  } else {
    url = createAuthorizeUrl({ ...parameters, address: disco.authorizationEndpoint });
  }
  const now = context.now();
  await context.transactions.prune(now).catch(() => {});
  await context.transactions.save({
    state,
    nonce,
    codeVerifier: pkce.codeVerifier,
    redirectUri: config.redirectUri.href,
    returnTo,
    maxAge,
    expiresAt: now + config.loginTimeout * 1000,
  });
  return { url, state };
}

/** True when `url` is the configured redirect URI (scheme, host, port and path). */
export function isCallbackUrl(context: WorkerContext, url: URL): boolean {
  const redirect = context.config.redirectUri;
  return url.origin === redirect.origin && url.pathname === redirect.pathname;
}

/**
 * States whose transaction is being taken right now. The store reads and deletes in two
 * IndexedDB transactions: a second callback with the same state arriving in between (two tabs,
 * or a page sending `callback` twice) would find it still there and exchange the code again, and
 * a provider that sees a code twice revokes what it issued for it.
 */
const taking = new Set<string>();

async function takeTransaction(context: WorkerContext, state: string) {
  if (taking.has(state)) return undefined;
  taking.add(state);
  try {
    return await context.transactions.take(state, context.now());
  } finally {
    taking.delete(state);
  }
}

/**
 * Completes a sign-in from the callback URL: finds (and deletes) the transaction by `state`,
 * checks the response, exchanges the code once, validates the ID token, starts the session.
 * Returns where to land. A replayed callback finds no transaction and sends nothing.
 */
export async function completeLogin(context: WorkerContext, callbackUrl: string): Promise<string> {
  const { config } = context;
  const url = tryParseUrl(callbackUrl);
  // Checked before any transaction is taken: a URL that is not the redirect URI spends none.
  if (!url || !isCallbackUrl(context, url)) {
    throw new AuthorizationResponseError(
      'ERR_CALLBACK_INVALID',
      'The callback URL is not the redirect URI of this worker',
      { parameter: 'redirect_uri' },
    );
  }
  // The worker asks for response_mode=query only: a response elsewhere spends no transaction.
  const refusal = responseModeRefusal('GET', url);
  if (refusal) throw refusal;
  const states = url.searchParams.getAll('state');
  const stored = states.length === 1 ? await takeTransaction(context, states[0]!) : undefined;
  // IndexedDB is page-writable: a planted transaction must not outlive the sign-in window or
  // send the browser elsewhere, and the redirect URI is always the worker's own.
  const transaction =
    stored && stored.expiresAt <= context.now() + config.loginTimeout * 1000 ? stored : undefined;
  if (!transaction) {
    throw new AuthorizationResponseError(
      'ERR_STATE_MISMATCH',
      'No sign-in is waiting for this callback: it was already used, it expired, or it was not started here',
      { parameter: 'state' },
    );
  }
  const disco = await context.discovery();
  let result: ReturnType<typeof validateAuthorizeCallback>;
  try {
    result = validateAuthorizeCallback(url, {
      state: transaction.state,
      issuer: disco.issuer,
      issParameterSupported: disco.authorizationResponseIssParameterSupported ?? false,
      redirectUri: config.redirectUri.href,
    });
  } catch (error) {
    // Without PAR the authorization endpoint's refusal arrives here, as ?error=….
    throw failedAt(error, 'authorize');
  }
  // Not the API's scope: the code's token has the scope of the authorization request.
  const { resource, parameters } = signInApi(context);
  const dpop = await dpopKey(context, disco);
  const tokens = await requestAuthorizationCodeToken({
    ...config.http,
    address: disco.tokenEndpoint,
    clientId: config.clientId,
    code: result.code,
    redirectUri: config.redirectUri.href,
    codeVerifier: transaction.codeVerifier,
    ...defined({ resource, parameters, dpop }),
    idToken: {
      issuer: config.issuer,
      nonce: transaction.nonce,
      ...defined({ maxAge: transaction.maxAge }),
      cache: context.cache,
      leeway: config.leeway,
      discoveryPolicy: config.discoveryPolicy,
    },
    now: context.now,
  });
  if (!tokens.isSuccessful) throw failedAt(tokens.exception, 'token');
  if (tokens.idToken === undefined || tokens.idTokenClaims === undefined) {
    throw new HttpError('ERR_INVALID_RESPONSE', 'The provider returned no ID token', {
      url: disco.tokenEndpoint,
      httpStatus: tokens.httpStatus,
    });
  }
  const session: Session = {
    idToken: tokens.idToken,
    idTokenClaims: tokens.idTokenClaims as Session['idTokenClaims'],
    refreshToken: tokens.refreshToken,
    accessTokens: new Map([
      [
        tokenKey({ resource, parameters }),
        {
          token: tokens.accessToken,
          tokenType: tokens.tokenType,
          expiresAt: accessTokenExpiry(tokens.accessToken, tokens.expiresAt, context.now()),
          scope: tokens.scope,
        },
      ],
    ]),
    scope: tokens.scope,
    // A provider that ignored the proof answers Bearer: such a session is not bound, and lives
    // in worker memory only.
    dpop: dpop && isDpopTokenType(tokens.tokenType) ? dpop : undefined,
  };
  await context.startSession(session);
  return sameOrigin(transaction.returnTo, config.redirectUri.origin);
}
