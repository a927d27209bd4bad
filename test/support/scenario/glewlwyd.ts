/**
 * The Glewlwyd adapter of the shared scenario: a fresh Glewlwyd 2.7 per suite
 * (test/support/glewlwyd), the login driven through its API, and its deviations.
 */
import { GlewlwydUserAgent, glewlwydSkipReason, startGlewlwyd } from '../glewlwyd/index.js';
import type { ScenarioAdapter } from './adapter.js';

const REDIRECT_URI = 'http://localhost:5173/callback';
const POST_LOGOUT_REDIRECT_URI = 'http://localhost:5173/';

function skipReason(): { skipReason?: string } {
  const reason = glewlwydSkipReason();
  return reason === undefined ? {} : { skipReason: reason };
}

export const glewlwydAdapter: ScenarioAdapter = {
  name: 'Glewlwyd',
  ...skipReason(),
  deviations: {
    // Its discovery lists grant types as response types.
    ignoredDiscoveryValues: [
      { member: 'response_types_supported', value: 'client_credentials' },
      { member: 'response_types_supported', value: 'refresh_token' },
    ],
    basicCredentialsNotDecoded: true,
    authTimeZero: true,
    refreshWithoutIdToken: true,
    refreshErrorWithoutBody: true,
    publicClientCannotRevoke: true,
    introspectsOnlyOwnTokens: true,
    clientAuthFailureStatus: 403,
    silentSignInError: 'interaction_required',
  },
  async start() {
    const server = await startGlewlwyd({
      redirectUris: [REDIRECT_URI],
      postLogoutRedirectUri: POST_LOGOUT_REDIRECT_URI,
    });
    const { user, clients } = server;
    return {
      issuer: server.issuer,
      spa: {
        clientId: clients.spa.clientId,
        redirectUri: REDIRECT_URI,
        postLogoutRedirectUri: POST_LOGOUT_REDIRECT_URI,
        scope: 'openid profile email',
      },
      machine: {
        clientId: clients.machine.clientId,
        clientSecret: clients.machine.clientSecret,
        authMethod: 'client_secret_basic',
        scope: clients.machine.scope,
        // Without a resource Glewlwyd puts the scope string in `aud`.
        audience: clients.machine.scope,
        typ: 'at+jwt',
        encodeBasicCredentials: false,
      },
      device: { clientId: clients.spa.clientId },
      publishedKids: [String(server.publicJwk.kid)],
      userEmail: user.email,
      newUserAgent() {
        const agent = new GlewlwydUserAgent(server.origin, user.username, user.password);
        return {
          authorize: (url) => agent.authorize(url),
          authorizeSilently: (url) => agent.authorizeOnce(url),
          approveDevice: (uri, code) => agent.approveDevice(uri, code),
          endSession: (url) => agent.endSession(url),
        };
      },
      close: () => server.close(),
    };
  },
};
