/** The response-mode warning (sw/config-advice.ts), from parsed discovery documents. */
import { describe, expect, it } from 'vitest';
import type { DiscoveryDocument } from '../../src/core/discovery/document.js';
import { responseModeWarning } from '../../sw/config-advice.js';

/** The members the check reads; the rest of a document does not matter to it. */
const disco = (modes?: string[]) =>
  ({
    issuer: 'https://op.test',
    ...(modes ? { responseModesSupported: modes } : {}),
  }) as unknown as DiscoveryDocument;

describe('responseModeWarning', () => {
  it('warns about web_message and fragment, naming the redirect URI to keep', () => {
    const warning = responseModeWarning(
      disco(['query', 'fragment', 'form_post', 'web_message']),
      'https://app.test/callback',
    );
    expect(warning).toMatchObject({ type: 'warning', code: 'WARN_RESPONSE_MODES' });
    expect(warning?.message).toContain('web_message and fragment');
    // The facts: what to change is the page client's hint (test/client/setup-hints.test.ts).
    expect(warning?.message).toContain('a code for https://app.test/callback that the worker');
    expect(responseModeWarning(disco(['query', 'fragment']), 'x')?.message).toContain(
      'response_mode fragment:',
    );
  });

  it('is quiet when the provider offers neither (or says nothing)', () => {
    expect(responseModeWarning(disco(['query', 'form_post']), 'x')).toBeUndefined();
    expect(responseModeWarning(disco(), 'x')).toBeUndefined();
  });
});
