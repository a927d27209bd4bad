/**
 * The shared scenario: the core library's whole flow against one real provider, written once
 * and run against every provider through its adapter (./adapter.ts): discovery under the default
 * policy, JWKS, client credentials, code + PKCE with ID-token validation, refresh with rotation,
 * UserInfo, introspection, revocation, PAR, the device flow and the end session.
 *
 * Where a provider deviates from a spec, the adapter says so and the test is named after the
 * deviation and what the library does about it: nothing is skipped silently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthorizationCodeTokenSuccess,
  createEndSessionUrl,
  createMetadataCache,
  type DiscoveryDocument,
  getDiscoveryDocument,
  getJwks,
  getUserInfo,
  introspectToken,
  pollDeviceToken,
  prepareAuthorization,
  pushAuthorizationRequest,
  requestAuthorizationCodeToken,
  requestClientCredentialsToken,
  requestDeviceAuthorization,
  requestRefreshToken,
  revokeToken,
  validateAuthorizeCallback,
  validateToken,
} from '../../../src/core/index.js';
import { expectFailure, expectSuccess } from '../result.js';
import type { ScenarioAdapter, ScenarioProvider, ScenarioUserAgent } from './adapter.js';

type Discovered = DiscoveryDocument & { readonly isSuccessful: true };

/** Declares the scenario's suite for one provider (started once for the whole suite). */
export function describeCoreFlow(adapter: ScenarioAdapter): void {
  const suite = adapter.skipReason ? describe.skip : describe;
  if (adapter.skipReason) console.warn(`[${adapter.name}] skipped: ${adapter.skipReason}`);

  suite(`${adapter.name}: the core flow`, () => {
    let started: ScenarioProvider | undefined;
    const op = (): ScenarioProvider => {
      if (!started) throw new Error(`${adapter.name} did not start`);
      return started;
    };
    let discovered: Discovered | undefined;

    // One provider for the suite: starting one per test would cost seconds each.
    beforeAll(async () => {
      started = await adapter.start();
    });
    afterAll(async () => {
      await started?.close();
    });

    async function disco(): Promise<Discovered> {
      if (discovered) return discovered;
      const response = await getDiscoveryDocument({ issuer: op().issuer, cache: false });
      discovered = expectSuccess(response) as Discovered;
      return discovered;
    }

    /** Signs in with the SPA client through the user agent; returns tokens and transaction. */
    async function signIn(agent: ScenarioUserAgent = op().newUserAgent()) {
      const doc = await disco();
      const { spa } = op();
      const prepared = await prepareAuthorization({
        address: doc.authorizationEndpoint,
        clientId: spa.clientId,
        redirectUri: spa.redirectUri,
        scope: spa.scope,
      });
      const callback = await agent.authorize(prepared.url);
      const { code } = validateAuthorizeCallback(callback, {
        state: prepared.state,
        issuer: doc.issuer,
        issParameterSupported: doc.authorizationResponseIssParameterSupported === true,
        redirectUri: spa.redirectUri,
      });
      const tokens = expectSuccess(
        await requestAuthorizationCodeToken({
          address: doc.tokenEndpoint,
          clientId: spa.clientId,
          code,
          redirectUri: spa.redirectUri,
          codeVerifier: prepared.codeVerifier,
          idToken: { issuer: doc.issuer, nonce: prepared.nonce, cache: createMetadataCache() },
        }),
      );
      return { tokens, prepared, agent };
    }

    function refresh(refreshToken: string, previous?: AuthorizationCodeTokenSuccess) {
      return requestRefreshToken({
        address: discovered!.tokenEndpoint,
        clientId: op().spa.clientId,
        refreshToken,
        idToken: {
          issuer: discovered!.issuer,
          cache: createMetadataCache(),
          ...(previous?.idTokenClaims ? { previousClaims: previous.idTokenClaims } : {}),
        },
      });
    }

    /** Client credentials as the adapter configures them, or with the RFC encoding forced. */
    function clientCredentials(rfcEncoding = false) {
      const { machine } = op();
      const raw = machine.encodeBasicCredentials === false && !rfcEncoding;
      return requestClientCredentialsToken({
        address: discovered!.tokenEndpoint,
        clientId: machine.clientId,
        clientSecret: machine.clientSecret,
        authMethod: machine.authMethod,
        scope: machine.scope,
        ...(raw ? { encodeBasicCredentials: false } : {}),
      });
    }

    /** The confidential client's credentials for introspection and revocation. */
    function machineAuth() {
      const { machine } = op();
      return {
        clientId: machine.clientId,
        clientSecret: machine.clientSecret,
        authMethod: machine.authMethod,
        ...(machine.encodeBasicCredentials === false
          ? { encodeBasicCredentials: false as const }
          : {}),
      };
    }

    const { deviations } = adapter;
    const ignored = deviations.ignoredDiscoveryValues;
    const listed = (values: readonly { member: string; value: string }[]) =>
      values.map(({ member, value }) => `${value} in ${member}`).join(', ');

    it(`DISC-001 discovery passes the default policy with every endpoint of the flow${
      ignored.length
        ? `; unknown values (${listed(ignored)}) are ignored and reported, not refused`
        : ''
    }`, async () => {
      const doc = await disco();
      expect(doc.issuer).toBe(op().issuer);
      for (const endpoint of [
        doc.jwksUri,
        doc.tokenEndpoint,
        doc.userinfoEndpoint,
        doc.introspectionEndpoint,
        doc.revocationEndpoint,
        doc.pushedAuthorizationRequestEndpoint,
        doc.deviceAuthorizationEndpoint,
        doc.endSessionEndpoint,
      ]) {
        expect(endpoint).toMatch(new RegExp(`^${new URL(op().issuer).origin}/`));
      }
      expect(doc.ignoredValues).toEqual(ignored);
      for (const { member, value } of ignored) {
        // Kept in `raw` as sent, left out of the typed list.
        expect(doc.raw[member]).toContain(value);
        const typed = member.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
        expect(Reflect.get(doc, typed)).not.toContain(value);
      }
      expect(doc.responseTypesSupported).toContain('code');
    });

    it('JWKS-001 the key set has the provider signing keys', async () => {
      const jwks = expectSuccess(
        await getJwks({ address: (await disco()).jwksUri!, cache: false }),
      );
      expect(jwks.keys.map((key) => key.kid).sort()).toEqual([...op().publishedKids].sort());
      expect(jwks.skipped).toEqual([]);
    });

    it('CC-001 client credentials give a JWT access token that validates with discovery', async () => {
      await disco();
      const token = expectSuccess(await clientCredentials());
      expect(token.tokenType.toLowerCase()).toBe('bearer');
      expect(token.expiresIn).toBeGreaterThan(0);
      const claims = await validateToken(
        token.accessToken,
        {
          performDisco: true,
          audience: op().machine.audience,
          typ: op().machine.typ,
          cache: createMetadataCache(),
        },
        op().issuer,
      );
      expect(claims.iss).toBe(op().issuer);
      expect(claims.client_id).toBe(op().machine.clientId);
    });

    it(`ACG-006 code + PKCE: the callback (state, RFC 9207 iss) and the ID token validate`, async () => {
      const { tokens, prepared } = await signIn();
      expect(tokens.idTokenClaims).toMatchObject({
        iss: op().issuer,
        aud: op().spa.clientId,
        nonce: prepared.nonce,
      });
      expect(tokens.idTokenClaims?.sub).toEqual(expect.any(String));
      expect(tokens.refreshToken).toEqual(expect.any(String));
      expect(tokens.expiresAt).toBeGreaterThan(Date.now());
    });

    it(`ACG-006 max_age: ${
      deviations.authTimeZero
        ? `${adapter.name}'s ID token says auth_time 0 (OIDC Core §2: the time of the authentication), so the library refuses it with ERR_JWT_CLAIM_INVALID; apps do not send max_age to it`
        : 'the ID token carries an auth_time within max_age'
    }`, async () => {
      const doc = await disco();
      const { spa } = op();
      const prepared = await prepareAuthorization({
        address: doc.authorizationEndpoint,
        clientId: spa.clientId,
        redirectUri: spa.redirectUri,
        scope: spa.scope,
        maxAge: 300,
      });
      const callback = await op().newUserAgent().authorize(prepared.url);
      const { code } = validateAuthorizeCallback(callback, {
        state: prepared.state,
        issuer: doc.issuer,
      });
      const response = await requestAuthorizationCodeToken({
        address: doc.tokenEndpoint,
        clientId: spa.clientId,
        code,
        redirectUri: spa.redirectUri,
        codeVerifier: prepared.codeVerifier,
        idToken: {
          issuer: doc.issuer,
          nonce: prepared.nonce,
          maxAge: 300,
          cache: createMetadataCache(),
        },
      });
      if (deviations.authTimeZero) {
        const refused = expectFailure(response, { code: 'ERR_JWT_CLAIM_INVALID' });
        expect(String(refused.exception)).toMatch(/auth_time 0\b/);
      } else {
        const claims = expectSuccess(response).idTokenClaims!;
        expect(Date.now() / 1000 - claims.auth_time!).toBeLessThan(300);
      }
    });

    it('UI-001 UserInfo answers for the access token with the signed-in subject', async () => {
      const { tokens } = await signIn();
      const userinfo = expectSuccess(
        await getUserInfo({
          address: (await disco()).userinfoEndpoint!,
          token: tokens.accessToken,
          expectedSubject: tokens.idTokenClaims!.sub,
        }),
      );
      expect(userinfo.claims.sub).toBe(tokens.idTokenClaims!.sub);
      expect(userinfo.claims.email).toBe(op().userEmail);
    });

    it('PAR (RFC 9126): the pushed request signs in like a plain one', async () => {
      const doc = await disco();
      const { spa } = op();
      const prepared = await prepareAuthorization({
        address: doc.authorizationEndpoint,
        clientId: spa.clientId,
        redirectUri: spa.redirectUri,
        scope: spa.scope,
      });
      const sent = new URL(prepared.url).searchParams;
      const par = expectSuccess(
        await pushAuthorizationRequest({
          address: doc.pushedAuthorizationRequestEndpoint!,
          authorizationEndpoint: doc.authorizationEndpoint,
          issuer: doc.issuer,
          clientId: spa.clientId,
          redirectUri: spa.redirectUri,
          scope: spa.scope,
          state: prepared.state,
          nonce: prepared.nonce,
          codeChallenge: sent.get('code_challenge')!,
        }),
      );
      expect(par.requestUri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
      const url = new URL(par.url);
      expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
      const callback = await op().newUserAgent().authorize(url.href);
      const { code } = validateAuthorizeCallback(callback, {
        state: prepared.state,
        issuer: doc.issuer,
      });
      const tokens = expectSuccess(
        await requestAuthorizationCodeToken({
          address: doc.tokenEndpoint,
          clientId: spa.clientId,
          code,
          redirectUri: spa.redirectUri,
          codeVerifier: prepared.codeVerifier,
          idToken: { issuer: doc.issuer, nonce: prepared.nonce, cache: createMetadataCache() },
        }),
      );
      expect(tokens.idTokenClaims?.nonce).toBe(prepared.nonce);
    });

    it('device flow (RFC 8628): the user approves on the provider, the poll gets the tokens', async () => {
      const doc = await disco();
      const { spa } = op();
      const agent = op().newUserAgent();
      const auth = expectSuccess(
        await requestDeviceAuthorization({
          address: doc.deviceAuthorizationEndpoint!,
          clientId: op().device.clientId,
          scope: spa.scope,
        }),
      );
      const delays: number[] = [];
      const token = expectSuccess(
        await pollDeviceToken({
          address: doc.tokenEndpoint,
          clientId: op().device.clientId,
          deviceCode: auth.deviceCode,
          interval: auth.interval,
          expiresIn: auth.expiresIn,
          idToken: { issuer: doc.issuer, cache: createMetadataCache() },
          // The injected wait plays the user: the first poll after it finds the grant approved.
          sleep: async (ms) => {
            delays.push(ms);
            if (delays.length === 1) await agent.approveDevice(auth.verificationUri, auth.userCode);
          },
        }),
      );
      expect(delays).toEqual([auth.interval * 1000]);
      expect(token.accessToken).toEqual(expect.any(String));
      expect(token.idTokenClaims?.iss).toBe(doc.issuer);
    });

    if (deviations.basicCredentialsNotDecoded) {
      it(`CC-001 client_secret_basic: ${adapter.name} does not percent-decode the credentials (RFC 6749 §2.3.1), so the encoded default is refused (HTTP ${deviations.clientAuthFailureStatus}, no error body) and encodeBasicCredentials: false is accepted`, async () => {
        await disco();
        // The secret has `-`, `.`, `_` and `~`, which the form encoding escapes.
        expect(op().machine.clientSecret).toMatch(/[-._~]/);
        const encoded = expectFailure(await clientCredentials(true), {
          httpStatus: deviations.clientAuthFailureStatus,
        });
        expect(encoded.error).toBeUndefined();
        expectSuccess(await clientCredentials());
      });
    } else {
      it('CC-001 client_secret_basic: the provider decodes the RFC 6749 §2.3.1 encoding of the credentials', async () => {
        await disco();
        // The secret has characters the form encoding escapes (`-` becomes %2D).
        expect(op().machine.clientSecret).toMatch(/[-._~]/);
        expectSuccess(await clientCredentials(true));
      });
    }

    it(`refresh rotates the refresh token${
      deviations.refreshWithoutIdToken
        ? `; ${adapter.name} sends no new ID token (optional in OIDC Core §12.2): the result has none and the session keeps the sign-in one`
        : '; the new ID token is validated against the sign-in one'
    }`, async () => {
      const { tokens } = await signIn();
      const refreshed = expectSuccess(await refresh(tokens.refreshToken!, tokens));
      expect(refreshed.refreshTokenRotated).toBe(true);
      expect(refreshed.refreshToken).not.toBe(tokens.refreshToken);
      expect(refreshed.accessToken).not.toBe(tokens.accessToken);
      if (deviations.refreshWithoutIdToken) {
        expect(refreshed.idToken).toBeUndefined();
        expect(refreshed.idTokenClaims).toBeUndefined();
      } else {
        expect(refreshed.idTokenClaims?.sub).toBe(tokens.idTokenClaims?.sub);
      }
      // The rotated refresh token works once more.
      expectSuccess(await refresh(refreshed.refreshToken));
    });

    it(`a rotated-out refresh token is refused${
      deviations.refreshErrorWithoutBody
        ? ` with a 400 without the OAuth error body (RFC 6749 §5.2): the library reports an http failure without \`error\`, which ends the worker's session`
        : ' with invalid_grant'
    }`, async () => {
      const { tokens } = await signIn();
      expectSuccess(await refresh(tokens.refreshToken!, tokens));
      const reused = expectFailure(await refresh(tokens.refreshToken!, tokens), {
        httpStatus: 400,
      });
      if (deviations.refreshErrorWithoutBody) {
        expect(reused.errorType).toBe('http');
        expect(reused.error).toBeUndefined();
      } else {
        expect(reused.errorType).toBe('protocol');
        expect(reused.error).toBe('invalid_grant');
      }
    });

    if (deviations.introspectsOnlyOwnTokens) {
      it(`INTR-001 introspection: ${adapter.name} lets a client introspect only its own tokens, so another client's token reads inactive and its own active`, async () => {
        const doc = await disco();
        const { tokens } = await signIn();
        const other = expectSuccess(
          await introspectToken({
            address: doc.introspectionEndpoint!,
            ...machineAuth(),
            token: tokens.accessToken,
          }),
        );
        expect(other.active).toBe(false);
        const own = expectSuccess(await clientCredentials());
        const introspected = expectSuccess(
          await introspectToken({
            address: doc.introspectionEndpoint!,
            ...machineAuth(),
            token: own.accessToken,
          }),
        );
        expect(introspected.active).toBe(true);
        expect(introspected.clientId).toBe(op().machine.clientId);
      });
    } else {
      it('INTR-001 introspection: the confidential client reads the SPA access token as active', async () => {
        const doc = await disco();
        const { tokens } = await signIn();
        const introspected = expectSuccess(
          await introspectToken({
            address: doc.introspectionEndpoint!,
            ...machineAuth(),
            token: tokens.accessToken,
          }),
        );
        expect(introspected.active).toBe(true);
        expect(introspected.clientId).toBe(op().spa.clientId);
        expect(introspected.sub).toBe(tokens.idTokenClaims?.sub);
      });
    }

    if (deviations.publicClientCannotRevoke) {
      it(`REV-001 revocation: ${adapter.name} takes only client_secret_basic, so the public SPA cannot revoke its refresh token (RFC 7009 §2.1 allows it): revokeToken reports the 401, the token stays usable (the worker's logout goes on to the end session, which ends it); a confidential client revokes its own token`, async () => {
        const doc = await disco();
        const { tokens } = await signIn();
        const refused = expectFailure(
          await revokeToken({
            address: doc.revocationEndpoint!,
            clientId: op().spa.clientId,
            token: tokens.refreshToken!,
            tokenTypeHint: 'refresh_token',
          }),
          { httpStatus: 401 },
        );
        expect(refused.error).toBeUndefined();
        expectSuccess(await refresh(tokens.refreshToken!, tokens));

        const own = expectSuccess(await clientCredentials());
        expectSuccess(
          await revokeToken({
            address: doc.revocationEndpoint!,
            ...machineAuth(),
            token: own.accessToken,
            tokenTypeHint: 'access_token',
          }),
        );
        const introspected = expectSuccess(
          await introspectToken({
            address: doc.introspectionEndpoint!,
            ...machineAuth(),
            token: own.accessToken,
          }),
        );
        expect(introspected.active).toBe(false);
      });
    } else {
      it('REV-001 revocation: the public SPA revokes its refresh token, which is then refused', async () => {
        const doc = await disco();
        const { tokens } = await signIn();
        expectSuccess(
          await revokeToken({
            address: doc.revocationEndpoint!,
            clientId: op().spa.clientId,
            token: tokens.refreshToken!,
            tokenTypeHint: 'refresh_token',
          }),
        );
        const refused = expectFailure(await refresh(tokens.refreshToken!, tokens), {
          httpStatus: 400,
        });
        expect(refused.error).toBe('invalid_grant');
      });
    }

    it(`end session: the provider returns to post_logout_redirect_uri with state, ends the refresh token, and a silent sign-in then gets ${
      deviations.silentSignInError === 'login_required'
        ? 'login_required'
        : `${deviations.silentSignInError} (not login_required, OIDC Core §3.1.2.6: the library passes the provider's error on)`
    }`, async () => {
      const doc = await disco();
      const { spa } = op();
      const { tokens, agent } = await signIn();
      const state = 'end-session-state';
      const landing = new URL(
        await agent.endSession(
          createEndSessionUrl({
            address: doc.endSessionEndpoint!,
            idTokenHint: tokens.idToken!,
            clientId: spa.clientId,
            postLogoutRedirectUri: spa.postLogoutRedirectUri,
            state,
          }),
        ),
      );
      expect(landing.origin + landing.pathname).toBe(spa.postLogoutRedirectUri);
      expect(landing.searchParams.get('state')).toBe(state);

      const silent = await prepareAuthorization({
        address: doc.authorizationEndpoint,
        clientId: spa.clientId,
        redirectUri: spa.redirectUri,
        scope: spa.scope,
        prompt: 'none',
      });
      const callback = new URL(await agent.authorizeSilently(silent.url));
      expect(callback.origin + callback.pathname).toBe(spa.redirectUri);
      expect(callback.searchParams.get('error')).toBe(deviations.silentSignInError);

      // The provider ended the session's tokens too (for a provider where a public client cannot
      // revoke, the only way its refresh token ends before it expires).
      const after = await refresh(tokens.refreshToken!, tokens);
      expect(after.isSuccessful).toBe(false);
    });
  });
}
