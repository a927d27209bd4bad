/**
 * The structure rules of DESIGN.md §1 and docs/architecture.md, checked on the import graph that
 * TypeScript resolves:
 * - no folder cycle: the folders of src/core (each file at its root counts alone), src/protocol,
 *   src/client and sw never import one another both ways;
 * - core imports no page, protocol or worker code (its package entry may re-export `WorkerError`);
 * - sw/ takes from core only public symbols of `identity-model-web/core` or what
 *   src/core/worker-api.ts offers it, and nothing tagged `@internal`.
 */

import { readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CORE_ENTRY = 'src/core/index.ts';
const WORKER_API = 'src/core/worker-api.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  noEmit: true,
  types: [],
  skipLibCheck: true,
};
const program = ts.createProgram([...sourceFiles('src'), ...sourceFiles('sw')], options);
const checker = program.getTypeChecker();

const rel = (file: string) => relative(ROOT, file).split(sep).join('/');

/** The graph node of a file: a folder, or a file at the root of src/core. */
function nodeOf(path: string): string | undefined {
  const parts = path.split('/');
  if (parts[0] === 'sw') return 'sw';
  if (parts[0] !== 'src') return undefined;
  if (parts.length === 2) return path; // src/index.ts, the page entry
  if (parts[1] !== 'core') return `src/${parts[1]}`;
  return parts.length === 3 ? path.replace(/\.ts$/, '') : `src/core/${parts[2]}`;
}

interface Edge {
  from: string;
  to: string;
}

/** Every import and re-export of our own files, type-only ones included. */
function imports(): Edge[] {
  const edges: Edge[] = [];
  for (const file of program.getSourceFiles()) {
    const from = rel(file.fileName);
    if (nodeOf(from) === undefined || from.startsWith('node_modules')) continue;
    for (const statement of file.statements) {
      if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
      const specifier = statement.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier)) continue;
      const resolved = ts.resolveModuleName(specifier.text, file.fileName, options, ts.sys)
        .resolvedModule?.resolvedFileName;
      if (!resolved || resolved.includes('node_modules')) continue;
      edges.push({ from, to: rel(resolved) });
    }
  }
  return edges;
}

/** The strongly connected components with more than one node (Tarjan). */
function cycles(edges: readonly (readonly [string, string])[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const [a, b] of edges) {
    if (a === b) continue;
    next.set(a, (next.get(a) ?? new Set()).add(b));
    if (!next.has(b)) next.set(b, new Set());
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return found;
}

function isInternal(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some((declaration) =>
    ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'internal'),
  );
}

function target(symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** What sw/ imports from core that is neither public nor offered to it, or is `@internal`. */
function workerImportsOutsideTheRules(): string[] {
  const entry = program.getSourceFile(join(ROOT, CORE_ENTRY));
  const entrySymbol = entry && checker.getSymbolAtLocation(entry);
  if (!entrySymbol) throw new Error(`${CORE_ENTRY} not in the program`);
  const publicSymbols = new Set(checker.getExportsOfModule(entrySymbol).map(target));
  const wrong: string[] = [];
  for (const file of program.getSourceFiles()) {
    const from = rel(file.fileName);
    if (!from.startsWith('sw/')) continue;
    for (const statement of file.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) {
        continue;
      }
      const resolved = ts.resolveModuleName(
        statement.moduleSpecifier.text,
        file.fileName,
        options,
        ts.sys,
      ).resolvedModule?.resolvedFileName;
      const to = resolved && rel(resolved);
      if (!to?.startsWith('src/core/')) continue;
      const bindings = statement.importClause?.namedBindings;
      if (!bindings || !ts.isNamedImports(bindings) || statement.importClause?.name) {
        wrong.push(`${from}: only named imports from ${to}`);
        continue;
      }
      for (const element of bindings.elements) {
        const local = checker.getSymbolAtLocation(element.name);
        const symbol = local && target(local);
        const name = `${from}: ${element.name.text} from ${to}`;
        if (!symbol) wrong.push(`${name} (unresolved)`);
        else if (isInternal(symbol)) wrong.push(`${name} is @internal`);
        else if (to !== WORKER_API && !publicSymbols.has(symbol)) {
          wrong.push(`${name} is neither public nor in ${WORKER_API}`);
        }
      }
    }
  }
  return wrong;
}

describe('architecture', () => {
  const edges = imports();
  const folderEdges = edges
    .map(({ from, to }) => [nodeOf(from), nodeOf(to)] as const)
    .filter((edge): edge is readonly [string, string] => edge[0] !== undefined && !!edge[1]);

  it('finds a cycle when there is one (the check itself)', () => {
    expect(
      cycles([
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'a'],
        ['c', 'd'],
      ]),
    ).toEqual([['a', 'b', 'c']]);
    expect(cycles([['a', 'b']])).toEqual([]);
  });

  it('sees the import graph (endpoint modules depend on src/core/endpoint)', () => {
    const into = (node: string) =>
      new Set(folderEdges.filter(([, to]) => to === node).map(([from]) => from));
    const users = into('src/core/endpoint');
    for (const folder of [
      'token',
      'authorize',
      'introspection',
      'revocation',
      'userinfo',
      'registration',
    ]) {
      expect(users).toContain(`src/core/${folder}`);
    }
  });

  it('has no folder that imports another that imports it back', () => {
    const found = cycles(folderEdges);
    const witness = (component: string[]) =>
      edges
        .filter(
          ({ from, to }) =>
            nodeOf(from) !== nodeOf(to) &&
            component.includes(nodeOf(from)!) &&
            component.includes(nodeOf(to)!),
        )
        .map(({ from, to }) => `${from} -> ${to}`);
    expect(found.map(witness)).toEqual([]);
  });

  it('keeps core free of page, protocol and worker code (its entry re-exports WorkerError)', () => {
    const outward = edges.filter(
      ({ from, to }) =>
        from.startsWith('src/core/') &&
        !to.startsWith('src/core/') &&
        !(from === CORE_ENTRY && to === 'src/protocol/errors.ts'),
    );
    expect(outward.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('detects @internal symbols (the check itself)', () => {
    const file = program.getSourceFile(join(ROOT, 'src/core/jwks/get.ts'));
    const module = file && checker.getSymbolAtLocation(file);
    const exported = module ? checker.getExportsOfModule(module) : [];
    const keySetHandle = exported.find((symbol) => symbol.name === 'keySetHandle');
    expect(keySetHandle && isInternal(keySetHandle)).toBe(true);
  });

  it('lets sw/ use core only through its public surface and worker-api.ts, nothing @internal', () => {
    expect(workerImportsOutsideTheRules()).toEqual([]);
  });
});
