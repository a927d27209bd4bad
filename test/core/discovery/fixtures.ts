/**
 * The project's own discovery fixtures (test/fixtures/discovery/*.json, modelled on the seed's
 * conformance fixtures) and small builders shared by the discovery tests.
 */
import { readFileSync } from 'node:fs';
import type { FetchLike, SleepFn } from '../../../src/core/http/defaults.js';

/** The issuer every JSON fixture is written for. */
export const FIXTURE_ISSUER = 'https://provider.example.com';

export type FixtureName =
  | 'valid'
  | 'issuer-mismatch'
  | 'missing-jwks-uri'
  | 'missing-multiple-fields'
  | 'every-member';

type Json = Record<string, unknown>;

const DIR = new URL('../../fixtures/discovery/', import.meta.url);

/** A fresh copy of a fixture. */
export function fixture(name: FixtureName): Json {
  return JSON.parse(readFileSync(new URL(`${name}.json`, DIR), 'utf8')) as Json;
}

/** `doc` with the fixture issuer's origin replaced by `base` (e.g. the local server's URL). */
export function rebase(doc: Json, base: string): Json {
  return JSON.parse(JSON.stringify(doc).replaceAll(FIXTURE_ISSUER, base)) as Json;
}

/**
 * A minimal valid document for `issuer` (endpoints under it), with `overrides` applied;
 * an override of `undefined` deletes the member.
 */
export function buildDocument(issuer: string, overrides: Json = {}): Json {
  const doc: Json = {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete doc[name];
    else doc[name] = value;
  }
  return doc;
}

/** A `sleep` that records each requested wait and returns at once. */
export function recordingSleep(): { sleep: SleepFn; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
}

/**
 * A `fetch` that answers every request with `body` as JSON (for https addresses no local server
 * can serve), recording the URLs asked for.
 */
export function jsonFetch(
  body: unknown,
  headers: Record<string, string> = {},
): FetchLike & { urls: string[] } {
  const urls: string[] = [];
  const fetch = async (input: string) => {
    urls.push(input);
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json', ...headers },
    });
  };
  return Object.assign(fetch, { urls });
}
