/**
 * The React test app (apps/react-app.ts) on the stand-alone worker: an {@link AppServer} like
 * the plain test app, so env.ts's helpers (`signIn`) drive it unchanged.
 */
import { startAppServer as startServer } from '../../../demo/app-server.js';
import { clockConfigScript } from './app-server.js';
import { type Env, startEnv } from './env.js';
import { BUILD_DIR } from './paths.js';

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>identity-model-web React app</title></head>
<body><div id="root"></div><script type="module" src="/react-app.js"></script></body>
</html>`;

/** The usual world (provider, API) with the React app in place of the plain test app. */
export async function startReactEnv(): Promise<Env> {
  const app = await startServer({
    page: PAGE,
    buildDir: BUILD_DIR,
    scripts: { '/react-app.js': `${BUILD_DIR}apps/react-app.js` },
    configScript: clockConfigScript,
  });
  return startEnv({}, app);
}
