/**
 * DPoP test helpers: decoding and verifying the proofs a request carried (with jose, which the
 * library itself does not use for DPoP).
 */
import { decodeJwt, decodeProtectedHeader, EmbeddedJWK, jwtVerify } from 'jose';
import { expect } from 'vitest';

/** A proof's verified header and payload. */
export interface SeenProof {
  header: Record<string, unknown> & { jwk: Record<string, unknown> };
  payload: Record<string, unknown>;
}

/** Verifies `proof` with the key it embeds (fails the test otherwise) and decodes it. */
export async function readProof(proof: string | string[] | undefined): Promise<SeenProof> {
  expect(typeof proof).toBe('string');
  await jwtVerify(proof as string, EmbeddedJWK, { typ: 'dpop+jwt' });
  return {
    header: decodeProtectedHeader(proof as string) as SeenProof['header'],
    payload: decodeJwt(proof as string) as Record<string, unknown>,
  };
}
