/**
 * getDiscoveryDocument: the response object, the address policy (https / loopback), caching and
 * the persistent store, against the local test server (or an injected `fetch` for https hosts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearDiscoveryCache } from '../../../src/core/cache/default.js';
import { createMetadataCache, type MetadataCache } from '../../../src/core/cache/metadata-cache.js';
import { type CacheStore, createMemoryStore } from '../../../src/core/cache/store.js';
import { DEFAULT_DISCOVERY_TTL, getDiscoveryDocument } from '../../../src/core/discovery/get.js';
import { DISCOVERY_MEMBERS } from '../../../src/core/discovery/members.js';
import { policyKey, resolveDiscoveryPolicy } from '../../../src/core/discovery/policy.js';
import {
  ConfigurationError,
  DiscoveryError,
  HttpError,
  ResponseAccessError,
} from '../../../src/core/errors.js';
import type { FailedResponse } from '../../../src/core/lib/response.js';
import { expectFailure, expectSuccess } from '../../support/result.js';
import { startServer, type TestServer } from '../../support/server.js';
import { buildDocument, FIXTURE_ISSUER, fixture, jsonFetch, rebase } from './fixtures.js';

const WELL_KNOWN = '/.well-known/openid-configuration';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.UTC(2030, 0, 1);

let server: TestServer;
let clock = START;
const now = () => clock;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  clock = START;
});

let tenants = 0;
/** A fresh issuer on the local server (its own path, so tests never share a document). */
function tenant(): { issuer: string; path: string } {
  const name = `tenant-${++tenants}`;
  return { issuer: `${server.url}/${name}`, path: `/${name}${WELL_KNOWN}` };
}

/** Serves a valid document for a fresh issuer; returns the issuer and its document path. */
function serveValid(headers: Record<string, string> = {}) {
  const { issuer, path } = tenant();
  server.json(path, buildDocument(issuer), { headers });
  return { issuer, path };
}

describe('seed conformance (fetching)', () => {
  it('DISC-001: fetches and parses a valid document from the well-known URL', async () => {
    const { issuer, path } = tenant();
    server.json(path, rebase(fixture('valid'), issuer));
    const disco = expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache: false }));
    expect(disco.isSuccessful).toBe(true);
    expect(disco.issuer).toBe(issuer);
    expect(disco.authorizationEndpoint).toBe(`${issuer}/auth`);
    expect(disco.tokenEndpoint).toBe(`${issuer}/token`);
    expect(disco.jwksUri).toBe(`${issuer}/jwks`);
    expect(disco.responseTypesSupported).toEqual(['code', 'id_token', 'code id_token']);
    expect(disco.subjectTypesSupported).toEqual(['public']);
    expect(disco.idTokenSigningAlgValuesSupported).toEqual(['RS256', 'ES256']);
    expect(disco.raw.issuer).toBe(issuer);
    const [request] = server.requests.filter((r) => r.path === path);
    expect(request?.method).toBe('GET');
    expect(request?.headers.accept).toBe('application/json');
  });

  it('DISC-001: an https issuer is fetched at <issuer>/.well-known/openid-configuration', async () => {
    const fetch = jsonFetch(fixture('valid'));
    const disco = expectSuccess(
      await getDiscoveryDocument({ issuer: FIXTURE_ISSUER, fetch, cache: false }),
    );
    expect(fetch.urls).toEqual([`${FIXTURE_ISSUER}${WELL_KNOWN}`]);
    expect(disco.tokenEndpoint).toBe('https://provider.example.com/token');
  });

  it('DISC-002: all seven required fields are accessible on the response', async () => {
    const fetch = jsonFetch(fixture('valid'));
    const disco = expectSuccess(
      await getDiscoveryDocument({ issuer: FIXTURE_ISSUER, fetch, cache: false }),
    );
    expect([
      disco.issuer,
      disco.authorizationEndpoint,
      disco.tokenEndpoint,
      disco.jwksUri,
      disco.responseTypesSupported,
      disco.subjectTypesSupported,
      disco.idTokenSigningAlgValuesSupported,
    ]).not.toContain(undefined);
  });

  it('DISC-003: an issuer mismatch is a policy failure, not a throw', async () => {
    const fetch = jsonFetch(fixture('issuer-mismatch'));
    const failed = expectFailure(
      await getDiscoveryDocument({ issuer: FIXTURE_ISSUER, fetch, cache: false }),
      { code: 'ERR_DISCOVERY_ISSUER_MISMATCH', errorType: 'policy', httpStatus: undefined },
    );
    expect(failed.exception).toBeInstanceOf(DiscoveryError);
    expect(failed.errorMessage).toContain('https://attacker.example.com');
  });

  it('DISC-008: a missing required field fails with invalid_response, naming it', async () => {
    const fetch = jsonFetch(fixture('missing-jwks-uri'));
    const failed = expectFailure(
      await getDiscoveryDocument({ issuer: FIXTURE_ISSUER, fetch, cache: false }),
      { code: 'ERR_DISCOVERY_MISSING_MEMBER', errorType: 'invalid_response' },
    );
    expect(failed.errorMessage).toContain('jwks_uri');
    expect((failed.exception as DiscoveryError).member).toBe('jwks_uri');
  });

  it('DISC-009: unknown fields are ignored and kept in raw', async () => {
    const fetch = jsonFetch(fixture('valid'));
    const disco = expectSuccess(
      await getDiscoveryDocument({ issuer: FIXTURE_ISSUER, fetch, cache: false }),
    );
    expect(disco.raw.x_custom_extension_field).toBe('should-be-ignored-not-rejected');
    expect(Object.keys(disco)).not.toContain('x_custom_extension_field');
    expect(disco.jwksUri).toBe('https://provider.example.com/jwks');
  });
});

describe('the response object', () => {
  it('on success has isSuccessful, the camelCase fields and raw, and no error fields', async () => {
    const { issuer } = serveValid();
    const disco = expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache: false }));
    expect(Object.keys(disco)).toEqual(
      expect.arrayContaining(['isSuccessful', 'issuer', 'tokenEndpoint', 'jwksUri', 'raw']),
    );
    expect(disco).not.toHaveProperty('error');
    expect(disco).not.toHaveProperty('errorType');
  });

  it('on failure carries error, errorType, errorCode, httpStatus and exception', async () => {
    const { path, issuer } = tenant();
    server.json(path, { error: 'nope' }, { status: 404 });
    const failed = expectFailure(await getDiscoveryDocument({ issuer: issuer, cache: false }));
    expect(failed).toMatchObject({
      isSuccessful: false,
      errorType: 'http',
      errorCode: 'ERR_HTTP_STATUS',
      httpStatus: 404,
    });
    expect(failed.errorMessage).toContain('404');
    expect(failed.exception).toBeInstanceOf(HttpError);
    expect(failed.exception.code).toBe(failed.errorCode);
  });

  it('reading any success field of a failed response throws ERR_RESPONSE_NOT_SUCCESSFUL', async () => {
    const { path, issuer } = tenant();
    server.json(path, { error: 'nope' }, { status: 500 });
    const failed = await getDiscoveryDocument({ issuer: issuer, cache: false });
    expect(failed.isSuccessful).toBe(false);
    const fields = [...DISCOVERY_MEMBERS.map(([, camel]) => camel), 'raw'];
    for (const field of fields) {
      let thrown: unknown;
      try {
        Reflect.get(failed, field);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, field).toBeInstanceOf(ResponseAccessError);
      expect((thrown as ResponseAccessError).code).toBe('ERR_RESPONSE_NOT_SUCCESSFUL');
      expect((thrown as ResponseAccessError).cause).toBe((failed as FailedResponse).exception);
    }
    // The guards are not enumerable: spreading or logging the failure does not throw.
    expect(Object.keys(failed)).not.toContain('tokenEndpoint');
    expect(() => JSON.stringify(failed)).not.toThrow();
  });

  it('rejects bad arguments with a ConfigurationError before any request', async () => {
    const fetch = jsonFetch(fixture('valid'));
    await expect(getDiscoveryDocument({ issuer: 'ftp://op.example', fetch })).rejects.toThrow(
      ConfigurationError,
    );
    await expect(
      getDiscoveryDocument({
        issuer: FIXTURE_ISSUER,
        fetch,
        discoveryPolicy: { requireHttps: 1 as never },
      }),
    ).rejects.toThrow('"discoveryPolicy.requireHttps"');
    await expect(
      getDiscoveryDocument({ issuer: FIXTURE_ISSUER, fetch, cache: false, timeout: -1 }),
    ).rejects.toThrow(ConfigurationError);
    expect(fetch.urls).toEqual([]);
  });

  it('an aborted signal fails with ERR_ABORTED (network) and sends nothing', async () => {
    const { issuer, path } = serveValid();
    expectFailure(
      await getDiscoveryDocument({ issuer: issuer, cache: false, signal: AbortSignal.abort() }),
      { code: 'ERR_ABORTED', errorType: 'network' },
    );
    expect(server.count(path)).toBe(0);
  });

  it('policy.authority sets the expected issuer when the address is elsewhere', async () => {
    const { issuer } = tenant();
    const path = `/proxy/discovery${WELL_KNOWN}`;
    server.json(path, buildDocument(issuer));
    const address = `${server.url}/proxy/discovery`;
    expectFailure(await getDiscoveryDocument({ issuer: address, cache: false }), {
      code: 'ERR_DISCOVERY_ISSUER_MISMATCH',
    });
    const disco = expectSuccess(
      await getDiscoveryDocument({
        issuer: address,
        cache: false,
        discoveryPolicy: { issuer: issuer },
      }),
    );
    expect(disco.issuer).toBe(issuer);
  });
});

describe('DISC-010: https required for the address (stricter than the seed: loopback only by policy)', () => {
  it.each([
    'http://op.example.com',
    'http://127.evil.com',
    'http://127.0.0.1.evil.net',
    'http://localhost.evil.net',
    'http://10.0.0.1',
  ])('DISC-010: refuses %s without sending a request', async (address) => {
    const fetch = jsonFetch(buildDocument(address));
    const failed = expectFailure(
      await getDiscoveryDocument({ issuer: address, fetch, cache: false }),
      {
        code: 'ERR_DISCOVERY_HTTPS_REQUIRED',
        errorType: 'policy',
      },
    );
    expect(failed.errorMessage).toContain('https');
    expect(fetch.urls).toEqual([]);
  });

  it.each([
    'http://localhost:8080',
    'http://127.0.0.1:8080',
    'http://127.1.2.3',
    'http://[::1]:8080',
  ])('DISC-010: allows the loopback address %s by default', async (address) => {
    const fetch = jsonFetch(buildDocument(address));
    const disco = expectSuccess(
      await getDiscoveryDocument({ issuer: address, fetch, cache: false }),
    );
    expect(disco.issuer).toBe(address);
    expect(fetch.urls).toEqual([`${address}${WELL_KNOWN}`]);
  });

  it('DISC-010: allowHttpOnLoopback: false refuses the local server without a request', async () => {
    const { issuer, path } = serveValid();
    expectFailure(
      await getDiscoveryDocument({
        issuer: issuer,
        cache: false,
        discoveryPolicy: { allowHttpOnLoopback: false },
      }),
      { code: 'ERR_DISCOVERY_HTTPS_REQUIRED' },
    );
    expect(server.count(path)).toBe(0);
  });

  it('DISC-010: requireHttps: false (development) allows plain http anywhere', async () => {
    const address = 'http://op.example.com';
    const fetch = jsonFetch(buildDocument(address));
    const disco = expectSuccess(
      await getDiscoveryDocument({
        issuer: address,
        fetch,
        cache: false,
        discoveryPolicy: { requireHttps: false },
      }),
    );
    expect(disco.tokenEndpoint).toBe('http://op.example.com/token');
  });
});

describe('caching', () => {
  let cache: MetadataCache;
  beforeEach(() => {
    cache = createMetadataCache({ now });
  });

  it('DISC-004: a second call within the TTL makes no request and returns the cached document', async () => {
    const { issuer, path } = serveValid();
    const first = expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    clock += 59 * MINUTE;
    const second = expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    expect(server.count(path)).toBe(1);
    expect(second.tokenEndpoint).toBe(first.tokenEndpoint);
    expect(second.raw).toEqual(first.raw);
    expect(cache.discovery.info()).toMatchObject({ hits: 1, misses: 1, fetches: 1 });
  });

  it('DISC-004: the address with or without the well-known path shares one entry', async () => {
    const { issuer, path } = serveValid();
    expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    expectSuccess(await getDiscoveryDocument({ issuer: `${issuer}${WELL_KNOWN}`, cache }));
    expectSuccess(await getDiscoveryDocument({ issuer: `${issuer}/`, cache }));
    expect(server.count(path)).toBe(1);
  });

  it('DISC-005: after the TTL expires a new request is made and the cache is refreshed', async () => {
    const { issuer, path } = tenant();
    server.json(path, buildDocument(issuer));
    expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    server.json(path, buildDocument(issuer, { end_session_endpoint: `${issuer}/logout` }));
    clock += DEFAULT_DISCOVERY_TTL * 1000 - 1; // seconds, on a clock in ms
    const cached = expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    expect(cached.endSessionEndpoint).toBeUndefined();
    expect(server.count(path)).toBe(1);
    clock += 1;
    const fresh = expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    expect(server.count(path)).toBe(2);
    expect(fresh.endSessionEndpoint).toBe(`${issuer}/logout`);
    clock += MINUTE;
    expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    expect(server.count(path)).toBe(2);
  });

  it.each([
    ['no Cache-Control (default 1 h)', undefined, HOUR],
    ['max-age=300', 'max-age=300', 5 * MINUTE],
    ['public, max-age=7200', 'public, max-age=7200', 2 * HOUR],
    ['max-age=5 (clamped up to 60 s)', 'max-age=5', MINUTE],
    ['max-age=0 (clamped up to 60 s)', 'max-age=0', MINUTE],
    ['no-store (clamped up to 60 s)', 'no-store', MINUTE],
    ['max-age=172800 (clamped down to 24 h)', 'max-age=172800', DAY],
  ])('DISC-005: lifetime with %s', async (_label, header, lifetime) => {
    const { issuer, path } = serveValid(header === undefined ? {} : { 'cache-control': header });
    expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    clock = START + lifetime - 1;
    expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    expect(server.count(path)).toBe(1);
    clock = START + lifetime;
    expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    expect(server.count(path)).toBe(2);
  });

  it('concurrent cold calls cause one request', async () => {
    const { issuer, path } = tenant();
    server.route('GET', path, async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(buildDocument(issuer)));
    });
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => getDiscoveryDocument({ issuer: issuer, cache })),
    );
    expect(responses.every((r) => r.isSuccessful)).toBe(true);
    expect(server.count(path)).toBe(1);
  });

  it('cache: false always fetches and stores nothing', async () => {
    const { issuer, path } = serveValid();
    for (let i = 0; i < 3; i++) {
      expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache: false }));
    }
    expect(server.count(path)).toBe(3);
  });

  it('without a cache option the shared cache is used (and clearDiscoveryCache empties it)', async () => {
    const { issuer, path } = serveValid();
    try {
      expectSuccess(await getDiscoveryDocument({ issuer: issuer }));
      expectSuccess(await getDiscoveryDocument({ issuer: issuer }));
      expect(server.count(path)).toBe(1);
      await clearDiscoveryCache();
      expectSuccess(await getDiscoveryDocument({ issuer: issuer }));
      expect(server.count(path)).toBe(2);
    } finally {
      await clearDiscoveryCache();
    }
  });

  it('failures are not cached', async () => {
    const { issuer, path } = tenant();
    server.json(path, { error: 'down' }, { status: 500 });
    expectFailure(await getDiscoveryDocument({ issuer: issuer, cache }));
    server.json(path, buildDocument(issuer));
    expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    expect(server.count(path)).toBe(2);
  });

  it('a document accepted under a lax policy is never served to a strict caller', async () => {
    const { issuer, path } = tenant();
    server.json(path, buildDocument(issuer, { jwks_uri: 'https://evil.example/jwks' }));
    const lax = await getDiscoveryDocument({
      issuer: issuer,
      cache,
      discoveryPolicy: { validateEndpoints: false },
    });
    expect(lax.isSuccessful).toBe(true);
    expectFailure(await getDiscoveryDocument({ issuer: issuer, cache }), {
      code: 'ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED',
    });
    expect(server.count(path)).toBe(2);
  });

  it('callers cannot change the cached document through their response', async () => {
    const { issuer } = serveValid();
    const first = expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    (first as { tokenEndpoint: string }).tokenEndpoint = 'https://evil.example/token';
    expect(() => (first.responseTypesSupported as string[]).push('token')).toThrow(TypeError);
    const second = expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    expect(second.tokenEndpoint).toBe(`${issuer}/token`);
    expect(second.responseTypesSupported).toEqual(['code']);
  });
});

describe('a persistent store written by page script', () => {
  let store: CacheStore;
  beforeEach(() => {
    store = createMemoryStore();
  });

  /** The store key the metadata cache uses for a discovery document under the default policy. */
  const storeKey = (issuer: string) =>
    `discovery:${issuer}${WELL_KNOWN}|${policyKey(resolveDiscoveryPolicy())}`;

  /** A stored entry as the cache writes it (`v: 1`), fetched a second ago, valid for an hour. */
  const entry = (value: unknown) => ({
    v: 1,
    value,
    fetchedAt: clock - 1_000,
    expiresAt: clock + HOUR,
  });

  /** The document value as the cache stores it: camelCase members plus raw. */
  const storedValue = (raw: Record<string, unknown>) => ({
    issuer: raw.issuer,
    authorizationEndpoint: raw.authorization_endpoint,
    tokenEndpoint: raw.token_endpoint,
    jwksUri: raw.jwks_uri,
    responseTypesSupported: raw.response_types_supported,
    subjectTypesSupported: raw.subject_types_supported,
    idTokenSigningAlgValuesSupported: raw.id_token_signing_alg_values_supported,
    raw,
  });

  it('the cache writes documents under discovery:<url>|<policy key>', async () => {
    const { issuer } = serveValid();
    const cache = createMetadataCache({ store, now });
    expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    expect(await store.keys()).toEqual([storeKey(issuer)]);
    const stored = (await store.get(storeKey(issuer))) as { value: { tokenEndpoint: string } };
    expect(stored.value.tokenEndpoint).toBe(`${issuer}/token`);
  });

  it('a valid stored entry is served without a request (a restarted worker)', async () => {
    const { issuer, path } = serveValid();
    await store.set(storeKey(issuer), entry(storedValue(buildDocument(issuer))));
    const cache = createMetadataCache({ store, now });
    const disco = expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    expect(disco.tokenEndpoint).toBe(`${issuer}/token`);
    expect(server.count(path)).toBe(0);
  });

  it.each([
    ['token_endpoint on an evil host', { token_endpoint: 'https://evil.example/token' }],
    ['jwks_uri on an evil host', { jwks_uri: 'https://evil.example/jwks' }],
    ['an http token_endpoint', { token_endpoint: 'http://evil.example/token' }],
    ['another issuer', { issuer: 'https://evil.example' }],
    ['a missing jwks_uri', { jwks_uri: undefined }],
    ['a mistyped response_types_supported', { response_types_supported: 'code' }],
  ])('a stored document with %s is refused on read and refetched', async (_label, tamper) => {
    const { issuer, path } = serveValid();
    const poisoned = buildDocument(issuer, tamper);
    await store.set(storeKey(issuer), entry(storedValue(poisoned)));
    const cache = createMetadataCache({ store, now });
    const disco = expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    expect(disco.issuer).toBe(issuer);
    expect(disco.tokenEndpoint).toBe(`${issuer}/token`);
    expect(disco.jwksUri).toBe(`${issuer}/jwks`);
    expect(server.count(path)).toBe(1);
    // The poisoned entry is overwritten with the fetched one.
    const stored = (await store.get(storeKey(issuer))) as {
      value: { raw: Record<string, unknown> };
    };
    expect(stored.value.raw).toEqual(buildDocument(issuer));
  });

  it.each([
    ['no raw member', { tokenEndpoint: 'https://evil.example/token' }],
    ['raw as a string', { raw: '{"issuer":"x"}' }],
    ['raw as an array', { raw: [] }],
    ['a null value', null],
  ])('a stored entry with %s is refused on read and refetched', async (_label, value) => {
    const { issuer, path } = serveValid();
    await store.set(storeKey(issuer), entry(value));
    const cache = createMetadataCache({ store, now });
    const disco = expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    expect(disco.tokenEndpoint).toBe(`${issuer}/token`);
    expect(server.count(path)).toBe(1);
  });

  it('tampered camelCase members are rebuilt from raw, never trusted', async () => {
    const { issuer, path } = serveValid();
    const value = {
      ...storedValue(buildDocument(issuer)),
      tokenEndpoint: 'https://evil.example/token',
      jwksUri: 'https://evil.example/jwks',
    };
    await store.set(storeKey(issuer), entry(value));
    const cache = createMetadataCache({ store, now });
    const disco = expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    expect(disco.tokenEndpoint).toBe(`${issuer}/token`);
    expect(disco.jwksUri).toBe(`${issuer}/jwks`);
    expect(server.count(path)).toBe(0);
  });

  it('a stored entry is re-checked against the reader’s policy', async () => {
    // Written by a lax caller (or page script claiming so) under the strict policy's key.
    const { issuer, path } = serveValid();
    const foreignKeys = buildDocument(issuer, { jwks_uri: 'https://keys.example/jwks' });
    await store.set(storeKey(issuer), entry(storedValue(foreignKeys)));
    const cache = createMetadataCache({ store, now });
    const disco = expectSuccess(await getDiscoveryDocument({ issuer: issuer, cache }));
    expect(disco.jwksUri).toBe(`${issuer}/jwks`);
    expect(server.count(path)).toBe(1);
  });
});
