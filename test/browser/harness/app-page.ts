/**
 * Helpers that drive the test app's page (app-server.ts): its `window.identity` client, the
 * events it received (`window.events`), raw protocol messages, and API calls through the worker.
 */
import type { Page } from '@playwright/test';
import type { IdentityClient } from '../../../src/client/client.js';
import type { ReplyEnvelope, WorkerEvent } from '../../../src/protocol/messages.js';

declare global {
  interface Window {
    /** The page's identity client (app-server.ts). */
    identity: IdentityClient;
    /** Every event the client delivered to the page, in order. */
    events: WorkerEvent[];
  }
}

/** The events `page` has received so far. */
export function events(page: Page): Promise<WorkerEvent[]> {
  return page.evaluate(() => window.events);
}

/** A fetch from the page (through the worker): status and body text. */
export function call(
  page: Page,
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; body: string }> {
  return page.evaluate(
    async ({ url, init }) => {
      const response = await fetch(url, init);
      return { status: response.status, body: await response.text() };
    },
    { url, init },
  );
}

/** What a raw request to the worker got: its reply, or nothing within `waitMs`. */
export type RawReply = { replied: true; reply: ReplyEnvelope } | { replied: false };

/**
 * Posts `message` to the page's controlling worker on a fresh MessageChannel, the way the client
 * does but with any content, and waits up to `waitMs` for the reply on the channel.
 */
export function sendRaw(page: Page, message: unknown, waitMs = 5000): Promise<RawReply> {
  return page.evaluate(
    ({ message, waitMs }) =>
      new Promise<RawReply>((resolve, reject) => {
        const worker = navigator.serviceWorker.controller;
        if (!worker) {
          reject(new Error('no controller'));
          return;
        }
        const channel = new MessageChannel();
        const timer = setTimeout(() => {
          channel.port1.close();
          resolve({ replied: false });
        }, waitMs);
        channel.port1.onmessage = (event) => {
          clearTimeout(timer);
          channel.port1.close();
          resolve({ replied: true, reply: event.data as ReplyEnvelope });
        };
        worker.postMessage(message, [channel.port2]);
      }),
    { message, waitMs },
  );
}
