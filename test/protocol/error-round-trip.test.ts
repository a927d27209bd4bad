/**
 * An error raised in the worker crosses to the page as a SerializedError (structured clone) and
 * comes back as the class of its code's family, with its code, name, message and fields.
 */
import { describe, expect, it } from 'vitest';
import { deserializeError } from '../../src/client/channel.js';
import {
  ERROR_CODES,
  type ErrorCode,
  type ErrorCodeOf,
  type ErrorFamily,
} from '../../src/core/error-codes.js';
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
  TokenExpiredError,
  TokenValidationError,
} from '../../src/core/errors.js';
import { WorkerError } from '../../src/protocol/errors.js';
import { type SerializedError, serializeError } from '../../src/protocol/messages.js';

type Build = (code: ErrorCode) => IdentityModelError;

/** Per family: its class, and an error of `code` with every field the family carries. */
const FAMILIES: {
  [F in ErrorFamily]: { Class: abstract new (...args: never[]) => IdentityModelError; make: Build };
} = {
  ConfigurationError: {
    Class: ConfigurationError,
    make: () => new ConfigurationError('"options.leeway" must be a number'),
  },
  HttpError: {
    Class: HttpError,
    make: (code) =>
      new HttpError(code as ErrorCodeOf<'HttpError'>, 'bad answer', {
        url: 'https://op.example/token',
        httpStatus: 502,
      }),
  },
  DiscoveryError: {
    Class: DiscoveryError,
    make: (code) =>
      new DiscoveryError(code as ErrorCodeOf<'DiscoveryError'>, 'bad document', {
        member: 'jwks_uri',
      }),
  },
  JwksError: {
    Class: JwksError,
    make: (code) => new JwksError(code as ErrorCodeOf<'JwksError'>, 'bad keys'),
  },
  TokenValidationError: {
    Class: TokenValidationError,
    make: (code) =>
      new TokenValidationError(code as ErrorCodeOf<'TokenValidationError'>, 'bad token', {
        claim: 'aud',
      }),
  },
  ProtocolError: {
    Class: ProtocolError,
    make: () =>
      new ProtocolError('The server refused: invalid_grant', {
        error: 'invalid_grant',
        errorDescription: 'The refresh token has expired',
        errorUri: 'https://op.example/errors/invalid_grant',
        httpStatus: 400,
        wwwAuthenticate: 'Bearer error="invalid_token"',
      }),
  },
  AuthorizationResponseError: {
    Class: AuthorizationResponseError,
    make: (code) =>
      new AuthorizationResponseError(
        code as ErrorCodeOf<'AuthorizationResponseError'>,
        'bad callback',
        { parameter: 'iss' },
      ),
  },
  DpopError: {
    Class: DpopError,
    make: (code) =>
      new DpopError(code as ErrorCodeOf<'DpopError'>, 'bad proof', {
        claim: 'htu',
        httpStatus: 400,
      }),
  },
  ResponseAccessError: {
    Class: ResponseAccessError,
    make: () => new ResponseAccessError('Cannot read "accessToken" of a failed response'),
  },
  WorkerError: {
    Class: WorkerError,
    make: (code) => new WorkerError(code as ErrorCodeOf<'WorkerError'>, 'no session'),
  },
};

/** Across the boundary as postMessage carries it. */
const roundTrip = (error: unknown) => deserializeError(structuredClone(serializeError(error)));

/** The fields a family carries beyond code, name and message, as own enumerable properties. */
const FIELDS = ['url', 'httpStatus', 'member', 'claim', 'parameter', 'error', 'errorDescription'];
const fields = (error: object) =>
  Object.fromEntries(
    FIELDS.filter((key) => key in error).map((key) => [key, Reflect.get(error, key)]),
  );

describe('worker errors on the page', () => {
  it.each(Object.keys(ERROR_CODES) as ErrorCode[])(
    '%s keeps its family class and fields',
    (code) => {
      const { Class, make } = FAMILIES[ERROR_CODES[code]];
      const original = make(code);
      const rebuilt = roundTrip(original);
      expect(rebuilt).toBeInstanceOf(Class);
      expect(rebuilt.code).toBe(original.code);
      expect(rebuilt.name).toBe(original.name);
      expect(rebuilt.message).toBe(original.message);
      expect(fields(rebuilt)).toEqual(fields(original));
    },
  );

  it('a ProtocolError keeps every OAuth field', () => {
    const rebuilt = roundTrip(FAMILIES.ProtocolError.make('ERR_OAUTH_ERROR'));
    expect(rebuilt).toBeInstanceOf(ProtocolError);
    expect({ ...(rebuilt as ProtocolError) }).toMatchObject({
      code: 'ERR_OAUTH_ERROR',
      error: 'invalid_grant',
      errorDescription: 'The refresh token has expired',
      errorUri: 'https://op.example/errors/invalid_grant',
      httpStatus: 400,
      wwwAuthenticate: 'Bearer error="invalid_token"',
    });
  });

  it("a check's subclass comes back as its family with the subclass's name and claim", () => {
    const rebuilt = roundTrip(new TokenExpiredError('JWT expired'));
    expect(rebuilt).toBeInstanceOf(TokenValidationError);
    expect(rebuilt).toMatchObject({
      code: 'ERR_JWT_EXPIRED',
      name: 'TokenExpiredError',
      claim: 'exp',
    });
  });

  it.each([
    ['a TypeError', new TypeError('x is not a function'), 'TypeError', 'x is not a function'],
    [
      'an error with a foreign code',
      Object.assign(new Error('gone'), { code: 'ECONNRESET' }),
      'Error',
      'gone',
    ],
    ['a thrown string', 'boom', 'Error', 'boom'],
  ])('%s is ERR_WORKER_INTERNAL, a WorkerError', (_, thrown, name, message) => {
    const rebuilt = roundTrip(thrown);
    expect(rebuilt).toBeInstanceOf(WorkerError);
    expect(rebuilt).toMatchObject({ code: 'ERR_WORKER_INTERNAL', name, message });
  });

  it('a code this page does not know (another version) is ERR_WORKER_INTERNAL', () => {
    const serialized: SerializedError = { name: 'FutureError', code: 'ERR_FUTURE', message: 'new' };
    const rebuilt = deserializeError(serialized);
    expect(rebuilt).toBeInstanceOf(WorkerError);
    expect(rebuilt).toMatchObject({ code: 'ERR_WORKER_INTERNAL', name: 'FutureError' });
    expect(deserializeError({ ...serialized, code: 'toString' }).code).toBe('ERR_WORKER_INTERNAL');
  });
});
