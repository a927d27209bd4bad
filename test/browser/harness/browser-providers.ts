/**
 * The browser flow's provider adapters: each starts a world (a real provider, the demo API, the
 * test app with the stand-alone worker) and knows the provider's pages for sign-in and logout.
 * providers.spec.ts runs one flow against each; a third provider is one adapter more.
 */
import { expect, type Page } from '@playwright/test';
import { glewlwydSkipReason } from '../../support/glewlwyd/index.js';
import type { ApiServer } from './api-server.js';
import type { AppServer } from './app-server.js';
import { signIn } from './env.js';
import {
  confirmGlewlwydLogout,
  signInWithGlewlwyd,
  startGlewlwydEnv,
  stopGlewlwydEnv,
} from './glewlwyd.js';
import { startEnv, stopEnv } from './world.js';

/** A started world for the browser flow. */
export interface BrowserWorld {
  app: AppServer;
  api: ApiServer;
  /** The issuer's origin (where the end session goes). */
  issuerOrigin: string;
  /** The client id the worker uses. */
  clientId: string;
  /** The signed-in user's `name` claim. */
  userName: string;
  /** From the app page: `identity.login()` and the provider's pages, back on the app. */
  signIn(page: Page): Promise<void>;
  /** After `identity.logout()` sent the browser to the provider: confirm there. */
  confirmLogout(page: Page): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserProvider {
  name: string;
  /** Why the provider cannot run here (the tests skip with it). */
  skipReason: string | undefined;
  /** Starts a world whose API access tokens live `accessTokenTtl` seconds. */
  start(accessTokenTtl: number): Promise<BrowserWorld>;
}

export const oidcProviderBrowser: BrowserProvider = {
  name: 'oidc-provider',
  skipReason: undefined,
  async start(accessTokenTtl) {
    const env = await startEnv({ apiAccessTokenTTL: accessTokenTtl });
    return {
      app: env.app,
      api: env.api,
      issuerOrigin: new URL(env.op.issuer).origin,
      clientId: 'demo-spa',
      userName: 'alice',
      signIn: (page) => signIn(page, env, 'alice'),
      async confirmLogout(page) {
        await page.waitForURL((url) => url.origin === new URL(env.op.issuer).origin);
        await page.getByRole('button', { name: 'Yes, sign me out' }).click();
      },
      close: () => stopEnv(env),
    };
  },
};

export const glewlwydBrowser: BrowserProvider = {
  name: 'Glewlwyd',
  skipReason: glewlwydSkipReason(),
  async start(accessTokenTtl) {
    const env = await startGlewlwydEnv(accessTokenTtl);
    return {
      app: env.app,
      api: env.api,
      issuerOrigin: env.glewlwyd.origin,
      clientId: env.glewlwyd.clients.spa.clientId,
      userName: env.glewlwyd.user.name,
      signIn: (page) => signInWithGlewlwyd(page, env),
      async confirmLogout(page) {
        const params = await confirmGlewlwydLogout(page, env);
        expect(params.get('client_id')).toBe(env.glewlwyd.clients.spa.clientId);
      },
      close: () => stopGlewlwydEnv(env),
    };
  },
};
