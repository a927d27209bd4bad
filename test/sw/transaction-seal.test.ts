/**
 * Transactions the worker created, and only those (sw/transaction-seal.ts). The inner store is
 * the memory stand-in for IndexedDB; "a new life" is a new wrapper over the same storage and
 * key, as after the browser stopped the worker while the user was at the provider.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { sealTransactions } from '../../sw/transaction-seal.js';
import type { LoginTransaction } from '../../sw/transactions.js';
import { memoryTransactions } from './fake-worker.js';

const NOW = 1_800_000_000_000;
const transaction = (state: string, extra: Partial<LoginTransaction> = {}): LoginTransaction => ({
  state,
  nonce: `nonce-${state}`,
  codeVerifier: `verifier-${state}`,
  redirectUri: 'https://app.test/callback',
  returnTo: 'https://app.test/',
  maxAge: undefined,
  expiresAt: NOW + 600_000,
  ...extra,
});

let storage: ReturnType<typeof memoryTransactions>;
let key: CryptoKey;
/** A worker life: its memory is new, the storage and key are the ones kept in IndexedDB. */
const life = (signingKey = key) =>
  sealTransactions(
    storage,
    async () => signingKey,
    async () => [...storage.saved.keys()],
  );
const hmacKey = () =>
  crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);

beforeEach(async () => {
  storage = memoryTransactions();
  key = await hmacKey();
});

describe('sealTransactions', () => {
  it('returns its own transaction once, from memory, whatever the stored copy says', async () => {
    const worker = life();
    await worker.save(transaction('s1'));
    expect(storage.saved.get('s1')).toMatchObject({ state: 's1', seal: expect.any(String) });
    // Page script rewrites the stored copy (another verifier, another landing page).
    storage.saved.set('s1', transaction('s1', { codeVerifier: 'planted', returnTo: 'x' }));
    expect(await worker.take('s1', NOW)).toEqual(transaction('s1'));
    expect(await worker.take('s1', NOW)).toBeUndefined();
  });

  it('refuses a transaction planted while it runs, with or without a seal made with its key', async () => {
    const worker = life();
    await worker.save(transaction('mine'));
    storage.saved.set('planted', transaction('planted'));
    expect(await worker.take('planted', NOW)).toBeUndefined();
    // Sealed by page script with the worker's own key (it can use, not read, the CryptoKey).
    const sealer = life();
    await sealer.save(transaction('sealed'));
    expect(await worker.take('sealed', NOW)).toBeUndefined();
  });

  it('after a restart: accepts a sealed transaction stored before, refuses a changed or unsealed one', async () => {
    const first = life();
    await first.save(transaction('a'));
    await first.save(transaction('b'));
    await first.save(transaction('c'));
    const b = storage.saved.get('b') as LoginTransaction & { seal: string };
    storage.saved.set('b', { ...b, codeVerifier: 'planted' } as LoginTransaction);
    const { seal: _, ...unsealed } = storage.saved.get('c') as LoginTransaction & { seal: string };
    storage.saved.set('c', unsealed);

    const next = life();
    expect(await next.take('a', NOW)).toEqual(transaction('a'));
    expect(await next.take('b', NOW)).toBeUndefined();
    expect(await next.take('c', NOW)).toBeUndefined();
  });

  it('after a restart: refuses a transaction sealed with another key, or expired', async () => {
    await life(await hmacKey()).save(transaction('other-key'));
    await life().save(transaction('old', { expiresAt: NOW - 1 }));
    const next = life();
    expect(await next.take('other-key', NOW)).toBeUndefined();
    expect(await next.take('old', NOW)).toBeUndefined();
  });

  it('the window that remains: sealed with the worker key and stored while no worker ran', async () => {
    // Page script can use the stored CryptoKey while it runs; planted between two lives, its
    // transaction is part of what the next life finds stored, and is accepted
    // (docs/security.md).
    await life().save(transaction('planted-between-lives', { codeVerifier: 'attacker' }));
    const next = life();
    expect(await next.take('planted-between-lives', NOW)).toMatchObject({
      codeVerifier: 'attacker',
    });
  });
});
