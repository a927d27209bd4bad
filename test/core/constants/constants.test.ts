import { describe, expect, it } from 'vitest';
import * as constants from '../../../src/core/constants/index.js';
import {
  AccessTokenTypes,
  ClientAssertionTypes,
  type ClientAuthenticationMethod,
  ClientAuthenticationMethods,
  CodeChallengeMethods,
  DiscoveryMembers,
  type GrantType,
  GrantTypes,
  JwtClaimTypes,
  JwtTypes,
  OAuthErrorCodes,
  OidcRequiredDiscoveryMembers,
  ResponseModes,
  SecurityEventTypes,
  TokenRequestParameters,
  TokenTypeHints,
  TokenTypeIdentifiers,
  WellKnownPaths,
} from '../../../src/core/constants/index.js';

describe('constants', () => {
  it('lists the RFC 8693 §3 token type identifiers verbatim', () => {
    expect(TokenTypeIdentifiers).toEqual({
      accessToken: 'urn:ietf:params:oauth:token-type:access_token',
      refreshToken: 'urn:ietf:params:oauth:token-type:refresh_token',
      idToken: 'urn:ietf:params:oauth:token-type:id_token',
      saml1: 'urn:ietf:params:oauth:token-type:saml1',
      saml2: 'urn:ietf:params:oauth:token-type:saml2',
      jwt: 'urn:ietf:params:oauth:token-type:jwt',
    });
  });

  it('has every discovery member the seed conformance harness requires', () => {
    const members: string[] = Object.values(DiscoveryMembers);
    const required = [
      'issuer',
      'authorization_endpoint',
      'token_endpoint',
      'jwks_uri',
      'response_types_supported',
      'subject_types_supported',
      'id_token_signing_alg_values_supported',
    ];
    for (const name of required) expect(members).toContain(name);
    expect([...OidcRequiredDiscoveryMembers].sort()).toEqual([...required].sort());
  });

  it('has the discovery members of the later specifications', () => {
    const members: string[] = Object.values(DiscoveryMembers);
    for (const name of [
      'authorization_response_iss_parameter_supported', // RFC 9207
      'pushed_authorization_request_endpoint', // RFC 9126
      'require_pushed_authorization_requests',
      'dpop_signing_alg_values_supported', // RFC 9449
      'device_authorization_endpoint', // RFC 8628
      'revocation_endpoint', // RFC 7009 / 8414
      'introspection_endpoint', // RFC 7662 / 8414
      'code_challenge_methods_supported',
      'end_session_endpoint',
      'check_session_iframe',
      'frontchannel_logout_supported',
      'frontchannel_logout_session_supported',
      'backchannel_logout_supported',
      'backchannel_logout_session_supported',
      'mtls_endpoint_aliases',
      'userinfo_endpoint',
      'registration_endpoint',
      'op_tos_uri',
    ]) {
      expect(members).toContain(name);
    }
    expect(DiscoveryMembers.jwksUri).toBe('jwks_uri');
  });

  it('has no duplicated wire value within a group, and camelCase keys', () => {
    for (const [groupName, group] of Object.entries(constants)) {
      if (typeof group !== 'object' || group === null || Array.isArray(group)) continue;
      const values = Object.values(group);
      expect(new Set(values).size, groupName).toBe(values.length);
      for (const key of Object.keys(group)) expect(key, groupName).toMatch(/^[a-z][A-Za-z0-9]*$/);
    }
  });

  it('maps the JWT claim types to their wire names', () => {
    expect(JwtClaimTypes).toMatchObject({
      subject: 'sub',
      issuer: 'iss',
      audience: 'aud',
      expiration: 'exp',
      notBefore: 'nbf',
      issuedAt: 'iat',
      jwtId: 'jti',
      authorizedParty: 'azp',
      nonce: 'nonce',
      authenticationTime: 'auth_time',
      accessTokenHash: 'at_hash',
      authorizationCodeHash: 'c_hash',
      sessionId: 'sid',
      scope: 'scope',
      clientId: 'client_id',
      confirmation: 'cnf',
      actor: 'act',
      mayAct: 'may_act',
      events: 'events',
      role: 'role',
      name: 'name',
      givenName: 'given_name',
      familyName: 'family_name',
      email: 'email',
      emailVerified: 'email_verified',
      phoneNumberVerified: 'phone_number_verified',
      updatedAt: 'updated_at',
    });
  });

  it('keeps every claim name of the seed except the JOSE header parameters', () => {
    const seed = `sub name given_name family_name middle_name nickname preferred_username profile
      picture website email email_verified gender birthdate zoneinfo locale phone_number
      phone_number_verified address aud iss nbf exp updated_at iat amr sid acr auth_time azp
      at_hash c_hash s_hash nonce jti events client_id scope act may_act id idp role roles
      reference_token_id cnf htm htu ath`.split(/\s+/);
    const ours: string[] = Object.values(JwtClaimTypes);
    expect(seed.filter((name) => !ours.includes(name))).toEqual([]);
    for (const header of ['alg', 'jwk', 'typ']) expect(ours).not.toContain(header);
  });

  it('lists the grant types, with the URN grants verbatim', () => {
    expect(GrantTypes.deviceCode).toBe('urn:ietf:params:oauth:grant-type:device_code');
    expect(GrantTypes.tokenExchange).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
    expect(GrantTypes.jwtBearer).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(GrantTypes.ciba).toBe('urn:openid:params:grant-type:ciba');
    expect(GrantTypes.authorizationCode).toBe('authorization_code');
    const typed: GrantType = GrantTypes.clientCredentials;
    // @ts-expect-error: not a grant type
    const wrong: GrantType = 'client-credentials';
    expect([typed, wrong]).toEqual(['client_credentials', 'client-credentials']);
  });

  it('lists exactly the client authentication methods', () => {
    const expected: ClientAuthenticationMethod[] = [
      'client_secret_basic',
      'client_secret_post',
      'client_secret_jwt',
      'private_key_jwt',
      'tls_client_auth',
      'self_signed_tls_client_auth',
      'none',
    ];
    expect(Object.values(ClientAuthenticationMethods).sort()).toEqual(expected.sort());
    expect(ClientAssertionTypes.jwtBearer).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    );
  });

  it('has S256 and plain, with S256 first (the recommended method)', () => {
    expect(Object.keys(CodeChallengeMethods)[0]).toBe('s256');
    expect(CodeChallengeMethods.s256).toBe('S256');
    expect(CodeChallengeMethods.plain).toBe('plain');
  });

  it('lists the protocol error codes of each family', () => {
    const codes: string[] = Object.values(OAuthErrorCodes);
    for (const code of [
      // RFC 6749 §4.1.2.1 and §5.2
      'invalid_request',
      'invalid_client',
      'invalid_grant',
      'unauthorized_client',
      'unsupported_grant_type',
      'unsupported_response_type',
      'invalid_scope',
      'access_denied',
      'server_error',
      'temporarily_unavailable',
      // OIDC Core §3.1.2.6
      'interaction_required',
      'login_required',
      'account_selection_required',
      'consent_required',
      'invalid_request_uri',
      'invalid_request_object',
      'request_not_supported',
      'request_uri_not_supported',
      'registration_not_supported',
      // RFC 8628 §3.5
      'authorization_pending',
      'slow_down',
      'expired_token',
      // RFC 9449, RFC 6750
      'use_dpop_nonce',
      'invalid_dpop_proof',
      'invalid_token',
      'insufficient_scope',
    ]) {
      expect(codes).toContain(code);
    }
  });

  it('has the JWT typ values and the back-channel logout event URI', () => {
    expect(JwtTypes).toMatchObject({
      jwt: 'JWT',
      accessToken: 'at+jwt',
      accessTokenMediaType: 'application/at+jwt',
      logoutToken: 'logout+jwt',
      dpopProof: 'dpop+jwt',
      introspectionResponse: 'token-introspection+jwt',
    });
    expect(SecurityEventTypes.backChannelLogout).toBe(
      'http://schemas.openid.net/event/backchannel-logout',
    );
  });

  it('has the token exchange parameters, hints, token types and well-known paths', () => {
    expect(TokenRequestParameters).toMatchObject({
      subjectToken: 'subject_token',
      subjectTokenType: 'subject_token_type',
      actorToken: 'actor_token',
      actorTokenType: 'actor_token_type',
      requestedTokenType: 'requested_token_type',
      audience: 'audience',
      resource: 'resource',
    });
    expect(TokenTypeHints).toEqual({ accessToken: 'access_token', refreshToken: 'refresh_token' });
    expect(AccessTokenTypes).toMatchObject({ bearer: 'Bearer', dpop: 'DPoP' });
    expect(ResponseModes.formPost).toBe('form_post');
    expect(WellKnownPaths.openIdConfiguration).toBe('/.well-known/openid-configuration');
  });
});
