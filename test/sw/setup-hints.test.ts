/**
 * Setup mistakes as the worker reports them (issue 9 "Setup mistakes reach the page with a fix"):
 * a sign-in request the provider refuses, or that gets no answer, rejects with the error marked
 * with the request that failed (`step`: `par`, `authorize`, `token`) and every page gets the
 * same `error` event; the page client (src/client/setup-hints.ts, tested in
 * test/client/setup-hints.test.ts) turns the step and the code into the hint, so the worker
 * carries no hint text. A real local provider (discovery plus a PAR endpoint answering the
 * refusal); the real worker context and sign-in code.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpError, ProtocolError } from '../../src/core/errors.js';
import { serializeError } from '../../src/protocol/messages.js';
import { completeLogin, prepareLogin, startLogin } from '../../sw/login.js';
import { type FakeOp, fakeWorker, startFakeOp } from './fake-worker.js';

/** What `promise` rejected with (it must reject). */
async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('it resolved'),
    (error: unknown) => error,
  );
}

describe('a refused sign-in request is reported with the request that failed', () => {
  let op: FakeOp;
  beforeEach(async () => {
    op = await startFakeOp();
  });
  afterEach(() => op.close());

  it('PAR answering invalid_target: login rejects marked `par`, and an error event carries it', async () => {
    op.op.setDiscovery({ pushed_authorization_request_endpoint: `${op.issuer}/par` });
    const pushed: URLSearchParams[] = [];
    op.op.server.route('POST', '/par', (_req, res, body) => {
      pushed.push(new URLSearchParams(body));
      res.writeHead(400, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          error: 'invalid_target',
          error_description: 'resource indicator is missing, or unknown',
        }),
      );
    });
    const worker = fakeWorker(op);
    const error = await refusal(startLogin(worker.context, {}));
    expect(pushed.map((form) => form.getAll('resource'))).toEqual([['urn:other']]);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ error: 'invalid_target', step: 'par' });
    // The worker says what happened; what to change is the page's (no hint text here).
    expect((error as ProtocolError).message).not.toContain('To fix');
    expect(worker.events).toEqual([
      {
        type: 'error',
        error: expect.objectContaining({
          code: 'ERR_OAUTH_ERROR',
          error: 'invalid_target',
          errorDescription: 'resource indicator is missing, or unknown',
          step: 'par',
          message: (error as ProtocolError).message,
        }),
      },
    ]);
    expect(worker.transactions.saved.size).toBe(0);
  });

  it('a PAR endpoint that does not answer (CORS, down): ERR_NETWORK marked `par`, and the event', async () => {
    // The connection is dropped without an answer, as the browser reports a CORS refusal.
    op.op.setDiscovery({ pushed_authorization_request_endpoint: `${op.issuer}/par` });
    op.op.server.route('POST', '/par', (req) => {
      req.socket.destroy();
    });
    const worker = fakeWorker(op, { par: true });
    const error = await refusal(startLogin(worker.context, {}));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ code: 'ERR_NETWORK', step: 'par' });
    expect(worker.events).toEqual([
      { type: 'error', error: expect.objectContaining({ code: 'ERR_NETWORK', step: 'par' }) },
    ]);
  });

  it('a refusal that is not of a provider request (a bad option) is not broadcast', async () => {
    const worker = fakeWorker(op);
    const error = await refusal(startLogin(worker.context, { maxAge: -1 }));
    expect(error).toMatchObject({ code: 'ERR_INVALID_MESSAGE' });
    expect(serializeError(error).step).toBeUndefined();
    expect(worker.events).toEqual([]);
  });

  it('an authorization endpoint refusal at the callback (?error=invalid_request) is marked `authorize`', async () => {
    const worker = fakeWorker(op, { par: false });
    const { state } = await prepareLogin(worker.context, {});
    const callback = new URL('https://app.test/callback');
    callback.searchParams.set('error', 'invalid_request');
    callback.searchParams.set(
      'error_description',
      "redirect_uri did not match any of the client's registered redirect_uris",
    );
    callback.searchParams.set('state', state);
    const error = await refusal(completeLogin(worker.context, callback.href));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(serializeError(error)).toMatchObject({
      code: 'ERR_OAUTH_ERROR',
      error: 'invalid_request',
      errorDescription: "redirect_uri did not match any of the client's registered redirect_uris",
      step: 'authorize',
    });
    // No token request: the refusal ends the sign-in.
    expect(op.tokenRequests).toHaveLength(0);
  });

  it('a code exchange the token endpoint refuses (invalid_client) is marked `token`', async () => {
    op.answer = () => ({ status: 401, body: { error: 'invalid_client' } });
    const worker = fakeWorker(op, { par: false });
    const { state } = await prepareLogin(worker.context, {});
    const callback = `https://app.test/callback?code=c&state=${state}`;
    const error = await refusal(completeLogin(worker.context, callback));
    expect(op.tokenRequests).toHaveLength(1);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(serializeError(error)).toMatchObject({
      code: 'ERR_OAUTH_ERROR',
      error: 'invalid_client',
      httpStatus: 401,
      step: 'token',
    });
  });
});
