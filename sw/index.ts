/**
 * identity-model-web/sw: what an app imports into its service worker (placeholder until the
 * service-worker issue lands).
 *
 * @module
 */

/** Version of the page ⇄ worker message protocol. */
export const PROTOCOL_VERSION = 1;
