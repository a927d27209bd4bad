/**
 * What page script can read back from storage, and what in it looks like a secret. Served to the
 * demo page as `/storage-scan.js` ("Try to find a token") and used by the browser tests
 * (test/browser/harness/storage-scan.ts), so the demo and the tests read storage the same way.
 */

/**
 * @typedef {object} StorageDump One origin's storage as text.
 * @property {string} origin
 * @property {string} localStorage `key=value` lines.
 * @property {string} sessionStorage `key=value` lines (the page's tab).
 * @property {{ database: string, store: string, records: number, text: string }[]} indexedDB
 *   Every object store of every database: one `key => value` line per record.
 * @property {{ cache: string, entries: number, text: string }[] | null} caches Every cached
 *   request and response (`null` outside a secure context, where CacheStorage does not exist).
 */

/**
 * Reads every record (key and value) of localStorage, sessionStorage, every object store of
 * every IndexedDB database, and every cached request and response of CacheStorage, as text.
 * Values are walked (objects, arrays, maps, sets, bytes, blobs; a `CryptoKey` shows its type and
 * whether it is extractable, and its JWK when it is).
 *
 * Self-contained (it references nothing outside its body): tests run it in a page from its
 * source text (`page.evaluate(readPageStorage)`).
 * @returns {Promise<StorageDump>}
 */
export async function readPageStorage() {
  /** @param {Uint8Array} view */
  const bytes = (view) =>
    `${Array.from(view, (b) => String.fromCharCode(b)).join('')} ${new TextDecoder().decode(view)}`;
  /** @type {(value: unknown, seen?: Set<unknown>) => Promise<string>} */
  const text = async (value, seen = new Set()) => {
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
    /** @type {string[]} */
    const parts = [];
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
  /** @param {Storage} storage */
  const readStorage = (storage) =>
    Array.from({ length: storage.length }, (_, i) => /** @type {string} */ (storage.key(i)))
      .map((key) => `${key}=${storage.getItem(key)}`)
      .join('\n');
  /** @type {<T>(req: IDBRequest<T>) => Promise<T>} */
  const request = (req) =>
    new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });

  /** @type {StorageDump['indexedDB']} */
  const indexed = [];
  for (const info of await indexedDB.databases()) {
    const name = info.name;
    if (!name) continue;
    /** @type {IDBDatabase} */
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
      open.onblocked = () => reject(new Error(`opening ${name} is blocked`));
    });
    try {
      for (const store of Array.from(db.objectStoreNames)) {
        const objects = db.transaction(store, 'readonly').objectStore(store);
        const [keys, values] = await Promise.all([
          request(objects.getAllKeys()),
          request(objects.getAll()),
        ]);
        const lines = [];
        for (let i = 0; i < keys.length; i++) {
          lines.push(`${await text(keys[i])} => ${await text(values[i])}`);
        }
        indexed.push({ database: db.name, store, records: keys.length, text: lines.join('\n') });
      }
    } finally {
      db.close();
    }
  }

  /** @type {StorageDump['caches']} */
  let cached = null;
  if (typeof caches !== 'undefined') {
    cached = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      const lines = [];
      const requests = await cache.keys();
      for (const req of requests) {
        const response = await cache.match(req);
        const headers = response ? [...response.headers].map(([k, v]) => `${k}: ${v}`) : [];
        const body = response ? bytes(new Uint8Array(await response.arrayBuffer())) : '';
        lines.push(`${req.method} ${req.url}\n${[...req.headers].join('\n')}\n${headers}\n${body}`);
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
}

/**
 * @typedef {object} Place Text page script read, and where from.
 * @property {string} kind e.g. `indexedDB`, `localStorage`, `cookie`, `window`, `responses`.
 * @property {string} where e.g. the database and store, or `''`.
 * @property {string} text
 */

/**
 * @typedef {object} Finding Something in a place that looks like a secret.
 * @property {string} kind
 * @property {string} where
 * @property {'jwt' | 'accessToken' | 'refreshToken' | 'idToken' | 'codeVerifier' | 'nonce' | 'privateKey'} what
 * @property {string} value The value (shortened to 24 characters).
 * @property {string | null} boundTo The DPoP key thumbprint the secret is bound to (RFC 9449):
 *   a JWT's `cnf.jkt`, or the `jkt` of the record it was found in. `null` when unbound: a bearer
 *   secret anyone holding it can use.
 * @property {boolean | null} extractable For `privateKey`: whether page script can export it.
 */

// Field names of secrets, as the worker, oauth4webapi or a hand-written app would spell them,
// followed by a value: `name=value` (walked records, cookies) or `"name":"value"` (JSON).
const NAMED =
  /\b(access_?token|refresh_?token|id_?token|code_?verifier|verifier|nonce)"?\s*[=:]\s*"?([^,;}"\s]+)/gi;
// A compact JWS or JWE: a base64url JSON header (`{"` is `eyJ`), then at least two more parts.
const JWT = /\beyJ[\w-]+\.[\w-]+\.[\w-]*(?:\.[\w-]+\.[\w-]+)?/g;
const PRIVATE_KEY = /\[CryptoKey private extractable=(true|false)/g;
const JKT = /\bjkt=([\w-]{43})\b/;

/** @type {Record<string, Finding['what']>} */
const WHAT = {
  accesstoken: 'accessToken',
  refreshtoken: 'refreshToken',
  idtoken: 'idToken',
  codeverifier: 'codeVerifier',
  verifier: 'codeVerifier',
  nonce: 'nonce',
};

/**
 * The payload of a compact JWS, or `undefined` (a JWE, or not a JWT).
 * @param {string} jwt
 * @returns {Record<string, any> | undefined}
 */
function payloadOf(jwt) {
  try {
    const part = /** @type {string} */ (jwt.split('.')[1]);
    return JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return undefined;
  }
}

/**
 * Finds what looks like a secret in `places`: compact JWTs anywhere, values of fields named like
 * tokens, verifiers and nonces, and private `CryptoKey`s. Each line of a place is looked at
 * alone, so a record's `jkt` binds only the secrets of that record.
 * @param {readonly Place[]} places
 * @returns {Finding[]}
 */
export function findSecrets(places) {
  /** @type {Finding[]} */
  const found = [];
  /** @type {Set<string>} */
  const seen = new Set();
  for (const { kind, where, text } of places) {
    for (const line of text.split('\n')) {
      const recordJkt = JKT.exec(line)?.[1] ?? null;
      /** @param {Omit<Finding, 'kind' | 'where'> & { full: string }} finding */
      const add = ({ full, ...finding }) => {
        const key = `${kind}\n${where}\n${finding.what}\n${full}`;
        if (seen.has(key)) return;
        seen.add(key);
        found.push({ kind, where, ...finding });
      };
      const short = (/** @type {string} */ value) =>
        value.length > 24 ? `${value.slice(0, 24)}…` : value;
      for (const [jwt] of line.matchAll(JWT)) {
        const jkt = payloadOf(jwt)?.cnf?.jkt;
        add({
          what: 'jwt',
          full: jwt,
          value: short(jwt),
          boundTo: typeof jkt === 'string' ? jkt : null,
          extractable: null,
        });
      }
      for (const [, name, value] of line.matchAll(NAMED)) {
        const what = WHAT[/** @type {string} */ (name).replace('_', '').toLowerCase()];
        const full = /** @type {string} */ (value);
        if (!what || full === 'undefined' || full === 'null') continue;
        // A JWT under a token's name is reported once, as a JWT.
        if (/^eyJ[\w-]+\.[\w-]+\./.test(full)) continue;
        add({ what, full, value: short(full), boundTo: recordJkt, extractable: null });
      }
      for (const [, extractable] of line.matchAll(PRIVATE_KEY)) {
        add({
          what: 'privateKey',
          full: `${line.slice(0, 80)}${extractable}`,
          value: '',
          boundTo: null,
          extractable: extractable === 'true',
        });
      }
    }
  }
  return found;
}
