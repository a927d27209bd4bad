/**
 * Token-endpoint routes on the local test server: each call registers a fresh path that answers
 * the given responses in turn (the last one repeats), and the requests it received are read back
 * parsed (form body, headers).
 */
import { expect } from 'vitest';
import type { SleepFn } from '../../../src/core/http/defaults.js';
import type { RecordedRequest, TestServer } from '../../support/server.js';

/** One answer of a token route. A string body is sent as is, anything else as JSON. */
export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A typical successful token response body. */
export const TOKEN_BODY = Object.freeze({
  access_token: 'at-123',
  token_type: 'Bearer',
  expires_in: 300,
  scope: 'api:read',
});

/** A request received by a token route, with its form parsed. */
export interface TokenRequestSeen extends RecordedRequest {
  form: URLSearchParams;
}

export interface TokenRoute {
  /** Absolute URL of the route. */
  url: string;
  path: string;
  /** The requests received so far. */
  seen(): TokenRequestSeen[];
}

let routes = 0;

/** Registers `POST /token-N` answering `answers` in turn (default: one {@link TOKEN_BODY}). */
export function tokenRoute(server: TestServer, ...answers: Answer[]): TokenRoute {
  const path = `/token-${++routes}`;
  const list = answers.length > 0 ? answers : [{ body: TOKEN_BODY }];
  let call = 0;
  server.route('POST', path, (_req, res) => {
    const answer = list[Math.min(call++, list.length - 1)]!;
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
    res
      .writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers })
      .end(text);
  });
  return {
    url: `${server.url}${path}`,
    path,
    seen: () =>
      server.requests
        .filter((request) => request.path === path)
        .map((request) => ({ ...request, form: new URLSearchParams(request.body) })),
  };
}

/** The only request a route received (fails unless there was exactly one). */
export function onlyRequest(route: TokenRoute): TokenRequestSeen {
  const seen = route.seen();
  expect(seen).toHaveLength(1);
  return seen[0]!;
}

/** A `sleep` that records the delays asked for and returns at once. */
export function sleepRecorder(): { delays: number[]; sleep: SleepFn } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms) => {
      delays.push(ms);
    },
  };
}

/** The shared result assertions (test/support/result.ts), by the names these tests use. */
export { expectFailure as failure, expectSuccess as success } from '../../support/result.js';

/**
 * Decodes one half of a Basic credential the way RFC 6749 §2.3.1 asks the server to:
 * application/x-www-form-urlencoded (`+` is a space, then percent-decoding as UTF-8).
 */
export function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** Splits `Authorization: Basic …` into its raw (still form-encoded) user and password. */
export function basicCredentials(header: string | undefined): { user: string; password: string } {
  expect(header).toMatch(/^Basic [A-Za-z0-9+/]+=*$/);
  const decoded = Buffer.from(header!.slice('Basic '.length), 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  expect(colon).toBeGreaterThan(-1);
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
