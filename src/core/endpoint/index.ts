export type { ClientAuthMethod, ClientCredentialsOptions } from './client-auth.js';
export type { EndpointFailure } from './failure.js';
export type { ResourceFailure } from './resource.js';
export type { EndpointOptions } from './transport.js';
