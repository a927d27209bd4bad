/** Where global-setup.ts puts the bundles the browser tests serve. */
export const BUILD_DIR = new URL('../../../test-results/browser-build/', import.meta.url).pathname;
