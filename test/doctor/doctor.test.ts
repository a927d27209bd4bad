/**
 * `identity-model-web doctor` against the harness's real oidc-provider (demo/provider.js),
 * configured right (the demo SPA client, its origin, DPoP and PAR on) and configured wrong
 * (another origin, DPoP and PAR off, a client without refresh tokens, an unknown client), and
 * against local APIs that answer CORS right and wrong. The CLI runs in-process (`main`), so its
 * output and exit status are what a user sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/bin/cli.js';
import { runDoctor } from '../../src/doctor/run.js';
import type { Finding } from '../../src/doctor/types.js';
import {
  DEMO_CLIENTS,
  type DemoProvider,
  startProvider,
  useProvider,
} from '../support/provider.js';
import { startServer, type TestServer } from '../support/server.js';

const ORIGIN = 'http://localhost:5173';
const redirectUris = [`${ORIGIN}/callback`];

/** An API that answers the worker's browser requests right, or with one `flaw`. */
async function startApi(flaw?: 'preflight' | 'expose'): Promise<TestServer> {
  const api = await startServer();
  api.route('OPTIONS', '/data', (req, res) => {
    res
      .writeHead(204, {
        'access-control-allow-origin': req.headers.origin ?? '',
        'access-control-allow-methods': 'GET',
        'access-control-allow-headers':
          flaw === 'preflight' ? 'content-type' : 'authorization, dpop',
      })
      .end();
  });
  api.route('GET', '/data', (req, res) => {
    res
      .writeHead(401, {
        'access-control-allow-origin': req.headers.origin ?? '',
        ...(flaw === 'expose' ? {} : { 'access-control-expose-headers': 'WWW-Authenticate' }),
        'www-authenticate': 'Bearer realm="api"',
      })
      .end();
  });
  return api;
}

const byId = (findings: readonly Finding[], id: string) => findings.find((f) => f.id === id);

function capture() {
  const lines: string[] = [];
  return { lines, write: (text: string) => lines.push(text) };
}

describe('doctor against a provider configured right', () => {
  const provider = useProvider({ redirectUris });
  let api: TestServer;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('finds nothing to fix; exit status 0', async () => {
    const out = capture();
    const status = await main(
      [
        'doctor',
        provider().issuer,
        '--client-id',
        DEMO_CLIENTS.spa.clientId,
        '--origin',
        ORIGIN,
        '--api',
        `${api.url}/data`,
      ],
      out.write,
      out.write,
    );
    const text = out.lines.join('\n');
    expect(text).toMatch(/^ok {3}discovery: valid under the policy/m);
    for (const id of [
      'pkce',
      'grant.code',
      'grant.refresh',
      'cors.token',
      'cors.token.dpop',
      'cors.par',
      'cors.revocation',
      'rfc9207',
      'dpop',
      'api.preflight',
      'api.www-authenticate',
    ]) {
      expect(text).toMatch(new RegExp(`^ok {3}${id.replace('.', '\\.')}:`, 'm'));
    }
    // oidc-provider offers form_post and fragment besides query: a warning, not a failure.
    expect(text).toMatch(/^warn response-modes: .*form_post/m);
    expect(text).toMatch(/^0 failed/m);
    expect(status).toBe(0);
  });
});

describe('doctor against a provider configured wrong', () => {
  let provider: DemoProvider;
  let api: TestServer;
  let noExpose: TestServer;
  beforeAll(async () => {
    provider = await startProvider({
      redirectUris,
      config: {
        features: { dPoP: { enabled: false }, pushedAuthorizationRequests: { enabled: false } },
      },
      clients: [
        {
          client_id: 'spa-without-refresh',
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code'],
          response_types: ['code'],
          redirect_uris: redirectUris,
        },
      ],
    });
    api = await startApi('preflight');
    noExpose = await startApi('expose');
  });
  afterAll(async () => {
    await Promise.all([provider.close(), api.close(), noExpose.close()]);
  });

  it('an origin the client does not allow: CORS fails on the token and revocation endpoints', async () => {
    const findings = await runDoctor({
      issuer: provider.issuer,
      clientId: DEMO_CLIENTS.spa.clientId,
      origin: 'https://other.example',
    });
    expect(byId(findings, 'cors.token')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('https://other.example'),
    });
    expect(byId(findings, 'cors.revocation')?.status).toBe('fail');
  });

  it('DPoP and PAR off: warnings that say what to enable', async () => {
    const findings = await runDoctor({
      issuer: provider.issuer,
      clientId: DEMO_CLIENTS.spa.clientId,
      origin: ORIGIN,
    });
    expect(byId(findings, 'dpop')).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('enable DPoP'),
    });
    expect(byId(findings, 'par')?.status).toBe('warn');
    expect(byId(findings, 'cors.token')?.status).toBe('ok');
  });

  it('a client without the refresh grant: grant.refresh fails', async () => {
    const findings = await runDoctor({
      issuer: provider.issuer,
      clientId: 'spa-without-refresh',
      origin: ORIGIN,
    });
    expect(byId(findings, 'grant.code')?.status).toBe('ok');
    expect(byId(findings, 'grant.refresh')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('refresh'),
    });
  });

  it('an unknown client: grant.code fails; CORS is not judged', async () => {
    const findings = await runDoctor({
      issuer: provider.issuer,
      clientId: 'no-such-client',
      origin: ORIGIN,
    });
    expect(byId(findings, 'grant.code')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('invalid_client'),
    });
    expect(byId(findings, 'cors')?.status).toBe('warn');
    expect(byId(findings, 'cors.token')).toBeUndefined();
  });

  it('APIs without authorization in the preflight or without the exposed header fail', async () => {
    const findings = await runDoctor({
      issuer: provider.issuer,
      clientId: DEMO_CLIENTS.spa.clientId,
      origin: ORIGIN,
      apis: [`${api.url}/data`, `${noExpose.url}/data`],
    });
    const apiFindings = findings.filter((f) => f.id.startsWith('api.'));
    expect(apiFindings.map((f) => [f.id, f.status])).toEqual([
      ['api.preflight', 'fail'],
      ['api.www-authenticate', 'ok'],
      ['api.preflight', 'ok'],
      ['api.www-authenticate', 'fail'],
    ]);
    expect(apiFindings[0]?.message).toContain('authorization in Access-Control-Allow-Headers');
    expect(apiFindings[3]?.message).toContain('does not expose WWW-Authenticate');
  });

  it('discovery off the policy: exit status 1 with the fix', async () => {
    const out = capture();
    // The same provider by another name: its document names http://localhost:PORT.
    const status = await main(
      [
        'doctor',
        provider.issuer.replace('localhost', '127.0.0.1'),
        '--client-id',
        DEMO_CLIENTS.spa.clientId,
        '--origin',
        ORIGIN,
      ],
      out.write,
      out.write,
    );
    expect(status).toBe(1);
    const text = out.lines.join('\n');
    expect(text).toMatch(/^FAIL discovery: ERR_DISCOVERY_ISSUER_MISMATCH/m);
    expect(text).toMatch(/^ {5}fix: use the issuer the document names/m);
  });

  it('a usage error: exit status 2 and the usage text', async () => {
    const out = capture();
    expect(await main(['doctor', provider.issuer], out.write, out.write)).toBe(2);
    expect(out.lines.join('\n')).toContain('Usage: identity-model-web doctor');
  });
});

describe('doctor against a provider offering response_mode=web_message', () => {
  // oidc-provider 9's flag for the draft it implements (lib/helpers/features.js); the browser
  // tests of this mode are test/browser/web-message.spec.ts.
  const provider = useProvider({
    redirectUris,
    config: {
      features: { webMessageResponseMode: { enabled: true, ack: 'individual-draft-01' } },
    },
  });

  it('warns, naming web_message, and tells the app to restrict the client to query', async () => {
    const findings = await runDoctor({
      issuer: provider().issuer,
      clientId: DEMO_CLIENTS.spa.clientId,
      origin: ORIGIN,
    });
    expect(byId(findings, 'response-modes')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/besides query: .*\bweb_message\b/),
      fix: expect.stringContaining('restrict the client to response_mode=query'),
    });
    // A warning, not a failure: only the provider's client configuration can close it.
    expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
  });
});
