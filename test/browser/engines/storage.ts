/**
 * The storage scan (harness/storage-scan.ts) for any engine: plants a marker in every kind of
 * storage page script has on the page's origin (localStorage, sessionStorage, IndexedDB,
 * CacheStorage, `document.cookie`), reads everything back as text, and finds values in it.
 */
import type { Page } from '@playwright/test';
import { dumpStorage, findIn, plantMarkers } from '../harness/storage-scan.js';
import type { EnginePage } from './engine.js';

/** One origin's page-readable storage, read back. */
export interface ScannedStorage {
  readonly origin: string;
  /** The kinds this origin has. */
  readonly kinds: readonly string[];
  /** The kinds the planted marker was found in (equal to `kinds` when the scan works). */
  readonly markerFoundIn: readonly string[];
  /** Where `value` was found (kind and place), `[]` when nowhere. */
  find(value: string): string[];
}

/**
 * The scan's functions take Playwright's page; they only call `page.evaluate(fn, arg)` with
 * self-contained functions, which every engine runs from their source text.
 */
function asPlaywrightPage(page: EnginePage): Page {
  return {
    evaluate: (fn: (arg: unknown) => unknown, arg: unknown) =>
      page.evaluate(`(${fn.toString()})(${JSON.stringify(arg)})`),
  } as unknown as Page;
}

/** Plants `marker` on `page`'s origin, then reads its storage and cookies back. */
export async function scanStorage(page: EnginePage, marker: string): Promise<ScannedStorage> {
  const scripted = asPlaywrightPage(page);
  await plantMarkers(scripted, marker);
  const dump = await dumpStorage(scripted);
  const cookie = await page.evaluate<string>('document.cookie');
  const kinds = ['localStorage', 'sessionStorage', 'indexedDB', 'cookie'];
  if (dump.caches) kinds.push('caches');
  const find = (value: string) => [
    ...findIn(value, [dump]).map((f) => `${f.kind}${f.where ? ` ${f.where}` : ''}`),
    ...(cookie.includes(value) ? ['cookie'] : []),
  ];
  const kindOf = (place: string) => place.split(' ')[0]!;
  return {
    origin: dump.origin,
    kinds: kinds.sort(),
    markerFoundIn: [...new Set(find(marker).map(kindOf))].sort(),
    find,
  };
}
