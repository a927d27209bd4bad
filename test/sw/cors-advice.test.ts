/**
 * The hidden-challenge warning (sw/cors-advice.ts, issue 9): a 401 of a CORS response without a
 * readable `WWW-Authenticate` is reported once per API origin, by code, with the origin; the page
 * client adds the missing CORS header to name (test/client/setup-hints.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { unreadableChallengeWarning } from '../../sw/cors-advice.js';

/** A response as the worker sees it (Node cannot make a `cors`-typed Response). */
const seen = (status: number, type: ResponseType, headers: Record<string, string> = {}) => ({
  status,
  type,
  headers: new Headers(headers),
});

describe('unreadableChallengeWarning', () => {
  it('a CORS 401 without a readable WWW-Authenticate: one warning naming the origin, then none for that origin', () => {
    const warning = unreadableChallengeWarning(seen(401, 'cors'), 'https://api-a.test/v1/me');
    expect(warning).toEqual({
      type: 'warning',
      code: 'WARN_WWW_AUTHENTICATE_HIDDEN',
      message:
        'https://api-a.test answered 401 with no WWW-Authenticate header readable through CORS.',
    });
    expect(unreadableChallengeWarning(seen(401, 'cors'), 'https://api-a.test/v1/other')).toBe(
      undefined,
    );
    // Another API origin is told apart.
    expect(unreadableChallengeWarning(seen(401, 'cors'), 'https://api-b.test/')).toBeDefined();
  });

  it('no warning when the header is readable, for a same-origin answer, or for another status', () => {
    const header = { 'www-authenticate': 'Bearer error="invalid_token"' };
    expect(unreadableChallengeWarning(seen(401, 'cors', header), 'https://c.test/')).toBe(
      undefined,
    );
    expect(unreadableChallengeWarning(seen(401, 'basic'), 'https://d.test/')).toBeUndefined();
    expect(unreadableChallengeWarning(seen(403, 'cors'), 'https://e.test/')).toBeUndefined();
    expect(unreadableChallengeWarning(seen(200, 'cors'), 'https://f.test/')).toBeUndefined();
    // None of those spent the origin's one warning.
    expect(unreadableChallengeWarning(seen(401, 'cors'), 'https://c.test/')).toBeDefined();
  });
});
