/**
 * Every error code of the library, written once: each code names the error class (its family)
 * that carries it, and its doc comment is the one-line description shown in the error table of
 * docs/errors.md (test/core/error-codes.test.ts checks the table against this list). The
 * `ErrorCode` union, each family's code type and the page's rebuilding of worker errors derive
 * from it.
 *
 * The descriptions live in comments, not strings, so the page bundle pays only for the codes.
 *
 * @module
 */

/** Each error code with the class of the family that carries it. */
export const ERROR_CODES = {
  /** A bad argument, option or validation configuration; always thrown, never a failed response. */
  ERR_CONFIGURATION: 'ConfigurationError',

  /** A request attempt got no answer within `timeout`; a timed-out attempt is not retried. */
  ERR_TIMEOUT: 'HttpError',
  /** The caller's `signal` aborted the request. */
  ERR_ABORTED: 'HttpError',
  /** No response arrived (connection refused, DNS, CORS), or reading the body failed. */
  ERR_NETWORK: 'HttpError',
  /** An unexpected HTTP status (`httpStatus` set). */
  ERR_HTTP_STATUS: 'HttpError',
  /** A 3xx answer: protocol requests never follow redirects. */
  ERR_HTTP_REDIRECT: 'HttpError',
  /** The response body is larger than `maxBodySize`. */
  ERR_BODY_TOO_LARGE: 'HttpError',
  /** The response has a content type the call does not accept (e.g. HTML where JSON is due). */
  ERR_CONTENT_TYPE: 'HttpError',
  /** The response body is not UTF-8 JSON, or not a JSON object. */
  ERR_INVALID_JSON: 'HttpError',
  /** The answer breaks the protocol: e.g. `expires_in: "300"`, a missing or unwanted ID token. */
  ERR_INVALID_RESPONSE: 'HttpError',
  /** An endpoint uses `http` off loopback while `requireHttps` is on; nothing is sent. */
  ERR_ENDPOINT_HTTPS_REQUIRED: 'HttpError',

  /** The document's `issuer` is not the issuer it was fetched for. */
  ERR_DISCOVERY_ISSUER_MISMATCH: 'DiscoveryError',
  /** The discovery address, the issuer or an endpoint uses `http` while https is required. */
  ERR_DISCOVERY_HTTPS_REQUIRED: 'DiscoveryError',
  /** An endpoint is neither on the issuer's origin nor allowed by the policy, or has user info. */
  ERR_DISCOVERY_ENDPOINT_NOT_ALLOWED: 'DiscoveryError',
  /** A member the spec, the policy or the configuration requires is absent (`member` set). */
  ERR_DISCOVERY_MISSING_MEMBER: 'DiscoveryError',
  /** A member has the wrong JSON type or form (`member` set). */
  ERR_DISCOVERY_INVALID_MEMBER: 'DiscoveryError',

  /** The key set is not a `{ "keys": [...] }` object. */
  ERR_JWKS_INVALID: 'JwksError',
  /** No key in the set can verify signatures. */
  ERR_JWKS_NO_USABLE_KEYS: 'JwksError',
  /** The key set has more keys than the library reads. */
  ERR_JWKS_TOO_MANY_KEYS: 'JwksError',

  /** Not a compact JWS with three base64url parts and a JSON object header and payload. */
  ERR_JWT_MALFORMED: 'TokenValidationError',
  /** Larger than the size limit (16 KiB by default); refused before decoding. */
  ERR_JWT_TOO_LARGE: 'TokenValidationError',
  /** The `alg` header is not allowed (`none` never is). */
  ERR_JWT_ALG_NOT_ALLOWED: 'TokenValidationError',
  /** A `crit` header names an extension the library does not understand. */
  ERR_JWT_CRIT_UNSUPPORTED: 'TokenValidationError',
  /** The `typ` header is not the required one (e.g. `at+jwt`). */
  ERR_JWT_TYPE_INVALID: 'TokenValidationError',
  /** No key in the key set (after one refresh) can verify the token. */
  ERR_JWT_NO_MATCHING_KEY: 'TokenValidationError',
  /** The signature does not verify. */
  ERR_JWT_SIGNATURE_INVALID: 'TokenValidationError',
  /** `exp` is in the past, beyond the leeway. */
  ERR_JWT_EXPIRED: 'TokenValidationError',
  /** `nbf` or `iat` is in the future, beyond the leeway. */
  ERR_JWT_NOT_YET_VALID: 'TokenValidationError',
  /** `iss` is not the expected issuer. */
  ERR_JWT_ISSUER_MISMATCH: 'TokenValidationError',
  /** `aud` does not contain the expected audience, or `azp` does not fit. */
  ERR_JWT_AUDIENCE_INVALID: 'TokenValidationError',
  /** A required claim is absent (`claim` set). */
  ERR_JWT_CLAIM_MISSING: 'TokenValidationError',
  /** A claim has the wrong type or value, or `claimsValidator` threw (`claim` set). */
  ERR_JWT_CLAIM_INVALID: 'TokenValidationError',

  /** The server answered with an OAuth 2.0 error (`error`, `errorDescription`, `httpStatus`, …). */
  ERR_OAUTH_ERROR: 'ProtocolError',

  /** `state` is missing or not the one sent, or no sign-in waits for it. */
  ERR_STATE_MISMATCH: 'AuthorizationResponseError',
  /** The sign-in this response answers was already completed. */
  ERR_STATE_REUSED: 'AuthorizationResponseError',
  /** `iss` is not the issuer, or is missing although the provider advertises it (RFC 9207). */
  ERR_CALLBACK_ISSUER_MISMATCH: 'AuthorizationResponseError',
  /** The response breaks the protocol: `error` with `code`, no `code`, a repeated parameter, … */
  ERR_CALLBACK_INVALID: 'AuthorizationResponseError',
  /** An authorization response in a fragment or a form POST: the worker asks only for `query`. */
  ERR_RESPONSE_MODE_REFUSED: 'AuthorizationResponseError',

  /** The server answered `use_dpop_nonce` again to the retry that carried its nonce (RFC 9449 §8). */
  ERR_DPOP_NONCE_LOOP: 'DpopError',
  /** The `DPoP` proof is missing, repeated, too large or not a valid `dpop+jwt` (RFC 9449 §4.3). */
  ERR_DPOP_PROOF_INVALID: 'DpopError',
  /** The proof's `htm` is not the request's method. */
  ERR_DPOP_HTM_MISMATCH: 'DpopError',
  /** The proof's `htu` is not the request's URL (query and fragment ignored). */
  ERR_DPOP_HTU_MISMATCH: 'DpopError',
  /** The proof's `iat` is missing, older than `maxAge`, or in the future beyond the leeway. */
  ERR_DPOP_IAT_INVALID: 'DpopError',
  /** The proof's `jti` was seen before: a replayed proof. */
  ERR_DPOP_JTI_REPLAYED: 'DpopError',
  /** The proof's `ath` is not the hash of the access token it comes with. */
  ERR_DPOP_ATH_MISMATCH: 'DpopError',
  /** The token's `cnf.jkt` is not the thumbprint of the proof's key (RFC 9449 §6). */
  ERR_DPOP_KEY_MISMATCH: 'DpopError',
  /** The proof lacks the server's nonce or carries a stale one; answer with a fresh `DPoP-Nonce`. */
  ERR_DPOP_NONCE_INVALID: 'DpopError',

  /** A success field was read on a failed response object (check `isSuccessful` first). */
  ERR_RESPONSE_NOT_SUCCESSFUL: 'ResponseAccessError',

  /** The page and the worker speak different protocol versions: reload the page. */
  ERR_PROTOCOL_VERSION: 'WorkerError',
  /** No service worker could be registered, or none controls the page. */
  ERR_WORKER_UNAVAILABLE: 'WorkerError',
  /** The service worker did not answer in time. */
  ERR_WORKER_TIMEOUT: 'WorkerError',
  /** A malformed message, or a request with a value the worker configuration does not allow. */
  ERR_INVALID_MESSAGE: 'WorkerError',
  /** There is no session: nobody signed in, or the session expired. */
  ERR_LOGIN_REQUIRED: 'WorkerError',
  /** The page asked for a token the worker configuration does not let it have. */
  ERR_TOKEN_NOT_ALLOWED: 'WorkerError',
  /** The worker failed with an error that is not the library's (a bug or a browser failure). */
  ERR_WORKER_INTERNAL: 'WorkerError',
  /** The host's callback guard answered the redirect URI: no worker was there to take the sign-in. */
  ERR_CALLBACK_WITHOUT_WORKER: 'WorkerError',
} as const;

/** Every stable error code. Switch on it, not on messages or class names. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The name of an error family's class, e.g. `HttpError`. */
export type ErrorFamily = (typeof ERROR_CODES)[ErrorCode];

/** The codes of one family, e.g. `ErrorCodeOf<'JwksError'>`. */
export type ErrorCodeOf<F extends ErrorFamily> = {
  [C in ErrorCode]: (typeof ERROR_CODES)[C] extends F ? C : never;
}[ErrorCode];

/** True when `value` is one of the library's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
