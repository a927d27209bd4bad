/**
 * Type-checks every TypeScript snippet in README.md and docs/**\/*.md, so the docs cannot drift
 * from the code. Each ```ts / ```tsx block becomes a module in a temporary folder that imports
 * the package by its public names (`identity-model-web`, `identity-model-web/core`, …), mapped
 * to the sources by `paths`, and `tsc` checks them with `strict`, as an app would compile them.
 *
 *   node test/docs/snippets.mjs          every file; each failure as FILE:LINE and tsc's message
 *   node test/docs/snippets.mjs FILE.md  only the given files
 *
 * - A snippet that imports `identity-model-web/sw` is checked against the WebWorker globals;
 *   the others against the DOM and Node's types (pages, Vite configs and servers all use them).
 * - A snippet that uses names defined elsewhere (`disco` from an earlier example) declares them
 *   in an HTML comment right above its fence, which Markdown does not render:
 *
 *       <!-- snippet-context:
 *       import type { DiscoverySuccess } from 'identity-model-web/core';
 *       declare const disco: DiscoverySuccess;
 *       -->
 *
 * - A snippet that is deliberately partial opts out in its fence, visibly: ```ts nocheck.
 *   The opt-outs are counted and listed; keep them rare.
 * - Frameworks the package does not depend on (Vue, Angular) are declared by the few names the
 *   snippets use, in test/docs/frameworks.d.ts, so the part that is ours is still checked.
 */
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const started = performance.now();

/** The Markdown files whose snippets are checked, relative to the root: the arguments, or all. */
const documents =
  process.argv.length > 2
    ? process.argv.slice(2).map((file) => relative(root, file))
    : [
        'README.md',
        ...walk(join(root, 'docs'))
          // docs/api/ is the generated API reference (npm run docs:api), not written by hand.
          .filter((file) => file.endsWith('.md') && !relative(root, file).startsWith('docs/api/'))
          .map((file) => relative(root, file)),
      ];

/**
 * @typedef {object} Snippet
 * @property {string} document the Markdown file, relative to the root
 * @property {number} line the 1-based line of the snippet's first code line
 * @property {string} lang `ts` or `tsx`
 * @property {string} code
 * @property {string} context declarations from a `snippet-context` comment, or ''
 * @property {number} contextLine the 1-based line of that comment's first declaration
 * @property {boolean} worker whether the snippet imports the worker entry
 */

/** @type {Snippet[]} */
const snippets = [];
/** @type {string[]} */
const optedOut = [];
for (const document of documents) {
  const lines = readFileSync(join(root, document), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', lang = '', info = ''] = open;
    // The closing fence: the same character, at least as long (CommonMark).
    let end = i + 1;
    while (end < lines.length && !isClosing(lines[end] ?? '', fence)) end++;
    const body = lines.slice(i + 1, end).map((line) => line.slice(indent.length));
    const start = i;
    i = end;
    if (!['ts', 'tsx', 'typescript'].includes(lang)) continue;
    if (/\bnocheck\b/.test(info)) {
      optedOut.push(`${document}:${start + 1}`);
      continue;
    }
    const context = contextAbove(lines, start);
    snippets.push({
      document,
      line: start + 2,
      lang: lang === 'tsx' ? 'tsx' : 'ts',
      code: body.join('\n'),
      context: context?.text ?? '',
      contextLine: context?.line ?? 0,
      worker: /from\s+['"]identity-model-web\/sw['"]/.test(body.join('\n')),
    });
  }
}

const dir = mkdtempSync(join(tmpdir(), 'identity-model-web-snippets-'));
/** @type {{ document: string, line: number, text: string }[]} */
const failures = [];
try {
  // The snippets import React, Vite, … as an app would: from node_modules.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  /** @type {Map<string, Snippet & { contextLines: number }>} */
  const byFile = new Map();
  for (const snippet of snippets) {
    const name = `${snippet.document.replaceAll(/[^\w.-]/g, '_')}-L${snippet.line}.${snippet.lang}`;
    const contextLines = snippet.context === '' ? 0 : snippet.context.split('\n').length;
    // `export {}` makes every snippet a module: its names stay its own, and `await` works at the top.
    const text = `${snippet.context}${contextLines > 0 ? '\n' : ''}${snippet.code}\nexport {};\n`;
    writeFileSync(join(dir, name), text);
    byFile.set(join(dir, name), { ...snippet, contextLines });
  }
  const frameworks = fileURLToPath(new URL('frameworks.d.ts', import.meta.url));
  for (const worker of [false, true]) {
    const files = [...byFile].filter(([, s]) => s.worker === worker).map(([file]) => file);
    if (files.length === 0) continue;
    const program = ts.createProgram({
      rootNames: worker ? files : [...files, frameworks],
      options: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        lib: worker
          ? ['lib.es2022.d.ts', 'lib.webworker.d.ts']
          : ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
        types: worker ? [] : ['node'],
        jsx: ts.JsxEmit.ReactJSX,
        strict: true,
        // The library's own declarations are checked by typecheck and test/package/consumer.mjs.
        skipLibCheck: true,
        noEmit: true,
        paths: paths(),
      },
    });
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
      const file = diagnostic.file?.fileName;
      const snippet = file === undefined ? undefined : byFile.get(file);
      // An error inside the package's sources is the typecheck's to report, not a snippet's.
      if (snippet === undefined && file !== undefined && !file.startsWith(dir)) continue;
      const message = `TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n     ')}`;
      if (
        snippet === undefined ||
        diagnostic.file === undefined ||
        diagnostic.start === undefined
      ) {
        failures.push({ document: file ?? '(no file)', line: 0, text: message });
        continue;
      }
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      failures.push(
        line < snippet.contextLines
          ? {
              document: snippet.document,
              line: snippet.contextLine + line,
              text: `(snippet-context) ${message}`,
            }
          : {
              document: snippet.document,
              line: snippet.line + line - snippet.contextLines,
              text: message,
            },
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
const summary = `${snippets.length} snippet(s) in ${documents.length} file(s), ${optedOut.length} opted out (nocheck${optedOut.length > 0 ? `: ${optedOut.join(', ')}` : ''}), ${seconds} s`;
failures.sort((a, b) => a.document.localeCompare(b.document) || a.line - b.line);
for (const { document, line, text } of failures) console.error(`FAIL ${document}:${line}: ${text}`);
if (failures.length > 0) {
  console.error(`${failures.length} error(s) in the documentation's snippets; ${summary}`);
  process.exit(1);
}
console.log(`ok   ${summary}`);

/**
 * `identity-model-web` and each of its entries, mapped to the source behind the entry's types
 * (`dist/types/src/core/index.d.ts` → `src/core/index.ts`).
 * @returns {Record<string, string[]>}
 */
function paths() {
  /** @type {Record<string, string[]>} */
  const mapped = {};
  for (const [entry, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string' || !target.types) continue;
    const source = target.types.replace(/^\.\/dist\/types\//, '').replace(/\.d\.ts$/, '.ts');
    mapped[`${pkg.name}${entry.slice(1)}`] = [join(root, source)];
  }
  return mapped;
}

/**
 * The declarations of a `<!-- snippet-context: … -->` comment that ends on the line right above
 * the fence at `fence` (0-based), with the 1-based line of its first declaration.
 * @param {string[]} lines @param {number} fence
 */
function contextAbove(lines, fence) {
  if (!(lines[fence - 1] ?? '').trim().endsWith('-->')) return undefined;
  let open = fence - 1;
  while (open >= 0 && !(lines[open] ?? '').includes('<!--')) open--;
  const match = /^\s*<!--\s*snippet-context:[ \t]*(.*)$/.exec(lines[open] ?? '');
  if (!match) return undefined;
  const first = match[1] ?? '';
  const rest = lines.slice(open + 1, fence);
  const all = [first, ...rest];
  all[all.length - 1] = (all[all.length - 1] ?? '').replace(/-->\s*$/, '');
  // Drop the empty first line of a comment that starts its declarations on the next line.
  const dropFirst = first.trim() === '' ? 1 : 0;
  return { text: all.slice(dropFirst).join('\n').trimEnd(), line: open + 1 + dropFirst };
}

/** @param {string} line @param {string} fence */
function isClosing(line, fence) {
  const trimmed = line.trim();
  return (
    trimmed.length >= fence.length &&
    trimmed === (fence[0] ?? '`').repeat(trimmed.length) &&
    trimmed.startsWith(fence)
  );
}

/** @param {string} folder @returns {string[]} every file under `folder`, or none if it is missing */
function walk(folder) {
  /** @type {string[]} */
  const files = [];
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return files;
  }
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...walk(path));
    else files.push(path);
  }
  return files.sort();
}
