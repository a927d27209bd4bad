/**
 * One request to the worker over a `MessageChannel`, with a timeout and a typed reply.
 *
 * @module
 */

import { type ErrorCode, IdentityModelError, type WorkerErrorCode } from '../core/errors.js';
import { WorkerError } from '../protocol/errors.js';
import {
  isTagged,
  MESSAGE_TAG,
  PROTOCOL_VERSION,
  type ReplyEnvelope,
  type RequestEnvelope,
  type RequestMap,
  type RequestType,
  type SerializedError,
} from '../protocol/messages.js';

const WORKER_CODES: ReadonlySet<string> = new Set([
  'ERR_PROTOCOL_VERSION',
  'ERR_WORKER_UNAVAILABLE',
  'ERR_WORKER_TIMEOUT',
  'ERR_INVALID_MESSAGE',
  'ERR_LOGIN_REQUIRED',
  'ERR_TOKEN_NOT_ALLOWED',
]);

/**
 * An error the worker reported, rebuilt on the page with its `code`, name and OAuth fields: a
 * `WorkerError` for the worker's own codes (so `instanceof WorkerError` holds), else an
 * `IdentityModelError`.
 */
export function deserializeError(serialized: SerializedError): IdentityModelError {
  const error = WORKER_CODES.has(serialized.code)
    ? new WorkerError(serialized.code as WorkerErrorCode, serialized.message)
    : new IdentityModelError(serialized.code as ErrorCode, serialized.message);
  error.name = serialized.name;
  const extra = error as unknown as Record<string, unknown>;
  for (const key of [
    'error',
    'errorDescription',
    'errorUri',
    'status',
    'claim',
    'parameter',
  ] as const) {
    if (serialized[key] !== undefined) extra[key] = serialized[key];
  }
  return error;
}

/**
 * Sends one request to `worker` and resolves with its typed reply. Rejects with
 * `ERR_WORKER_TIMEOUT` after `timeout` ms, `ERR_PROTOCOL_VERSION` when the worker speaks
 * another version, or the worker's own error.
 */
export function request<T extends RequestType>(
  worker: ServiceWorker,
  type: T,
  payload: RequestMap[T]['request'],
  timeout: number,
): Promise<RequestMap[T]['reply']> {
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => {
      channel.port1.close();
      reject(
        new WorkerError(
          'ERR_WORKER_TIMEOUT',
          `The service worker did not answer "${type}" within ${timeout} ms`,
        ),
      );
    }, timeout);
    channel.port1.onmessage = (event: MessageEvent<unknown>) => {
      clearTimeout(timer);
      channel.port1.close();
      const reply = event.data as ReplyEnvelope<T>;
      if (!isTagged(reply)) {
        reject(new WorkerError('ERR_INVALID_MESSAGE', 'The service worker sent an unknown reply'));
      } else if (reply.v !== PROTOCOL_VERSION) {
        reject(
          new WorkerError(
            'ERR_PROTOCOL_VERSION',
            `The service worker speaks protocol version ${String(reply.v)}; this page speaks ${PROTOCOL_VERSION}. Reload to update.`,
          ),
        );
      } else if (reply.ok) {
        resolve(reply.result);
      } else {
        reject(deserializeError(reply.error));
      }
    };
    const envelope: RequestEnvelope<T> = { tag: MESSAGE_TAG, v: PROTOCOL_VERSION, type, payload };
    worker.postMessage(envelope, [channel.port2]);
  });
}
