/** Builds the page client and the stand-alone worker the CDP suite serves, from the sources. */
import { buildBrowserBundles } from '../../demo/build.js';
import { CDP_BUILD_DIR } from './harness/cdp-app.js';

export default async function setup(): Promise<void> {
  await buildBrowserBundles(CDP_BUILD_DIR);
}
