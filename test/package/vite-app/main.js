import { createIdentityClient } from 'identity-model-web';

export const identity = createIdentityClient({ serviceWorker: '/identity-model-web-sw.js' });
