/**
 * The stand-alone worker bundle's build flag.
 *
 * @module
 */

// Vite's `define` sets it in `vite build --mode standalone` only (vite.config.ts).
declare const __IMW_STANDALONE_WORKER__: boolean | undefined;

/**
 * True only inside the prebuilt stand-alone worker (dist/identity-model-web-sw.js), a public
 * client that always discovers its provider: code for confidential clients and configured keys
 * is unreachable there, and the flag lets the minifier drop it. Everywhere else (the package's
 * ESM entries, the tests) it is false and changes nothing.
 */
export const STANDALONE_WORKER: boolean =
  typeof __IMW_STANDALONE_WORKER__ === 'boolean' && __IMW_STANDALONE_WORKER__;
