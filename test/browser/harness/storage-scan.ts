/**
 * Everything page script of an origin can read back from storage, as text: localStorage,
 * sessionStorage (the page's tab), every record (key and value) of every object store of every
 * IndexedDB database, and every cached request and response body in CacheStorage; plus the
 * context's cookies. Tests search the text for secrets, after planting a marker in each kind to
 * prove the scan reads it.
 */
import type { BrowserContext, Cookie, Page } from '@playwright/test';

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

/** Reads everything back as text. */
export function dumpStorage(page: Page): Promise<StorageDump> {
  return page.evaluate(async () => {
    const bytes = (view: Uint8Array) =>
      `${Array.from(view, (b) => String.fromCharCode(b)).join('')} ${new TextDecoder().decode(view)}`;
    const text = async (value: unknown, seen = new Set<unknown>()): Promise<string> => {
      if (typeof value === 'string') return value;
      if (typeof value !== 'object' || value === null) return String(value);
      if (seen.has(value)) return '[cycle]';
      seen.add(value);
      if (value instanceof ArrayBuffer) return bytes(new Uint8Array(value));
      if (ArrayBuffer.isView(value)) {
        return bytes(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      }
      if (value instanceof Blob) return value.text();
      if (value instanceof Date || value instanceof RegExp) return String(value);
      // CryptoKey exists in secure contexts only.
      if (typeof CryptoKey !== 'undefined' && value instanceof CryptoKey) {
        const jwk = value.extractable ? await crypto.subtle.exportKey('jwk', value) : null;
        return `[CryptoKey ${value.type} extractable=${value.extractable} ${await text(jwk, seen)}]`;
      }
      const parts: string[] = [];
      const entries =
        value instanceof Map
          ? [...value.entries()]
          : value instanceof Set
            ? [...value].map((item, index) => [index, item])
            : Object.entries(value);
      for (const [key, item] of entries) {
        parts.push(`${await text(key, seen)}=${await text(item, seen)}`);
      }
      return `{${parts.join(', ')}}`;
    };
    const readStorage = (storage: Storage) =>
      Array.from({ length: storage.length }, (_, i) => storage.key(i)!)
        .map((key) => `${key}=${storage.getItem(key)}`)
        .join('\n');
    const request = <T>(req: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });

    const indexed: { database: string; store: string; records: number; text: string }[] = [];
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
        open.onblocked = () => reject(new Error(`opening ${info.name} is blocked`));
      });
      try {
        for (const store of Array.from(db.objectStoreNames)) {
          const objects = db.transaction(store, 'readonly').objectStore(store);
          const [keys, values] = await Promise.all([
            request(objects.getAllKeys()),
            request(objects.getAll()),
          ]);
          const lines: string[] = [];
          for (let i = 0; i < keys.length; i++) {
            lines.push(`${await text(keys[i])} => ${await text(values[i])}`);
          }
          indexed.push({ database: db.name, store, records: keys.length, text: lines.join('\n') });
        }
      } finally {
        db.close();
      }
    }

    let cached: { cache: string; entries: number; text: string }[] | null = null;
    if (typeof caches !== 'undefined') {
      cached = [];
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        const lines: string[] = [];
        const requests = await cache.keys();
        for (const req of requests) {
          const response = await cache.match(req);
          const headers = response ? [...response.headers].map(([k, v]) => `${k}: ${v}`) : [];
          const body = response ? bytes(new Uint8Array(await response.arrayBuffer())) : '';
          lines.push(
            `${req.method} ${req.url}\n${[...req.headers].join('\n')}\n${headers}\n${body}`,
          );
        }
        cached.push({ cache: name, entries: requests.length, text: lines.join('\n') });
      }
    }

    return {
      origin: location.origin,
      localStorage: readStorage(localStorage),
      sessionStorage: readStorage(sessionStorage),
      indexedDB: indexed,
      caches: cached,
    };
  });
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
