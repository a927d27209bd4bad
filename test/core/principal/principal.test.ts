import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../src/core/errors.js';
import {
  type Claim,
  ClaimsIdentity,
  ClaimsPrincipal,
  ClaimValueTypes,
  createClaim,
  DEFAULT_CLAIM_ISSUER,
  toPrincipal,
  XML_SCHEMA_STRING,
} from '../../../src/core/principal/index.js';

const ISS = 'https://op.example';

function expectConfigurationError(fn: () => unknown, message: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ConfigurationError);
  expect((caught as ConfigurationError).code).toBe('ERR_CONFIGURATION');
  expect((caught as ConfigurationError).message).toBe(message);
}

describe('createClaim', () => {
  it('defaults the value type, issuer and original issuer, and freezes the claim', () => {
    const claim = createClaim('name', 'Ada');
    expect(claim).toEqual({
      type: 'name',
      value: 'Ada',
      valueType: 'string',
      issuer: 'LOCAL AUTHORITY',
      originalIssuer: 'LOCAL AUTHORITY',
    });
    expect(Object.isFrozen(claim)).toBe(true);
  });

  it('keeps a given issuer as the original issuer unless one is given', () => {
    expect(createClaim('role', 'admin', { issuer: 'MyApp' }).originalIssuer).toBe('MyApp');
    const passed = createClaim('role', 'admin', { issuer: 'B', originalIssuer: 'A' });
    expect([passed.issuer, passed.originalIssuer]).toEqual(['B', 'A']);
    expect(createClaim('role', 'admin', { issuer: '' }).issuer).toBe(DEFAULT_CLAIM_ISSUER);
  });

  it('refuses wrong argument types, quoting the path', () => {
    expectConfigurationError(() => createClaim('', 'x'), '"type" must be a non-empty string');
    expectConfigurationError(
      () => createClaim('role', 1 as unknown as string),
      '"value" must be a string',
    );
    expectConfigurationError(
      () => createClaim('role', 'x', { issuer: 5 as unknown as string }),
      '"options.issuer" must be a string',
    );
  });
});

describe('ClaimsIdentity', () => {
  const claims = (): Claim[] => [
    createClaim('name', 'Jane Smith'),
    createClaim('email', 'jane@example.com'),
    createClaim('role', 'Admin'),
    createClaim('role', 'User'),
  ];

  it('is authenticated iff the authentication type is a non-empty string', () => {
    expect(new ClaimsIdentity(claims(), 'Bearer').isAuthenticated).toBe(true);
    expect(new ClaimsIdentity(claims()).isAuthenticated).toBe(false);
    expect(new ClaimsIdentity(claims(), null).isAuthenticated).toBe(false);
    expect(new ClaimsIdentity(claims(), '').isAuthenticated).toBe(false);
    expect(new ClaimsIdentity(claims(), null).authenticationType).toBeUndefined();
  });

  it('reads the name from the name claim type', () => {
    const identity = new ClaimsIdentity(claims(), 'Bearer');
    expect(identity.name).toBe('Jane Smith');
    expect(identity.nameClaimType).toBe('name');
    expect(identity.roleClaimType).toBe('role');
    expect(new ClaimsIdentity([]).name).toBeUndefined();
  });

  it('uses a custom name claim type', () => {
    const identity = new ClaimsIdentity(
      [createClaim('name', 'Jane'), createClaim('preferred_username', 'jsmith')],
      'Bearer',
      { nameClaimType: 'preferred_username' },
    );
    expect(identity.name).toBe('jsmith');
  });

  it('finds the first, all, and tests for claims by type, value or predicate', () => {
    const identity = new ClaimsIdentity(claims(), 'Bearer');
    expect(identity.findFirst('role')?.value).toBe('Admin');
    expect(identity.findFirst('missing')).toBeUndefined();
    expect(identity.findAll('role').map((c) => c.value)).toEqual(['Admin', 'User']);
    expect(identity.findAll((c) => c.value.includes('@'))).toHaveLength(1);
    expect(identity.hasClaim('email')).toBe(true);
    expect(identity.hasClaim('email', 'jane@example.com')).toBe(true);
    expect(identity.hasClaim('email', 'other@example.com')).toBe(false);
    expect(identity.hasClaim('country')).toBe(false);
    expect(identity.hasClaim((c) => c.type === 'role' && c.value === 'User')).toBe(true);
  });

  it('matches claim types case-sensitively', () => {
    const identity = new ClaimsIdentity(claims(), 'Bearer');
    expect(identity.hasClaim('Role')).toBe(false);
    expect(identity.findAll('ROLE')).toEqual([]);
  });

  it('adds and removes claims, and hands out snapshots', () => {
    const identity = new ClaimsIdentity(claims(), 'Bearer');
    const before = identity.claims;
    const extra = createClaim('country', 'NZ');
    identity.addClaim(extra);
    identity.addClaims([createClaim('role', 'Editor')]);
    expect(before).toHaveLength(4);
    expect(identity.claims).toHaveLength(6);
    expect(Object.isFrozen(identity.claims)).toBe(true);
    expect(() => (identity.claims as Claim[]).push(extra)).toThrow(TypeError);
    expect(identity.removeClaim(extra)).toBe(true);
    expect(identity.removeClaim(extra)).toBe(false);
    expect(identity.hasClaim('country')).toBe(false);
  });

  it('stores a frozen copy of a claim given as a mutable object', () => {
    const mutable = {
      type: 'role',
      value: 'user',
      valueType: 'string',
      issuer: ISS,
      originalIssuer: ISS,
    };
    const identity = new ClaimsIdentity([mutable], 'Bearer');
    mutable.value = 'admin';
    expect(identity.findFirst('role')?.value).toBe('user');
    expect(Object.isFrozen(identity.findFirst('role'))).toBe(true);
  });

  it('refuses malformed claims and options, quoting the path', () => {
    expectConfigurationError(
      () => new ClaimsIdentity([{ type: 'role', value: 1 } as unknown as Claim]),
      '"claims[0].value" must be a string',
    );
    expectConfigurationError(
      () => new ClaimsIdentity('role' as unknown as Claim[]),
      '"claims" must be an iterable of claims',
    );
    expectConfigurationError(
      () => new ClaimsIdentity([], 'Bearer', { roleClaimType: '' }),
      '"options.roleClaimType" must be a non-empty string',
    );
    expectConfigurationError(
      () => new ClaimsIdentity([], 42 as unknown as string),
      '"authenticationType" must be a string',
    );
    const identity = new ClaimsIdentity([], 'Bearer');
    expectConfigurationError(
      () => identity.addClaim({ type: 'role' } as unknown as Claim),
      '"claim.value" must be a string',
    );
    expectConfigurationError(
      () => identity.findFirst(7 as unknown as string),
      '"type" must be a string',
    );
  });
});

describe('ClaimsPrincipal', () => {
  const identity = () =>
    new ClaimsIdentity(
      [
        createClaim('name', 'Jane Smith'),
        createClaim('role', 'Admin'),
        createClaim('role', 'User'),
      ],
      'Bearer',
    );

  it('exposes the primary identity, its name and authentication state', () => {
    const principal = new ClaimsPrincipal(identity());
    expect(principal.identity).toBeInstanceOf(ClaimsIdentity);
    expect(principal.identities).toHaveLength(1);
    expect(principal.name).toBe('Jane Smith');
    expect(principal.isAuthenticated).toBe(true);
    expect(principal.claims).toHaveLength(3);
  });

  it('checks roles', () => {
    const principal = new ClaimsPrincipal(identity());
    expect(principal.isInRole('Admin')).toBe(true);
    expect(principal.isInRole('User')).toBe(true);
    expect(principal.isInRole('Manager')).toBe(false);
    expect(principal.isInRole('admin')).toBe(false);
    expect(principal.isInRole('')).toBe(false);
    expectConfigurationError(
      () => principal.isInRole(undefined as unknown as string),
      '"role" must be a string',
    );
  });

  it("uses each identity's own role claim type", () => {
    const groups = new ClaimsIdentity([createClaim('groups', 'ops')], 'Bearer', {
      roleClaimType: 'groups',
    });
    const principal = new ClaimsPrincipal([identity(), groups]);
    expect(principal.isInRole('ops')).toBe(true);
    expect(principal.isInRole('Admin')).toBe(true);
    // `groups` is no role claim for the first identity, `role` none for the second.
    const only = new ClaimsPrincipal(
      new ClaimsIdentity([createClaim('role', 'ops')], 'Bearer', { roleClaimType: 'groups' }),
    );
    expect(only.isInRole('ops')).toBe(false);
  });

  it('accepts role claims typed with the XML Schema string URI (seed and .NET default)', () => {
    const principal = new ClaimsPrincipal(
      new ClaimsIdentity([createClaim('role', 'Admin', { valueType: XML_SCHEMA_STRING })], 'x'),
    );
    expect(principal.isInRole('Admin')).toBe(true);
  });

  it('searches every identity and keeps the claims of each separate', () => {
    const second = new ClaimsIdentity([createClaim('country', 'NZ'), createClaim('role', 'Ops')]);
    const principal = new ClaimsPrincipal(identity());
    principal.addIdentity(second);
    expect(principal.identities).toHaveLength(2);
    expect(principal.identity?.name).toBe('Jane Smith'); // the primary identity stays the first
    expect(principal.claims).toHaveLength(5);
    expect(principal.findFirst('country')?.value).toBe('NZ');
    expect(principal.findAll('role').map((c) => c.value)).toEqual(['Admin', 'User', 'Ops']);
    expect(principal.hasClaim('country', 'NZ')).toBe(true);
    expect(principal.hasClaim((c) => c.value === 'Ops')).toBe(true);
    expect(principal.identities[0]?.claims).toHaveLength(3); // the seed merged them in place
  });

  it('is anonymous and unauthenticated without identities', () => {
    const principal = new ClaimsPrincipal();
    expect(principal.identity).toBeUndefined();
    expect(principal.isAuthenticated).toBe(false);
    expect(principal.name).toBeUndefined();
    expect(principal.claims).toEqual([]);
    expect(principal.isInRole('Admin')).toBe(false);
    expect(principal.findFirst('sub')).toBeUndefined();
  });

  it('is unauthenticated when its primary identity is', () => {
    const principal = new ClaimsPrincipal([
      new ClaimsIdentity([createClaim('role', 'Admin')]),
      new ClaimsIdentity([], 'Bearer'),
    ]);
    expect(principal.isAuthenticated).toBe(false);
  });

  it('refuses what is not an identity', () => {
    expectConfigurationError(
      () => new ClaimsPrincipal([{} as ClaimsIdentity]),
      '"identities[0]" must be a ClaimsIdentity',
    );
    expectConfigurationError(
      () => new ClaimsPrincipal().addIdentity({} as ClaimsIdentity),
      '"identity" must be a ClaimsIdentity',
    );
  });
});

describe('toPrincipal', () => {
  it('converts a simple token (seed parity)', () => {
    const principal = toPrincipal({
      sub: 'user123',
      iss: ISS,
      aud: 'my-app',
      exp: 1234567890,
      iat: 1234567800,
      email: 'user@example.com',
    });
    expect(principal).toBeInstanceOf(ClaimsPrincipal);
    expect(principal.identity?.authenticationType).toBe('Bearer');
    expect(principal.isAuthenticated).toBe(true);
    expect(principal.claims).toHaveLength(6);
    expect(principal.hasClaim('sub', 'user123')).toBe(true);
    expect(principal.hasClaim('aud', 'my-app')).toBe(true);
    expect(principal.hasClaim('exp', '1234567890')).toBe(true);
    expect(principal.findFirst('email')?.value).toBe('user@example.com');
  });

  it("sets every claim's issuer to iss, or LOCAL AUTHORITY without one", () => {
    const principal = toPrincipal({ iss: ISS, sub: 'a', role: ['x', 'y'] });
    for (const claim of principal.claims) {
      expect(claim.issuer).toBe(ISS);
      expect(claim.originalIssuer).toBe(ISS);
    }
    expect(toPrincipal({ sub: 'a' }).findFirst('sub')?.issuer).toBe('LOCAL AUTHORITY');
    expect(toPrincipal({ sub: 'a', iss: { x: 1 } }).findFirst('sub')?.issuer).toBe(
      'LOCAL AUTHORITY',
    );
  });

  it('makes one claim per array element (several roles, several audiences)', () => {
    const principal = toPrincipal({
      iss: ISS,
      sub: 'user123',
      aud: ['api1', 'api2'],
      role: ['admin', 'user', 'editor'],
      amr: [],
    });
    expect(principal.claims).toHaveLength(7);
    expect(principal.findAll('aud').map((c) => c.value)).toEqual(['api1', 'api2']);
    expect(principal.findAll('role').map((c) => c.value)).toEqual(['admin', 'user', 'editor']);
    expect(principal.isInRole('editor')).toBe(true);
    expect(principal.hasClaim('amr')).toBe(false);
  });

  it('turns a nested object into one JSON claim', () => {
    const address = { street_address: '1 Main St', country: 'NZ' };
    const principal = toPrincipal({ sub: 'a', address, cnf: { jkt: 'abc' } });
    const claim = principal.findFirst('address');
    expect(claim?.valueType).toBe(ClaimValueTypes.json);
    expect(JSON.parse(claim?.value ?? '')).toEqual(address);
    expect(principal.findFirst('cnf')?.value).toBe('{"jkt":"abc"}');
  });

  it('gives numbers, booleans and null their JSON text and a value type', () => {
    const principal = toPrincipal({
      exp: 1700000000,
      ratio: 45.67,
      email_verified: true,
      phone_number_verified: false,
      middle_name: null,
      tags: [1, true, null, 'x', [2, 3], { k: 'v' }],
    });
    const pick = (type: string) => principal.findAll(type).map((c) => [c.value, c.valueType]);
    expect(pick('exp')).toEqual([['1700000000', 'integer']]);
    expect(pick('ratio')).toEqual([['45.67', 'double']]);
    expect(pick('email_verified')).toEqual([['true', 'boolean']]);
    expect(pick('phone_number_verified')).toEqual([['false', 'boolean']]);
    expect(pick('middle_name')).toEqual([['null', 'null']]);
    expect(pick('tags')).toEqual([
      ['1', 'integer'],
      ['true', 'boolean'],
      ['null', 'null'],
      ['x', 'string'],
      ['[2,3]', 'json'],
      ['{"k":"v"}', 'json'],
    ]);
  });

  it('skips undefined members, as JSON would', () => {
    const principal = toPrincipal({ sub: 'a', nickname: undefined, role: ['x', undefined] });
    expect(principal.hasClaim('nickname')).toBe(false);
    expect(principal.findAll('role')).toHaveLength(1);
  });

  it('treats a __proto__ member as an ordinary claim and changes no prototype', () => {
    const claims = JSON.parse(
      '{"sub":"a","__proto__":{"role":"admin","isAdmin":true},"constructor":"c"}',
    ) as Record<string, unknown>;
    const principal = toPrincipal(claims);
    const proto = principal.findFirst('__proto__');
    expect(proto?.valueType).toBe('json');
    expect(JSON.parse(proto?.value ?? '')).toEqual({ role: 'admin', isAdmin: true });
    expect(principal.findFirst('constructor')?.value).toBe('c');
    expect(principal.isInRole('admin')).toBe(false);
    expect(principal.hasClaim('role')).toBe(false);
    expect(Object.getPrototypeOf(principal.findFirst('sub'))).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('ignores inherited members', () => {
    const claims = Object.create({ role: 'admin' }) as Record<string, unknown>;
    claims.sub = 'a';
    const principal = toPrincipal(claims);
    expect(principal.claims.map((c) => c.type)).toEqual(['sub']);
    expect(principal.isInRole('admin')).toBe(false);
  });

  it('never lets a non-string role shape pass a role check', () => {
    const hostile: Record<string, unknown>[] = [
      { role: { admin: true } },
      { role: [{ admin: true }] },
      { role: [['admin']] },
      { role: true },
      { role: 1 },
      { role: null },
      { role: { toString: 'admin' } },
    ];
    for (const claims of hostile) {
      const principal = toPrincipal(claims);
      expect(principal.isInRole('admin'), JSON.stringify(claims)).toBe(false);
      expect(principal.hasClaim('role', 'admin'), JSON.stringify(claims)).toBe(false);
    }
    expect(toPrincipal({ role: true }).isInRole('true')).toBe(false);
    expect(toPrincipal({ role: 1 }).isInRole('1')).toBe(false);
    expect(toPrincipal({ role: null }).isInRole('null')).toBe(false);
    expect(toPrincipal({ role: ['admin'] }).isInRole('admin')).toBe(true);
  });

  it('never takes JSON text as the name', () => {
    expect(toPrincipal({ name: { first: 'Ada' } }).name).toBeUndefined();
    expect(toPrincipal({ name: 42 }).name).toBeUndefined();
    expect(toPrincipal({ name: ['Ada', 'Lovelace'] }).name).toBe('Ada');
  });

  it('applies custom name and role claim types', () => {
    const principal = toPrincipal(
      { sub: 'u1', preferred_username: 'ada', roles: ['reader', 'writer'], role: 'ignored' },
      'Bearer',
      { nameClaimType: 'preferred_username', roleClaimType: 'roles' },
    );
    expect(principal.name).toBe('ada');
    expect(principal.identity?.nameClaimType).toBe('preferred_username');
    expect(principal.isInRole('writer')).toBe(true);
    expect(principal.isInRole('ignored')).toBe(false);
  });

  it('uses the given authentication type; null or empty gives an unauthenticated principal', () => {
    expect(toPrincipal({ sub: 'a' }, 'JWT').identity?.authenticationType).toBe('JWT');
    expect(toPrincipal({ sub: 'a' }, 'JWT').isAuthenticated).toBe(true);
    expect(toPrincipal({ sub: 'a' }, null).isAuthenticated).toBe(false);
    const empty = toPrincipal({ sub: 'a' }, '');
    expect(empty.isAuthenticated).toBe(false);
    expect(empty.findFirst('sub')?.value).toBe('a'); // unauthenticated, but the claims are kept
  });

  it('builds a principal with no claims from an empty object', () => {
    const principal = toPrincipal({});
    expect(principal.identity).toBeInstanceOf(ClaimsIdentity);
    expect(principal.claims).toEqual([]);
    expect(principal.isAuthenticated).toBe(true);
    expect(principal.name).toBeUndefined();
    expect(principal.isInRole('admin')).toBe(false);
  });

  it('freezes the claims it makes', () => {
    const principal = toPrincipal({ role: 'user' });
    const claim = principal.findFirst('role') as Claim;
    expect(Object.isFrozen(claim)).toBe(true);
    expect(() => {
      (claim as { value: string }).value = 'admin';
    }).toThrow(TypeError);
    expect(principal.isInRole('admin')).toBe(false);
  });

  it('refuses input that is not a JSON object, quoting the path', () => {
    expectConfigurationError(
      () => toPrincipal(null as unknown as Record<string, unknown>),
      '"claims" must be an object',
    );
    expectConfigurationError(
      () => toPrincipal(['sub'] as unknown as Record<string, unknown>),
      '"claims" must be an object',
    );
    expectConfigurationError(
      () => toPrincipal('{"sub":"a"}' as unknown as Record<string, unknown>),
      '"claims" must be an object',
    );
    expectConfigurationError(
      () => toPrincipal({ exp: Number.NaN }),
      '"claims.exp" must be JSON data',
    );
    expectConfigurationError(
      () => toPrincipal({ 'weird key': [1, () => 1] }),
      '"claims["weird key"][1]" must be JSON data',
    );
    expectConfigurationError(() => toPrincipal({ big: 1n }), '"claims.big" must be JSON data');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expectConfigurationError(() => toPrincipal({ act: cyclic }), '"claims.act" must be JSON data');
    expectConfigurationError(
      () => toPrincipal({ sub: 'a' }, 'Bearer', { nameClaimType: 3 as unknown as string }),
      '"options.nameClaimType" must be a non-empty string',
    );
  });
});
