/**
 * Assertions on the library's response objects (`{ isSuccessful: true, … } | FailedResponse`),
 * for every test that reads one: each narrows the type, so a test reads the half it expects.
 */
import { expect } from 'vitest';
import { ConfigurationError, type ErrorCode } from '../../src/core/errors.js';
import type { ResponseErrorType } from '../../src/core/lib/response.js';

/** What every response object has. */
type Result = { readonly isSuccessful: boolean };
type Success<R> = Extract<R, { readonly isSuccessful: true }>;
type Failure<R> = Extract<R, { readonly isSuccessful: false }>;

/** Narrows to the success half, or fails the test with the failure's own exception. */
export function expectSuccess<R extends Result>(response: R): Success<R> {
  if (!response.isSuccessful) {
    const { exception, errorCode, error } = response as unknown as {
      exception?: unknown;
      errorCode?: unknown;
      error?: unknown;
    };
    // The exception carries the cause and the stack of what went wrong.
    if (exception instanceof Error) throw exception;
    throw new Error(`expected success, got ${String(errorCode)}: ${String(error)}`);
  }
  return response as Success<R>;
}

/** What {@link expectFailure} checks besides `isSuccessful: false` (each when given). */
export interface ExpectedFailure {
  /** `errorType` of the response. */
  readonly errorType?: ResponseErrorType;
  /** `httpStatus` of the response (`undefined` included: then it must have none). */
  readonly httpStatus?: number | undefined;
  /** The error code: both `errorCode` and `exception.code`. */
  readonly code?: ErrorCode;
}

/** Narrows to the failure half after checking the `expected` members, or fails the test. */
export function expectFailure<R extends Result>(
  response: R,
  expected: ExpectedFailure = {},
): Failure<R> {
  expect(response.isSuccessful, 'expected a failed response').toBe(false);
  const failure = response as unknown as {
    errorType: unknown;
    httpStatus: unknown;
    errorCode: unknown;
    exception: { code?: unknown; message?: unknown };
  };
  const why = String(failure.exception?.message);
  if (expected.code !== undefined) {
    expect(failure.errorCode, why).toBe(expected.code);
    expect(failure.exception.code, why).toBe(expected.code);
  }
  if (expected.errorType !== undefined) expect(failure.errorType, why).toBe(expected.errorType);
  if ('httpStatus' in expected) expect(failure.httpStatus, why).toBe(expected.httpStatus);
  return response as Failure<R>;
}

/** Awaits a call that must throw a ConfigurationError (before any request), and returns it. */
export async function expectConfigurationError(
  call: () => Promise<unknown>,
  message?: RegExp,
): Promise<ConfigurationError> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigurationError);
  expect((error as ConfigurationError).code).toBe('ERR_CONFIGURATION');
  if (message) expect((error as ConfigurationError).message).toMatch(message);
  return error as ConfigurationError;
}
