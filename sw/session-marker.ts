/**
 * The session marker: a small non-secret flag in IndexedDB saying a session existed. Tokens die
 * with a stopped worker; the marker survives it, so a restarted worker can tell the pages that
 * their session expired.
 *
 * @module
 */

import { del, get, set, type UseStore } from 'idb-keyval';

const MARKER = 'session-marker';

/** Reads and writes the marker. */
export interface SessionMarker {
  /** Sets (`true`) or clears (`false`) the marker. */
  mark(active: boolean): Promise<void>;
  /** True when the marker is set. */
  had(): Promise<boolean>;
}

/** The marker in the worker's login database (beside the sign-in transactions). */
export function createSessionMarker(db: () => UseStore): SessionMarker {
  return {
    mark: (active) => (active ? set(MARKER, true, db()) : del(MARKER, db())),
    had: async () => (await get(MARKER, db())) === true,
  };
}
