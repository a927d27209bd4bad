/**
 * The destination rule: a token goes only on requests made by `fetch()` or `XMLHttpRequest`
 * (`request.destination === ''`), unless the API's entry opts in for a markup destination. A
 * CORS-mode `<img crossorigin>`, `<script type=module>`, `<link rel=stylesheet>`, `<video>` or a
 * CSS `url()` to an allowlisted API would otherwise be an authorized request made by HTML
 * injection alone, without any script.
 *
 * @module
 */

import { ConfigurationError } from '../src/core/errors.js';
import type { CompiledEntry } from './allowlist.js';

/** Destinations an entry may opt in to (Fetch §2.2.5 `RequestDestination`, minus `''`). */
const DESTINATIONS: ReadonlySet<string> = new Set([
  'audio',
  'audioworklet',
  'document',
  'embed',
  'font',
  'frame',
  'iframe',
  'image',
  'json',
  'manifest',
  'object',
  'paintworklet',
  'report',
  'script',
  'sharedworker',
  'style',
  'track',
  'video',
  'worker',
  'xslt',
]);

/** Checks an entry's `destinations` (an array of known destination names), quoting `path`. */
export function assertDestinations(value: unknown, path: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || !value.every((item) => DESTINATIONS.has(item as string))) {
    throw new ConfigurationError(
      `"${path}" must be an array of request destinations (e.g. ["image"]); fetch() and XHR ('') always get the token`,
    );
  }
}

/** Whether a request to `api` with this `destination` may carry the token. */
export function allowsDestination(api: CompiledEntry, destination: RequestDestination): boolean {
  return destination === '' || api.entry.destinations?.includes(destination) === true;
}
