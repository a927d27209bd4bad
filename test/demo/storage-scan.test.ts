/**
 * The demo's secret finder (demo/storage-scan.js `findSecrets`), on storage text shaped as
 * `readPageStorage` writes it, with real JWTs made by jose.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { findSecrets } from '../../demo/storage-scan.js';

async function jwt(claims: Record<string, unknown>): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' }).sign(privateKey);
}

async function thumbprint(): Promise<string> {
  const { publicKey } = await generateKeyPair('ES256');
  return calculateJwkThumbprint(await exportJWK(publicKey));
}

describe('findSecrets', () => {
  it('reports a JWT as bound by its own cnf.jkt, and unbound without one', async () => {
    const jkt = await thumbprint();
    const bound = await jwt({ sub: 'alice', cnf: { jkt } });
    const bearer = await jwt({ sub: 'alice' });
    const found = findSecrets([
      { kind: 'localStorage', where: '', text: `a=${bound}\nb=${bearer}` },
    ]);
    expect(found).toEqual([
      {
        kind: 'localStorage',
        where: '',
        what: 'jwt',
        value: `${bound.slice(0, 24)}…`,
        boundTo: jkt,
        extractable: null,
      },
      {
        kind: 'localStorage',
        where: '',
        what: 'jwt',
        value: `${bearer.slice(0, 24)}…`,
        boundTo: null,
        extractable: null,
      },
    ]);
  });

  it('binds named secrets to the jkt of their own record only', async () => {
    const jkt = await thumbprint();
    const text = [
      `session => {v=1, jkt=${jkt}, idTokenClaims={sub=alice, nonce=n-0123456789}, refreshToken=rt-abcdefghijklmnopqrstuvwxyz}`,
      'login:1 => {state=s-1, nonce=n-other, codeVerifier=v-0123456789abcdef}',
      'key => [CryptoKey private extractable=false null]',
    ].join('\n');
    const found = findSecrets([{ kind: 'indexedDB', where: 'db / store', text }]);
    expect(found.map((f) => [f.what, f.boundTo, f.extractable])).toEqual([
      ['nonce', jkt, null],
      ['refreshToken', jkt, null],
      ['nonce', null, null],
      ['codeVerifier', null, null],
      ['privateKey', null, false],
    ]);
    expect(found[1]?.value).toBe('rt-abcdefghijklmnopqrstu…');
  });

  it('reports snake_case names, skips empty values, and a JWT under a token name once', async () => {
    const token = await jwt({ sub: 'alice' });
    const found = findSecrets([
      {
        kind: 'responses',
        where: '',
        text: `{access_token=${token}, refresh_token=undefined, id_token=null}`,
      },
      { kind: 'cookies', where: 'document.cookie', text: 'code_verifier=abc; theme=dark' },
      { kind: 'localStorage', where: '', text: 'auth={"refreshToken":"opaque-123","expires":1}' },
    ]);
    expect(found.map((f) => [f.kind, f.what, f.value, f.boundTo])).toEqual([
      ['responses', 'jwt', `${token.slice(0, 24)}…`, null],
      ['cookies', 'codeVerifier', 'abc', null],
      ['localStorage', 'refreshToken', 'opaque-123', null],
    ]);
  });

  it('finds nothing in text without secrets', () => {
    expect(
      findSecrets([
        {
          kind: 'sessionStorage',
          where: '',
          text: 'events=[{"text":"userchanged: authenticated (alice)"}]',
        },
      ]),
    ).toEqual([]);
  });
});
