/**
 * Registered-claim checks (RFC 7519 §4.1, OpenID Connect Core §3.1.3.7) with a configured key
 * and an injected clock: time claims on both sides of the leeway boundary, issuer, audience and
 * azp, the require* options, subject, wrong JSON types, `typ` and the custom validator.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  type ErrorCode,
  InvalidAudienceError,
  InvalidClaimError,
  TokenValidationError,
} from '../../../src/core/errors.js';
import { type TokenValidationConfig, validateToken } from '../../../src/core/validation/index.js';
import { validateJwt } from '../../../src/core/validation/validate.js';
import { expectCode, makeKey, NOW, NOW_S, sign } from '../../support/hostile-op.js';

const ISSUER = 'https://op.example';
const key = await makeKey('ES256', { kid: 'k1' });

/** Claims valid at NOW; `undefined` members are left out. */
function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const all: Record<string, unknown> = {
    iss: ISSUER,
    sub: 'user-1',
    aud: 'api',
    iat: NOW_S - 60,
    exp: NOW_S + 3600,
    ...extra,
  };
  for (const [name, value] of Object.entries(all)) if (value === undefined) delete all[name];
  return all;
}

/** Validates a token with `payload` at time `at` (ms) with the configured key. */
async function validate(
  payload: unknown,
  config: Partial<TokenValidationConfig> = {},
  at = NOW,
  header: Record<string, unknown> = {},
) {
  const jwt = await sign(key, payload, { header });
  return validateToken(jwt, { key: key.jwk, now: () => at, ...config });
}

async function rejects(
  code: ErrorCode,
  payload: unknown,
  config: Partial<TokenValidationConfig> = {},
  at = NOW,
  header: Record<string, unknown> = {},
): Promise<TokenValidationError> {
  const error = await expectCode<TokenValidationError>(validate(payload, config, at, header), code);
  expect(error).toBeInstanceOf(TokenValidationError);
  return error;
}

/** A configuration refused: `ERR_CONFIGURATION`, the one configuration error class. */
async function refusesConfig(payload: unknown, config: Partial<TokenValidationConfig>) {
  const error = await expectCode(validate(payload, config), 'ERR_CONFIGURATION');
  expect(error).toBeInstanceOf(ConfigurationError);
}

describe('time claims at the leeway boundary', () => {
  const exp = NOW_S;
  const future = NOW_S + 600;

  it.each([0, 60, 300])(
    'exp with leeway %i s: valid 1 ms before exp + leeway, expired at it',
    async (leeway) => {
      const payload = claims({ exp, iat: exp - 3600 });
      const edge = (exp + leeway) * 1000;
      await expect(validate(payload, { leeway }, edge - 1)).resolves.toMatchObject({ exp });
      const error = await rejects('ERR_JWT_EXPIRED', payload, { leeway }, edge);
      expect(error.claim).toBe('exp');
    },
  );

  it('the default leeway is 60 s', async () => {
    const payload = claims({ exp, iat: exp - 3600 });
    await expect(validate(payload, {}, (exp + 60) * 1000 - 1)).resolves.toBeDefined();
    await rejects('ERR_JWT_EXPIRED', payload, {}, (exp + 60) * 1000);
  });

  it.each([0, 60, 300])(
    'nbf with leeway %i s: valid at nbf - leeway, not yet valid 1 ms before',
    async (leeway) => {
      const payload = claims({ nbf: future, iat: NOW_S - 60, exp: future + 3600 });
      const edge = (future - leeway) * 1000;
      await expect(validate(payload, { leeway }, edge)).resolves.toMatchObject({ nbf: future });
      const error = await rejects('ERR_JWT_NOT_YET_VALID', payload, { leeway }, edge - 1);
      expect(error.claim).toBe('nbf');
    },
  );

  it.each([0, 60, 300])(
    'iat with leeway %i s: valid at iat - leeway, in the future 1 ms before',
    async (leeway) => {
      const payload = claims({ iat: future, exp: future + 3600 });
      const edge = (future - leeway) * 1000;
      await expect(validate(payload, { leeway }, edge)).resolves.toMatchObject({ iat: future });
      const error = await rejects('ERR_JWT_NOT_YET_VALID', payload, { leeway }, edge - 1);
      expect(error.claim).toBe('iat');
    },
  );

  it('accepts fractional NumericDates (RFC 7519 §2)', async () => {
    const payload = claims({ exp: NOW_S + 0.5, iat: NOW_S - 0.5 });
    await expect(validate(payload, { leeway: 0 }, NOW + 499)).resolves.toBeDefined();
    await rejects('ERR_JWT_EXPIRED', payload, { leeway: 0 }, NOW + 500);
  });

  it.each([-1, 301, Number.NaN, Number.POSITIVE_INFINITY, '60'])(
    'refuses leeway %s (ERR_CONFIGURATION: 0..300 s)',
    async (leeway) => {
      await refusesConfig(claims(), { leeway: leeway as number });
    },
  );

  it('reads the clock on every call (an injected clock, in milliseconds)', async () => {
    let time = NOW;
    const jwt = await sign(key, claims({ exp: NOW_S + 10 }));
    const config: TokenValidationConfig = { key: key.jwk, leeway: 0, now: () => time };
    await expect(validateToken(jwt, config)).resolves.toBeDefined();
    time = NOW + 10_000;
    await expectCode(validateToken(jwt, config), 'ERR_JWT_EXPIRED');
  });
});

describe('require* options', () => {
  it.each([
    ['exp', {}],
    ['iat', {}],
    ['nbf', { options: { requireNbf: true } }],
    ['aud', { options: { requireAud: true } }],
    ['iss', { options: { requireIss: true } }],
    ['sub', { options: { requireSub: true } }],
    ['jti', { options: { requireJti: true } }],
  ] as const)('a missing %s is ERR_JWT_CLAIM_MISSING when required', async (claim, config) => {
    const error = await rejects('ERR_JWT_CLAIM_MISSING', claims({ [claim]: undefined }), config);
    expect(error.claim).toBe(claim);
  });

  it('exp and iat are required by default; requireExp/requireIat false lift that', async () => {
    const payload = claims({ exp: undefined, iat: undefined });
    await rejects('ERR_JWT_CLAIM_MISSING', payload);
    await expect(
      validate(payload, { options: { requireExp: false, requireIat: false } }),
    ).resolves.toEqual(payload);
  });

  it('requireIat false accepts a JWT without iat, and still checks an iat that is there', async () => {
    const config = { leeway: 0, options: { requireIat: false } };
    const payload = claims({ iat: undefined });
    await expect(validate(payload, config)).resolves.toEqual(payload);
    const error = await rejects('ERR_JWT_NOT_YET_VALID', claims({ iat: NOW_S + 10 }), config);
    expect(error.claim).toBe('iat');
  });

  it('nbf, aud, sub and jti are optional by default', async () => {
    const payload = claims({ aud: undefined, sub: undefined });
    await expect(validate(payload)).resolves.toEqual(payload);
  });

  it('requiredClaims: any JSON value but null', async () => {
    const config = { requiredClaims: ['email', 'roles'] };
    await expect(validate(claims({ email: '', roles: [] }), config)).resolves.toBeDefined();
    expect((await rejects('ERR_JWT_CLAIM_MISSING', claims({ email: 'a@b' }), config)).claim).toBe(
      'roles',
    );
    expect(
      (await rejects('ERR_JWT_CLAIM_MISSING', claims({ email: null, roles: [] }), config)).claim,
    ).toBe('email');
  });

  it('refuses a non-boolean option (ERR_CONFIGURATION)', async () => {
    await refusesConfig(claims(), {
      options: { requireSub: 'yes' as unknown as boolean },
    });
  });
});

describe('issuer', () => {
  it('matches exactly: no trailing-slash, case or prefix tolerance', async () => {
    await expect(validate(claims(), { issuer: ISSUER })).resolves.toMatchObject({ iss: ISSUER });
    for (const iss of [`${ISSUER}/`, 'https://OP.example', `${ISSUER}.evil`, 'http://op.example']) {
      const error = await rejects('ERR_JWT_ISSUER_MISMATCH', claims({ iss }), { issuer: ISSUER });
      expect(error.claim).toBe('iss');
    }
  });

  it('accepts one of issuer[] or allowedIssuers', async () => {
    const config = { issuer: [ISSUER, 'https://a.example'], allowedIssuers: ['https://b.example'] };
    for (const iss of [ISSUER, 'https://a.example', 'https://b.example']) {
      await expect(validate(claims({ iss }), config)).resolves.toMatchObject({ iss });
    }
    await rejects('ERR_JWT_ISSUER_MISMATCH', claims({ iss: 'https://c.example' }), config);
    await expect(
      validate(claims({ iss: 'https://b.example' }), { allowedIssuers: ['https://b.example'] }),
    ).resolves.toBeDefined();
  });

  it('a missing iss is ERR_JWT_CLAIM_MISSING when an issuer is expected', async () => {
    const error = await rejects('ERR_JWT_CLAIM_MISSING', claims({ iss: undefined }), {
      issuer: ISSUER,
    });
    expect(error.claim).toBe('iss');
  });

  it('verifyIss false skips the comparison, never the type check', async () => {
    const config = { issuer: ISSUER, options: { verifyIss: false } };
    await expect(validate(claims({ iss: 'https://other.example' }), config)).resolves.toBeDefined();
    await rejects('ERR_JWT_CLAIM_INVALID', claims({ iss: [ISSUER] }), config);
  });

  it.each([[''], [[]], [['']], [7]])('refuses issuer %j (ERR_CONFIGURATION)', async (issuer) => {
    await refusesConfig(claims(), { issuer: issuer as string });
  });
});

describe('audience and azp', () => {
  it('aud as a string or an array containing an expected audience', async () => {
    await expect(validate(claims(), { audience: 'api' })).resolves.toMatchObject({ aud: 'api' });
    await expect(
      validate(claims({ aud: ['other', 'api'], azp: 'api' }), { audience: ['x', 'api'] }),
    ).resolves.toMatchObject({ aud: ['other', 'api'] });
    await expect(validate(claims({ aud: ['api'] }), { audience: 'api' })).resolves.toBeDefined();
  });

  it('a wrong audience is ERR_JWT_AUDIENCE_INVALID', async () => {
    const error = await rejects('ERR_JWT_AUDIENCE_INVALID', claims({ aud: 'apix' }), {
      audience: 'api',
    });
    expect(error.claim).toBe('aud');
    await rejects('ERR_JWT_AUDIENCE_INVALID', claims({ aud: ['a', 'b'], azp: 'a' }), {
      audience: 'api',
    });
  });

  it('a missing aud is ERR_JWT_CLAIM_MISSING when an audience is expected', async () => {
    const error = await rejects('ERR_JWT_CLAIM_MISSING', claims({ aud: undefined }), {
      audience: 'api',
    });
    expect(error.claim).toBe('aud');
  });

  it.each([
    ['a number', 123],
    ['an empty array', []],
    ['an array with a number', ['api', 1]],
    ['an object', { api: true }],
    ['null', null],
  ])('aud as %s is ERR_JWT_CLAIM_INVALID, expected audience or not', async (_, aud) => {
    await rejects('ERR_JWT_CLAIM_INVALID', claims({ aud }), { audience: 'api' });
    await rejects('ERR_JWT_CLAIM_INVALID', claims({ aud }));
  });

  it('verifyAud false skips the comparison', async () => {
    await expect(
      validate(claims({ aud: 'other' }), { audience: 'api', options: { verifyAud: false } }),
    ).resolves.toBeDefined();
  });

  it('with authorizedParty: several audiences need azp, and azp must equal it', async () => {
    const config = { audience: 'api', authorizedParty: 'client-1' };
    await expect(
      validate(claims({ aud: ['api', 'client-1'], azp: 'client-1' }), config),
    ).resolves.toMatchObject({ azp: 'client-1' });
    const missing = await rejects('ERR_JWT_CLAIM_MISSING', claims({ aud: ['api', 'x'] }), config);
    expect(missing.claim).toBe('azp');
    const wrong = await rejects(
      'ERR_JWT_AUDIENCE_INVALID',
      claims({ aud: ['api', 'x'], azp: 'x' }),
      config,
    );
    expect(wrong.claim).toBe('azp');
    // One audience: azp is optional, but checked when present.
    await expect(validate(claims(), config)).resolves.toBeDefined();
    await rejects('ERR_JWT_AUDIENCE_INVALID', claims({ azp: 'x' }), config);
  });

  it('without authorizedParty: azp is not compared (an access token names its client there)', async () => {
    await expect(
      validate(claims({ aud: ['api', 'x'], azp: 'api' }), { audience: 'api' }),
    ).resolves.toBeDefined();
    // Issue 9: refused with ERR_JWT_AUDIENCE_INVALID before (the ID-token rule on every token).
    await expect(
      validate(claims({ aud: ['api', 'x'], azp: 'x' }), { audience: 'api' }),
    ).resolves.toMatchObject({ azp: 'x' });
    await expect(
      validate(claims({ aud: ['api', 'x'] }), { audience: 'api' }),
    ).resolves.toBeDefined();
  });

  it('azp of the wrong type is ERR_JWT_CLAIM_INVALID', async () => {
    await rejects('ERR_JWT_CLAIM_INVALID', claims({ aud: ['api', 'x'], azp: ['api'] }), {
      audience: 'api',
    });
  });
});

describe('subject and nonce', () => {
  it('subject must match exactly', async () => {
    await expect(validate(claims(), { subject: 'user-1' })).resolves.toBeDefined();
    const error = await rejects('ERR_JWT_CLAIM_INVALID', claims(), { subject: 'user-2' });
    expect(error.claim).toBe('sub');
    await rejects('ERR_JWT_CLAIM_MISSING', claims({ sub: undefined }), { subject: 'user-1' });
  });

  it('nonce must match when expected, and be present', async () => {
    await expect(validate(claims({ nonce: 'n1' }), { nonce: 'n1' })).resolves.toBeDefined();
    await rejects('ERR_JWT_CLAIM_INVALID', claims({ nonce: 'n2' }), { nonce: 'n1' });
    await rejects('ERR_JWT_CLAIM_MISSING', claims(), { nonce: 'n1' });
  });
});

describe('wrong JSON types are errors, never coerced', () => {
  it.each([
    ['exp as the string "9999999999"', { exp: '9999999999' }, 'exp'],
    ['exp as null (not "absent")', { exp: null }, 'exp'],
    ['exp as a boolean', { exp: true }, 'exp'],
    ['nbf as a string', { nbf: '0' }, 'nbf'],
    ['nbf as null', { nbf: null }, 'nbf'],
    ['iat as an array', { iat: [NOW_S] }, 'iat'],
    ['iss as an array', { iss: [ISSUER] }, 'iss'],
    ['iss as null', { iss: null }, 'iss'],
    ['sub as an object', { sub: { id: 'user-1' } }, 'sub'],
    ['sub as a number', { sub: 1 }, 'sub'],
    ['sub as null', { sub: null }, 'sub'],
    ['jti as a number', { jti: 5 }, 'jti'],
    ['nonce as a number', { nonce: 5 }, 'nonce'],
  ])('%s is ERR_JWT_CLAIM_INVALID', async (_, extra, claim) => {
    const error = await rejects('ERR_JWT_CLAIM_INVALID', claims(extra));
    expect(error.claim).toBe(claim);
    expect(error).toBeInstanceOf(InvalidClaimError);
  });

  it('exp as null is invalid even when exp is not required', async () => {
    await rejects('ERR_JWT_CLAIM_INVALID', claims({ exp: null }), {
      options: { requireExp: false },
    });
  });

  it('a huge exp in JSON (1e400 is Infinity) is invalid', async () => {
    const text = JSON.stringify(claims({ exp: 0 })).replace('"exp":0', '"exp":1e400');
    await rejects('ERR_JWT_CLAIM_INVALID', text);
  });
});

describe('typ (RFC 9068 §2.1)', () => {
  it.each(['at+jwt', 'application/at+jwt', 'AT+JWT', 'Application/At+Jwt'])(
    'typ %s matches a required at+jwt',
    async (typ) => {
      await expect(validate(claims(), { typ: 'at+jwt' }, NOW, { typ })).resolves.toBeDefined();
      await expect(
        validate(claims(), { typ: 'application/at+jwt' }, NOW, { typ }),
      ).resolves.toBeDefined();
    },
  );

  it.each([
    ['JWT', { typ: 'JWT' }],
    ['missing', { typ: undefined }],
    ['at+jwt with spaces', { typ: ' at+jwt' }],
    ['a prefix of it', { typ: 'at' }],
  ])('typ %s is ERR_JWT_TYPE_INVALID when at+jwt is required', async (_, header) => {
    const error = await rejects('ERR_JWT_TYPE_INVALID', claims(), { typ: 'at+jwt' }, NOW, header);
    expect(error.claim).toBe('typ');
  });

  it('one of several accepted types; no requirement accepts any typ', async () => {
    const config = { typ: ['at+jwt', 'jwt'] };
    await expect(validate(claims(), config, NOW, { typ: 'JWT' })).resolves.toBeDefined();
    await expect(validate(claims(), {}, NOW, { typ: 'whatever' })).resolves.toBeDefined();
  });

  it('typ that is not a string is ERR_JWT_MALFORMED', async () => {
    await rejects('ERR_JWT_MALFORMED', claims(), {}, NOW, { typ: 1 });
  });
});

describe('claimsValidator', () => {
  it('runs last, with the claims and header, sync or async', async () => {
    const validator = vi.fn(async () => {});
    const payload = claims({ scope: 'read' });
    const result = await validateJwt(await sign(key, payload), {
      key: key.jwk,
      now: () => NOW,
      claimsValidator: validator,
    });
    expect(result.claims).toEqual(payload);
    expect(validator).toHaveBeenCalledOnce();
    expect(validator).toHaveBeenCalledWith(payload, { alg: 'ES256', kid: 'k1' });
  });

  it('is not called for a token that already failed a built-in check', async () => {
    const validator = vi.fn();
    await rejects('ERR_JWT_EXPIRED', claims({ exp: NOW_S - 3600 }), { claimsValidator: validator });
    expect(validator).not.toHaveBeenCalled();
  });

  it('a validator that throws gives ERR_JWT_CLAIM_INVALID with the cause', async () => {
    const cause = new Error('scope missing');
    const error = await rejects('ERR_JWT_CLAIM_INVALID', claims(), {
      claimsValidator: () => {
        throw cause;
      },
    });
    expect(error.message).toMatch(/scope missing/);
    expect(error.cause).toBe(cause);
  });

  it('an async validator that rejects gives ERR_JWT_CLAIM_INVALID', async () => {
    const error = await rejects('ERR_JWT_CLAIM_INVALID', claims(), {
      claimsValidator: async () => {
        await Promise.resolve();
        throw new TypeError('tenant not allowed');
      },
    });
    expect(error.message).toMatch(/tenant not allowed/);
  });

  it('a validator that throws a non-Error still gives ERR_JWT_CLAIM_INVALID', async () => {
    await rejects('ERR_JWT_CLAIM_INVALID', claims(), {
      claimsValidator: () => {
        throw 'nope';
      },
    });
    await rejects('ERR_JWT_CLAIM_INVALID', claims(), {
      claimsValidator: () => Promise.reject(undefined),
    });
  });

  it("a validator's own TokenValidationError keeps its code", async () => {
    const error = await rejects('ERR_JWT_AUDIENCE_INVALID', claims(), {
      claimsValidator: () => {
        throw new InvalidAudienceError('not for this tenant');
      },
    });
    expect(error.message).toBe('not for this tenant');
  });

  it('refuses a claimsValidator that is not a function (ERR_CONFIGURATION)', async () => {
    await refusesConfig(claims(), {
      claimsValidator: 'check' as unknown as () => void,
    });
  });
});
