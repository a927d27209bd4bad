/**
 * The error of the page ⇄ service worker protocol. It lives beside the messages, not in core:
 * core runs without a worker, and only the page client and the worker raise it.
 *
 * @module
 */

import {
  IdentityModelError,
  type IdentityModelErrorOptions,
  type WorkerErrorCode,
} from '../core/errors.js';

/**
 * The page ⇄ service worker channel failed, or the worker refused a request by its rules:
 * `ERR_PROTOCOL_VERSION` (page and worker of different versions), `ERR_WORKER_UNAVAILABLE` (no
 * service worker, or none controls the page), `ERR_WORKER_TIMEOUT` (no reply in time),
 * `ERR_INVALID_MESSAGE` (a malformed request), `ERR_LOGIN_REQUIRED` (no session, or it
 * expired), `ERR_TOKEN_NOT_ALLOWED` (the page asked for a token the worker configuration does
 * not let it have), `ERR_CALLBACK_WITHOUT_WORKER` (the host's callback guard answered the sign-in:
 * no worker was there; reported by the page client).
 */
export class WorkerError extends IdentityModelError {
  override name = 'WorkerError';
  declare readonly code: WorkerErrorCode;
  constructor(code: WorkerErrorCode, message: string, options?: IdentityModelErrorOptions) {
    super(code, message, options);
  }
}
