export { maxAgeSeconds } from './cache-control.js';
export {
  configureHttp,
  DEFAULT_MAX_BODY_SIZE,
  type FetchLike,
  type HttpOptions,
  type ResolvedHttpOptions,
  resolveHttpOptions,
  type SleepFn,
} from './defaults.js';
export {
  assertOk,
  decodeUtf8,
  isJsonMediaType,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  mediaType,
  parseJson,
  readJsonObject,
} from './json.js';
export { type HttpRequest, type HttpResponse, httpRequest } from './request.js';
export { backoffDelay, parseRetryAfter, type RetryMode } from './retry.js';
