/**
 * identity-model-web: the main-thread client (placeholder until the service-worker issue lands).
 *
 * @module
 */

/** Version of the page ⇄ worker message protocol. */
export const PROTOCOL_VERSION = 1;
