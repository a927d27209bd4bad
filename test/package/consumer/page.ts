// A page of an app that uses the package. test/package/consumer.mjs compiles it against the
// packed package (tsconfig.page.json: DOM libs, strict, skipLibCheck false).
import { createIdentityClient, type UserState } from 'identity-model-web';
import { IdentityModelError, validateToken } from 'identity-model-web/core';

const identity = createIdentityClient({ serviceWorker: '/identity-model-web-sw.js' });

export async function isSignedIn(): Promise<boolean> {
  const { state }: UserState = await identity.getUser();
  return state === 'authenticated';
}

export async function subjectOf(jwt: string, key: JsonWebKey): Promise<string | undefined> {
  try {
    return (await validateToken(jwt, { key })).sub;
  } catch (error) {
    if (error instanceof IdentityModelError) return undefined;
    throw error;
  }
}
