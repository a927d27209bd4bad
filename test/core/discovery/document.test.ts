/**
 * parseDiscoveryDocument: the checks on a document already parsed from JSON, against the spec and
 * the policy, with https authorities (the served variants are in hostile.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseDiscoveryDocument } from '../../../src/core/discovery/document.js';
import { DISCOVERY_MEMBERS, REQUIRED_MEMBERS } from '../../../src/core/discovery/members.js';
import {
  type DiscoveryPolicy,
  resolveDiscoveryPolicy,
} from '../../../src/core/discovery/policy.js';
import { ConfigurationError, DiscoveryError } from '../../../src/core/errors.js';
import type { JsonObject } from '../../../src/core/http/json.js';
import { buildDocument, FIXTURE_ISSUER, fixture } from './fixtures.js';

const OP = 'https://op.example.com';

function parse(raw: Record<string, unknown>, authority = OP, policy: DiscoveryPolicy = {}) {
  return parseDiscoveryDocument(raw as JsonObject, authority, resolveDiscoveryPolicy(policy));
}

/** The DiscoveryError `work` throws (fails the test when it throws nothing or something else). */
function discoveryError(work: () => unknown): DiscoveryError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(DiscoveryError);
    return error as DiscoveryError;
  }
  throw new Error('expected a DiscoveryError, nothing was thrown');
}

describe('seed conformance (documents)', () => {
  it('DISC-001: a valid document parses with every required field typed', () => {
    const doc = parse(fixture('valid'), FIXTURE_ISSUER);
    expect(doc.issuer).toBe('https://provider.example.com');
    expect(doc.authorizationEndpoint).toBe('https://provider.example.com/auth');
    expect(doc.tokenEndpoint).toBe('https://provider.example.com/token');
    expect(doc.jwksUri).toBe('https://provider.example.com/jwks');
    expect(doc.userinfoEndpoint).toBe('https://provider.example.com/userinfo');
    expect(doc.introspectionEndpoint).toBe('https://provider.example.com/introspect');
    expect(doc.revocationEndpoint).toBe('https://provider.example.com/revoke');
    expect(doc.responseTypesSupported).toEqual(['code', 'id_token', 'code id_token']);
    expect(doc.subjectTypesSupported).toEqual(['public']);
    expect(doc.idTokenSigningAlgValuesSupported).toEqual(['RS256', 'ES256']);
    expect(doc.codeChallengeMethodsSupported).toEqual(['S256']);
  });

  it('DISC-002: all seven required fields are present and accessible', () => {
    const raw = fixture('valid');
    const doc = parse(raw, FIXTURE_ISSUER) as unknown as Record<string, unknown>;
    expect(REQUIRED_MEMBERS).toHaveLength(7);
    for (const name of REQUIRED_MEMBERS) {
      const camel = DISCOVERY_MEMBERS.find(([wire]) => wire === name)?.[1];
      expect(camel, name).toBeDefined();
      expect(doc[camel as string], name).toEqual(raw[name]);
    }
  });

  it('DISC-003: an issuer that differs from the requested one is an issuer mismatch', () => {
    const error = discoveryError(() => parse(fixture('issuer-mismatch'), FIXTURE_ISSUER));
    expect(error.code).toBe('ERR_DISCOVERY_ISSUER_MISMATCH');
    expect(error.member).toBe('issuer');
    expect(error.message).toContain('https://attacker.example.com');
  });

  it('DISC-008: a missing jwks_uri is an error naming it', () => {
    const error = discoveryError(() => parse(fixture('missing-jwks-uri'), FIXTURE_ISSUER));
    expect(error.code).toBe('ERR_DISCOVERY_MISSING_MEMBER');
    expect(error.member).toBe('jwks_uri');
    expect(error.message).toContain('jwks_uri');
  });

  it('DISC-008: several missing members are all named', () => {
    const error = discoveryError(() => parse(fixture('missing-multiple-fields'), FIXTURE_ISSUER));
    expect(error.code).toBe('ERR_DISCOVERY_MISSING_MEMBER');
    expect(error.member).toBe('token_endpoint');
    expect(error.message).toContain('token_endpoint');
    expect(error.message).toContain('subject_types_supported');
  });

  it('DISC-009: unknown members are ignored, kept in raw, and required fields stay accessible', () => {
    const raw = { ...fixture('valid'), x_vendor_flag: { nested: [1, 2] }, x_count: 3 };
    const doc = parse(raw, FIXTURE_ISSUER);
    expect(doc.tokenEndpoint).toBe('https://provider.example.com/token');
    expect(doc.raw.x_custom_extension_field).toBe('should-be-ignored-not-rejected');
    expect(doc.raw.x_vendor_flag).toEqual({ nested: [1, 2] });
    expect(Object.keys(doc)).not.toContain('x_custom_extension_field');
    expect(Object.keys(doc)).not.toContain('xCustomExtensionField');
    expect(Object.keys(doc)).not.toContain('x_count');
  });

  it('DISC-010 (stricter than the seed: https by default, http only on loopback): an http issuer is refused', () => {
    const authority = 'http://op.example.com';
    const error = discoveryError(() => parse(buildDocument(authority), authority));
    expect(error.code).toBe('ERR_DISCOVERY_HTTPS_REQUIRED');
    expect(error.member).toBe('issuer');
  });

  it('DISC-010: http issuers are allowed on loopback by default, and anywhere with requireHttps: false', () => {
    for (const authority of ['http://localhost:3000', 'http://127.0.0.1:8080', 'http://[::1]:9']) {
      expect(parse(buildDocument(authority), authority).issuer).toBe(authority);
    }
    const lax = 'http://op.example.com';
    expect(parse(buildDocument(lax), lax, { requireHttps: false }).issuer).toBe(lax);
  });

  it('DISC-010: allowHttpOnLoopback: false refuses http even on loopback', () => {
    const authority = 'http://127.0.0.1:8080';
    const error = discoveryError(() =>
      parse(buildDocument(authority), authority, { allowHttpOnLoopback: false }),
    );
    expect(error.code).toBe('ERR_DISCOVERY_HTTPS_REQUIRED');
  });
});

describe('typed camelCase members', () => {
  it('maps every Discovery 1.0 / RFC 8414 / 9207 / DPoP / PAR / logout / device member', () => {
    const raw = fixture('every-member');
    // The fixture must name every member the library types, so new members get a test too.
    expect(Object.keys(raw).sort()).toEqual(DISCOVERY_MEMBERS.map(([wire]) => wire).sort());
    const doc = parse(raw, FIXTURE_ISSUER) as unknown as Record<string, unknown>;
    for (const [wire, camel] of DISCOVERY_MEMBERS) {
      expect(doc[camel], `${wire} → ${camel}`).toEqual(raw[wire]);
    }
    const typed = parse(raw, FIXTURE_ISSUER);
    expect(typed.authorizationResponseIssParameterSupported).toBe(true);
    expect(typed.dpopSigningAlgValuesSupported).toEqual(['ES256', 'EdDSA']);
    expect(typed.pushedAuthorizationRequestEndpoint).toBe('https://provider.example.com/par');
    expect(typed.requirePushedAuthorizationRequests).toBe(true);
    expect(typed.endSessionEndpoint).toBe('https://provider.example.com/logout');
    expect(typed.checkSessionIframe).toBe('https://provider.example.com/session/check');
    expect(typed.frontchannelLogoutSupported).toBe(true);
    expect(typed.backchannelLogoutSessionSupported).toBe(true);
    expect(typed.deviceAuthorizationEndpoint).toBe('https://provider.example.com/device');
    expect(typed.revocationEndpoint).toBe('https://provider.example.com/revoke');
    expect(typed.introspectionEndpoint).toBe('https://provider.example.com/introspect');
    expect(typed.mtlsEndpointAliases).toEqual({
      token_endpoint: 'https://mtls.provider.example.com/token',
    });
  });

  it('keeps raw as parsed and freezes the copied arrays (cached documents are shared)', () => {
    const raw = fixture('valid');
    const doc = parse(raw, FIXTURE_ISSUER);
    expect(doc.raw).toBe(raw);
    expect(Object.isFrozen(doc.scopesSupported)).toBe(true);
    expect(doc.scopesSupported).not.toBe(raw.scopes_supported);
    expect(() => (doc.scopesSupported as string[]).push('admin')).toThrow(TypeError);
  });

  it('leaves absent optional members undefined', () => {
    const doc = parse(buildDocument(OP));
    expect(doc.userinfoEndpoint).toBeUndefined();
    expect(doc.endSessionEndpoint).toBeUndefined();
    expect('userinfoEndpoint' in doc).toBe(false);
  });
});

describe('required members', () => {
  it.each(REQUIRED_MEMBERS)('a document without %s is refused, naming it', (name) => {
    const error = discoveryError(() => parse(buildDocument(OP, { [name]: undefined })));
    expect(error.code).toBe('ERR_DISCOVERY_MISSING_MEMBER');
    expect(error.member).toBe(name);
    expect(error.message).toContain(name);
  });

  it('requireKeySet: false allows a missing jwks_uri (and only that)', () => {
    const doc = parse(buildDocument(OP, { jwks_uri: undefined }), OP, { requireKeySet: false });
    expect(doc.jwksUri).toBeUndefined();
    const error = discoveryError(() =>
      parse(buildDocument(OP, { jwks_uri: undefined, token_endpoint: undefined }), OP, {
        requireKeySet: false,
      }),
    );
    expect(error.member).toBe('token_endpoint');
  });

  it('requireKeySet: false still checks a jwks_uri that is present', () => {
    const error = discoveryError(() =>
      parse(buildDocument(OP, { jwks_uri: 'https://evil.example/jwks' }), OP, {
        requireKeySet: false,
      }),
    );
    expect(error.code).toBe('ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED');
  });
});

describe('JSON types', () => {
  it.each([
    ['jwks_uri', 42, 'must be a string'],
    ['jwks_uri', '/jwks', 'must be an absolute URL'],
    ['jwks_uri', 'not a url', 'must be an absolute URL'],
    ['issuer', ['https://op.example.com'], 'must be a string'],
    ['authorization_endpoint', null, 'must be a string'],
    ['token_endpoint', { url: 'https://op.example.com/token' }, 'must be a string'],
    ['response_types_supported', 'code', 'must be an array of strings'],
    ['subject_types_supported', ['public', 1], 'must be an array of strings'],
    ['id_token_signing_alg_values_supported', {}, 'must be an array of strings'],
    ['scopes_supported', 'openid profile', 'must be an array of strings'],
    ['claims_parameter_supported', 'yes', 'must be a boolean'],
    ['require_pushed_authorization_requests', 1, 'must be a boolean'],
    ['authorization_response_iss_parameter_supported', 'true', 'must be a boolean'],
    ['dpop_signing_alg_values_supported', 'ES256', 'must be an array of strings'],
    ['service_documentation', 7, 'must be a string'],
    ['mtls_endpoint_aliases', [], 'must be a JSON object'],
    ['mtls_endpoint_aliases', { token_endpoint: 5 }, 'must be an absolute URL'],
  ])('%s: %j is refused (%s)', (name, value, message) => {
    const error = discoveryError(() => parse(buildDocument(OP, { [name]: value })));
    expect(error.code).toBe('ERR_DISCOVERY_INVALID_MEMBER');
    expect(error.member).toBe(name);
    expect(error.message).toContain(`"${name}"`);
    expect(error.message).toContain(message);
  });

  it('checks an optional member only when present', () => {
    expect(
      parse(buildDocument(OP, { claims_parameter_supported: false })).claimsParameterSupported,
    ).toBe(false);
  });

  it.each([
    ['with a query', `${OP}?tenant=a`],
    ['with a fragment', `${OP}#x`],
    ['not a URL', 'op.example.com'],
  ])('refuses an issuer %s', (_label, issuer) => {
    const error = discoveryError(() =>
      parse(buildDocument(OP, { issuer }), OP, { validateIssuer: false }),
    );
    expect(error.code).toBe('ERR_DISCOVERY_INVALID_MEMBER');
    expect(error.member).toBe('issuer');
  });
});

describe('subject and response types', () => {
  // Issue 9: unknown values were refused (ERR_DISCOVERY_INVALID_MEMBER); now ignored and reported.
  it.each([['anonymous'], ['Public'], ['']])(
    'ignores and reports the unknown subject type %j',
    (type) => {
      const doc = parse(buildDocument(OP, { subject_types_supported: ['public', type] }));
      expect(doc.subjectTypesSupported).toEqual(['public']);
      expect(doc.ignoredValues).toEqual([{ member: 'subject_types_supported', value: type }]);
      expect(doc.raw.subject_types_supported).toEqual(['public', type]);
    },
  );

  it('accepts public and pairwise', () => {
    const doc = parse(buildDocument(OP, { subject_types_supported: ['pairwise', 'public'] }));
    expect(doc.subjectTypesSupported).toEqual(['pairwise', 'public']);
  });

  it.each([['code token_x'], ['device_code'], ['code code'], ['code  id_token'], [''], ['CODE']])(
    'ignores and reports the unknown response type %j',
    (type) => {
      const doc = parse(buildDocument(OP, { response_types_supported: ['code', type] }));
      expect(doc.responseTypesSupported).toEqual(['code']);
      expect(doc.ignoredValues).toEqual([{ member: 'response_types_supported', value: type }]);
    },
  );

  it('accepts every registered combination, in any order', () => {
    const types = [
      'code',
      'id_token',
      'token id_token',
      'code id_token token',
      'id_token code',
      'none',
    ];
    const doc = parse(buildDocument(OP, { response_types_supported: types }));
    expect(doc.responseTypesSupported).toEqual(types);
    expect(doc.ignoredValues).toEqual([]);
  });
});

describe('issuer validation', () => {
  it('accepts an issuer that differs from the authority only by a trailing slash (documented)', () => {
    expect(parse(buildDocument(`${OP}/`), OP).issuer).toBe(`${OP}/`);
    expect(parse(buildDocument(OP), `${OP}/`).issuer).toBe(OP);
  });

  it.each([
    ['a different host case', 'https://OP.example.com', OP, {}],
    ['a different path case', `${OP}/Tenant`, `${OP}/tenant`, {}],
    ['http for an https authority', 'http://op.example.com', OP, { requireHttps: false }],
    ['https for an http authority', 'https://127.0.0.1:8080', 'http://127.0.0.1:8080', {}],
    ['another host', 'https://evil.example', OP, {}],
    ['a lookalike host', 'https://op.example.com.evil.net', OP, {}],
    ['an explicit default port', 'https://op.example.com:443', OP, {}],
    ['another port', 'https://op.example.com:8443', OP, {}],
    ['a sub-path', `${OP}/tenant`, OP, {}],
    ['a parent path', OP, `${OP}/tenant`, {}],
  ] as const)('refuses an issuer with %s', (_label, issuer, authority, policy) => {
    const error = discoveryError(() => parse(buildDocument(issuer), authority, policy));
    expect(error.code).toBe('ERR_DISCOVERY_ISSUER_MISMATCH');
    expect(error.member).toBe('issuer');
  });

  it('refuses an http issuer for an https authority under requireHttps before comparing', () => {
    const error = discoveryError(() => parse(buildDocument('http://op.example.com'), OP));
    expect(error.code).toBe('ERR_DISCOVERY_HTTPS_REQUIRED');
  });

  it('validateIssuer: false accepts another issuer (https is still required)', () => {
    const raw = buildDocument(OP, { issuer: 'https://other.example' });
    expect(parse(raw, OP, { validateIssuer: false }).issuer).toBe('https://other.example');
    const error = discoveryError(() =>
      parse(buildDocument(OP, { issuer: 'http://other.example' }), OP, { validateIssuer: false }),
    );
    expect(error.code).toBe('ERR_DISCOVERY_HTTPS_REQUIRED');
  });

  it('compares a long run of trailing slashes in linear time', () => {
    // Regression: `/\/+$/` backtracked quadratically; a 1 MiB issuer of slashes and a letter
    // would block the thread for minutes.
    const issuer = `${OP}/${'/'.repeat(200_000)}a`;
    const started = performance.now();
    const error = discoveryError(() => parse(buildDocument(OP, { issuer }), OP));
    expect(error.code).toBe('ERR_DISCOVERY_ISSUER_MISMATCH');
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('endpoint validation', () => {
  const foreign = (overrides: Record<string, unknown>, policy: DiscoveryPolicy = {}) =>
    discoveryError(() => parse(buildDocument(OP, overrides), OP, policy));

  it.each([
    ['token_endpoint', 'https://evil.example/token'],
    ['jwks_uri', 'https://op.example.com.evil.net/jwks'],
    ['authorization_endpoint', 'https://evil-op.example.com/authorize'],
    ['userinfo_endpoint', 'https://sub.op.example.com/userinfo'],
    ['end_session_endpoint', 'https://op.example.com:8443/logout'],
    ['check_session_iframe', 'https://evil.example/check'],
    ['pushed_authorization_request_endpoint', 'https://evil.example/par'],
    ['device_authorization_endpoint', 'https://evil.example/device'],
    ['revocation_endpoint', 'https://evil.example/revoke'],
    ['introspection_endpoint', 'https://evil.example/introspect'],
    ['registration_endpoint', 'https://op.example.com@evil.example/register'],
  ])('refuses %s on a foreign host: %s', (member, value) => {
    const error = foreign({ [member]: value });
    expect(error.code).toBe('ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED');
    expect(error.member).toBe(member);
    expect(error.message).toContain(member);
  });

  it('refuses user info even on the authority', () => {
    const error = foreign({ token_endpoint: 'https://user:pass@op.example.com/token' });
    expect(error.code).toBe('ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED');
    expect(error.message).toContain('user info');
  });

  it('allows any path on the authority origin', () => {
    const doc = parse(
      buildDocument(`${OP}/tenant`, { token_endpoint: `${OP}/oauth2/token` }),
      `${OP}/tenant`,
    );
    expect(doc.tokenEndpoint).toBe(`${OP}/oauth2/token`);
  });

  it('allows an endpoint under an additionalEndpointBaseAddresses entry, at a segment boundary', () => {
    const policy = { additionalEndpointBaseAddresses: ['https://keys.example/tenant'] };
    expect(
      parse(buildDocument(OP, { jwks_uri: 'https://keys.example/tenant/jwks' }), OP, policy)
        .jwksUri,
    ).toBe('https://keys.example/tenant/jwks');
    expect(
      parse(buildDocument(OP, { jwks_uri: 'https://keys.example/tenant' }), OP, policy).jwksUri,
    ).toBe('https://keys.example/tenant');
    for (const jwks_uri of [
      'https://keys.example/tenant-evil/jwks',
      'https://keys.example/other/jwks',
      'https://keys.example/tenant/../other/jwks',
      'https://keys.example.evil.net/tenant/jwks',
      'http://keys.example/tenant/jwks',
      'https://keys.example:8443/tenant/jwks',
    ]) {
      const error = foreign({ jwks_uri }, { ...policy, requireHttps: false });
      expect(error.code, jwks_uri).toBe('ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED');
    }
  });

  it('an unparsable authority matches nothing (it does not promote the first additional base)', () => {
    // Before the fix the first additional base address stood in for the authority and allowed
    // its whole origin, not only the given path. A policy cannot name such an authority any more
    // (ConfigurationError); parseDiscoveryDocument still refuses to widen the hosts for one.
    expect(() => resolveDiscoveryPolicy({ issuer: 'not a url' })).toThrow(ConfigurationError);
    const policy = {
      validateIssuer: false,
      additionalEndpointBaseAddresses: ['https://keys.example/tenant'],
    };
    const error = discoveryError(() =>
      parse(
        buildDocument('https://keys.example/tenant', {
          jwks_uri: 'https://keys.example/other/jwks',
        }),
        'not a url',
        policy,
      ),
    );
    expect(error.code).toBe('ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED');
    expect(error.member).toBe('jwks_uri');
  });

  it('endpointValidationExcludeList skips the host check of the listed members only', () => {
    const policy = { endpointValidationExcludeList: ['jwks_uri'] };
    const doc = parse(buildDocument(OP, { jwks_uri: 'https://keys.example/jwks' }), OP, policy);
    expect(doc.jwksUri).toBe('https://keys.example/jwks');
    const error = foreign(
      { jwks_uri: 'https://keys.example/jwks', token_endpoint: 'https://evil.example/t' },
      policy,
    );
    expect(error.member).toBe('token_endpoint');
  });

  it('validateEndpoints: false skips the host checks', () => {
    const doc = parse(buildDocument(OP, { token_endpoint: 'https://evil.example/token' }), OP, {
      validateEndpoints: false,
    });
    expect(doc.tokenEndpoint).toBe('https://evil.example/token');
  });

  it.each([
    ['validateEndpoints: false', { validateEndpoints: false }],
    [
      'an endpointValidationExcludeList entry',
      { endpointValidationExcludeList: ['token_endpoint'] },
    ],
  ])('requireHttps still holds for every endpoint with %s', (_label, policy: DiscoveryPolicy) => {
    // Fixed: both settings used to skip the https check as well (Duende.IdentityModel keeps it).
    const error = foreign({ token_endpoint: 'http://op.example.com/token' }, policy);
    expect(error.code).toBe('ERR_DISCOVERY_HTTPS_REQUIRED');
    expect(error.member).toBe('token_endpoint');
  });

  it.each([
    'http://op.example.com/token',
    'http://127.0.0.1.evil.net/token',
    'http://127.evil.com/token',
    'http://localhost.evil.net/token',
  ])('refuses the http endpoint %s under requireHttps', (token_endpoint) => {
    const error = foreign({ token_endpoint });
    expect(error.code).toBe('ERR_DISCOVERY_HTTPS_REQUIRED');
    expect(error.member).toBe('token_endpoint');
  });

  it('allows http endpoints on loopback (allowHttpOnLoopback) when they are on the authority', () => {
    const authority = 'http://localhost:4000';
    const doc = parse(
      buildDocument(authority, { end_session_endpoint: `${authority}/logout` }),
      authority,
    );
    expect(doc.endSessionEndpoint).toBe('http://localhost:4000/logout');
    const error = discoveryError(() =>
      parse(buildDocument(authority), authority, { allowHttpOnLoopback: false }),
    );
    expect(error.code).toBe('ERR_DISCOVERY_HTTPS_REQUIRED');
  });

  it('requires https for mTLS aliases, which may live on another host (RFC 8705 §5)', () => {
    const ok = parse(
      buildDocument(OP, {
        mtls_endpoint_aliases: { token_endpoint: 'https://mtls.example/token' },
      }),
    );
    expect(ok.mtlsEndpointAliases).toEqual({ token_endpoint: 'https://mtls.example/token' });
    for (const policy of [{}, { endpointValidationExcludeList: ['mtls_endpoint_aliases'] }]) {
      const error = foreign(
        { mtls_endpoint_aliases: { token_endpoint: 'http://mtls.example/token' } },
        policy,
      );
      expect(error.code).toBe('ERR_DISCOVERY_HTTPS_REQUIRED');
      expect(error.member).toBe('mtls_endpoint_aliases.token_endpoint');
    }
  });

  it.each(['javascript:alert(1)', 'data:text/plain,x', 'ftp://op.example.com/token'])(
    'refuses the non-http(s) endpoint %s even with requireHttps: false',
    (token_endpoint) => {
      const error = foreign({ token_endpoint }, { requireHttps: false });
      expect(error.code).toBe('ERR_DISCOVERY_HTTPS_REQUIRED');
    },
  );
});

describe('__proto__ in the document', () => {
  it('is plain data: no prototype pollution, and the document still validates', () => {
    const text = JSON.stringify(buildDocument(OP)).replace(
      /^\{/,
      '{"__proto__":{"polluted":"yes","jwks_uri":"https://evil.example/jwks"},',
    );
    const raw = JSON.parse(text) as JsonObject;
    const doc = parse(raw);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect((doc as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(doc.jwksUri).toBe(`${OP}/jwks`);
    expect(Object.hasOwn(doc.raw, '__proto__')).toBe(true);
  });

  it('cannot supply a required member through the prototype', () => {
    const text = JSON.stringify(buildDocument(OP, { jwks_uri: undefined })).replace(
      /^\{/,
      '{"__proto__":{"jwks_uri":"https://op.example.com/jwks"},',
    );
    const error = discoveryError(() => parse(JSON.parse(text) as JsonObject));
    expect(error.code).toBe('ERR_DISCOVERY_MISSING_MEMBER');
    expect(error.member).toBe('jwks_uri');
  });
});

describe('resolveDiscoveryPolicy', () => {
  it('is strict by default', () => {
    expect(resolveDiscoveryPolicy()).toEqual({
      authority: undefined,
      issuerTemplates: [],
      requireHttps: true,
      allowHttpOnLoopback: true,
      validateIssuer: true,
      validateEndpoints: true,
      additionalEndpointBaseAddresses: [],
      endpointValidationExcludeList: [],
      requireKeySet: true,
    });
  });

  it.each([
    [{ requireHttps: 'false' }, 'discoveryPolicy.requireHttps'],
    [{ validateIssuer: 0 }, 'discoveryPolicy.validateIssuer'],
    [{ issuer: 42 }, 'discoveryPolicy.issuer'],
    [
      { additionalEndpointBaseAddresses: 'https://keys.example' },
      'discoveryPolicy.additionalEndpointBaseAddresses',
    ],
    [{ endpointValidationExcludeList: [1] }, 'discoveryPolicy.endpointValidationExcludeList'],
  ])('refuses %j, quoting %s', (policy, path) => {
    expect(() => resolveDiscoveryPolicy(policy as unknown as DiscoveryPolicy)).toThrow(
      ConfigurationError,
    );
    expect(() => resolveDiscoveryPolicy(policy as unknown as DiscoveryPolicy)).toThrow(`"${path}"`);
  });
});

describe('members the library does not type', () => {
  it('an unknown *_endpoint member is endpoint-checked like the known ones', () => {
    const foreign = discoveryError(() =>
      parse(buildDocument(OP, { custom_endpoint: 'https://evil.example/steal' })),
    );
    expect(foreign.code).toBe('ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED');
    expect(foreign.member).toBe('custom_endpoint');
    const insecure = discoveryError(() =>
      parse(buildDocument(OP, { custom_endpoint: 'http://op.example.com/x' })),
    );
    expect(insecure.code).toBe('ERR_DISCOVERY_HTTPS_REQUIRED');
    const relative = discoveryError(() => parse(buildDocument(OP, { custom_endpoint: '/x' })));
    expect(relative.code).toBe('ERR_DISCOVERY_INVALID_MEMBER');
    const doc = parse(buildDocument(OP, { custom_endpoint: `${OP}/custom`, custom_flag: 3 }));
    expect(doc.raw.custom_endpoint).toBe(`${OP}/custom`);
  });

  it('raw is frozen: one caller cannot change the cached document another caller reads', () => {
    const doc = parse(buildDocument(OP, { custom: { nested: ['a'] } }));
    expect(Object.isFrozen(doc.raw)).toBe(true);
    expect(Object.isFrozen((doc.raw.custom as { nested: string[] }).nested)).toBe(true);
    expect(() => {
      (doc.raw as Record<string, unknown>).token_endpoint = 'https://evil.example/token';
    }).toThrow(TypeError);
  });
});
