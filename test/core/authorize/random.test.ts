/** The single-use `state` and `nonce` of an authorization request. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNonce, createState } from '../../../src/core/authorize/index.js';

const DRAWS = 2000;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('state and nonce', () => {
  it.each([
    ['createState', createState],
    ['createNonce', createNonce],
  ])('%s gives 43 base64url characters, unique over many draws', (_, create) => {
    const values = Array.from({ length: DRAWS }, () => create());
    expect(new Set(values).size).toBe(DRAWS);
    for (const value of values) expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('state and nonce come from crypto.getRandomValues, 32 bytes each', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    createState();
    createNonce();
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [array] of spy.mock.calls) expect((array as Uint8Array).byteLength).toBe(32);
  });
});
