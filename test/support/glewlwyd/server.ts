/**
 * Starts a real Glewlwyd 2.7 (Debian's `glewlwyd` package) for a test suite: a fresh sqlite
 * database from the package's schema, a generated configuration, the server in the foreground as
 * a child process on 127.0.0.1 with a free port, then provisioning through its admin REST API
 * (./provision.ts). About half a second from spawn to a provisioned provider.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { findGlewlwyd } from './install.js';
import {
  createSigningKey,
  type GlewlwydProvisioning,
  type ProvisionOptions,
  provision,
} from './provision.js';

/** A running, provisioned Glewlwyd. */
export interface GlewlwydServer extends GlewlwydProvisioning {
  /** `http://localhost:PORT/api/oidc`: Glewlwyd's issuer is a path under its API. */
  issuer: string;
  /** `http://localhost:PORT`. */
  origin: string;
  /** Glewlwyd's own API root, `http://localhost:PORT/api`. */
  api: string;
  port: number;
  /** What the server printed so far (warnings and errors), for failure messages. */
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL after 2 s) and deletes its directory. */
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

/** What to start: the provisioning, and the server-wide CORS origin. */
export interface StartOptions extends ProvisionOptions {
  /**
   * Glewlwyd's `allow_origin` setting: the one origin (or `*`) its answers allow, for every
   * client alike. Default `*`.
   */
  allowOrigin?: string;
}

/** Starts and provisions a Glewlwyd; throws (with the reason) when it is not installed. */
export async function startGlewlwyd(options: StartOptions = {}): Promise<GlewlwydServer> {
  const install = findGlewlwyd();
  if (!install.available) throw new Error(`Glewlwyd cannot start: ${install.reason}`);

  const signingKey = createSigningKey();
  // Not awaited before the server is up: a rejection would otherwise go unhandled meanwhile.
  signingKey.catch(() => {});
  // sqlite syncs every write to disk; in memory (/dev/shm) provisioning takes half the time.
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'glewlwyd-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const database = join(dir, 'glewlwyd.sqlite3');
  let port: number;
  try {
    createDatabase(install.sqlite3, install.schema, database);
    port = await freePort();
  } catch (error) {
    removeDir();
    throw error;
  }
  const origin = `http://localhost:${port}`;
  const configFile = join(dir, 'glewlwyd.conf');
  const webapp = join(dir, 'webapp');
  mkdirSync(webapp);
  writeFileSync(join(webapp, 'login.html'), LOGIN_PAGE);
  writeFileSync(configFile, config(port, origin, database, webapp, options.allowOrigin ?? '*'));

  const child = spawn(
    install.binary,
    [`--config-file=${configFile}`, '--log-mode=console', '--log-level=WARNING'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer | string) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', resolve);
    child.once('error', (error) => {
      collect(`spawn failed: ${error.message}\n`);
      resolve(null);
    });
  });
  // A test process that dies without closing must not leave the server running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const close = async () => {
    process.off('exit', killOnExit);
    await stop(child, exited);
    removeDir();
  };
  try {
    const api = `${origin}/api`;
    await waitUntilListening(api, exited, () => output);
    const provisioning = await provision(api, `${api}/oidc`, signingKey, options);
    return {
      ...provisioning,
      issuer: `${api}/oidc`,
      origin,
      api,
      port,
      log: () => output,
      close,
    };
  } catch (error) {
    await close();
    throw new Error(`Glewlwyd did not start: ${(error as Error).message}\n${output}`, {
      cause: error,
    });
  }
}

/**
 * The OpenID Connect plugin reads a client's post-logout redirect URIs from the array property
 * `post_logout_redirect_uris`, which the schema's client store does not declare (it declares a
 * singular `post_logout_redirect_uri`, and keeps undeclared properties as single strings).
 * Declared here before the server reads it: changed through the admin API it needs a reload.
 */
const POST_LOGOUT_REDIRECT_URIS = `
UPDATE g_client_module_instance SET gcmi_parameters = json_set(gcmi_parameters,
  '$."data-format".post_logout_redirect_uris', json('{"multiple":true,"read":true,"write":true}'))
  WHERE gcmi_name = 'database';
`;

/** Loads the package's schema (which also creates the `admin`/`password` administrator). */
function createDatabase(sqlite3: string, schema: string, database: string): void {
  const raw = readFileSync(schema);
  const sql = schema.endsWith('.gz') ? gunzipSync(raw) : raw;
  const result = spawnSync(sqlite3, [database], {
    input: Buffer.concat([sql, Buffer.from(POST_LOGOUT_REDIRECT_URIS)]),
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`sqlite3 could not load ${schema}: ${result.stderr || result.error}`);
  }
}

/**
 * A port free on 127.0.0.1 right now. Glewlwyd takes the port from its configuration, so the
 * port is found first and handed over; another process could take it in between (then the start
 * fails with Glewlwyd's own message).
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('port')),
      );
    });
  });
}

/**
 * What Glewlwyd serves as its login page: a stand-in for the packaged web UI (a React app, whose
 * `config.json` symlink Glewlwyd's file server refuses). Tests do its API calls themselves
 * (user-agent.ts, test/browser/harness/glewlwyd.ts); a browser just needs a page to land on.
 */
const LOGIN_PAGE =
  '<!doctype html><meta charset="utf-8"><title>Glewlwyd login (test stand-in)</title>\n';

/**
 * The configuration (libconfig syntax). `external_url` must not end in `/` (Glewlwyd appends
 * paths to it); `login_url` is relative to it.
 */
function config(
  port: number,
  origin: string,
  database: string,
  webapp: string,
  allowOrigin: string,
): string {
  return `# Written by test/support/glewlwyd/server.ts
port=${port}
bind_address="127.0.0.1"
external_url="${origin}"
login_url="login.html"
api_prefix="api"
allow_origin="${allowOrigin}"
allow_methods="GET, POST, PUT, DELETE, OPTIONS"
allow_headers="Origin, X-Requested-With, Content-Type, Accept, Bearer, Authorization, DPoP"
expose_headers="Content-Encoding, Authorization, WWW-Authenticate, DPoP-Nonce"
cookie_secure=0
cookie_same_site="empty"
session_expiration=3600
session_key="GLEWLWYD2_SESSION_ID"
admin_scope="g_admin"
profile_scope="g_profile"
admin_session_authentication="cookie"
profile_session_authentication="cookie"
allow_multiple_user_per_session=true
login_api_enabled=true
hash_algorithm="SHA512"
user_module_path="/usr/lib/glewlwyd/user"
client_module_path="/usr/lib/glewlwyd/client"
user_auth_scheme_module_path="/usr/lib/glewlwyd/scheme"
plugin_module_path="/usr/lib/glewlwyd/plugin"
static_files_path="${webapp}/"
static_files_mime_types = ({ extension = ".html"; mime_type = "text/html"; });
database = { type = "sqlite3"; path = "${database}"; };
`;
}

/** Polls until the server answers HTTP, failing early when the process exits. */
async function waitUntilListening(
  api: string,
  exited: Promise<number | null>,
  output: () => string,
): Promise<void> {
  let done = false;
  const died = exited.then((code) => {
    if (!done) throw new Error(`glewlwyd exited with code ${code}: ${output()}`);
  });
  // Handled by the race below; this only keeps a rejection between two polls from counting as
  // unhandled.
  died.catch(() => {});
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    while (Date.now() < deadline) {
      const answered = await Promise.race([
        died,
        fetch(`${api}/auth/scheme/`).then(
          async (response) => {
            await response.body?.cancel();
            return true;
          },
          () => false,
        ),
      ]);
      if (answered) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    done = true;
  }
  throw new Error(`glewlwyd did not answer within ${READY_TIMEOUT_MS} ms`);
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
}
