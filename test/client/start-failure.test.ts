/**
 * A worker that cannot start (src/client/start-failure.ts, issue 9): the browser's bare
 * registration refusal becomes `ERR_WORKER_UNAVAILABLE` naming the likely cause, through the
 * real client and workbox-window over a container whose `register` rejects as Chromium's does.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIdentityClient } from '../../src/client/client.js';
import { workerStartError } from '../../src/client/start-failure.js';
import { WorkerError } from '../../src/protocol/errors.js';
import { rejectionOf } from '../support/hostile-op.js';
import { FakeContainer, fakeServiceWorker, registrationOf } from './fake-container.js';

const CHROMIUM_EVALUATION =
  "Failed to register a ServiceWorker for scope ('https://app.test/') with script " +
  "('https://app.test/identity-model-web-sw.js'): ServiceWorker script evaluation failed";
const CHROMIUM_404 =
  "Failed to register a ServiceWorker for scope ('https://app.test/') with script " +
  "('https://app.test/sw.js'): A bad HTTP response code (404) was received when fetching the script.";
const FIREFOX_INSTALL =
  'ServiceWorker script at https://app.test/sw.js for scope https://app.test/ encountered an error during installation.';

describe('workerStartError', () => {
  it('a script that threw names the configuration script and keeps the browser error', () => {
    const browser = new TypeError(CHROMIUM_EVALUATION);
    const error = workerStartError('/identity-model-web-sw.js', browser);
    expect(error).toBeInstanceOf(WorkerError);
    expect(error.code).toBe('ERR_WORKER_UNAVAILABLE');
    expect(error.cause).toBe(browser);
    expect(error.message).toContain('ServiceWorker script evaluation failed');
    expect(error.message).toContain(
      'To fix: serve identity-model-web.config.js next to the stand-alone worker',
    );
    expect(error.message).toContain('self.identityModelWebConfig');
  });

  it("Firefox's words for the same failure name it too", () => {
    expect(workerStartError('/sw.js', new TypeError(FIREFOX_INSTALL)).message).toContain(
      'identity-model-web.config.js',
    );
  });

  it('a script that is not served names the path, not the configuration', () => {
    const message = workerStartError('/sw.js', new TypeError(CHROMIUM_404)).message;
    expect(message).toContain('To fix: serve the script at that URL, as JavaScript');
    expect(message).not.toContain('identity-model-web.config.js');
  });
});

describe('the client', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('ready() and login() reject with ERR_WORKER_UNAVAILABLE naming the configuration script', async () => {
    const container = new FakeContainer(registrationOf(fakeServiceWorker(() => {}).worker));
    container.controller = null;
    const registered: string[] = [];
    Object.assign(container, {
      register: async (url: string) => {
        registered.push(String(url));
        throw new TypeError(CHROMIUM_EVALUATION);
      },
      getRegistration: async () => undefined,
    });
    vi.stubGlobal('navigator', { serviceWorker: container });
    vi.stubGlobal('location', { href: 'https://app.test/', search: '' });
    vi.stubGlobal('document', { readyState: 'complete' });
    const identity = createIdentityClient({ serviceWorker: '/identity-model-web-sw.js' });
    for (const attempt of [() => identity.ready(), () => identity.login()]) {
      const error = (await rejectionOf(attempt())) as WorkerError;
      expect(error).toBeInstanceOf(WorkerError);
      expect(error.code).toBe('ERR_WORKER_UNAVAILABLE');
      expect(error.message).toContain('identity-model-web.config.js');
    }
    // A failed start is not remembered: login(), after ready() failed, tried again.
    expect(registered).toHaveLength(2);
  });
});
