/**
 * `identity-model-web doctor`: checks what this library needs from a provider and an API, and
 * says what to change. Node-only tooling; not part of the page or worker bundles.
 *
 * @module
 */

import { checkApi } from './api.js';
import {
  checkDiscovery,
  checkMetadata,
  checkOtherEndpoints,
  checkTokenEndpoint,
} from './provider.js';
import type { DoctorOptions, Finding } from './types.js';

/** Default time per request: 10 seconds. */
export const DOCTOR_TIMEOUT = 10_000;

/**
 * Runs every check in order and returns the findings. Discovery failing stops the provider
 * checks (the API checks still run). Never throws for a bad provider or API.
 *
 * @example
 * ```ts
 * const findings = await runDoctor({ issuer, clientId: 'spa', origin: 'https://app.example' });
 * console.log(formatFindings(findings));
 * ```
 */
export async function runDoctor(options: DoctorOptions): Promise<Finding[]> {
  const origin = new URL(options.origin).origin;
  const context = {
    options: { ...options, origin },
    fetch: options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init)),
    timeout: options.timeout ?? DOCTOR_TIMEOUT,
    redirectUri: options.redirectUri ?? `${origin}/callback`,
  };
  const { findings, document } = await checkDiscovery(context);
  if (document) {
    findings.push(...checkMetadata(document));
    const token = await checkTokenEndpoint(context, document);
    findings.push(...token);
    if (!token.some((finding) => finding.id === 'cors')) {
      findings.push(...(await checkOtherEndpoints(context, document)));
    }
  }
  const dpop = document?.dpopSigningAlgValuesSupported !== undefined;
  for (const api of options.apis ?? []) {
    findings.push(...(await checkApi(context.fetch, api, origin, dpop, context.timeout)));
  }
  return findings;
}

const LABEL = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

/** One line per finding, each not-ok one followed by its fix. */
export function formatFindings(findings: readonly Finding[]): string {
  const lines: string[] = [];
  for (const finding of findings) {
    lines.push(`${LABEL[finding.status]} ${finding.id}: ${finding.message}`);
    if (finding.status !== 'ok' && finding.fix) lines.push(`     fix: ${finding.fix}`);
  }
  const failed = findings.filter((finding) => finding.status === 'fail').length;
  const warned = findings.filter((finding) => finding.status === 'warn').length;
  lines.push(`${failed} failed, ${warned} warnings, ${findings.length - failed - warned} ok`);
  return lines.join('\n');
}
