/**
 * Runs the demo OpenID provider by hand: `PORT=3000 node demo/provider-cli.js`.
 * `REDIRECT_URIS` and `POST_LOGOUT_REDIRECT_URIS` (space-separated) configure the SPA client.
 * Stops on Ctrl+C.
 */
import process from 'node:process';
import { DEMO_INITIAL_ACCESS_TOKEN, startProvider } from './provider.js';

/** @param {string | undefined} value */
const list = (value) => value?.split(/\s+/).filter(Boolean);

/** @type {import('./provider.js').ProviderOptions} */
const options = { port: Number(process.env.PORT ?? 3000) };
const redirectUris = list(process.env.REDIRECT_URIS);
if (redirectUris) options.redirectUris = redirectUris;
const postLogoutRedirectUris = list(process.env.POST_LOGOUT_REDIRECT_URIS);
if (postLogoutRedirectUris) options.postLogoutRedirectUris = postLogoutRedirectUris;

const op = await startProvider(options);
const { basic, post, privateKeyJwt, spa, device } = op.clients;
console.log(`issuer       ${op.issuer}`);
console.log(`discovery    ${op.issuer}/.well-known/openid-configuration`);
console.log(
  `spa          ${spa.clientId} (public, PKCE) redirect_uris: ${spa.redirectUris.join(' ')}`,
);
console.log(`basic        ${basic.clientId} / ${basic.clientSecret} (client_secret_basic)`);
console.log(`post         ${post.clientId} / ${post.clientSecret} (client_secret_post)`);
console.log(`private jwt  ${privateKeyJwt.clientId} (key generated at start)`);
console.log(`device       ${device.clientId}`);
console.log(`registration Bearer ${DEMO_INITIAL_ACCESS_TOKEN}`);
console.log('login with any name and password; Ctrl+C stops');

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    op.close().then(() => process.exit(0));
  });
}
