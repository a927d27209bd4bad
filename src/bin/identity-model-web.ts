/**
 * The `identity-model-web` executable (the package's `bin`), built to
 * dist/bin/identity-model-web.js. Node only; never part of the page or worker bundles.
 */
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
