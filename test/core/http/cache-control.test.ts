import { describe, expect, it } from 'vitest';
import { maxAgeSeconds } from '../../../src/core/http/cache-control.js';

const of = (value?: string) =>
  maxAgeSeconds(new Headers(value === undefined ? {} : { 'cache-control': value }));

describe('maxAgeSeconds', () => {
  it('reads max-age among other directives, in any case, quoted or not', () => {
    expect(of('max-age=3600')).toBe(3600);
    expect(of('public, MAX-AGE=60, must-revalidate')).toBe(60);
    expect(of('max-age="120"')).toBe(120);
    expect(of(' max-age = 30 ')).toBe(30);
  });

  it('gives 0 for no-store and no-cache, wherever they appear', () => {
    expect(of('no-store')).toBe(0);
    expect(of('max-age=600, no-cache')).toBe(0);
    expect(of('No-Store, max-age=600')).toBe(0);
  });

  it('says nothing when there is no usable max-age', () => {
    expect(of()).toBeUndefined();
    expect(of('public')).toBeUndefined();
    expect(of('s-maxage=60')).toBeUndefined();
    expect(of('max-age=-1')).toBeUndefined();
    expect(of('max-age=1.5')).toBeUndefined();
    expect(of('max-age=abc')).toBeUndefined();
    expect(of('max-age')).toBeUndefined();
  });
});
