/**
 * Where Debian's `glewlwyd` package put what the harness needs: the server binary, the sqlite
 * schema it ships, and the `sqlite3` shell that loads it. Found once per process, synchronously,
 * so a test file can decide at collection time whether to run or skip.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Everything needed to start a Glewlwyd, or why it cannot start here. */
export type GlewlwydInstall =
  | { readonly available: true; binary: string; schema: string; sqlite3: string }
  | { readonly available: false; reason: string };

/** The schema with the `admin`/`password` administrator; the second is dbconfig's plain copy. */
const SCHEMAS = [
  '/usr/share/doc/glewlwyd/database/init.sqlite3.sql.gz',
  '/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3',
];

/** How to get what is missing, for the skip message and the CI failure. */
export const INSTALL_HINT =
  'install it with `sudo apt-get install -y glewlwyd sqlite3` (Debian/Ubuntu), or set GLEWLWYD_PATH';

let cached: GlewlwydInstall | undefined;

/** Looks for the binary (`GLEWLWYD_PATH` or `glewlwyd` on PATH), the schema and `sqlite3`. */
export function findGlewlwyd(): GlewlwydInstall {
  cached ??= look();
  return cached;
}

function look(): GlewlwydInstall {
  const binary = process.env.GLEWLWYD_PATH || which('glewlwyd');
  if (!binary || !existsSync(binary)) {
    return { available: false, reason: `the glewlwyd binary was not found; ${INSTALL_HINT}` };
  }
  const sqlite3 = which('sqlite3');
  if (!sqlite3) {
    return { available: false, reason: `sqlite3 was not found; ${INSTALL_HINT}` };
  }
  const schema = SCHEMAS.find((path) => existsSync(path)) ?? packageFile(/init\.sqlite3\.sql/);
  if (!schema) {
    return {
      available: false,
      reason: `glewlwyd's init.sqlite3.sql was not found; ${INSTALL_HINT}`,
    };
  }
  return { available: true, binary, schema, sqlite3 };
}

function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const path = `${dir || '.'}/${command}`;
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** A file of the installed package (`dpkg -L`), for layouts that moved the schema. */
function packageFile(name: RegExp): string | undefined {
  try {
    const files = execFileSync('dpkg', ['-L', 'glewlwyd'], { encoding: 'utf8' }).split('\n');
    return files.find((file) => name.test(file) && existsSync(file));
  } catch {
    return undefined;
  }
}
