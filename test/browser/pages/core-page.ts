// The browser tests drive the core through `window.core` (page.evaluate).
import * as core from '../../../src/core/index.js';

declare global {
  interface Window {
    core: typeof core;
  }
}

window.core = core;
document.body.dataset.ready = 'true';
