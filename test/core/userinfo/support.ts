import type { RecordedRequest, TestServer } from '../../support/server.js';

/** One answer of a route. A string body is sent as is, anything else as JSON. */
export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait this long (ms) before answering. */
  delay?: number;
}

export interface Route {
  url: string;
  path: string;
  seen(): RecordedRequest[];
}

let routes = 0;

/** Registers `METHOD /resource-N` answering `answers` in turn (the last one repeats). */
export function route(server: TestServer, method: string, ...answers: Answer[]): Route {
  const path = `/resource-${++routes}`;
  let call = 0;
  server.route(method, path, async (_req, res) => {
    const answer = answers[Math.min(call++, answers.length - 1)] ?? {};
    if (answer.delay) await new Promise((resolve) => setTimeout(resolve, answer.delay));
    const text =
      answer.body === undefined
        ? ''
        : typeof answer.body === 'string'
          ? answer.body
          : JSON.stringify(answer.body);
    res
      .writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers })
      .end(text);
  });
  return {
    url: `${server.url}${path}`,
    path,
    seen: () => server.requests.filter((request) => request.path === path),
  };
}
