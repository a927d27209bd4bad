/**
 * The demo page's script (served as `/demo.js`; `identity-model-web` is the page client, through
 * the page's import map). Framework-free: it shows what the API received, what page script can
 * find, what an origin outside the allowlist receives, and the worker's events.
 */
import { createIdentityClient } from 'identity-model-web';
import { findSecrets, readPageStorage } from './storage-scan.js';

/**
 * @typedef {import('../src/protocol/messages.js').WorkerEvent} WorkerEvent
 * @typedef {import('../src/protocol/messages.js').UserState} UserState
 * @typedef {import('./storage-scan.js').Finding} Finding
 * @typedef {import('./storage-scan.js').Place} Place
 * @typedef {{ apiUrl: string, otherUrl: string, issuer: string, login: string }} DemoConfig
 * @typedef {{ at: string, from: 'worker' | 'page', text: string }} LogEntry
 */

/** @param {string} id */
const byId = (id) => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing`);
  return found;
};

/**
 * A new element with text or children.
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {...(Node | string)} children
 */
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** @param {readonly (readonly [string, Node | string])[]} rows */
const table = (rows) =>
  el(
    'table',
    {},
    ...rows.map(([name, value]) => el('tr', {}, el('th', {}, name), el('td', {}, value))),
  );

/** @param {string} text @param {'ok' | 'warn' | 'bad'} tone */
const verdict = (text, tone) => el('p', { class: `verdict ${tone}`, 'data-tone': tone }, text);

/** @param {string} summary @param {unknown} value */
const raw = (summary, value) =>
  el(
    'details',
    {},
    el('summary', {}, summary),
    el('pre', {}, typeof value === 'string' ? value : JSON.stringify(value, null, 2)),
  );

/** A JWT time (seconds since the epoch) as local time; the number itself on hover. */
const time = (/** @type {unknown} */ seconds) =>
  typeof seconds === 'number'
    ? el('time', { title: String(seconds) }, new Date(seconds * 1000).toLocaleTimeString())
    : '–';

/** @param {unknown} value */
const code = (value) => el('code', {}, String(value));

/** @param {HTMLElement} target @param {...(Node | string)} content */
const show = (target, ...content) => target.replaceChildren(...content);

/** @param {unknown} error */
const errorText = (error) => {
  const { code: errorCode, message } = /** @type {{ code?: string, message?: string }} */ (error);
  return `${errorCode ?? 'Error'}: ${message ?? String(error)}`;
};

/** @type {DemoConfig} */
const config = JSON.parse(byId('demo-config').textContent ?? '{}');
byId('issuer').textContent = config.issuer;
byId('demo-login').textContent = config.login;
byId('api-url').textContent = config.apiUrl;
byId('other-url').textContent = config.otherUrl;

const identity = createIdentityClient({ serviceWorker: '/sw.js' });

/** Every answer this page received, as it received it: part of what the scan reads. */
const received = /** @type {string[]} */ ([]);

// --- Events -------------------------------------------------------------------------------------
// The worker sends events to the windows open at the time. In one tab, the session changes while
// the tab is away: the worker's `userchanged` for a sign-in goes out while the tab is coming back
// from the provider (the worker answers the redirect URI; the page that loads next did not exist
// yet), and a sign-out's reaches the page just before it leaves for the provider's logout page.
// So the log is kept for this tab (sessionStorage: no tokens in it, see "Try to find a token"),
// and the page notes what it learned on loading.
const LOG_KEY = 'identity-model-web-demo:events';

/** @returns {LogEntry[]} */
function loadLog() {
  try {
    const entries = JSON.parse(sessionStorage.getItem(LOG_KEY) ?? '[]');
    return Array.isArray(entries) ? entries : [];
  } catch {
    return [];
  }
}

/** @param {LogEntry['from']} from @param {string} text */
function log(from, text) {
  const entries = [...loadLog(), { at: new Date().toLocaleTimeString(), from, text }].slice(-30);
  sessionStorage.setItem(LOG_KEY, JSON.stringify(entries));
  renderLog(entries);
}

/** @param {LogEntry[]} entries */
function renderLog(entries) {
  show(
    byId('events'),
    ...[...entries]
      .reverse()
      .map((entry) =>
        el(
          'li',
          { 'data-from': entry.from },
          el('span', { class: 'from' }, entry.from),
          `${entry.at}  ${entry.text}`,
        ),
      ),
  );
}

/** @param {WorkerEvent} event */
function eventText(event) {
  switch (event.type) {
    case 'userchanged':
      return `userchanged: ${event.state}${event.user ? ` (${event.user.sub})` : ''}`;
    case 'sessionexpired':
      return 'sessionexpired: sign in again';
    case 'error':
      return `error ${event.error.code}: ${event.error.message}`;
    case 'warning':
      return `warning ${event.code}: ${event.message}`;
  }
}

// --- Session ------------------------------------------------------------------------------------
/** @param {UserState} userState */
function renderUser({ state, user }) {
  const badge = byId('state');
  badge.textContent = state;
  document.body.dataset.state = state;
  byId('signin-help').toggleAttribute('open', state !== 'authenticated');
  /** @type {HTMLButtonElement} */ (byId('login')).disabled = state === 'authenticated';
  /** @type {HTMLButtonElement} */ (byId('logout')).disabled = state !== 'authenticated';
  if (!user) {
    show(byId('user'), el('p', { class: 'muted' }, 'Not signed in.'));
    return;
  }
  const claims = /** @type {Record<string, unknown>} */ (user.claims);
  show(
    byId('user'),
    table([
      ['User (sub)', code(user.sub)],
      ['Name', String(claims.name ?? '–')],
      ['Email', String(claims.email ?? '–')],
      ['Scope', code(user.scope ?? '–')],
      // Milliseconds, unlike the JWT times.
      ['Access token expires', new Date(user.expiresAt).toLocaleString()],
    ]),
    raw('What the worker told the page (getUser)', user),
  );
}

async function refreshUser() {
  const userState = await identity.getUser();
  received.push(JSON.stringify(userState));
  renderUser(userState);
  return userState;
}

identity.subscribe((event) => {
  received.push(JSON.stringify(event));
  log('worker', eventText(event));
  if (event.type !== 'warning') refreshUser().catch(() => {});
});

renderLog(loadLog());
const loginError = new URLSearchParams(location.search).get('login_error');
if (loginError) log('page', `sign-in failed: ${loginError}`);
refreshUser().then(
  ({ state, user }) => {
    log('page', `loaded: the worker says ${state}${user ? ` (${user.sub})` : ''}`);
    document.body.dataset.ready = 'true';
  },
  (error) => {
    byId('state').textContent = 'error';
    show(byId('user'), verdict(errorText(error), 'bad'));
    document.body.dataset.error = String(/** @type {{ code?: string }} */ (error).code);
  },
);

byId('login').onclick = () => {
  identity.login().catch((error) => log('page', `login failed: ${errorText(error)}`));
};
byId('logout').onclick = () => {
  identity.logout().catch((error) => log('page', `logout failed: ${errorText(error)}`));
};

// --- 1. The API -----------------------------------------------------------------------------------
byId('call').onclick = async () => {
  const target = byId('api');
  try {
    const response = await fetch(config.apiUrl);
    const text = await response.text();
    received.push(text);
    const body = JSON.parse(text);
    if (!response.ok) {
      show(
        target,
        verdict(`${response.status}: the API refused the request (${body.error}).`, 'bad'),
        el('p', {}, 'Sign in first: without a session the worker has no token to add.'),
        raw('The answer', body),
      );
      return;
    }
    /** @type {Record<string, any>} */
    const claims = body.claims ?? {};
    const boundTo = claims.cnf?.jkt;
    const proof = body.dpop;
    const sameKey = proof && boundTo === proof.jkt;
    const rows = /** @type {[string, Node | string][]} */ ([
      [
        'Authorization',
        body.scheme === 'DPoP'
          ? el('span', {}, code('DPoP'), ' a sender-constrained token (RFC 9449)')
          : el('span', {}, code(body.scheme), ' a bearer token (RFC 6750)'),
      ],
    ]);
    if (body.scheme === 'DPoP') {
      rows.push(['Token bound to key', el('span', { 'data-field': 'cnf.jkt' }, code(boundTo))]);
      rows.push([
        'Proof signed by key',
        el(
          'span',
          { 'data-field': 'proof.jkt' },
          code(proof?.jkt),
          sameKey ? ' ✓ the same key' : ' ✗ another key',
        ),
      ]);
      rows.push([
        'Proof',
        el(
          'span',
          {},
          code(`${proof?.claims?.htm} ${proof?.claims?.htu}`),
          ' signed at ',
          time(proof?.claims?.iat),
          ', ',
          code(`ath ${proof?.claims?.ath}`),
          ' (the hash of the token)',
        ),
      ]);
    }
    rows.push(
      ['User (sub)', code(claims.sub)],
      ['Client (client_id)', code(claims.client_id)],
      ['Scope', code(claims.scope)],
      ['Audience (aud)', code(claims.aud)],
      ['Issuer (iss)', code(claims.iss)],
      ['Valid', el('span', {}, time(claims.iat), ' to ', time(claims.exp))],
    );
    show(
      target,
      verdict(
        body.scheme === 'DPoP'
          ? `${response.status}: the API verified the token and a proof made with the key it is bound to.`
          : `${response.status}: the API verified a bearer token.`,
        body.scheme === 'DPoP' && sameKey ? 'ok' : 'warn',
      ),
      table(rows),
      raw('The API’s answer (what it verified; it never echoes the token)', body),
    );
  } catch (error) {
    show(target, verdict(errorText(error), 'bad'));
  }
};

// --- 2. What page script can see --------------------------------------------------------------------
/** Text of a value, walked a few levels deep (functions and DOM nodes by name only). */
function textOf(/** @type {unknown} */ value, depth = 0, seen = new Set()) {
  if (typeof value === 'string') return value;
  if (typeof value === 'function') return `[function ${value.name}]`;
  if (typeof value !== 'object' || value === null) return String(value);
  if (value instanceof Node) return `[${value.nodeName}]`;
  if (seen.has(value) || depth > 3) return '[…]';
  seen.add(value);
  /** @type {string[]} */
  const parts = [];
  try {
    for (const [key, item] of Object.entries(value)) {
      parts.push(`${key}=${textOf(item, depth + 1, seen)}`);
    }
  } catch {
    return '[unreadable]';
  }
  return `{${parts.join(', ')}}`;
}

/** The page's own globals: what `window` has that a fresh blank window does not. */
function globals() {
  const frame = el('iframe', { hidden: '', src: 'about:blank' });
  document.body.append(frame);
  const blank = new Set(
    Object.getOwnPropertyNames(/** @type {HTMLIFrameElement} */ (frame).contentWindow ?? {}),
  );
  frame.remove();
  const own = Object.getOwnPropertyNames(window).filter((name) => !blank.has(name));
  const record = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (window));
  return { names: own, text: own.map((name) => `${name}=${textOf(record[name])}`).join('\n') };
}

/** @param {number} count @param {string} one @param {string} [many] */
const count = (count, one, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** @param {Finding} finding */
function findingText(finding) {
  const short = finding.boundTo ? `${finding.boundTo.slice(0, 10)}…` : '';
  switch (finding.what) {
    case 'privateKey':
      return finding.extractable
        ? 'a private key page script can export'
        : 'the DPoP private key: extractable=false, so page script cannot copy it';
    case 'nonce':
      return finding.boundTo
        ? 'a nonce in the ID token’s claims kept with the DPoP session: spent at sign-in'
        : 'a nonce';
    case 'codeVerifier':
      return 'a PKCE code verifier';
    default: {
      const name = finding.what === 'jwt' ? 'a JWT' : `a ${finding.what}`;
      return finding.boundTo
        ? `${name} bound to DPoP key ${short}: useless without that key`
        : `${name} not bound to any key: usable by whoever holds it`;
    }
  }
}

/** Whether a finding is something page script could use elsewhere. */
const usable = (/** @type {Finding} */ f) =>
  f.what === 'privateKey' ? f.extractable === true : f.what === 'codeVerifier' || !f.boundTo;

byId('scan').onclick = async () => {
  const target = byId('scan-result');
  show(target, el('p', { class: 'muted' }, 'Reading…'));
  try {
    const dump = await readPageStorage();
    const globalNames = globals();
    /** @type {(Place & { read: string })[]} */
    const places = [
      {
        kind: 'localStorage',
        where: '',
        text: dump.localStorage,
        read: count(dump.localStorage ? dump.localStorage.split('\n').length : 0, 'key'),
      },
      {
        kind: 'sessionStorage',
        where: '',
        text: dump.sessionStorage,
        read: count(dump.sessionStorage ? dump.sessionStorage.split('\n').length : 0, 'key'),
      },
      ...dump.indexedDB.map((store) => ({
        kind: 'IndexedDB',
        where: `${store.database} / ${store.store}`,
        text: store.text,
        read: count(store.records, 'record'),
      })),
      ...(dump.caches ?? []).map((cache) => ({
        kind: 'Cache Storage',
        where: cache.cache,
        text: cache.text,
        read: count(cache.entries, 'entry', 'entries'),
      })),
      {
        kind: 'cookies',
        where: 'document.cookie',
        text: document.cookie,
        read: count(document.cookie ? document.cookie.split(';').length : 0, 'cookie'),
      },
      {
        kind: 'window',
        where: 'the page’s globals',
        text: globalNames.text,
        read: count(globalNames.names.length, 'global'),
      },
      {
        kind: 'location',
        where: 'URL, referrer, history',
        text: `${location.href}\n${document.referrer}\n${textOf(history.state)}`,
        read: location.href,
      },
      {
        kind: 'responses',
        where: 'what the worker and the servers answered this page',
        text: received.join('\n'),
        read: count(received.length, 'answer'),
      },
    ];
    if (dump.indexedDB.length === 0) {
      places.splice(2, 0, { kind: 'IndexedDB', where: '', text: '', read: '0 databases' });
    }
    if ((dump.caches ?? []).length === 0) {
      places.splice(
        places.findIndex((p) => p.kind === 'cookies'),
        0,
        {
          kind: 'Cache Storage',
          where: '',
          text: '',
          read: '0 caches',
        },
      );
    }
    const findings = findSecrets(places);
    const dangerous = findings.filter(usable);
    const bound = findings.filter(
      (f) => !usable(f) && f.what !== 'privateKey' && f.what !== 'nonce',
    );
    const characters = places.reduce((sum, place) => sum + place.text.length, 0);
    const summary = dangerous.length
      ? verdict(`Found ${count(dangerous.length, 'secret')} page script could use anywhere.`, 'bad')
      : verdict(
          'Found no token page script could use: no bearer token, no ID token, no code verifier, no unspent nonce.',
          'ok',
        );
    const boundNote = bound.length
      ? el(
          'p',
          { 'data-bound': String(bound.length) },
          `IndexedDB holds the worker's DPoP session (${count(bound.length, 'token')}), so it survives a stopped worker. `,
          'Those tokens are bound to a key whose private half cannot be exported: a copy is useless elsewhere (RFC 9449). ',
          'Tokens that are not bound are never stored; they live in the worker’s memory only.',
        )
      : '';
    show(
      target,
      summary,
      boundNote,
      el(
        'p',
        { class: 'muted' },
        `Read ${characters} characters from ${count(places.length, 'place')}:`,
      ),
      el(
        'ul',
        { id: 'read', class: 'read' },
        ...places.map((place) =>
          el(
            'li',
            { 'data-kind': place.kind },
            el('strong', {}, place.kind),
            place.where ? ` ${place.where}: ` : ': ',
            place.read,
          ),
        ),
      ),
      findings.length
        ? el(
            'ul',
            { id: 'findings' },
            ...findings.map((f) =>
              el(
                'li',
                { class: usable(f) ? 'bad' : 'muted', 'data-what': f.what },
                `${f.kind}${f.where ? ` (${f.where})` : ''}: ${findingText(f)}`,
                f.value ? el('span', {}, ' ', code(f.value)) : '',
              ),
            ),
          )
        : '',
      raw(
        'Everything read',
        places.map((place) => `## ${place.kind} ${place.where}\n${place.text}`).join('\n\n'),
      ),
    );
    target.dataset.found = String(dangerous.length);
  } catch (error) {
    show(target, verdict(errorText(error), 'bad'));
  }
};

// --- 3. An origin outside the allowlist ---------------------------------------------------------------
byId('other').onclick = async () => {
  const target = byId('other-result');
  try {
    const response = await fetch(config.otherUrl);
    const text = await response.text();
    received.push(text);
    /** @type {{ authorization: string | null, dpop: string | null, cookie: string | null, origin: string | null }} */
    const echo = JSON.parse(text);
    const none = () => el('span', { class: 'ok' }, '(none)');
    const sent = echo.authorization !== null || echo.dpop !== null;
    show(
      target,
      sent
        ? verdict('A credential reached an origin the worker does not trust.', 'bad')
        : verdict(
            'No token was sent: the worker adds tokens only to the API URLs it is configured for.',
            'ok',
          ),
      table([
        ['Authorization', echo.authorization === null ? none() : code(echo.authorization)],
        ['DPoP', echo.dpop === null ? none() : code(echo.dpop)],
        ['Cookie', echo.cookie === null ? none() : code(echo.cookie)],
        ['Origin', code(echo.origin)],
      ]),
    );
  } catch (error) {
    show(target, verdict(errorText(error), 'bad'));
  }
};
