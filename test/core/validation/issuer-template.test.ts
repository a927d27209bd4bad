/**
 * Multi-tenant issuer templates (issue 9): `issuerTemplate` accepts exactly the tenant in the
 * token's `tid` (the template filled with `tid` must equal `iss`, `tid` must be a GUID), never
 * any string. Tokens are made with jose and signed by a local key; the hostile ones try to name
 * another tenant, or to smuggle a path or an empty segment through `tid`.
 */
import { describe, expect, it } from 'vitest';
import type { ErrorCode, TokenValidationError } from '../../../src/core/errors.js';
import { type TokenValidationConfig, validateToken } from '../../../src/core/validation/index.js';
import { expectCode, makeKey, NOW, NOW_S, sign } from '../../support/hostile-op.js';
import { expectConfigurationError } from '../../support/result.js';

const key = await makeKey('RS256', { kid: 'entra' });
const TEMPLATE = 'https://login.microsoftonline.com/{tenantid}/v2.0';
const V1_TEMPLATE = 'https://sts.windows.net/{tenantid}/';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER = '9188040d-6c67-4c5b-b112-36a304b66dad';

const config: TokenValidationConfig = {
  key: key.jwk,
  audience: 'api://contoso',
  issuerTemplate: TEMPLATE,
  now: () => NOW,
};

function token(claims: Record<string, unknown>): Promise<string> {
  return sign(key, {
    aud: 'api://contoso',
    iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    tid: TENANT,
    sub: 'alice',
    iat: NOW_S - 10,
    exp: NOW_S + 3600,
    ...claims,
  });
}

async function refused(claims: Record<string, unknown>, code: ErrorCode, claim: string) {
  const error = await expectCode<TokenValidationError>(
    validateToken(await token(claims), config),
    code,
  );
  expect(error.claim).toBe(claim);
}

describe('issuerTemplate', () => {
  it('accepts the issuer of the tenant named in tid', async () => {
    await expect(validateToken(await token({}), config)).resolves.toMatchObject({ tid: TENANT });
  });

  it('accepts upper-case GUIDs when iss carries the same spelling', async () => {
    const upper = TENANT.toUpperCase();
    const claims = { tid: upper, iss: `https://login.microsoftonline.com/${upper}/v2.0` };
    await expect(validateToken(await token(claims), config)).resolves.toBeDefined();
  });

  it('accepts v1.0 tokens (sts.windows.net) when that template is listed too', async () => {
    const v1 = { iss: `https://sts.windows.net/${TENANT}/`, ver: '1.0' };
    await refused(v1, 'ERR_JWT_ISSUER_MISMATCH', 'iss');
    await expect(
      validateToken(await token(v1), { ...config, issuerTemplate: [TEMPLATE, V1_TEMPLATE] }),
    ).resolves.toMatchObject({ ver: '1.0' });
  });

  it('an expected issuer still matches literally, with or without tid', async () => {
    const literal = 'https://op.example';
    await expect(
      validateToken(await token({ iss: literal, tid: undefined }), { ...config, issuer: literal }),
    ).resolves.toMatchObject({ iss: literal });
  });
});

describe('issuerTemplate refuses', () => {
  it('an iss that names another tenant than tid: ERR_JWT_ISSUER_MISMATCH', async () => {
    await refused({ tid: OTHER }, 'ERR_JWT_ISSUER_MISMATCH', 'iss');
    await refused(
      { iss: `https://login.microsoftonline.com/${OTHER}/v2.0` },
      'ERR_JWT_ISSUER_MISMATCH',
      'iss',
    );
  });

  it('the template itself as iss: ERR_JWT_ISSUER_MISMATCH', async () => {
    await refused({ iss: TEMPLATE }, 'ERR_JWT_ISSUER_MISMATCH', 'iss');
  });

  it('an iss on another host or path with a matching tid: ERR_JWT_ISSUER_MISMATCH', async () => {
    for (const iss of [
      `https://login.microsoftonline.com.evil.example/${TENANT}/v2.0`,
      `https://login.microsoftonline.com/${TENANT}/v2.0/`,
      `https://login.microsoftonline.com/${TENANT}/v1.0`,
      `http://login.microsoftonline.com/${TENANT}/v2.0`,
    ]) {
      await refused({ iss }, 'ERR_JWT_ISSUER_MISMATCH', 'iss');
    }
  });

  it.each([
    ['a slash', `${TENANT}/v2.0/x`],
    ['a path traversal', '..'],
    ['a traversal with a GUID', `../${TENANT}`],
    ['an empty tid', ''],
    ['a host', 'evil.example'],
    ['a GUID with a suffix', `${TENANT}#`],
    ['a GUID without dashes', TENANT.replaceAll('-', '')],
  ])('a tid with %s: ERR_JWT_CLAIM_INVALID (tid)', async (_, tid) => {
    // iss is built from the hostile tid: filled in naively, the template would match.
    const iss = `https://login.microsoftonline.com/${tid}/v2.0`;
    await refused({ tid, iss }, 'ERR_JWT_CLAIM_INVALID', 'tid');
  });

  it('a tid that is not a string: ERR_JWT_CLAIM_INVALID (tid)', async () => {
    for (const tid of [null, 42, [TENANT], { toString: TENANT }]) {
      await refused({ tid }, 'ERR_JWT_CLAIM_INVALID', 'tid');
    }
  });

  it('no tid: ERR_JWT_CLAIM_MISSING (tid)', async () => {
    await refused({ tid: undefined }, 'ERR_JWT_CLAIM_MISSING', 'tid');
  });

  it('no iss: ERR_JWT_CLAIM_MISSING (iss)', async () => {
    await refused({ iss: undefined }, 'ERR_JWT_CLAIM_MISSING', 'iss');
  });
});

describe('issuerTemplate configuration', () => {
  it.each([
    ['no placeholder', 'https://login.microsoftonline.com/common/v2.0'],
    ['two placeholders', 'https://login.microsoftonline.com/{tenantid}/{tenantid}'],
    ['the placeholder in the host', 'https://{tenantid}.example/v2.0'],
    ['a query', 'https://login.microsoftonline.com/{tenantid}/v2.0?x=1'],
    ['not a URL', '{tenantid}'],
  ])('refuses a template with %s', async (_, template) => {
    await expectConfigurationError(
      () => validateToken('a.b.c', { ...config, issuerTemplate: template }),
      /"config\.issuerTemplate"/,
    );
  });

  it('refuses an empty list and non-strings', async () => {
    for (const issuerTemplate of [[], [42], 42]) {
      await expectConfigurationError(
        () =>
          validateToken('a.b.c', { ...config, issuerTemplate } as unknown as TokenValidationConfig),
        /"config\.issuerTemplate"/,
      );
    }
  });
});
