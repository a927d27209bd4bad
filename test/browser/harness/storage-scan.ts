/**
 * Everything page script of an origin can read back from storage, as text: localStorage,
 * sessionStorage (the page's tab), every record (key and value) of every object store of every
 * IndexedDB database, and every cached request and response body in CacheStorage; plus the
 * context's cookies. Tests search the text for secrets, after planting a marker in each kind to
 * prove the scan reads it.
 */
import type { BrowserContext, Cookie, Page } from '@playwright/test';
import { readPageStorage } from '../../../demo/storage-scan.js';

/** One origin's storage as text; `null` for a kind this origin does not have (no secure context). */
export interface StorageDump {
  readonly origin: string;
  readonly localStorage: string;
  readonly sessionStorage: string;
  readonly indexedDB: readonly { database: string; store: string; records: number; text: string }[];
  readonly caches: readonly { cache: string; entries: number; text: string }[] | null;
}

export type StorageKind = 'localStorage' | 'sessionStorage' | 'indexedDB' | 'caches' | 'cookies';

/** Where a needle was found. */
export interface Finding {
  readonly kind: StorageKind;
  readonly origin: string;
  /** Database/store, cache name, or cookie name. */
  readonly where: string;
}

/** Names the markers use (a database, a store, a cache, a key). */
const MARKER_NAME = 'storage-scan-marker';

/** Writes `marker` into every storage kind the page's origin has (and a cookie). */
export async function plantMarkers(page: Page, marker: string): Promise<void> {
  await page.evaluate(
    async ({ marker, name }) => {
      localStorage.setItem(name, marker);
      sessionStorage.setItem(name, marker);
      // biome-ignore lint/suspicious/noDocumentCookie: page script's own way (no cookieStore without a secure context).
      document.cookie = `${name}=${marker}; path=/`;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name, 1);
        open.onupgradeneeded = () => open.result.createObjectStore(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(name, 'readwrite');
        // A nested value, so the scan has to walk objects, not just read strings.
        tx.objectStore(name).put({ nested: { list: [1, marker] } }, 'record');
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
      if (typeof caches !== 'undefined') {
        const cache = await caches.open(name);
        await cache.put(`/${name}`, new Response(`body ${marker}`));
      }
    },
    { marker, name: MARKER_NAME },
  );
}

/**
 * Reads everything back as text: the demo's own scan (demo/storage-scan.js), run in the page from
 * its source text, so the demo's "Try to find a token" and these tests read storage alike.
 */
export function dumpStorage(page: Page): Promise<StorageDump> {
  return page.evaluate(readPageStorage);
}

/** Every place `needle` appears in `dumps` and `cookies`. */
export function findIn(
  needle: string,
  dumps: readonly StorageDump[],
  cookies: readonly Cookie[] = [],
): Finding[] {
  // The value as it is, and base64-encoded (a token stored as bytes shows up decoded already).
  const forms = [needle, Buffer.from(needle).toString('base64')];
  const has = (text: string) => forms.some((form) => text.includes(form));
  const found: Finding[] = [];
  for (const dump of dumps) {
    const { origin } = dump;
    if (has(dump.localStorage)) found.push({ kind: 'localStorage', origin, where: '' });
    if (has(dump.sessionStorage)) found.push({ kind: 'sessionStorage', origin, where: '' });
    for (const store of dump.indexedDB) {
      if (has(store.text)) {
        found.push({ kind: 'indexedDB', origin, where: `${store.database}/${store.store}` });
      }
    }
    for (const cache of dump.caches ?? []) {
      if (has(cache.text)) found.push({ kind: 'caches', origin, where: cache.cache });
    }
  }
  for (const cookie of cookies) {
    if (has(cookie.value) || has(cookie.name)) {
      found.push({ kind: 'cookies', origin: cookie.domain, where: cookie.name });
    }
  }
  return found;
}

/** Adds a marker cookie for each URL (the browser's own store, as a server would set it). */
export async function plantCookieMarkers(
  context: BrowserContext,
  marker: string,
  urls: readonly string[],
): Promise<void> {
  await context.addCookies(urls.map((url) => ({ name: `${MARKER_NAME}-set`, value: marker, url })));
}
