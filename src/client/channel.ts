/**
 * One request to the worker over a `MessageChannel`, with a timeout and a typed reply.
 *
 * @module
 */

import { ERROR_CODES, type ErrorCode, type ErrorCodeOf, isErrorCode } from '../core/error-codes.js';
import {
  AuthorizationResponseError,
  ConfigurationError,
  DiscoveryError,
  DpopError,
  HttpError,
  type IdentityModelError,
  JwksError,
  ProtocolError,
  ResponseAccessError,
  TokenValidationError,
} from '../core/errors.js';
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
import { withSetupHint } from './setup-hints.js';

/**
 * An error the worker reported, rebuilt on the page as the class of its code's family (so
 * `instanceof ProtocolError`, `instanceof TokenValidationError`, … hold) with its `name` and the
 * family's fields. A code the list does not know (a worker of another version) becomes
 * `ERR_WORKER_INTERNAL`. Subclasses of a family (e.g. `TokenExpiredError`) come back as the family
 * class with the subclass's `name`: rebuilding each would put every class in the page bundle.
 */
export function deserializeError(serialized: SerializedError): IdentityModelError {
  const code: ErrorCode = isErrorCode(serialized.code) ? serialized.code : 'ERR_WORKER_INTERNAL';
  const { message } = serialized;
  // `code` is of the family named by the list: the casts below only restate that.
  let error: IdentityModelError;
  switch (ERROR_CODES[code]) {
    case 'ConfigurationError':
      error = new ConfigurationError(message);
      break;
    case 'HttpError':
      error = new HttpError(code as ErrorCodeOf<'HttpError'>, message, {
        url: serialized.url,
        httpStatus: serialized.httpStatus,
      });
      break;
    case 'DiscoveryError':
      error = new DiscoveryError(code as ErrorCodeOf<'DiscoveryError'>, message, {
        member: serialized.member,
      });
      break;
    case 'JwksError':
      error = new JwksError(code as ErrorCodeOf<'JwksError'>, message);
      break;
    case 'TokenValidationError':
      error = new TokenValidationError(code as ErrorCodeOf<'TokenValidationError'>, message, {
        claim: serialized.claim,
      });
      break;
    case 'ProtocolError':
      error = new ProtocolError(message, {
        error: serialized.error ?? 'server_error',
        errorDescription: serialized.errorDescription,
        errorUri: serialized.errorUri,
        httpStatus: serialized.httpStatus,
        wwwAuthenticate: serialized.wwwAuthenticate,
      });
      break;
    case 'AuthorizationResponseError':
      error = new AuthorizationResponseError(
        code as ErrorCodeOf<'AuthorizationResponseError'>,
        message,
        { parameter: serialized.parameter },
      );
      break;
    case 'DpopError':
      error = new DpopError(code as ErrorCodeOf<'DpopError'>, message, {
        claim: serialized.claim,
        httpStatus: serialized.httpStatus,
      });
      break;
    case 'ResponseAccessError':
      error = new ResponseAccessError(message);
      break;
    case 'WorkerError':
      error = new WorkerError(code as ErrorCodeOf<'WorkerError'>, message);
      break;
  }
  error.name = serialized.name;
  return error;
}

/**
 * Sends one request to `worker` and resolves with its typed reply. Rejects with
 * `ERR_WORKER_TIMEOUT` after `timeout` ms, `ERR_PROTOCOL_VERSION` when the worker speaks
 * another version, or the worker's own error (with the hint of what to change, for a setup
 * mistake: setup-hints.ts).
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
        reject(deserializeError(withSetupHint(reply.error)));
      }
    };
    const envelope: RequestEnvelope<T> = { tag: MESSAGE_TAG, v: PROTOCOL_VERSION, type, payload };
    worker.postMessage(envelope, [channel.port2]);
  });
}
