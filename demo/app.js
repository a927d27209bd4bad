/**
 * `node demo/app.js` (or `npm run demo`): the browser demo. Builds the page client, the
 * stand-alone service worker and the servers' part of the library from the sources, starts the
 * local OpenID provider, the demo API, a non-allowlisted "other origin" and the demo app (see
 * start.js), then waits for you to open the app in a browser. Ctrl-C stops it.
 *
 * Ports: `APP_PORT`, `PROVIDER_PORT`, `API_PORT`, `OTHER_PORT` (5173, 3000, 4000, 4001; `0` picks
 * a free one).
 */
import { DEMO_LOGIN, startDemo } from './start.js';

/** @param {string | undefined} value @param {number} fallback */
const port = (value, fallback) => (value === undefined || value === '' ? fallback : Number(value));

const demo = await startDemo({
  appPort: port(process.env.APP_PORT, 5173),
  providerPort: port(process.env.PROVIDER_PORT, 3000),
  apiPort: port(process.env.API_PORT, 4000),
  otherPort: port(process.env.OTHER_PORT, 4001),
});

console.log(
  `OpenID provider  ${demo.issuer}   (sign in as ${DEMO_LOGIN}, any password; then Continue)`,
);
console.log(`demo API         ${demo.apiUrl}   (needs a token)`);
console.log(`other origin     ${demo.otherUrl}   (not allowlisted: echoes what it gets)`);
console.log(`demo app         ${demo.appOrigin}   ← open this in a browser`);
console.log('Ctrl-C stops everything.');

const stop = async () => {
  await demo.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
