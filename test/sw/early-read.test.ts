/**
 * A restarted worker reads its persisted DPoP-bound session when its context is made (sw/context.ts
 * `readAtOnce`), not at its first event; a worker that is not the active one does not; and what
 * was read early never overrides a sign-in that came first.
 */
import { describe, expect, it } from 'vitest';
import { createMetadataCache } from '../../src/core/cache/metadata-cache.js';
import { createDpopHandle, generateDpopKeyPair } from '../../src/core/index.js';
import { resolveConfig } from '../../sw/config.js';
import { createContext } from '../../sw/context.js';
import type { DpopKeyStore } from '../../sw/dpop-key.js';
import type { Session } from '../../sw/session.js';
import type { SessionStore } from '../../sw/session-store.js';
import { memoryMarker, memoryTransactions } from './fake-worker.js';

const config = resolveConfig({
  issuer: 'https://op.test',
  clientId: 'spa',
  redirectUri: 'https://app.test/callback',
});

async function session(sub: string): Promise<Session> {
  return {
    idToken: undefined,
    idTokenClaims: { sub },
    refreshToken: `rt-${sub}`,
    accessTokens: new Map(),
    scope: 'openid',
    dpop: createDpopHandle(await generateDpopKeyPair('ES256')),
  };
}

/** A context over a session store holding `stored`, counting its reads. */
function start(stored: Session, readAtOnce: boolean) {
  const reads = { count: 0 };
  const sessions: SessionStore = {
    name: 'session',
    save: async () => {},
    load: async () => {
      reads.count++;
      return stored;
    },
    clear: async () => {},
  };
  const dpopKeys = { name: 'key', forget() {} } as unknown as DpopKeyStore;
  const context = createContext(
    config,
    { matchAll: async () => [] },
    config.now,
    {
      cache: createMetadataCache({ now: config.now }),
      transactions: memoryTransactions(),
      marker: memoryMarker(),
      dpopKeys,
      sessions,
    },
    readAtOnce,
  );
  return { context, reads };
}

describe('the persisted session after a restart', () => {
  it('is read when the context is made, once, and resumed at the first event', async () => {
    const stored = await session('alice');
    const { context, reads } = start(stored, true);
    expect(reads.count).toBe(1);
    expect(await context.userState()).toMatchObject({
      state: 'authenticated',
      user: { sub: 'alice' },
    });
    expect(context.session).toBe(stored);
    expect(reads.count).toBe(1);
  });

  it('is read at the first event only, in a worker that is not the active one', async () => {
    const { context, reads } = start(await session('alice'), false);
    expect(reads.count).toBe(0);
    expect(await context.userState()).toMatchObject({ state: 'authenticated' });
    expect(reads.count).toBe(1);
  });

  it('never replaces a session started before the early read was used', async () => {
    const { context } = start(await session('alice'), true);
    const bob = await session('bob');
    // The first event starts resuming; a callback's sign-in lands while it waits for the read.
    const resuming = context.userState();
    await context.startSession(bob);
    await resuming;
    expect(await context.userState()).toMatchObject({
      state: 'authenticated',
      user: { sub: 'bob' },
    });
    expect(context.session).toBe(bob);
  });
});
