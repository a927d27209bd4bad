/**
 * What to change, added on the page (src/client/setup-hints.ts, issue 9 "Setup mistakes reach
 * the page with a fix"): the worker reports a refused sign-in request by code, OAuth `error` and
 * `step` (test/sw/setup-hints.test.ts), and a hidden `WWW-Authenticate` by a warning code; the
 * page client ends the message with "To fix: …" in the `login()` rejection and in the `error`
 * and `warning` events, through the real client over a fake `navigator.serviceWorker`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIdentityClient } from '../../src/client/client.js';
import { hintedEvent, setupHint, withSetupHint } from '../../src/client/setup-hints.js';
import { ProtocolError } from '../../src/core/errors.js';
import {
  MESSAGE_TAG,
  PROTOCOL_VERSION,
  type SerializedError,
  type WorkerEvent,
} from '../../src/protocol/messages.js';
import { rejectionOf } from '../support/hostile-op.js';
import {
  FakeContainer,
  type FakeServiceWorker,
  fakeServiceWorker,
  registrationOf,
  replyOk,
} from './fake-container.js';

/** A refused sign-in request as the worker serializes it. */
const refused = (error: string, step: SerializedError['step'] = 'par'): SerializedError => ({
  name: 'ProtocolError',
  code: 'ERR_OAUTH_ERROR',
  message: `The authorization server answered with error "${error}".`,
  error,
  step,
});

describe('setupHint', () => {
  it.each([
    ['invalid_target', ['`resource`', '`apis`', 'RFC 8707']],
    ['invalid_client', ['`clientId`', 'public client', 'no secret']],
    ['unauthorized_client', ['code flow', 'refresh tokens']],
    ['unsupported_response_type', ['code flow']],
    ['invalid_scope', ['`scope`']],
    ['invalid_request', ['`redirectUri`', 'PKCE S256']],
  ])('%s of a sign-in request names what to change', (error, parts) => {
    for (const step of ['par', 'authorize', 'token'] as const) {
      const hint = setupHint(refused(error, step));
      for (const part of parts) expect(hint).toContain(part);
    }
  });

  it('a sign-in request with no answer names CORS at the PAR and token endpoints', () => {
    const hint = setupHint({ code: 'ERR_NETWORK', step: 'token' });
    expect(hint).toContain('CORS');
    expect(hint).toContain('token endpoint');
  });

  it('the hidden-challenge warning names the header to expose', () => {
    expect(setupHint({ code: 'WARN_WWW_AUTHENTICATE_HIDDEN' })).toContain(
      'Access-Control-Expose-Headers: WWW-Authenticate',
    );
  });

  it('none for the same codes outside a sign-in request, other refusals, or inherited names', () => {
    // e.g. an invalid_client or a network failure of a refresh or a revocation: another story.
    expect(setupHint({ ...refused('invalid_client'), step: undefined })).toBeUndefined();
    expect(setupHint({ code: 'ERR_NETWORK' })).toBeUndefined();
    expect(setupHint(refused('access_denied', 'authorize'))).toBeUndefined();
    expect(setupHint(refused('login_required', 'authorize'))).toBeUndefined();
    expect(setupHint(refused('toString'))).toBeUndefined();
    expect(setupHint({ code: 'ERR_OAUTH_ERROR', step: 'par' })).toBeUndefined();
    expect(setupHint({ code: 'WARN_SOMETHING_ELSE' })).toBeUndefined();
    expect(setupHint({ code: 'ERR_STATE_MISMATCH', step: 'authorize' })).toBeUndefined();
  });
});

describe('withSetupHint and hintedEvent', () => {
  it('end the message with the hint, keeping every other field', () => {
    const error = { ...refused('invalid_client', 'token'), httpStatus: 401 };
    const hinted = withSetupHint(error);
    expect(hinted).toEqual({
      ...error,
      message:
        'The authorization server answered with error "invalid_client". To fix: ' +
        `${setupHint(error)}.`,
    });
    expect(hintedEvent({ type: 'error', error })).toEqual({ type: 'error', error: hinted });
    const warning: WorkerEvent = {
      type: 'warning',
      code: 'WARN_WWW_AUTHENTICATE_HIDDEN',
      message:
        'https://api.test answered 401 with no WWW-Authenticate header readable through CORS.',
    };
    expect(hintedEvent(warning)).toEqual({
      ...warning,
      message: expect.stringMatching(
        /^https:\/\/api\.test answered 401 .* CORS\. To fix: .*Access-Control-Expose-Headers: WWW-Authenticate.*\.$/,
      ),
    });
    const modes: WorkerEvent = {
      type: 'warning',
      code: 'WARN_RESPONSE_MODES',
      message:
        'The provider supports response_mode fragment: page script can use them to get a code ' +
        'for https://app.test/callback that the worker never sees.',
    };
    expect(hintedEvent(modes)).toEqual({
      ...modes,
      message: expect.stringMatching(
        /^The provider .* https:\/\/app\.test\/callback that the worker never sees\. To fix: restrict the client to response_mode=query at the provider .* register exactly one redirect URI, the one named\.$/,
      ),
    });
  });

  it('leave what has no hint as it is', () => {
    const denied = refused('access_denied', 'authorize');
    expect(withSetupHint(denied)).toBe(denied);
    const expired: WorkerEvent = { type: 'sessionexpired', state: 'expired', user: null };
    expect(hintedEvent(expired)).toBe(expired);
    const other: WorkerEvent = { type: 'warning', code: 'WARN_SOMETHING_ELSE', message: 'm' };
    expect(hintedEvent(other)).toBe(other);
  });
});

describe('through the page client', () => {
  let fake: FakeServiceWorker;
  let container: FakeContainer;
  beforeEach(() => {
    fake = fakeServiceWorker((received) => {
      if (received.data.type === 'hello') {
        replyOk(received, {
          protocolVersion: PROTOCOL_VERSION,
          state: 'unauthenticated',
          user: null,
        });
      } else {
        received.port.postMessage({
          tag: MESSAGE_TAG,
          v: PROTOCOL_VERSION,
          ok: false,
          error: {
            ...refused('invalid_target'),
            errorDescription: 'resource indicator is unknown',
          },
        });
      }
    });
    container = new FakeContainer(registrationOf(fake.worker));
    vi.stubGlobal('navigator', { serviceWorker: container });
    vi.stubGlobal('location', { href: 'https://app.test/' });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('login() rejects with the ProtocolError whose message ends with the hint', async () => {
    const navigated: string[] = [];
    const identity = createIdentityClient({
      serviceWorker: container.registration,
      navigate: (url) => navigated.push(url),
    });
    const error = await rejectionOf(identity.login());
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({
      code: 'ERR_OAUTH_ERROR',
      error: 'invalid_target',
      errorDescription: 'resource indicator is unknown',
    });
    expect((error as ProtocolError).message).toBe(
      `The authorization server answered with error "invalid_target". To fix: ${setupHint(refused('invalid_target'))}.`,
    );
    expect(navigated).toEqual([]);
  });

  it('listeners get the error and warning events with the hint in their message', () => {
    const identity = createIdentityClient({ serviceWorker: container.registration });
    const seen: WorkerEvent[] = [];
    identity.subscribe((event) => seen.push(event));
    const deliver = (event: WorkerEvent) =>
      container.deliver({ tag: MESSAGE_TAG, v: PROTOCOL_VERSION, event });
    deliver({ type: 'error', error: refused('unauthorized_client', 'authorize') });
    deliver({ type: 'warning', code: 'WARN_WWW_AUTHENTICATE_HIDDEN', message: 'x answered 401.' });
    expect(seen).toEqual([
      {
        type: 'error',
        error: expect.objectContaining({
          error: 'unauthorized_client',
          message: expect.stringContaining('". To fix: allow the client the code flow'),
        }),
      },
      {
        type: 'warning',
        code: 'WARN_WWW_AUTHENTICATE_HIDDEN',
        message: expect.stringContaining(
          'x answered 401. To fix: send it, with Access-Control-Expose-Headers: WWW-Authenticate',
        ),
      },
    ]);
  });
});
