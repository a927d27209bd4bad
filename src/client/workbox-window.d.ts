// workbox-window's package.json points Node at its UMD build (no "exports" map), so a named
// import of it fails in Node (SSR, tests). Its ES module build works everywhere, and is the
// smaller modern one; its types are the package's.
declare module 'workbox-window/build/workbox-window.prod.mjs' {
  export { Workbox } from 'workbox-window';
}
