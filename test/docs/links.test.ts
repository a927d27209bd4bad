/**
 * The README and docs/*.md link to each other by relative paths and heading anchors (the README
 * is short and points into the guides). Every such link must reach an existing file and, with
 * `#anchor`, a heading of that file as GitHub spells its anchor. Links inside code blocks and to
 * other sites are not followed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Markdown without its fenced code blocks. */
const prose = (text: string) => text.replace(/^```[\s\S]*?^```/gm, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_\- ]/gu, '')
    .replaceAll(' ', '-');

function anchors(page: string): Set<string> {
  const text = prose(readFileSync(join(root, page), 'utf8'));
  return new Set([...text.matchAll(/^#+ (.+)$/gm)].map(([, heading]) => anchor(heading!)));
}

describe('links between the README and docs/', () => {
  for (const page of pages) {
    it(`${page}: every relative link and anchor resolves`, () => {
      const text = prose(readFileSync(join(root, page), 'utf8'));
      const broken: string[] = [];
      for (const [, link] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(link!)) continue;
        const [path = '', hash] = link!.split('#');
        const target = path === '' ? page : normalize(join(dirname(page), path));
        if (!existsSync(join(root, target))) broken.push(`${link} (no file)`);
        else if (hash && target.endsWith('.md') && !anchors(target).has(hash)) {
          broken.push(`${link} (no heading)`);
        }
      }
      expect(broken).toEqual([]);
    });
  }
});
