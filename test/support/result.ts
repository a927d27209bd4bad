/**
 * Narrowing helpers for response objects, shared by the device, token exchange, introspection
 * and revocation tests.
 */
import { expect } from 'vitest';
import { ConfigurationError } from '../../src/core/errors.js';
import type { EndpointFailure } from '../../src/core/token/index.js';

/** Narrows to the success half, or fails the test with the failure's own exception. */
export function expectSuccess<R extends { readonly isSuccessful: boolean }>(
  response: R,
): Extract<R, { readonly isSuccessful: true }> {
  if (!response.isSuccessful) throw (response as unknown as EndpointFailure).exception;
  return response as Extract<R, { readonly isSuccessful: true }>;
}

/** Narrows to the failure half, or fails the test. */
export function expectFailure(response: { readonly isSuccessful: boolean }): EndpointFailure {
  expect(response.isSuccessful).toBe(false);
  return response as EndpointFailure;
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
