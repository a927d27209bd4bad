/**
 * The destination rule (sw/destination.ts): fetch()/XHR (`''`) always get the token, markup
 * destinations only when the API's entry names them; entries naming anything else are refused.
 */
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/core/errors.js';
import { type ApiEntry, compileAllowlist } from '../../sw/allowlist.js';
import { allowsDestination } from '../../sw/destination.js';

describe('allowsDestination', () => {
  const [plain, images] = compileAllowlist([
    { url: 'https://api.example/v1/' },
    { url: 'https://api.example/media/', destinations: ['image', 'video'] },
  ]);

  it('fetch() and XHR (destination "") always', () => {
    expect(allowsDestination(plain!, '')).toBe(true);
    expect(allowsDestination(images!, '')).toBe(true);
  });

  it('no markup destination by default', () => {
    for (const destination of ['image', 'script', 'style', 'font', 'video', 'document'] as const) {
      expect(allowsDestination(plain!, destination), destination).toBe(false);
    }
  });

  it('exactly the destinations an entry opts in for', () => {
    expect(allowsDestination(images!, 'image')).toBe(true);
    expect(allowsDestination(images!, 'video')).toBe(true);
    expect(allowsDestination(images!, 'script')).toBe(false);
    expect(allowsDestination(images!, 'style')).toBe(false);
  });

  it('refuses destinations that are not a list of known names, quoting the entry', () => {
    for (const destinations of ['image', [''], ['img'], [1], {}]) {
      const entry = { url: 'https://api.example/', destinations } as unknown as ApiEntry;
      expect(() => compileAllowlist([entry]), JSON.stringify(destinations)).toThrow(
        new ConfigurationError(
          `"config.apis[0].destinations" must be an array of request destinations (e.g. ["image"]); fetch() and XHR ('') always get the token`,
        ),
      );
    }
  });
});
