/**
 * The shared core-flow scenario (test/support/scenario/core-flow.ts) against oidc-provider, the
 * demo provider (demo/provider.js).
 */
import { describeCoreFlow } from '../support/scenario/core-flow.js';
import { oidcProviderAdapter } from '../support/scenario/oidc-provider.js';

describeCoreFlow(oidcProviderAdapter);
