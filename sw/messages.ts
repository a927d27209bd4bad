/**
 * The message handler: typed requests from pages (src/protocol), one reply each on the
 * request's port. Requests from another protocol version are refused with
 * `ERR_PROTOCOL_VERSION`; malformed ones with `ERR_INVALID_MESSAGE`.
 *
 * @module
 */

import { validateToken } from '../src/core/validation/validate.js';
import { defined, tryParseUrl } from '../src/core/worker-api.js';
import { WorkerError } from '../src/protocol/errors.js';
import {
  isTagged,
  MESSAGE_TAG,
  PROTOCOL_VERSION,
  REQUEST_TYPES,
  type ReplyEnvelope,
  type RequestMap,
  type RequestType,
  serializeError,
} from '../src/protocol/messages.js';
import { matchAllowlist } from './allowlist.js';
import type { WorkerContext } from './context.js';
import { completeLogin, startLogin } from './login.js';
import { logout } from './logout.js';
import type { TokenSource } from './tokens.js';

type Handlers = {
  [T in RequestType]: (payload: RequestMap[T]['request']) => Promise<RequestMap[T]['reply']>;
};

/** The message handler of a worker: handles `event` when it is one of the library's messages (returns `true`), else `false`. */
export type MessageHandler = (event: ExtendableMessageEvent) => boolean;

function payloadObject(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WorkerError('ERR_INVALID_MESSAGE', 'The request payload must be an object');
  }
  return value as Record<string, unknown>;
}

function requiredText(payload: Record<string, unknown>, name: string, max = 65_536): string {
  const value = payload[name];
  if (typeof value !== 'string' || value === '' || value.length > max) {
    throw new WorkerError('ERR_INVALID_MESSAGE', `"${name}" must be a non-empty string`);
  }
  return value;
}

/** Creates the message handler. `claim` takes control of uncontrolled pages. */
export function createMessageHandler(
  context: WorkerContext,
  tokens: TokenSource,
  claim: () => Promise<void>,
): MessageHandler {
  const { config } = context;
  const handlers: Handlers = {
    hello: async () => ({ protocolVersion: PROTOCOL_VERSION, ...(await context.userState()) }),
    claim: async () => {
      await claim();
      return { claimed: true };
    },
    login: (payload) => startLogin(context, payload),
    callback: async (payload) => {
      const url = requiredText(payload, 'url', 8192);
      if (!tryParseUrl(url)) {
        throw new WorkerError('ERR_INVALID_MESSAGE', '"url" must be an absolute URL');
      }
      const returnTo = await completeLogin(context, url);
      return { ...(await context.userState()), returnTo };
    },
    logout: (payload) => logout(context, tokens, payload),
    getUser: () => context.userState(),
    // The event itself is the point: it restarts the browser's idle timer for this worker.
    keepAlive: async () => ({ state: (await context.userState()).state }),
    validateToken: async (payload) => {
      const token = requiredText(payload, 'token');
      const given = payload.audience;
      if (
        given !== undefined &&
        typeof given !== 'string' &&
        !(Array.isArray(given) && given.every((item) => typeof item === 'string'))
      ) {
        throw new WorkerError('ERR_INVALID_MESSAGE', '"audience" must be a string or strings');
      }
      if (payload.typ !== undefined) requiredText(payload, 'typ', 256);
      const audience = given ?? config.validationAudience;
      const claims = await validateToken(
        token,
        {
          performDisco: true,
          cache: context.cache,
          leeway: config.leeway,
          discoveryPolicy: config.discoveryPolicy,
          ...config.http,
          ...defined({ audience, typ: payload.typ }),
        },
        config.issuer,
      );
      return { claims: { ...claims } };
    },
    getAccessToken: async (payload) => {
      const url = requiredText(payload, 'url');
      const entry = matchAllowlist(config.pageTokenUrls, url);
      if (!entry) {
        throw new WorkerError(
          'ERR_TOKEN_NOT_ALLOWED',
          'The worker configuration does not let pages have a token for this URL (pageTokenUrls)',
        );
      }
      // As for API calls: a restarted worker's silent sign-in may be about to bring a session.
      await context.resuming;
      const token = await tokens.get(entry);
      if (!token) throw new WorkerError('ERR_LOGIN_REQUIRED', 'There is no session: sign in first');
      return { accessToken: token.token, expiresAt: token.expiresAt };
    },
  };

  const reply = (port: MessagePort | undefined, envelope: ReplyEnvelope) =>
    port?.postMessage(envelope);

  return (event) => {
    const data: unknown = event.data;
    if (!isTagged(data)) return false;
    const port = event.ports[0];
    const respond = async () => {
      // Any message wakes a restarted worker's session state (see WorkerContext.wake).
      await context.wake().catch(() => {});
      try {
        if (data.v !== PROTOCOL_VERSION) {
          throw new WorkerError(
            'ERR_PROTOCOL_VERSION',
            `This worker speaks protocol version ${PROTOCOL_VERSION}; the page sent version ${String(data.v)}. Reload the page to update it.`,
          );
        }
        const type = (data as { type?: unknown }).type;
        if (typeof type !== 'string' || !REQUEST_TYPES.includes(type as RequestType)) {
          throw new WorkerError(
            'ERR_INVALID_MESSAGE',
            `Unknown request type ${JSON.stringify(type)}`,
          );
        }
        const payload = payloadObject((data as { payload?: unknown }).payload);
        const handler = handlers[type as RequestType] as (p: unknown) => Promise<unknown>;
        const result = await handler(payload);
        reply(port, { tag: MESSAGE_TAG, v: PROTOCOL_VERSION, ok: true, result } as ReplyEnvelope);
      } catch (error) {
        reply(port, {
          tag: MESSAGE_TAG,
          v: PROTOCOL_VERSION,
          ok: false,
          error: serializeError(error),
        });
      }
    };
    // A restarted worker's silent sign-in (recover.ts) may outlast the reply: keep it alive.
    event.waitUntil(respond().then(() => context.resuming));
    return true;
  };
}
