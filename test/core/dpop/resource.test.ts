/**
 * `sendWithDpop` (the worker's API calls with a DPoP-bound token) against a local server that
 * validates each proof with `validateDpopRequest`: the headers, `htu` without the query, `ath`,
 * and the nonce from a `DPoP-Nonce` answer (a challenge or a success) used by the next proof. It
 * calls oauth4webapi's DPoP handle methods that are not in its types: this fails if they change.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendWithDpop } from '../../../src/core/dpop/resource.js';
import {
  accessTokenHash,
  createDpopHandle,
  generateDpopKeyPair,
  validateDpopRequest,
} from '../../../src/core/index.js';
import { startServer, type TestServer } from '../../support/server.js';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

describe('sendWithDpop', () => {
  it('DPOP-003 DPOP-008 Authorization: DPoP, a proof with htm, htu without query, ath, and the nonce the origin sent last', async () => {
    const dpop = createDpopHandle(await generateDpopKeyPair());
    const proofs: Record<string, unknown>[] = [];
    server.route('POST', '/api/items', async (req, res) => {
      const validated = await validateDpopRequest({
        method: req.method ?? '',
        url: `${server.url}${req.url}`,
        headers: req.headers,
        ...(proofs.length > 0 ? { nonce: `n-${proofs.length}` } : {}),
      }).catch((error: Error) => error);
      if (validated instanceof Error) {
        res
          .writeHead(401, {
            'www-authenticate': 'DPoP error="use_dpop_nonce"',
            'dpop-nonce': 'n-1',
          })
          .end();
        return;
      }
      proofs.push(validated.claims as Record<string, unknown>);
      res.writeHead(200, { 'dpop-nonce': `n-${proofs.length}` }).end('ok');
    });
    const send = () =>
      sendWithDpop(dpop, 'the-token', 'post', `${server.url}/api/items?x=1#f`, (headers) =>
        fetch(`${server.url}/api/items?x=1`, { method: 'POST', headers, body: 'b' }),
      );

    const first = await send();
    expect(first.status).toBe(200);
    expect(server.requests[0]!.headers.authorization).toBe('DPoP the-token');
    expect(proofs[0]).toMatchObject({
      htm: 'POST',
      htu: `${server.url}/api/items`,
      ath: await accessTokenHash('the-token'),
    });
    expect(proofs[0]!.nonce).toBeUndefined();

    // The success carried DPoP-Nonce n-1: the next proof has it, and a new jti.
    expect((await send()).status).toBe(200);
    expect(proofs[1]).toMatchObject({ nonce: 'n-1' });
    expect(proofs[1]!.jti).not.toBe(proofs[0]!.jti);

    // A challenge's nonce is remembered too, and the answer is returned as it came.
    server.route('POST', '/api/items', (_req, res) => {
      res
        .writeHead(401, { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': 'n-9' })
        .end();
    });
    expect((await send()).status).toBe(401);
    const last = server.requests.at(-1)!.headers.dpop as string;
    const payload = JSON.parse(Buffer.from(last.split('.')[1]!, 'base64url').toString());
    expect(payload.nonce).toBe('n-2');
    await send();
    const after = server.requests.at(-1)!.headers.dpop as string;
    expect(JSON.parse(Buffer.from(after.split('.')[1]!, 'base64url').toString()).nonce).toBe('n-9');
  });
});
