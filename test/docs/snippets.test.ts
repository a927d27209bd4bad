/**
 * The snippet checker (test/docs/snippets.mjs) on a Markdown file of wrong snippets: each error
 * is reported at its own line of the Markdown file (in the snippet, or in its context comment),
 * an opt-out is counted, a correct snippet passes, and the run fails.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const run = promisify(execFile);
const checker = fileURLToPath(new URL('snippets.mjs', import.meta.url));
const fixture = fileURLToPath(new URL('fixtures/broken-snippets.md', import.meta.url));

test('reports each wrong snippet at its Markdown line, counts opt-outs, and fails', async () => {
  const failure = await run(process.execPath, [checker, fixture]).then(
    () => undefined,
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  expect(failure?.code).toBe(1);
  const reported = [
    ...(failure?.stderr ?? '').matchAll(/^FAIL \S*broken-snippets\.md:(\d+): (.*)$/gm),
  ];
  expect(reported.map(([, line, message]) => [Number(line), message?.slice(0, 6)])).toEqual([
    [8, 'TS2322'], // serviceWorker: 1
    [19, 'TS2322'], // address: a number, from the context's declaration
    [24, '(snipp'], // the context's own error, at the comment's line
    [38, 'TS2304'], // `missing` in JSX
    [46, 'TS2322'], // issuer: 1, checked against the worker entry
  ]);
  expect(failure?.stderr).toMatch(
    /6 snippet\(s\) in 1 file\(s\), 1 opted out \(nocheck: \S*broken-snippets\.md:31\)/,
  );
}, 180_000);
