/**
 * `client_secret_basic` with and without RFC 6749 §2.3.1's percent-encoding, against a local
 * token endpoint that, like Glewlwyd 2.7, compares the raw `Authorization` header with the
 * un-decoded credentials and answers 401 otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../src/core/errors.js';
import { requestClientCredentialsToken } from '../../../src/core/token/index.js';
import { expectFailure, expectSuccess } from '../../support/result.js';
import { startServer, type TestServer } from '../../support/server.js';

const CLIENT_ID = 'svc-client';
// `-._~` are unreserved (encoded anyway by form encoding, RFC 6749 Appendix B), `/`, `+`, ` ` and
// `é` must be encoded.
const SECRET = 'a-b.c_d~e/f+g h:é';
const RAW = `Basic ${Buffer.from(`${CLIENT_ID}:${SECRET}`, 'utf8').toString('base64')}`;

let server: TestServer;
let url: string;
const seen: (string | undefined)[] = [];

beforeAll(async () => {
  server = await startServer();
  url = `${server.url}/token`;
  server.route('POST', '/token', (req, res) => {
    seen.push(req.headers.authorization);
    if (req.headers.authorization !== RAW) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":"invalid_client"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end('{"access_token":"at-1","token_type":"Bearer","expires_in":60}');
  });
});

afterAll(async () => {
  await server.close();
});

const request = (extra: Record<string, unknown> = {}) =>
  requestClientCredentialsToken({
    address: url,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    authMethod: 'client_secret_basic',
    retries: 0,
    ...extra,
  });

describe('client_secret_basic encoding', () => {
  it('by default the id and secret are percent-encoded (RFC 6749 §2.3.1): a raw-comparing server refuses', async () => {
    seen.length = 0;
    expectFailure(await request());
    const sent = Buffer.from(seen[0]!.slice('Basic '.length), 'base64').toString('utf8');
    expect(sent).toBe('svc%2Dclient:a%2Db%2Ec%5Fd%7Ee%2Ff%2Bg+h%3A%C3%A9');
  });

  it('encodeBasicCredentials false sends them raw (UTF-8), and the server accepts', async () => {
    seen.length = 0;
    const token = expectSuccess(await request({ encodeBasicCredentials: false }));
    expect(token.accessToken).toBe('at-1');
    expect(seen).toEqual([RAW]);
  });

  it('a client id with ":" cannot be sent raw: ERR_CONFIGURATION before any request', async () => {
    seen.length = 0;
    await expect(request({ clientId: 'a:b', encodeBasicCredentials: false })).rejects.toThrow(
      ConfigurationError,
    );
    expect(seen).toEqual([]);
  });

  it('a non-boolean encodeBasicCredentials is ERR_CONFIGURATION', async () => {
    await expect(request({ encodeBasicCredentials: 'no' })).rejects.toThrow(ConfigurationError);
  });
});
