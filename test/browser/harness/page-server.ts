/**
 * Servers for the browser tests: a Vite dev server that serves the pages under test/browser/pages
 * (and the library's sources they import) on http://localhost, a secure context for service
 * workers and IndexedDB.
 */
import { createServer, type ViteDevServer } from 'vite';

export interface PageServer {
  /** e.g. `http://localhost:41234` */
  origin: string;
  close(): Promise<void>;
}

/** Starts Vite on a free port with the project root as its root. */
export async function startPageServer(): Promise<PageServer> {
  const server: ViteDevServer = await createServer({
    configFile: false,
    root: new URL('../../../', import.meta.url).pathname,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('Vite did not listen');
  return { origin: `http://localhost:${address.port}`, close: () => server.close() };
}
