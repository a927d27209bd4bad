/**
 * The page ⇄ worker message protocol: one module shared by the main-thread client (src/client)
 * and the service worker (sw/). Every request carries {@link PROTOCOL_VERSION}; a page and a
 * worker of different versions refuse each other with `ERR_PROTOCOL_VERSION`.
 *
 * Requests travel as `postMessage(envelope, [port])` to the worker; the reply comes back on the
 * `MessagePort`. Events (the user changed, the session expired) go from the worker to every
 * window client.
 *
 * @module
 */

import { IdentityModelError } from '../core/errors.js';

/**
 * Version of this protocol. Bumped on any incompatible change to the messages below. A new
 * request type is not one: a worker that does not know it refuses it with
 * `ERR_INVALID_MESSAGE`, and the page copes (e.g. `keepAlive`, which wakes such a worker all the
 * same).
 */
export const PROTOCOL_VERSION = 1;

/** Marks the library's messages among whatever else an app's worker receives. */
export const MESSAGE_TAG = 'identity-model-web';

/** What the page may know about the signed-in user: claims and timing, never tokens. */
export interface User {
  /** The ID token's `sub`. */
  readonly sub: string;
  /** The ID token's claims (verified), merged with nothing else. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** When the session's access token expires, in milliseconds since the epoch. */
  readonly expiresAt: number;
  /** Scopes granted, as the token endpoint returned them. */
  readonly scope: string | undefined;
}

/**
 * The session as the worker sees it:
 * - `authenticated`: tokens in worker memory;
 * - `resuming`: a restarted worker had a session but holds no tokens, and is trying to get them
 *   back without the user (a silent `prompt=none` sign-in); it ends in `authenticated` (a
 *   `userchanged` event) or `expired` (`sessionexpired`) within the worker's
 *   `silentRecoveryTimeout`. API calls made meanwhile wait for it. Pages of an older client see
 *   a state they do not know, and then the final event;
 * - `unauthenticated`: nobody signed in (or signed out);
 * - `expired`: a session existed but its tokens are gone (the browser stopped the worker, which
 *   keeps tokens in memory only, and the silent sign-in failed or is off, or the refresh token
 *   was refused): sign in again.
 */
export type SessionState = 'authenticated' | 'resuming' | 'unauthenticated' | 'expired';

/** The user and the session state together. */
export interface UserState {
  /** The session's state: see {@link SessionState}. */
  readonly state: SessionState;
  /** The signed-in user, or `null` when the worker holds no session. */
  readonly user: User | null;
}

/** An error crossing the page ⇄ worker boundary (Error objects do not survive structured clone). */
export interface SerializedError {
  /** The error's class name in the worker (`ProtocolError`, `HttpError`, …). */
  readonly name: string;
  /** Its stable code (`ERR_*`, see the error table). */
  readonly code: string;
  /** Its message, readable, without secrets. */
  readonly message: string;
  /** OAuth error code, for protocol errors. */
  readonly error?: string | undefined;
  /** The server's `error_description` (RFC 6749 §5.2), as text: never render it as HTML. */
  readonly errorDescription?: string | undefined;
  /** The server's `error_uri` (RFC 6749 §5.2). */
  readonly errorUri?: string | undefined;
  /** The HTTP status, for HTTP and protocol errors. */
  readonly httpStatus?: number | undefined;
  /** The `WWW-Authenticate` header, for protocol errors from a resource server. */
  readonly wwwAuthenticate?: string | undefined;
  /** The request URL, for HTTP errors. */
  readonly url?: string | undefined;
  /** The metadata member at fault, for discovery errors. */
  readonly member?: string | undefined;
  /** The response parameter at fault, for authorization-response errors. */
  readonly parameter?: string | undefined;
  /** The claim at fault, for token validation errors. */
  readonly claim?: string | undefined;
  /**
   * The sign-in request that failed, for the errors of a sign-in: `par` the pushed authorization
   * request (RFC 9126), `authorize` the authorization endpoint's answer at the callback (RFC 6749
   * §4.1.2), `token` the code exchange (RFC 6749 §4.1.3). With the code and the OAuth `error`, it
   * is what the page client turns into the hint ("To fix: …") ending the message.
   */
  readonly step?: 'par' | 'authorize' | 'token' | undefined;
}

/** Options of a sign-in, chosen by the page. The issuer, client and redirect URI are the worker's. */
export interface LoginOptions {
  /** Where to land after the callback, a path or URL of this origin. Default: the current page. */
  readonly returnTo?: string;
  /** OpenID Connect `prompt` (e.g. `login`, `consent`, `select_account`). */
  readonly prompt?: string;
  /** `login_hint`. */
  readonly loginHint?: string;
  /** `ui_locales`. */
  readonly uiLocales?: string;
  /** `acr_values`. */
  readonly acrValues?: string;
  /** `max_age`, in seconds. */
  readonly maxAge?: number;
}

/** Options of a sign-out. */
export interface LogoutOptions {
  /** Where the provider sends the user back after logout; must be the worker's configured post-logout URI (the default). */
  readonly postLogoutRedirectUri?: string;
}

/** Every request the page can make, with its reply. */
export interface RequestMap {
  /** Protocol handshake; also tells the page the current user. */
  hello: { request: Record<string, never>; reply: UserState & { protocolVersion: number } };
  /** Asks the worker to take control of uncontrolled pages (after a hard reload). */
  claim: { request: Record<string, never>; reply: { claimed: boolean } };
  /** Starts a sign-in; the page navigates to `url`. */
  login: { request: LoginOptions & { currentUrl: string }; reply: { url: string } };
  /** Completes a sign-in from the callback URL (when the page, not the worker, handles it). */
  callback: { request: { url: string }; reply: UserState & { returnTo: string } };
  /**
   * Signs out: revokes, clears, and gives the URL to navigate to when the provider has an
   * end-session endpoint: the worker's logout route with a single-use ticket (the worker answers
   * it with the redirect to the provider, whose `id_token_hint` the page never sees), else null.
   */
  logout: { request: LogoutOptions; reply: { endSessionUrl: string | null } };
  /** The current user and session state. */
  getUser: { request: Record<string, never>; reply: UserState };
  /** Validates a token (e.g. from a WebSocket) with the worker's cached provider keys. */
  validateToken: {
    request: { token: string; audience?: string | readonly string[]; typ?: string };
    reply: { claims: Record<string, unknown> };
  };
  /** The access token for a URL the worker configuration lets the page use directly. */
  getAccessToken: { request: { url: string }; reply: { accessToken: string; expiresAt: number } };
  /**
   * Keeps the worker from being stopped for idleness while a session exists and a page is open
   * (Chromium and Firefox stop a worker about 30 s after its last event, and its tokens with
   * it). The reply's state tells the page whether to keep sending it.
   */
  keepAlive: { request: Record<string, never>; reply: { state: SessionState } };
}

/** A request type. */
export type RequestType = keyof RequestMap;

/** A request as sent. */
export interface RequestEnvelope<T extends RequestType = RequestType> {
  readonly tag: typeof MESSAGE_TAG;
  readonly v: number;
  readonly type: T;
  readonly payload: RequestMap[T]['request'];
}

/** A reply as sent back on the request's port. */
export type ReplyEnvelope<T extends RequestType = RequestType> =
  | {
      readonly tag: typeof MESSAGE_TAG;
      readonly v: number;
      readonly ok: true;
      readonly result: RequestMap[T]['reply'];
    }
  | {
      readonly tag: typeof MESSAGE_TAG;
      readonly v: number;
      readonly ok: false;
      readonly error: SerializedError;
    };

/** Events the worker sends to every window. */
export type WorkerEvent =
  /** Someone signed in or out, or the session was resumed (in any tab). */
  | {
      /** The kind of event: switch on it. */
      readonly type: 'userchanged';
      /** The session's state now. */
      readonly state: SessionState;
      /** The signed-in user now, or `null`. */
      readonly user: User | null;
    }
  /** The session's tokens are gone and could not be renewed: sign in again. */
  | {
      /** The kind of event: switch on it. */
      readonly type: 'sessionexpired';
      /** Always `expired`. */
      readonly state: 'expired';
      /** Always `null`. */
      readonly user: null;
    }
  /**
   * A failure the pages should know of: a sign-in refused at the callback, a failed silent
   * sign-in, a DPoP nonce loop.
   */
  | {
      /** The kind of event: switch on it. */
      readonly type: 'error';
      /** The error, as it crossed from the worker (rebuild it with `WorkerError`). */
      readonly error: SerializedError;
    }
  /**
   * Advice about the configuration that the worker found itself, once per worker start (e.g.
   * `WARN_RESPONSE_MODES`: the provider offers response modes page script could use), or once
   * per API origin (`WARN_WWW_AUTHENTICATE_HIDDEN`: a 401 whose `WWW-Authenticate` CORS hides).
   * For such setup mistakes the page client ends the message with what to change ("To fix: …").
   */
  | {
      /** The kind of event: switch on it. */
      readonly type: 'warning';
      /** A stable `WARN_*` code. */
      readonly code: string;
      /** The advice, in words. */
      readonly message: string;
    };

/** An event as sent. */
export interface EventEnvelope {
  readonly tag: typeof MESSAGE_TAG;
  readonly v: number;
  readonly event: WorkerEvent;
}

/**
 * What a restarted worker asks one page to do for a silent sign-in (worker → one window, with a
 * `MessagePort`): `iframe` creates a hidden iframe on `url` (the provider's authorization
 * endpoint with `prompt=none`), `redirect` navigates the page itself there. The page answers
 * `{ tag, v, accepted: true }` on the port at once; for `iframe`, the worker later posts
 * `{ tag, v, remove: true }` on it (once it has the outcome, or gave up), and the page removes
 * the frame (after the worker's landing page has loaded in it). A page that does not answer
 * within a second (an older client, a page busy loading) is passed over for another. An
 * addition to protocol version 1, not a change: a page that ignores it only costs the worker its
 * wait, so {@link PROTOCOL_VERSION} stays.
 */
export interface SilentSignInRequest {
  readonly type: 'silentSignIn';
  readonly mode: 'iframe' | 'redirect';
  readonly url: string;
  /** How long the page keeps the frame at most, in milliseconds, if told nothing. */
  readonly timeout: number;
}

/** A {@link SilentSignInRequest} as sent. */
export interface CommandEnvelope {
  readonly tag: typeof MESSAGE_TAG;
  readonly v: number;
  readonly command: SilentSignInRequest;
}

/** Every request type, for run-time checks. */
export const REQUEST_TYPES: readonly RequestType[] = [
  'hello',
  'claim',
  'login',
  'callback',
  'logout',
  'getUser',
  'validateToken',
  'getAccessToken',
  'keepAlive',
];

/** True when `value` is one of the library's envelopes (any version). */
export function isTagged(value: unknown): value is { tag: typeof MESSAGE_TAG; v: unknown } {
  return (
    typeof value === 'object' && value !== null && (value as { tag?: unknown }).tag === MESSAGE_TAG
  );
}

/** The text fields of the library's errors that cross to the page. */
const TEXT_FIELDS = [
  'error',
  'errorDescription',
  'errorUri',
  'wwwAuthenticate',
  'url',
  'member',
  'parameter',
  'claim',
  'step',
] as const satisfies readonly (keyof SerializedError)[];

/**
 * Turns any thrown value into a {@link SerializedError}, keeping the library's code and fields.
 * Anything else (a bug, a browser failure) becomes `ERR_WORKER_INTERNAL` with its name and message.
 */
export function serializeError(error: unknown): SerializedError {
  if (typeof error !== 'object' || error === null) {
    return { name: 'Error', code: 'ERR_WORKER_INTERNAL', message: String(error) };
  }
  const e = error as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const serialized: Record<string, unknown> = {
    name: text(e.name) ?? 'Error',
    // Only the library's own errors carry a code from its list; other `code`s mean nothing here.
    code: error instanceof IdentityModelError ? error.code : 'ERR_WORKER_INTERNAL',
    message: text(e.message) ?? 'Unknown error',
    httpStatus: typeof e.httpStatus === 'number' ? e.httpStatus : undefined,
  };
  for (const key of TEXT_FIELDS) serialized[key] = text(e[key]);
  return serialized as unknown as SerializedError;
}
