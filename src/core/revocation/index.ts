export {
  revokeToken,
  type TokenRevocationRequest,
  type TokenRevocationResponse,
  type TokenRevocationSuccess,
} from './revoke.js';
