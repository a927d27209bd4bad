export type { AddressClaim, UserInfoClaims } from './claims.js';
export {
  getUserInfo,
  type UserInfoRequest,
  type UserInfoResponse,
  type UserInfoSuccess,
} from './get.js';
export type { SignedUserInfoValidation } from './signed.js';
