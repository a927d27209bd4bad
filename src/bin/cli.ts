/**
 * The package's command line: `npx identity-model-web doctor <issuer> --client-id … --origin …`.
 * `main` is here so that tests run it in-process; bin/identity-model-web.ts runs it.
 */
import { parseArgs } from 'node:util';
import type { DiscoveryPolicy } from '../core/discovery/policy.js';
import { formatFindings, runDoctor } from '../doctor/run.js';

const USAGE = `Usage: identity-model-web doctor <issuer> --client-id <id> --origin <app origin> [options]

Checks what identity-model-web needs from an OpenID provider and your APIs, and prints what to change.

Options:
  --client-id <id>          the SPA's client id (a public client)           (required)
  --origin <origin>         the app's origin, e.g. https://app.example       (required)
  --api <url>               an API the worker calls with tokens (repeatable)
  --redirect-uri <uri>      the redirect URI (default <origin>/callback)
  --endpoint-base <url>     discoveryPolicy.additionalEndpointBaseAddresses (repeatable)
  --issuer-template <tpl>   discoveryPolicy.issuerTemplate, e.g. https://login.microsoftonline.com/{tenantid}/v2.0
  --timeout <ms>            per request (default 10000)

Exit status: 0 when nothing failed, 1 when a check failed, 2 for a usage error.`;

/** Runs the CLI with `argv` (without node and the script); resolves to the exit status. */
export async function main(argv: readonly string[], out = console.log, err = console.error) {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    err(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const [command, issuer, ...rest] = positionals;
  if (
    command !== 'doctor' ||
    !issuer ||
    rest.length > 0 ||
    !values['client-id'] ||
    !values.origin
  ) {
    err(USAGE);
    return 2;
  }
  const policy: DiscoveryPolicy = {
    ...(values['endpoint-base']
      ? { additionalEndpointBaseAddresses: values['endpoint-base'] }
      : {}),
    ...(values['issuer-template'] ? { issuerTemplate: values['issuer-template'] } : {}),
  };
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) {
    err('--timeout must be a positive number of milliseconds');
    return 2;
  }
  try {
    const findings = await runDoctor({
      issuer,
      clientId: values['client-id'],
      origin: values.origin,
      apis: values.api ?? [],
      discoveryPolicy: policy,
      ...(values['redirect-uri'] ? { redirectUri: values['redirect-uri'] } : {}),
      ...(timeout ? { timeout } : {}),
    });
    out(formatFindings(findings));
    return findings.some((finding) => finding.status === 'fail') ? 1 : 0;
  } catch (error) {
    // Bad arguments (an unparsable issuer or origin, a bad template) are usage errors.
    err(error instanceof Error ? error.message : String(error));
    return 2;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      'client-id': { type: 'string' },
      origin: { type: 'string' },
      api: { type: 'string', multiple: true },
      'redirect-uri': { type: 'string' },
      'endpoint-base': { type: 'string', multiple: true },
      'issuer-template': { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
