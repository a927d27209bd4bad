/**
 * A service worker's world in Node, for fast tests of sw/: the worker's own context, token source
 * and message handler (the real modules), a provider on a real local HTTP server (discovery from
 * {@link startHostileOp}, plus a scriptable token endpoint), a test clock, windows that record
 * the events they receive, and in-memory stores in place of IndexedDB.
 */
import { createMetadataCache } from '../../src/core/cache/metadata-cache.js';
import type { WorkerEvent } from '../../src/protocol/messages.js';
import type { CompiledEntry } from '../../sw/allowlist.js';
import { type ResolvedConfig, resolveConfig, type TokenHandlerConfig } from '../../sw/config.js';
import {
  type ClientsLike,
  type ContextStores,
  createContext,
  type WorkerContext,
} from '../../sw/context.js';
import type { AccessToken, Session } from '../../sw/session.js';
import type { SessionMarker } from '../../sw/session-marker.js';
import { createTokenSource, type TokenSource } from '../../sw/tokens.js';
import type { LoginTransaction, TransactionStore } from '../../sw/transactions.js';
import {
  type HostileOp,
  startHostileOp,
  type TestClock,
  testClock,
} from '../support/hostile-op.js';

/** One answer of the token endpoint. */
export interface TokenAnswer {
  status?: number;
  body: unknown;
}

/** The provider: discovery and JWKS (HostileOp) plus a token endpoint that tests script. */
export interface FakeOp {
  readonly op: HostileOp;
  readonly issuer: string;
  /** The form of every token request received, oldest first. */
  readonly tokenRequests: URLSearchParams[];
  /**
   * Answers the next token requests. Default: a rotating refresh token and an access token
   * (`at-N`, `rt-N`) that lives an hour.
   */
  answer: (form: URLSearchParams, call: number) => TokenAnswer;
  /** Holds token requests until the returned function is called. */
  hold(): () => void;
  close(): Promise<void>;
}

/** The default token answer: rotating refresh token, one-hour access token. */
export function rotating(form: URLSearchParams, call: number): TokenAnswer {
  const resource = form.get('resource');
  return {
    body: {
      access_token: `at-${call}${resource ? `-${resource}` : ''}`,
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: `rt-${call}`,
    },
  };
}

/** Starts the provider. */
export async function startFakeOp(): Promise<FakeOp> {
  const op = await startHostileOp();
  const tokenRequests: URLSearchParams[] = [];
  let gate: Promise<void> | undefined;
  const fake: FakeOp = {
    op,
    issuer: op.issuer,
    tokenRequests,
    answer: rotating,
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => {
        release = resolve;
      });
      return () => {
        gate = undefined;
        release();
      };
    },
    close: () => op.close(),
  };
  op.server.route('POST', '/token', async (_req, res, body) => {
    const form = new URLSearchParams(body);
    tokenRequests.push(form);
    const call = tokenRequests.length;
    if (gate) await gate;
    const { status = 200, body: answer } = fake.answer(form, call);
    res
      .writeHead(status, { 'content-type': 'application/json' })
      .end(typeof answer === 'string' ? answer : JSON.stringify(answer));
  });
  return fake;
}

/** Sign-in transactions in memory (Node has no IndexedDB). */
export function memoryTransactions(): TransactionStore & {
  readonly saved: Map<string, LoginTransaction>;
} {
  const saved = new Map<string, LoginTransaction>();
  return {
    saved,
    async save(transaction: LoginTransaction) {
      saved.set(transaction.state, transaction);
    },
    async take(state: string, now: number) {
      const found = saved.get(state);
      saved.delete(state);
      return found && found.expiresAt > now ? found : undefined;
    },
    async prune(now: number) {
      for (const [state, t] of saved) if (t.expiresAt <= now) saved.delete(state);
    },
  };
}

/** The session marker in memory. */
export function memoryMarker(): SessionMarker & { marked: boolean } {
  const marker = {
    marked: false,
    async mark(active: boolean) {
      marker.marked = active;
    },
    had: async () => marker.marked,
  };
  return marker;
}

/** A worker in Node: its context, token source, clock and the events its windows received. */
export interface FakeWorker {
  readonly config: ResolvedConfig;
  readonly clock: TestClock;
  readonly context: WorkerContext;
  readonly tokens: TokenSource;
  readonly transactions: ReturnType<typeof memoryTransactions>;
  readonly marker: ReturnType<typeof memoryMarker>;
  /** Events posted to the windows, oldest first. */
  readonly events: WorkerEvent[];
  /** The compiled API entry whose URL starts with `url`. */
  api(url: string): CompiledEntry;
  /** Starts a session holding `accessToken` (for the API without a resource) and `refreshToken`. */
  signIn(options: {
    accessToken: string;
    expiresAt: number;
    refreshToken?: string;
  }): Promise<Session>;
}

/** The APIs every fake worker knows: one without a resource indicator, one with. */
export const APIS = [
  { url: 'https://api.test/v1/' },
  { url: 'https://other.test/', resource: 'urn:other' },
] as const;

/**
 * Creates a worker against `op`; `config` overrides the defaults (no HTTP retries); `stores`
 * replaces the in-memory stores (e.g. the IndexedDB ones over fake-indexeddb); `clock` is shared
 * with a worker this one replaces (a restart).
 */
export function fakeWorker(
  op: FakeOp,
  config: Partial<TokenHandlerConfig> = {},
  stores: ContextStores = {},
  clock: TestClock = testClock(),
): FakeWorker {
  const resolved = resolveConfig({
    issuer: op.issuer,
    clientId: 'spa',
    redirectUri: 'https://app.test/callback',
    postLogoutRedirectUri: 'https://app.test/',
    apis: APIS,
    retries: 0,
    now: clock.now,
    ...config,
  });
  const events: WorkerEvent[] = [];
  const windows = [
    {
      postMessage(envelope: { event: WorkerEvent }) {
        events.push(envelope.event);
      },
    },
  ];
  const clients: ClientsLike = {
    matchAll: async () => windows as unknown as ReadonlyArray<WindowClient>,
  };
  const transactions = memoryTransactions();
  const marker = memoryMarker();
  const context = createContext(resolved, clients, resolved.now, {
    cache: createMetadataCache({ now: clock.now }),
    transactions,
    marker,
    ...stores,
  });
  const tokens = createTokenSource(context);
  return {
    config: resolved,
    clock,
    context,
    tokens,
    transactions,
    marker,
    events,
    api(url) {
      const found = resolved.apis.find((api) => api.entry.url.startsWith(url));
      if (!found) throw new Error(`no API entry for ${url}`);
      return found;
    },
    async signIn({ accessToken, expiresAt, refreshToken = 'rt-0' }) {
      const token: AccessToken = {
        token: accessToken,
        tokenType: 'Bearer',
        expiresAt,
        scope: undefined,
      };
      const session: Session = {
        idToken: 'id-token',
        idTokenClaims: { iss: op.issuer, sub: 'user-1', aud: 'spa' },
        refreshToken,
        accessTokens: new Map([['', token]]),
        scope: undefined,
      };
      await context.startSession(session);
      return session;
    },
  };
}
