/**
 * Keys, tokens and a scriptable "OpenID provider" for JWKS and validation tests. Keys and tokens
 * are made with `jose` (never by stubbing the library); the provider is a {@link TestServer}
 * serving a discovery document and a JWK Set that a test can swap at any time, and every request
 * is counted at the server.
 */
import { readFileSync } from 'node:fs';
import { base64url, CompactSign, exportJWK, exportSPKI, generateKeyPair, type JWK } from 'jose';
import { afterEach, beforeEach, expect } from 'vitest';
import { createMetadataCache, type MetadataCache } from '../../src/core/cache/metadata-cache.js';
import { type ErrorCode, IdentityModelError } from '../../src/core/errors.js';
import { startServer, type TestServer } from './server.js';

/** A fixed "now" for tests: 2030-01-01T00:00:00Z, in milliseconds. */
export const NOW = Date.UTC(2030, 0, 1);
/** {@link NOW} in seconds (JWT NumericDate). */
export const NOW_S = NOW / 1000;

/** Signature algorithms the helpers make keys for. */
export type TestAlg =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'Ed25519';

/** A key pair and its public JWK as a provider would publish it. */
export interface TestKey {
  /** The algorithm tokens are signed with. */
  readonly alg: TestAlg;
  readonly kid: string | undefined;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** Public JWK with `kid`, `use: "sig"` and `alg` (each unless left out). */
  readonly jwk: JWK;
}

/** Options of {@link makeKey}. */
export interface MakeKeyOptions {
  /** `kid` of the key; `null` leaves it out. Default: a random one. */
  kid?: string | null;
  /** `alg` published in the JWK; `null` leaves it out. Default: the key's algorithm. */
  jwkAlg?: string | null;
  /** `use` published in the JWK; `null` leaves it out. Default `sig`. */
  use?: string | null;
}

let kidCounter = 0;

/** Makes a key pair with jose (extractable, so tests can publish or misuse its parts). */
export async function makeKey(alg: TestAlg, options: MakeKeyOptions = {}): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return withJwk(alg, privateKey, publicKey, options);
}

/**
 * An RSA key under the 2048-bit floor. jose refuses to make or use one, so this comes straight
 * from WebCrypto (the JWK is still exported by jose).
 */
export async function makeWeakRsaKey(bits: number, options: MakeKeyOptions = {}): Promise<TestKey> {
  const pair = (await crypto.subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: bits,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  return withJwk('RS256', pair.privateKey, pair.publicKey, options);
}

async function withJwk(
  alg: TestAlg,
  privateKey: CryptoKey,
  publicKey: CryptoKey,
  options: MakeKeyOptions,
): Promise<TestKey> {
  const kid = options.kid === null ? undefined : (options.kid ?? `key-${++kidCounter}`);
  const jwk: JWK = { ...(await exportJWK(publicKey)) };
  if (kid !== undefined) jwk.kid = kid;
  if (options.use !== null) jwk.use = options.use ?? 'sig';
  if (options.jwkAlg !== null) jwk.alg = options.jwkAlg ?? alg;
  return { alg, kid, privateKey, publicKey, jwk };
}

/** The public key's SPKI PEM text (what a key-confusion attacker uses as an HMAC secret). */
export function publicPem(key: TestKey): Promise<string> {
  return exportSPKI(key.publicKey);
}

/** A JWK Set document of the keys' public JWKs (plus any raw extra entries). */
export function jwks(...keys: (TestKey | Record<string, unknown>)[]): { keys: unknown[] } {
  return { keys: keys.map((key) => ('privateKey' in key ? key.jwk : key)) };
}

/** Claims valid at {@link NOW} for `issuer` and `audience`. */
export function claimsAt(
  issuer: string,
  extra: Record<string, unknown> = {},
  now = NOW_S,
): Record<string, unknown> {
  return {
    iss: issuer,
    sub: 'user-1',
    aud: 'api',
    iat: now - 60,
    exp: now + 3600,
    ...extra,
  };
}

const encoder = new TextEncoder();

/** Options of {@link sign}. */
export interface SignOptions {
  /** Protected header members added to (or overriding) `{ alg, kid }`; `undefined` removes one. */
  header?: Record<string, unknown>;
  /** The algorithm, when it differs from the key's (e.g. HS256 with a secret). */
  alg?: string;
}

/**
 * Signs `payload` as a compact JWS with jose. `payload` is JSON-encoded unless it is a string
 * (used verbatim: non-JSON or hand-written JSON) or bytes.
 */
export async function sign(
  key: TestKey | { secret: Uint8Array; kid?: string },
  payload: unknown,
  options: SignOptions = {},
): Promise<string> {
  const bytes =
    payload instanceof Uint8Array
      ? payload
      : encoder.encode(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const alg = options.alg ?? ('alg' in key ? key.alg : 'HS256');
  const header: Record<string, unknown> = {
    alg,
    ...(key.kid === undefined ? {} : { kid: key.kid }),
  };
  for (const [name, value] of Object.entries(options.header ?? {})) {
    if (value === undefined) delete header[name];
    // defineProperty, not assignment: a "__proto__" member stays a plain own member.
    else Object.defineProperty(header, name, { value, enumerable: true, writable: true });
  }
  const crit = Array.isArray(header.crit)
    ? Object.fromEntries((header.crit as string[]).map((name) => [name, true]))
    : undefined;
  return new CompactSign(bytes)
    .setProtectedHeader(header as { alg: string })
    .sign('secret' in key ? key.secret : key.privateKey, crit ? { crit } : undefined);
}

/** Encodes a JSON value (or verbatim text) as one base64url JWS segment. */
export function segment(value: unknown): string {
  return base64url.encode(typeof value === 'string' ? value : JSON.stringify(value));
}

/** An unsigned compact JWT (`alg` none in any spelling; the signature segment is empty). */
export function unsigned(payload: unknown, alg = 'none'): string {
  return `${segment({ alg, typ: 'JWT' })}.${segment(payload)}.`;
}

/** Signs with WebCrypto directly, for keys jose refuses to use (RSA under 2048 bits). */
export async function signRs256WithSubtle(
  key: TestKey,
  payload: unknown,
  header: Record<string, unknown> = {},
): Promise<string> {
  const input = `${segment({ alg: 'RS256', kid: key.kid, ...header })}.${segment(payload)}`;
  const signature = await crypto.subtle.sign(
    'RSASSA-PKCS1-v1_5',
    key.privateKey,
    encoder.encode(input),
  );
  return `${input}.${base64url.encode(new Uint8Array(signature))}`;
}

/** Flips one bit of the signature (its first byte), keeping the token well-formed. */
export function flipSignatureBit(jwt: string): string {
  const dot = jwt.lastIndexOf('.');
  const signature = base64url.decode(jwt.slice(dot + 1));
  signature[0]! ^= 0x01;
  return `${jwt.slice(0, dot + 1)}${base64url.encode(signature)}`;
}

/** A settable clock in milliseconds, starting at {@link NOW}. */
export interface TestClock {
  readonly now: () => number;
  advance(ms: number): void;
  set(ms: number): void;
}

export function testClock(start = NOW): TestClock {
  let time = start;
  return {
    now: () => time,
    advance(ms) {
      time += ms;
    },
    set(ms) {
      time = ms;
    },
  };
}

/** A fresh cache on a test clock (so each test counts its own fetches). */
export function cacheAt(clock: TestClock): MetadataCache {
  return createMetadataCache({ now: clock.now });
}

/** The well-known path the provider serves discovery on. */
export const DISCOVERY_PATH = '/.well-known/openid-configuration';
/** The path the provider serves its JWK Set on. */
export const JWKS_PATH = '/jwks';

/** Algorithms the provider advertises by default (HS256 included: it must still be refused). */
export const ADVERTISED_ALGS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
  'HS256',
];

/** A provider on the local test server whose discovery document and JWK Set can be swapped. */
export interface HostileOp {
  readonly server: TestServer;
  /** The issuer: the server's base URL. */
  readonly issuer: string;
  readonly jwksUri: string;
  /**
   * Serves `body` at the JWKS path: an object is JSON-encoded, a string is sent verbatim.
   * Default headers: `content-type: application/json` and no `cache-control`.
   */
  setJwks(body: unknown, headers?: Record<string, string>): void;
  /** Serves the JWK Set with `status` (e.g. 500) and an error body. */
  failJwks(status: number): void;
  /** Merges `members` into the discovery document (`undefined` removes a member). */
  setDiscovery(members: Record<string, unknown>): void;
  /** JWK Set requests the server received. */
  jwksFetches(): number;
  /** Discovery requests the server received. */
  discoveryFetches(): number;
  close(): Promise<void>;
}

/** Starts a {@link HostileOp} serving `initialJwks` (default: an empty set). */
export async function startHostileOp(initialJwks: unknown = { keys: [] }): Promise<HostileOp> {
  const server = await startServer();
  const issuer = server.url;
  let discovery: Record<string, unknown> = {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}${JWKS_PATH}`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ADVERTISED_ALGS,
  };
  server.route('GET', DISCOVERY_PATH, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(discovery));
  });
  const op: HostileOp = {
    server,
    issuer,
    jwksUri: `${issuer}${JWKS_PATH}`,
    setJwks(body, headers = {}) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      server.route('GET', JWKS_PATH, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(text);
      });
    },
    failJwks(status) {
      server.route('GET', JWKS_PATH, (_req, res) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end('{"error":"down"}');
      });
    },
    setDiscovery(members) {
      const next = { ...discovery };
      for (const [name, value] of Object.entries(members)) {
        if (value === undefined) delete next[name];
        else next[name] = value;
      }
      discovery = next;
    },
    jwksFetches: () => server.count(JWKS_PATH),
    discoveryFetches: () => server.count(DISCOVERY_PATH),
    close: () => server.close(),
  };
  op.setJwks(initialJwks);
  return op;
}

/**
 * A fresh {@link HostileOp} for each test (started in `beforeEach`, closed in `afterEach`).
 * Returns an accessor, since the provider exists only once the hook has run.
 */
export function useHostileOp(): () => HostileOp {
  let op: HostileOp | undefined;
  beforeEach(async () => {
    op = await startHostileOp();
  });
  afterEach(async () => {
    await op?.close();
    op = undefined;
  });
  return () => {
    if (!op) throw new Error('useHostileOp: the provider starts in beforeEach');
    return op;
  };
}

/**
 * Awaits a promise that must reject, and returns the rejection (a resolved promise fails the
 * test with the value it resolved to).
 */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
}

/**
 * Awaits a promise that must reject with a library error carrying `code`, and returns the error.
 * Any other outcome (success, a plain `Error`, another code) fails the test.
 */
export async function expectCode<E extends IdentityModelError = IdentityModelError>(
  promise: Promise<unknown>,
  code: ErrorCode,
): Promise<E> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(IdentityModelError);
  expect((error as IdentityModelError).code, (error as Error).message).toBe(code);
  return error as E;
}

/** A file under test/fixtures/ as text (copies of the seed's fixtures live there). */
export function readFixture(path: string): string {
  return readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');
}

/** A JSON file under test/fixtures/. */
export function jsonFixture<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFixture(path)) as T;
}
