/**
 * The page's side of a service worker in Node: a `ServiceWorker` whose answers a test scripts
 * (replies travel over a real `MessageChannel`, as in a browser) and a
 * `navigator.serviceWorker` container that can deliver the worker's events to the page.
 */
import { MESSAGE_TAG, PROTOCOL_VERSION } from '../../src/protocol/messages.js';

/** A request as the fake worker received it. */
export interface Received {
  readonly data: { tag: string; v: number; type: string; payload: unknown };
  readonly port: MessagePort;
}

/** A `ServiceWorker` that hands each request to `answer` (which may never reply). */
export interface FakeServiceWorker {
  readonly worker: ServiceWorker;
  readonly received: Received[];
  answer: (request: Received) => void;
}

/** Replies to `request` with a success envelope of this protocol version. */
export function replyOk(request: Received, result: unknown): void {
  request.port.postMessage({ tag: MESSAGE_TAG, v: PROTOCOL_VERSION, ok: true, result });
}

export function fakeServiceWorker(
  answer: (request: Received) => void = () => {},
): FakeServiceWorker {
  const fake: FakeServiceWorker = {
    received: [],
    answer,
    worker: {
      postMessage(data: Received['data'], transfer: MessagePort[]) {
        const request = { data, port: transfer[0]! };
        fake.received.push(request);
        fake.answer(request);
      },
    } as unknown as ServiceWorker,
  };
  return fake;
}

/** `navigator.serviceWorker` with a controlling worker. */
export class FakeContainer extends EventTarget {
  controller: ServiceWorker | null;
  readonly ready: Promise<ServiceWorkerRegistration>;
  started = false;

  constructor(readonly registration: ServiceWorkerRegistration) {
    super();
    this.controller = registration.active;
    this.ready = Promise.resolve(registration);
  }

  startMessages(): void {
    this.started = true;
  }

  /** Delivers `data` as a message from the worker to this page. */
  deliver(data: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

/** A registration whose active worker is `worker`. */
export function registrationOf(worker: ServiceWorker): ServiceWorkerRegistration {
  return { active: worker } as unknown as ServiceWorkerRegistration;
}
