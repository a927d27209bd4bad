/**
 * docs/configuration.md is the complete reference of the worker's and the page client's options:
 * every member of each option type (inherited ones included, e.g. the transport options the
 * worker configuration extends) must have a row `| \`name\` | …` in that type's table. The members
 * are read from the sources with the TypeScript compiler, so an option added without its row
 * fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const page = readFileSync(join(root, 'docs/configuration.md'), 'utf8');

/** Each option type, the file that declares it, and the heading of the section with its table. */
const TYPES = [
  ['TokenHandlerConfig', 'sw/config.ts', '## Worker options'],
  ['ApiEntry', 'sw/allowlist.ts', '## API entries'],
  ['IdentityModelWebOptions', 'src/vite/index.ts', '## Vite plugin'],
  ['ListenOptions', 'sw/handler.ts', '## Your own worker'],
  ['IdentityClientOptions', 'src/client/client.ts', '## The page client'],
  ['IdentityClient', 'src/client/client.ts', '## The page client'],
  ['LoginOptions', 'src/protocol/messages.ts', '## `login()` and `logout()`'],
  ['LogoutOptions', 'src/protocol/messages.ts', '## `login()` and `logout()`'],
  ['CallbackGuardOptions', 'src/host/callback-guard.ts', '## Callback guard'],
] as const;

const program = ts.createProgram(
  TYPES.map(([, file]) => join(root, file)),
  {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    skipLibCheck: true,
    noEmit: true,
  },
);
const checker = program.getTypeChecker();

/** The member names of interface `name` in `file`, inherited members included. */
function members(name: string, file: string): string[] {
  const source = program.getSourceFile(join(root, file));
  const declaration = source?.statements.find(
    (node): node is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(node) && node.name.text === name,
  );
  if (!declaration) throw new Error(`no interface ${name} in ${file}`);
  return checker
    .getPropertiesOfType(checker.getTypeAtLocation(declaration.name))
    .map((symbol) => symbol.name);
}

/** The text of the section that starts with `heading`, up to the next `## ` heading. */
function section(heading: string): string {
  const start = page.indexOf(`\n${heading}`);
  if (start < 0) throw new Error(`no section "${heading}" in docs/configuration.md`);
  const end = page.indexOf('\n## ', start + 1);
  return page.slice(start, end < 0 ? undefined : end);
}

describe('docs/configuration.md', () => {
  for (const [name, file, heading] of TYPES) {
    it(`has a row for every member of ${name}`, () => {
      const found = members(name, file);
      expect(found.length, `${name} members`).toBeGreaterThan(0);
      const text = section(heading);
      const missing = found.filter(
        (member) => !new RegExp(`^\\| \`${member}(\\(|\`)`, 'm').test(text),
      );
      expect(missing, `${name} members without a row under "${heading}"`).toEqual([]);
    });
  }
});
