/**
 * The API reports (api/*.api.md): every export of `.`, `./sw`, `./core` and `./vite` with its signature,
 * plus the unexported types those signatures use, as API Extractor reads the emitted
 * declarations (dist/types; run after `npm run build` or `npm run build:types`).
 *
 *   node test/package/api.mjs           fails when a report differs from the declarations
 *   node test/package/api.mjs --update  rewrites the reports (`npm run api`)
 *
 * A change to the public surface is then a change to a checked-in file, seen in review.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

const update = process.argv.includes('--update');
const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const reportFolder = join(root, 'api');
// API Extractor writes its reports here; this script compares them with api/ or copies them.
const temp = mkdtempSync(join(tmpdir(), 'identity-model-web-api-'));
/** The worker entry is read against worker globals; the others against the DOM. */
const libsOf = (/** @type {string} */ entry) =>
  entry === './sw' ? ['ES2022', 'WebWorker'] : ['ES2022', 'DOM', 'DOM.Iterable'];
/** The Vite plugin runs in Node: Vite's own declarations need Node's types. */
const typesOf = (/** @type {string} */ entry) => (entry === './vite' ? ['node'] : []);
/** @type {Set<string>} */
const reports = new Set();
let failures = 0;

try {
  for (const [entry, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string' || !target.types) continue;
    // identity-model-web.api.md, identity-model-web-sw.api.md, …
    const reportFileName = `${pkg.name}${entry.slice(1).replaceAll('/', '-')}.api.md`;
    reports.add(reportFileName);
    const types = join(root, target.types);
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: root,
        mainEntryPointFilePath: types,
        compiler: {
          overrideTsconfig: {
            compilerOptions: {
              target: 'ES2022',
              module: 'ESNext',
              moduleResolution: 'Bundler',
              lib: libsOf(entry),
              types: typesOf(entry),
              strict: true,
              // test/package/consumer.mjs checks the declarations in full; this reads them.
              skipLibCheck: true,
            },
            files: [types],
          },
        },
        apiReport: {
          enabled: true,
          reportFileName,
          reportFolder: temp,
          reportTempFolder: temp,
          includeForgottenExports: true,
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        newlineKind: 'lf',
        messages: {
          compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Error } },
          extractorMessageReporting: {
            // Noted in the report, not fatal: e.g. a type the signatures use but the entry does
            // not export (ae-forgotten-export), which an app cannot name.
            default: { logLevel: ExtractorLogLevel.None, addToApiReportFile: true },
            // Everything is public, and TSDoc links are documentation, not surface.
            'ae-missing-release-tag': {
              logLevel: ExtractorLogLevel.None,
              addToApiReportFile: false,
            },
            'ae-undocumented': { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
            'ae-unresolved-link': { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
          },
          tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
        },
      },
      configObjectFullPath: undefined,
      packageJsonFullPath: join(root, 'package.json'),
    });
    /** @type {string[]} */
    const problems = [];
    const result = Extractor.invoke(config, {
      localBuild: true,
      messageCallback: (message) => {
        message.handled = true;
        if (message.logLevel === ExtractorLogLevel.Error)
          problems.push(message.formatMessageWithLocation(root));
      },
    });
    const report = `api/${reportFileName}`;
    if (problems.length > 0 || !result.succeeded) {
      failures++;
      console.error(`FAIL ${report}: API Extractor could not read ${target.types}`);
      for (const problem of problems) console.error(`     ${problem}`);
      continue;
    }
    const wanted = readFileSync(join(temp, reportFileName), 'utf8')
      // The report names the package; name the entry.
      .replace(`for "${pkg.name}"`, `for "${pkg.name}${entry.slice(1)}"`)
      // Positions in the .d.ts files would change the report whenever a comment above moves.
      .replace(/^(\/\/ \S+\.d\.ts):\d+:\d+ - /gm, '$1 - ');
    const file = join(reportFolder, reportFileName);
    const checkedIn = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (checkedIn === wanted) {
      console.log(`ok   ${report} matches ${entry}`);
    } else if (update) {
      mkdirSync(reportFolder, { recursive: true });
      writeFileSync(file, wanted);
      console.log(`upd  ${report} rewritten for ${entry}`);
    } else {
      failures++;
      console.error(
        checkedIn === undefined
          ? `FAIL ${report} is missing: run \`npm run api\` and commit it`
          : `FAIL ${report} does not match the public surface of ${entry}\n` +
              `     Review the change below; if it is meant, run \`npm run api\` and commit ${report}.\n` +
              diff(checkedIn, wanted),
      );
    }
  }
  // A report whose entry is gone would otherwise stay, describing nothing.
  for (const stale of existsSync(reportFolder) ? readdirSync(reportFolder) : []) {
    if (!stale.endsWith('.api.md') || reports.has(stale)) continue;
    if (update) {
      rmSync(join(reportFolder, stale));
      console.log(`del  api/${stale}: no such entry in package.json exports`);
    } else {
      failures++;
      console.error(`FAIL api/${stale} has no entry in package.json exports: run \`npm run api\``);
    }
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}

if (failures > 0) {
  console.error(`${failures} API report(s) out of date`);
  process.exit(1);
}

/**
 * The changed lines between two reports (`-` checked in, `+` now), each with a line of context:
 * a longest-common-subsequence diff of what lies between the common head and tail.
 * @param {string} before @param {string} after
 */
function diff(before, after) {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  // lcs(i, j): the length of the longest common subsequence of x[i..] and y[j..].
  const width = y.length + 1;
  const table = new Uint32Array((x.length + 1) * width);
  const lcs = (/** @type {number} */ i, /** @type {number} */ j) => table[i * width + j] ?? 0;
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      table[i * width + j] =
        x[i] === y[j] ? lcs(i + 1, j + 1) + 1 : Math.max(lcs(i + 1, j), lcs(i, j + 1));
    }
  }
  /** @type {string[]} */
  const ops = a.slice(0, head).map((line) => `  ${line}`);
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      ops.push(`  ${x[i++]}`);
      j++;
    } else if (i < x.length && (j === y.length || lcs(i + 1, j) >= lcs(i, j + 1))) {
      ops.push(`- ${x[i++]}`);
    } else {
      ops.push(`+ ${y[j++]}`);
    }
  }
  ops.push(...a.slice(a.length - tail).map((line) => `  ${line}`));
  const changed = (/** @type {string | undefined} */ op) => op !== undefined && op[0] !== ' ';
  const shown = ops.filter((op, k) => changed(op) || changed(ops[k - 1]) || changed(ops[k + 1]));
  const lines = shown.slice(0, 200).map((line) => `     ${line}`);
  if (shown.length > 200) lines.push(`     … and ${shown.length - 200} more lines`);
  return lines.join('\n');
}
