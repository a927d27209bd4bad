import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../src/core/errors.js';
import {
  assertBoolean,
  assertFunction,
  assertNumber,
  assertObject,
  assertOneOf,
  assertOptionalNumber,
  assertOptionalString,
  assertSpaceList,
  assertString,
  assertStringArray,
  assertStringOrStrings,
  assertUrl,
  defined,
} from '../../../src/core/lib/assert.js';

function message(check: () => void): string {
  try {
    check();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    expect((e as ConfigurationError).code).toBe('ERR_CONFIGURATION');
    return (e as Error).message;
  }
  throw new Error('the check passed');
}

describe('argument checks', () => {
  it.each([
    ['a non-empty string', () => assertString('', 'config.audience')],
    ['a non-empty string', () => assertString(3, 'config.audience')],
    ['a non-empty string', () => assertOptionalString(null, 'config.audience')],
    ['a string', () => assertString(1, 'config.audience', { empty: true })],
    ['a boolean', () => assertBoolean('true', 'config.audience')],
    ['a finite number', () => assertNumber(Number.NaN, 'config.audience')],
    ['a finite number', () => assertNumber(Number.POSITIVE_INFINITY, 'config.audience')],
    ['an integer ≥ 0', () => assertNumber(1.5, 'config.audience', { integer: true, min: 0 })],
    ['a finite number from 1 to 5', () => assertNumber(6, 'config.audience', { min: 1, max: 5 })],
    ['a finite number', () => assertOptionalNumber('1', 'config.audience')],
    [
      'a finite number ≤ 300 (seconds)',
      () => assertNumber(301, 'config.audience', { max: 300, unit: 'seconds' }),
    ],
    ['an object', () => assertObject([], 'config.audience')],
    ['an object', () => assertObject(null, 'config.audience')],
    ['a function', () => assertFunction({}, 'config.audience')],
    ['a non-empty array of non-empty strings', () => assertStringArray([], 'config.audience')],
    [
      'a non-empty array of non-empty strings',
      () => assertStringArray(['a', ''], 'config.audience'),
    ],
    ['one of "a", "b"', () => assertOneOf('c', 'config.audience', ['a', 'b'])],
    ['an absolute URL', () => assertUrl('/relative', 'config.audience')],
    ['an absolute URL', () => assertUrl('', 'config.audience')],
    [
      'an absolute URL without a fragment',
      () => assertUrl('https://rp.example/cb#x', 'config.audience', { fragment: false }),
    ],
    ['a string or an array of strings', () => assertStringOrStrings(['a', 1], 'config.audience')],
    ['a string or an array of strings', () => assertStringOrStrings(null, 'config.audience')],
    [
      'a non-empty string or a non-empty array of strings without spaces',
      () => assertSpaceList('', 'config.audience'),
    ],
    [
      'a non-empty string or a non-empty array of strings without spaces',
      () => assertSpaceList([], 'config.audience'),
    ],
    [
      'a non-empty string or a non-empty array of strings without spaces',
      () => assertSpaceList(['openid', 'a b'], 'config.audience'),
    ],
  ])('refuses a value that is not %s, quoting the path', (expected, check) => {
    expect(message(check)).toBe(`"config.audience" must be ${expected}`);
  });

  it('accepts what it describes', () => {
    expect(() => {
      assertString('x', 'a');
      assertOptionalString(undefined, 'a');
      assertString('', 'a', { empty: true });
      assertBoolean(false, 'a');
      assertNumber(0, 'a', { integer: true, min: 0 });
      assertOptionalNumber(undefined, 'a');
      assertObject({}, 'a');
      assertFunction(() => {}, 'a');
      assertStringArray([], 'a', { nonEmpty: false });
      assertOneOf('b', 'a', ['a', 'b']);
      assertUrl('https://rp.example/cb#x', 'a');
      assertUrl('https://rp.example/cb', 'a', { fragment: false });
      assertStringOrStrings('', 'a');
      assertStringOrStrings([], 'a');
      assertSpaceList('openid profile', 'a');
      assertSpaceList(['openid', 'profile'], 'a');
    }).not.toThrow();
  });

  it('defined() drops undefined members and keeps falsy ones', () => {
    const copy = defined({ a: 1, b: undefined, c: 0, d: '', e: null, f: false });
    expect(copy).toStrictEqual({ a: 1, c: 0, d: '', e: null, f: false });
    expect('b' in copy).toBe(false);
  });
});
