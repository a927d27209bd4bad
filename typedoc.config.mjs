/**
 * The API reference (`npm run docs:api`, written to docs/api/, not committed): one module per
 * public entry of package.json "exports", from the TSDoc in the sources. `npm test` runs it
 * (`npm run test:docs`), and any warning fails it: an export or a member without a doc comment,
 * a broken `{@link}`, a type the entries use but do not export, a malformed tag.
 * @type {Partial<import('typedoc').TypeDocOptions>}
 */
const config = {
  name: 'identity-model-web',
  entryPoints: [
    'src/index.ts',
    'sw/index.ts',
    'src/core/index.ts',
    'src/host/callback-guard.ts',
    'src/react/index.ts',
    'src/vite/index.ts',
  ],
  // The entries need the DOM, WebWorker and Node globals at once; `npm run typecheck` checks
  // each against its own, so TypeDoc reads them without checking again.
  tsconfig: 'tsconfig.typedoc.json',
  skipErrorChecking: true,
  out: 'docs/api',
  // The README's relative links and shell blocks belong on GitHub, not on the reference's index.
  readme: 'none',
  excludeInternal: true,
  excludePrivate: true,
  // Until package.json names a repository, a source link would point nowhere.
  disableSources: true,
  treatWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, invalidPath: true, notDocumented: true },
  // Types the signatures use that the entries do not export (API Extractor's "forgotten
  // exports" in api/*.api.md): the building blocks of mapped types, and internal shapes.
  intentionallyNotExported: [
    'ERROR_CODES',
    'CamelCase',
    'Names',
    'URL_MEMBERS',
    'STRING_MEMBERS',
    'STRINGS_MEMBERS',
    'BOOLEAN_MEMBERS',
    'OBJECT_MEMBERS',
    'MemberKind',
    'JsonObject',
    'RetryMode',
    'CompiledEntry',
  ],
  // Every exported declaration, and every member of one, needs a doc comment.
  requiredToBeDocumented: [
    'Enum',
    'EnumMember',
    'Variable',
    'Function',
    'Class',
    'Interface',
    'TypeAlias',
    'Namespace',
    'Module',
    'Property',
    'Method',
    'Accessor',
  ],
};

export default config;
