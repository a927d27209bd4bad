/**
 * `npm run demo:core`: starts the local OpenID provider (demo/provider.js) and runs four of the core
 * examples of docs/core-api.md against it through the built package (`identity-model-web/core`),
 * printing what each returned.
 */
import {
  getDiscoveryDocument,
  getJwks,
  requestClientCredentialsToken,
  toPrincipal,
  validateToken,
} from 'identity-model-web/core';
import { DEFAULT_API_RESOURCE, DEMO_CLIENTS, startProvider } from './provider.js';

const op = await startProvider({ port: Number(process.env.PORT ?? 0) });
/** @param {string} title @param {unknown} value */
const show = (title, value) => console.log(`\n== ${title}\n${JSON.stringify(value, null, 2)}`);
/** @param {string} token */
const short = (token) => `${token.slice(0, 24)}…(${token.length} chars)`;

try {
  console.log(`OpenID provider (oidc-provider) listening at ${op.issuer}`);

  // 1. Discovery (OpenID Connect Discovery 1.0)
  const disco = await getDiscoveryDocument({ issuer: op.issuer });
  if (!disco.isSuccessful) throw disco.exception;
  show('1. getDiscoveryDocument', {
    issuer: disco.issuer,
    jwksUri: disco.jwksUri,
    tokenEndpoint: disco.tokenEndpoint,
    idTokenSigningAlgValuesSupported: disco.idTokenSigningAlgValuesSupported,
  });

  // 2. JWKS (RFC 7517)
  if (!disco.jwksUri) throw new Error('the provider publishes no jwks_uri');
  const jwks = await getJwks({ address: disco.jwksUri });
  if (!jwks.isSuccessful) throw jwks.exception;
  show(
    '2. getJwks',
    jwks.keys.map(({ kid, kty, alg, crv }) => ({ kid, kty, alg, crv })),
  );

  // 3. Client credentials (RFC 6749 §4.4) for the demo API's resource (RFC 8707)
  const token = await requestClientCredentialsToken({
    address: disco.tokenEndpoint,
    clientId: DEMO_CLIENTS.basic.clientId,
    clientSecret: DEMO_CLIENTS.basic.clientSecret,
    scope: 'api:read',
    resource: DEFAULT_API_RESOURCE,
  });
  if (!token.isSuccessful) throw token.exception;
  show('3. requestClientCredentialsToken', {
    accessToken: short(token.accessToken),
    tokenType: token.tokenType,
    expiresIn: token.expiresIn,
    scope: token.scope,
  });

  // 4. Token validation with discovery (signature, iss, aud, exp, typ at+jwt per RFC 9068)
  const claims = await validateToken(
    token.accessToken,
    { performDisco: true, audience: DEFAULT_API_RESOURCE, typ: 'at+jwt' },
    op.issuer,
  );
  const principal = toPrincipal(claims);
  show('4. validateToken', {
    claims,
    principal: {
      isAuthenticated: principal.isAuthenticated,
      clientId: principal.findFirst('client_id')?.value,
    },
  });
  console.log('\nAll four examples ran against the local provider.');
  console.log('The browser demo (service worker, sign-in, API calls): npm run demo');
} finally {
  await op.close();
}
