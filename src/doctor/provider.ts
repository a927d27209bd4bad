/**
 * The doctor's provider checks: discovery under the policy, what the metadata advertises, and
 * probes of the token, PAR and revocation endpoints from the app's origin.
 *
 * @module
 */

import type { DiscoveryDocument } from '../core/discovery/document.js';
import { getDiscoveryDocument } from '../core/discovery/get.js';
import type { FetchLike } from '../core/http/defaults.js';
import {
  allowsOrigin,
  oauthError,
  oauthErrorDescription,
  type ProbeResult,
  preflight,
  preflightGaps,
  probe,
} from './probe.js';
import type { DoctorOptions, Finding } from './types.js';

/** Settings every provider check shares. */
export interface ProviderContext {
  readonly options: DoctorOptions;
  readonly fetch: FetchLike;
  readonly timeout: number;
  readonly redirectUri: string;
}

const DISCOVERY_FIXES: Record<string, string> = {
  ERR_DISCOVERY_ISSUER_MISMATCH:
    'use the issuer the document names as the worker\'s "issuer", or, for a multi-tenant provider (Entra ID common/organizations), set discoveryPolicy.issuerTemplate (--issuer-template)',
  ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED:
    "add the endpoint's base URL to discoveryPolicy.additionalEndpointBaseAddresses (--endpoint-base); see docs/providers.md",
  ERR_DISCOVERY_HTTPS_REQUIRED: 'serve the provider and its endpoints over https',
  ERR_DISCOVERY_MISSING_MEMBER: 'the provider must publish the member named in the message',
};

/** Discovery under the policy: the document, or a failing finding. */
export async function checkDiscovery(
  context: ProviderContext,
): Promise<{ findings: Finding[]; document?: DiscoveryDocument }> {
  const { options, fetch, timeout } = context;
  const disco = await getDiscoveryDocument({
    issuer: options.issuer,
    cache: false,
    fetch,
    timeout,
    retries: 0,
    ...(options.discoveryPolicy ? { discoveryPolicy: options.discoveryPolicy } : {}),
  });
  if (!disco.isSuccessful) {
    const fix = DISCOVERY_FIXES[disco.errorCode];
    return {
      findings: [
        {
          id: 'discovery',
          status: 'fail',
          message: `${disco.errorCode}: ${disco.errorMessage}`,
          ...(fix ? { fix } : {}),
        },
      ],
    };
  }
  const ignored = disco.ignoredValues.map(({ member, value }) => `${member}: ${value}`);
  return {
    document: disco,
    findings: [
      {
        id: 'discovery',
        status: 'ok',
        message: `valid under the policy (issuer ${disco.issuer})${ignored.length ? `; ignored unknown values ${ignored.join(', ')}` : ''}`,
      },
    ],
  };
}

/** What the metadata advertises: PKCE, grants, public clients, RFC 9207, DPoP, response modes. */
export function checkMetadata(disco: DiscoveryDocument): Finding[] {
  const findings: Finding[] = [];
  const pkce = disco.codeChallengeMethodsSupported;
  findings.push(
    pkce === undefined
      ? {
          id: 'pkce',
          status: 'warn',
          message: 'code_challenge_methods_supported is not published',
          fix: 'confirm that the provider enforces PKCE with S256 for the client',
        }
      : pkce.includes('S256')
        ? { id: 'pkce', status: 'ok', message: 'PKCE S256 advertised' }
        : {
            id: 'pkce',
            status: 'fail',
            message: `PKCE methods ${pkce.join(', ')}: no S256`,
            fix: 'enable PKCE with S256 (the library never sends plain)',
          },
  );
  // RFC 8414 §2: without grant_types_supported the default is authorization_code and implicit.
  const grants = disco.grantTypesSupported ?? ['authorization_code', 'implicit'];
  const missing = ['authorization_code', 'refresh_token'].filter(
    (grant) => !grants.includes(grant),
  );
  findings.push(
    missing.length === 0
      ? { id: 'grants', status: 'ok', message: 'authorization_code and refresh_token advertised' }
      : {
          id: 'grants',
          status: missing.includes('authorization_code') ? 'fail' : 'warn',
          message: `not advertised: ${missing.join(', ')}`,
          fix: 'allow the authorization code grant and refresh tokens for the client (some providers need the offline_access scope)',
        },
  );
  const methods = disco.tokenEndpointAuthMethodsSupported ?? ['client_secret_basic'];
  findings.push(
    methods.includes('none')
      ? {
          id: 'public-client',
          status: 'ok',
          message: 'public clients (auth method none) advertised',
        }
      : {
          id: 'public-client',
          status: 'warn',
          message: `token_endpoint_auth_methods_supported has no "none" (${methods.join(', ')})`,
          fix: 'register the SPA as a public client (no secret: a browser cannot keep one); the token probe below tells whether the provider accepts it',
        },
  );
  findings.push(
    disco.authorizationResponseIssParameterSupported === true
      ? {
          id: 'rfc9207',
          status: 'ok',
          message: 'iss in authorization responses (RFC 9207) advertised',
        }
      : {
          id: 'rfc9207',
          status: 'warn',
          message: 'authorization_response_iss_parameter_supported is not true',
          fix: 'enable RFC 9207 at the provider if it can; without it, mix-up attacks are stopped only by the per-provider redirect URI',
        },
  );
  const dpop = disco.dpopSigningAlgValuesSupported;
  findings.push(
    dpop?.includes('ES256')
      ? { id: 'dpop', status: 'ok', message: 'DPoP with ES256 advertised' }
      : {
          id: 'dpop',
          status: 'warn',
          message: dpop ? `DPoP algorithms ${dpop.join(', ')}: no ES256` : 'DPoP is not advertised',
          fix: 'enable DPoP (ES256) at the provider: tokens are then sender-constrained and sessions can survive a worker restart',
        },
  );
  // OpenID Connect Discovery §3: without response_modes_supported the default is query and fragment.
  const modes = disco.responseModesSupported ?? ['query', 'fragment'];
  const others = modes.filter((mode) => mode !== 'query');
  findings.push(
    others.length === 0
      ? { id: 'response-modes', status: 'ok', message: 'only response_mode query' }
      : {
          id: 'response-modes',
          status: 'warn',
          message: `response modes besides query: ${others.join(', ')}`,
          fix: 'restrict the client to response_mode=query where the provider allows it: the worker reads the code from the query of the redirect URI',
        },
  );
  if (disco.endSessionEndpoint === undefined) {
    findings.push({
      id: 'end-session',
      status: 'warn',
      message: 'no end_session_endpoint: logout() cannot end the session at the provider',
    });
  }
  return findings;
}

function form(values: Record<string, string>): string {
  return new URLSearchParams(values).toString();
}

/** A POST from the app's origin, as the worker sends it. */
function post(context: ProviderContext, url: string, values: Record<string, string>) {
  return probe(
    context.fetch,
    url,
    {
      method: 'POST',
      headers: {
        origin: context.options.origin,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form(values),
    },
    context.timeout,
  );
}

// 43 characters, the shortest verifier RFC 7636 allows; the code it goes with does not exist.
const VERIFIER = 'doctor-probe-verifier-0000000000000000000000';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

/**
 * Probes the token endpoint with a code and a refresh token that do not exist: `invalid_grant`
 * means the client and the grant were accepted; `invalid_client` and `unauthorized_client` say
 * what is wrong. The answers also show whether the app's origin may read them (CORS).
 */
export async function checkTokenEndpoint(
  context: ProviderContext,
  disco: DiscoveryDocument,
): Promise<Finding[]> {
  const { options } = context;
  const findings: Finding[] = [];
  const code = await post(context, disco.tokenEndpoint, {
    grant_type: 'authorization_code',
    code: 'doctor-probe-invalid-code',
    client_id: options.clientId,
    redirect_uri: context.redirectUri,
    code_verifier: VERIFIER,
  });
  if (!code.ok) {
    return [{ id: 'token', status: 'fail', message: `token endpoint: no answer (${code.reason})` }];
  }
  findings.push(grantFinding('grant.code', 'code', code, context.redirectUri));
  const refused = oauthError(code);
  if (refused === 'invalid_client' || refused === 'unauthorized_client') {
    // Providers answer an unknown client before they know whose origins apply: CORS on that
    // answer says nothing about the client's. Glewlwyd 2.7 answers an unknown client with
    // unauthorized_client (403), not invalid_client.
    findings.push({
      id: 'cors',
      status: 'warn',
      message:
        'CORS on the token, PAR and revocation endpoints not judged: the client was not accepted',
    });
    return findings;
  }
  findings.push(
    allowsOrigin(code.headers, options.origin)
      ? {
          id: 'cors.token',
          status: 'ok',
          message: `the token endpoint answers ${options.origin} (CORS)`,
        }
      : {
          id: 'cors.token',
          status: 'fail',
          message: `the token endpoint's answer has no Access-Control-Allow-Origin for ${options.origin}`,
          fix: `allow the origin ${options.origin} for the client at the provider (CORS on the token endpoint)`,
        },
  );
  {
    const refresh = await post(context, disco.tokenEndpoint, {
      grant_type: 'refresh_token',
      refresh_token: 'doctor-probe-invalid-refresh-token',
      client_id: options.clientId,
    });
    if (refresh.ok) {
      findings.push(grantFinding('grant.refresh', 'refresh', refresh, context.redirectUri));
    }
  }
  if (disco.dpopSigningAlgValuesSupported) {
    findings.push(
      await preflightFinding(context, 'cors.token.dpop', disco.tokenEndpoint, ['dpop']),
    );
  }
  return findings;
}

/** oidc-provider (and others) refuse a grant the client may not use with `invalid_request`. */
const GRANT_REFUSED = /grant[ _]type[^.]*\b(not allowed|unauthori[sz]ed|not permitted)\b/i;

function grantFinding(
  id: string,
  grant: string,
  result: ProbeResult,
  redirectUri: string,
): Finding {
  const description = oauthErrorDescription(result) ?? '';
  const error =
    oauthError(result) === 'invalid_request' && GRANT_REFUSED.test(description)
      ? 'unauthorized_client'
      : oauthError(result);
  if (error === undefined && result.ok && result.status >= 400 && result.status < 500) {
    // Glewlwyd 2.7 answers a refresh token it does not know with a bare 400, whether or not the
    // client may refresh: such an answer says nothing about the grant (RFC 6749 §5.2 wants a body).
    return {
      id,
      status: 'warn',
      message: `the ${grant} probe got status ${result.status} without an OAuth error body (RFC 6749 §5.2): cannot tell whether the client may use the ${grant} grant`,
      fix: `confirm at the provider that the client may use the ${grant === 'refresh' ? 'refresh_token' : 'authorization_code'} grant`,
    };
  }
  switch (error) {
    // Glewlwyd 2.7 names an unknown code invalid_code (RFC 6749 §5.2: invalid_grant); it checks
    // the client and its grant first, so the answer means the same.
    case 'invalid_code':
    case 'invalid_grant':
      return {
        id,
        status: 'ok',
        message: `the ${grant} grant is accepted for the client (probe: invalid_grant)`,
      };
    case 'invalid_client':
      return {
        id,
        status: 'fail',
        message: 'invalid_client: the client is unknown or is not a public client',
        fix: 'register the client id as a public client (token_endpoint_auth_method none) with PKCE',
      };
    case 'unauthorized_client':
      return {
        id,
        status: 'fail',
        // Glewlwyd 2.7 also answers an unknown client, a confidential one and an unregistered
        // redirect URI with unauthorized_client: the code probe names every cause.
        message: `unauthorized_client: the ${grant} grant is not allowed for the client${
          grant === 'code'
            ? ', or the client is unknown, is not a public client, or lacks the redirect URI'
            : ''
        }`,
        fix:
          grant === 'refresh'
            ? 'allow refresh tokens for the client (grant type refresh_token)'
            : `register the client id as a public client (token_endpoint_auth_method none) with the authorization code grant and the redirect URI ${redirectUri}`,
      };
    default:
      return {
        id,
        status: 'warn',
        message: `unexpected answer to the ${grant} probe: status ${result.ok ? result.status : 'none'}${
          error ? `, error ${error}` : ''
        }${oauthErrorDescription(result) ? ` (${oauthErrorDescription(result)})` : ''}`,
      };
  }
}

async function preflightFinding(
  context: ProviderContext,
  id: string,
  url: string,
  headers: readonly string[],
): Promise<Finding> {
  const { origin } = context.options;
  const result = await preflight(context.fetch, url, origin, 'POST', headers, context.timeout);
  const gaps = preflightGaps(result, origin, 'POST', headers);
  return gaps.length === 0
    ? { id, status: 'ok', message: `preflight from ${origin} allowed for ${url}` }
    : {
        id,
        status: 'fail',
        message: `preflight from ${origin} to ${url} lacks ${gaps.join('; ')}`,
        fix: `allow ${origin} with ${['POST', ...headers].join(', ')} in CORS at the provider`,
      };
}

/** CORS on the PAR and revocation endpoints (the worker calls both from the app's origin). */
export async function checkOtherEndpoints(
  context: ProviderContext,
  disco: DiscoveryDocument,
): Promise<Finding[]> {
  const { options } = context;
  const findings: Finding[] = [];
  const endpoints: [string, string | undefined, Record<string, string>][] = [
    [
      'par',
      disco.pushedAuthorizationRequestEndpoint,
      {
        client_id: options.clientId,
        response_type: 'code',
        redirect_uri: context.redirectUri,
        scope: 'openid',
        code_challenge: CHALLENGE,
        code_challenge_method: 'S256',
      },
    ],
    [
      'revocation',
      disco.revocationEndpoint,
      { token: 'doctor-probe-invalid-token', client_id: options.clientId },
    ],
  ];
  for (const [name, url, values] of endpoints) {
    if (url === undefined) {
      findings.push({
        id: name,
        status: 'warn',
        message:
          name === 'par'
            ? 'no pushed_authorization_request_endpoint: the worker sends plain authorization requests'
            : 'no revocation_endpoint: logout() cannot revoke the refresh token',
      });
      continue;
    }
    const result = await post(context, url, values);
    findings.push(
      result.ok && allowsOrigin(result.headers, options.origin)
        ? {
            id: `cors.${name}`,
            status: 'ok',
            message: `the ${name} endpoint answers ${options.origin} (CORS)`,
          }
        : {
            id: `cors.${name}`,
            status: 'fail',
            message: result.ok
              ? `the ${name} endpoint's answer has no Access-Control-Allow-Origin for ${options.origin}`
              : `the ${name} endpoint: no answer (${result.reason})`,
            fix: `allow the origin ${options.origin} for the client at the provider (CORS on the ${name} endpoint)`,
          },
    );
    if (disco.dpopSigningAlgValuesSupported && name === 'par') {
      findings.push(await preflightFinding(context, 'cors.par.dpop', url, ['dpop']));
    }
  }
  return findings;
}
