/**
 * Where global-setup.ts puts the bundles the browser tests serve. `IMW_BROWSER_BUILD` moves it
 * (e.g. outside `test-results/`, which every Playwright run empties when it starts).
 */
export const BUILD_DIR =
  process.env.IMW_BROWSER_BUILD ??
  new URL('../../../test-results/browser-build/', import.meta.url).pathname;
