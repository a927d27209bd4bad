/**
 * The demo OpenID provider (demo/provider.js) for vitest suites: one provider per suite.
 */
import { afterAll, beforeAll } from 'vitest';
import { type DemoProvider, type ProviderOptions, startProvider } from '../../demo/provider.js';

export {
  API_SCOPE,
  DEFAULT_API_RESOURCE,
  DEMO_CLIENTS,
  DEMO_INITIAL_ACCESS_TOKEN,
  startProvider,
} from '../../demo/provider.js';
export type { DemoProvider, ProviderOptions };

/**
 * Starts a provider in `beforeAll` and closes it in `afterAll`. Returns an accessor, since the
 * provider exists only once the suite's hooks have run.
 */
export function useProvider(options?: ProviderOptions): () => DemoProvider {
  let provider: DemoProvider | undefined;
  beforeAll(async () => {
    provider = await startProvider(options);
  });
  afterAll(async () => {
    await provider?.close();
  });
  return () => {
    if (!provider) throw new Error('useProvider: the provider starts in beforeAll');
    return provider;
  };
}
