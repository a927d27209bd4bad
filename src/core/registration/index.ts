export {
  type ClientConfigurationRequest,
  type ClientDeletionResponse,
  type ClientDeletionSuccess,
  type ClientUpdateRequest,
  deleteClient,
  readClient,
  updateClient,
} from './manage.js';
export { type ClientRegistrationRequest, registerClient } from './register.js';
export type {
  ClientRegistrationResponse,
  ClientRegistrationSuccess,
  RegistrationMetadata,
} from './response.js';
