/**
 * The one list of error codes (src/core/error-codes.ts) against the classes and the docs: each
 * code has a one-line description, its family is the class that carries it, and the error table
 * in docs/errors.md is exactly the table generated from the list. Every `ERR_` name in the
 * sources, the README and docs/*.md is a listed code.
 * `WRITE_ERROR_TABLE=1 npx vitest run test/core/error-codes` rewrites the table from the list.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode, isErrorCode } from '../../src/core/error-codes.js';
import * as core from '../../src/core/index.js';
import * as page from '../../src/index.js';

const root = new URL('../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const codes = Object.keys(ERROR_CODES) as ErrorCode[];

/** `code → description`, read from the doc comment above each entry of the list. */
function descriptions(): Map<string, string> {
  const source = read('src/core/error-codes.ts');
  const found = new Map<string, string>();
  for (const [, text, code] of source.matchAll(/\/\*\* (.+?) \*\/\n\s+(ERR_[A-Z_]+): '/g)) {
    found.set(code!, text!);
  }
  return found;
}

type ErrorClass = abstract new (...args: never[]) => core.IdentityModelError;
const isErrorClass = (value: unknown): value is ErrorClass =>
  typeof value === 'function' && value.prototype instanceof core.IdentityModelError;
const exported = new Map<string, ErrorClass>();
for (const [name, value] of [...Object.entries(core), ...Object.entries(page)]) {
  if (isErrorClass(value)) exported.set(name, value);
}

/** The class each fixed-code subclass (e.g. `TokenExpiredError`) is made for, by code. */
function subclasses(): Map<ErrorCode, string> {
  const found = new Map<ErrorCode, string>();
  for (const [name, Class] of exported) {
    if (Object.values(ERROR_CODES).includes(name as never)) continue;
    const probe = new (Class as unknown as new (message: string) => core.IdentityModelError)(
      'probe',
    );
    if (isErrorCode(probe.code)) found.set(probe.code, name);
  }
  return found;
}

/** The error table, one row per code in list order. */
function table(): string {
  const described = descriptions();
  const sub = subclasses();
  const rows = codes.map((code) => {
    const family = `\`${ERROR_CODES[code]}\``;
    const special = sub.get(code);
    const cls = special ? `\`${special}\` (a ${family})` : family;
    return `| \`${code}\` | ${cls} | ${described.get(code)!.replaceAll('|', '\\|')} |`;
  });
  return ['| Code | Class | When |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The page the generated table lives in. */
const TABLE_PAGE = 'docs/errors.md';
const START = '<!-- error-codes:start (generated from src/core/error-codes.ts) -->';
const END = '<!-- error-codes:end -->';

/** Every file under `dir` ending in `.ts`. */
function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('the error code list', () => {
  it('gives every code a one-line description', () => {
    expect([...descriptions().keys()]).toEqual(codes);
  });

  it('names a family class that is exported, and every fixed-code class is of its family', () => {
    for (const family of new Set(Object.values(ERROR_CODES))) {
      expect(exported.has(family), family).toBe(true);
    }
    for (const [code, name] of subclasses()) {
      const probe = new (exported.get(name) as unknown as new (m: string) => Error)('probe');
      expect(probe, `${name} (${code})`).toBeInstanceOf(exported.get(ERROR_CODES[code])!);
    }
  });

  it('gives token validation codes the ERR_JWT_ prefix the worker tells them by', () => {
    for (const code of codes) {
      expect(code.startsWith('ERR_JWT_'), code).toBe(ERROR_CODES[code] === 'TokenValidationError');
    }
  });

  it('is the error table in docs/errors.md', () => {
    const page = read(TABLE_PAGE);
    const start = page.indexOf(START);
    const end = page.indexOf(END);
    expect(start, `${TABLE_PAGE} markers`).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    const expected = `${START}\n\n${table()}\n\n`;
    if (process.env.WRITE_ERROR_TABLE) {
      writeFileSync(join(root, TABLE_PAGE), page.slice(0, start) + expected + page.slice(end));
      return;
    }
    expect(page.slice(start, end)).toBe(expected);
  });

  it('names only listed codes in the sources and the docs', () => {
    // oauth4webapi's argument errors, which src/core/token/errors.ts maps to ERR_CONFIGURATION.
    const foreign = new Set(['ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE']);
    const docs = readdirSync(join(root, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`);
    const files = ['README.md', ...docs, ...sources('src'), ...sources('sw')];
    for (const file of files) {
      for (const [name] of read(file).matchAll(/\bERR_[A-Z_]*[A-Z]\b/g)) {
        if (foreign.has(name)) continue;
        expect(isErrorCode(name), `${name} in ${file}`).toBe(true);
      }
    }
  });
});
