/** `WWW-Authenticate` parsing (src/core/endpoint/challenge.ts), shared by core and the worker. */
import { describe, expect, it } from 'vitest';
import { challengeParameter, isChallenge } from '../../../src/core/endpoint/challenge.js';

describe('challengeParameter', () => {
  it('reads quoted and token values, unescaping quoted pairs', () => {
    const header = 'Bearer realm="a, b", error=invalid_token, error_description="say \\"hi\\""';
    expect(challengeParameter(header, 'realm')).toBe('a, b');
    expect(challengeParameter(header, 'error')).toBe('invalid_token');
    expect(challengeParameter(header, 'error_description')).toBe('say "hi"');
    expect(challengeParameter(header, 'scope')).toBeUndefined();
  });

  it('does not read a parameter whose name only ends like it', () => {
    expect(challengeParameter('Bearer xerror="no"', 'error')).toBeUndefined();
  });
});

describe('isChallenge', () => {
  it.each([
    ['Bearer error="invalid_token"', true],
    ['  bearer error=invalid_token', true],
    ['Bearer realm="api", error="invalid_token"', true],
    ['Bearer error="insufficient_scope"', false],
    ['Bearer realm="api"', false],
    ['BearerX error="invalid_token"', false],
    ['DPoP error="invalid_token"', false],
    [null, false],
  ])('%s is a Bearer invalid_token challenge: %s', (header, expected) => {
    expect(isChallenge(header, 'Bearer', 'invalid_token')).toBe(expected);
  });
});
