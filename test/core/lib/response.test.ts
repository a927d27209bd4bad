import { describe, expect, it } from 'vitest';
import { HttpError, ProtocolError } from '../../../src/core/errors.js';
import { failedResponse } from '../../../src/core/lib/response.js';

describe('failedResponse', () => {
  it('error, errorDescription and errorUri are the server’s; errorMessage is the message', () => {
    const exception = new ProtocolError('the token endpoint said invalid_grant', {
      error: 'invalid_grant',
      errorDescription: 'expired',
      errorUri: 'https://op.example/e',
      httpStatus: 400,
    });
    expect(failedResponse(exception, [])).toEqual({
      isSuccessful: false,
      error: 'invalid_grant',
      errorDescription: 'expired',
      errorUri: 'https://op.example/e',
      errorMessage: 'the token endpoint said invalid_grant',
      errorType: 'protocol',
      errorCode: 'ERR_OAUTH_ERROR',
      httpStatus: 400,
      exception,
    });
  });

  it('has no error when the server sent none', () => {
    const exception = new HttpError('ERR_HTTP_STATUS', 'answered HTTP 502', { httpStatus: 502 });
    expect(failedResponse(exception, [])).toEqual({
      isSuccessful: false,
      error: undefined,
      errorDescription: undefined,
      errorUri: undefined,
      errorMessage: 'answered HTTP 502',
      errorType: 'http',
      errorCode: 'ERR_HTTP_STATUS',
      httpStatus: 502,
      exception,
    });
  });
});
