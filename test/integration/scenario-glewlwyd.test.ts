/**
 * The shared core-flow scenario (test/support/scenario/core-flow.ts) against Glewlwyd 2.7
 * (Debian's `glewlwyd`). Skips with a message on a machine without it, except under CI.
 */
import { describeCoreFlow } from '../support/scenario/core-flow.js';
import { glewlwydAdapter } from '../support/scenario/glewlwyd.js';

describeCoreFlow(glewlwydAdapter);
