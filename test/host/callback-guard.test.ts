/**
 * The host's callback guard on a real node:http server: every method on the redirect path gets
 * the 303 with an explicit fragment and the two headers; other paths go on to the app.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallbackGuard } from '../../src/host/callback-guard.js';

let server: Server;
let origin: string;
const passed: string[] = [];

beforeAll(async () => {
  const guard = createCallbackGuard({ redirectPath: '/auth/callback', landing: '/app/' });
  server = createServer((req, res) => {
    // Connect/Express style: `next` runs when the guard does not answer.
    guard(req, res, () => {
      passed.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>the app');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createCallbackGuard', () => {
  it.each([
    ['GET', '/auth/callback?code=c&state=s&iss=x', undefined],
    ['GET', '/auth/callback', undefined],
    ['POST', '/auth/callback', 'code=c&state=s'],
    ['HEAD', '/auth/callback?code=c', undefined],
  ])(
    '%s %s: 303 to the landing with an explicit fragment, no-store, no-referrer',
    async (method, path, body) => {
      const response = await fetch(`${origin}${path}`, {
        method,
        redirect: 'manual',
        ...(body === undefined
          ? {}
          : { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(
        '/app/?login_error=ERR_CALLBACK_WITHOUT_WORKER#',
      );
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(await response.text()).toBe('');
    },
  );

  it('leaves every other path to the app (next is called, false returned)', async () => {
    passed.length = 0;
    for (const path of ['/', '/auth/callback/x', '/auth/callbackx?code=c', '/auth']) {
      const response = await fetch(`${origin}${path}`, { redirect: 'manual' });
      expect(response.status, path).toBe(200);
    }
    expect(passed).toEqual(['/', '/auth/callback/x', '/auth/callbackx?code=c', '/auth']);
    const guard = createCallbackGuard();
    const response = { writeHead: () => response, end: () => response };
    expect(guard({ url: '/other' }, response)).toBe(false);
    expect(guard({ url: '/callback?code=x' }, response)).toBe(true);
  });

  it('refuses paths that are not a same-origin path without query or fragment', () => {
    for (const redirectPath of [
      'callback',
      '//evil.example/callback',
      '/callback?x',
      'https://a/',
    ]) {
      expect(() => createCallbackGuard({ redirectPath }), redirectPath).toThrow(TypeError);
    }
    expect(() => createCallbackGuard({ landing: '//evil.example/' })).toThrow(TypeError);
    expect(() => createCallbackGuard({ landing: '/#x' })).toThrow(TypeError);
  });
});
