/**
 * Argument checks in one style: each check runs at run time, narrows the type, and quotes the
 * argument's path in its message (`"config.audience" must be a string`), so a caller sees which
 * member of which option object is wrong. Every failure is a `ConfigurationError`
 * (`ERR_CONFIGURATION`): a bad argument is the caller's configuration, never the provider's fault.
 *
 * @internal
 * @module
 */

import { ConfigurationError } from '../errors.js';
import { tryParseUrl } from './url.js';

function fail(path: string, expected: string): never {
  throw new ConfigurationError(`"${path}" must be ${expected}`);
}

/** Options of {@link assertString}. */
export interface StringRule {
  /** Accept `''` too. Default `false`. */
  empty?: boolean;
}

/** `value` is a string, not empty unless `empty` is set. */
export function assertString(
  value: unknown,
  path: string,
  { empty = false }: StringRule = {},
): asserts value is string {
  if (typeof value !== 'string' || (!empty && value === '')) {
    fail(path, empty ? 'a string' : 'a non-empty string');
  }
}

/** `value` is `undefined` or a string as {@link assertString} checks it. */
export function assertOptionalString(
  value: unknown,
  path: string,
  rule: StringRule = {},
): asserts value is string | undefined {
  if (value !== undefined) assertString(value, path, rule);
}

/** `value` is a boolean. */
export function assertBoolean(value: unknown, path: string): asserts value is boolean {
  if (typeof value !== 'boolean') fail(path, 'a boolean');
}

/** `value` is `undefined` or a boolean. */
export function assertOptionalBoolean(
  value: unknown,
  path: string,
): asserts value is boolean | undefined {
  if (value !== undefined) assertBoolean(value, path);
}

/** Bounds for {@link assertNumber}. */
export interface NumberBounds {
  /** Smallest accepted value (inclusive). Default: no bound. */
  min?: number;
  /** Largest accepted value (inclusive). Default: no bound. */
  max?: number;
  /** Only safe integers. Default `false`. */
  integer?: boolean;
  /** The unit, named in the message (`seconds`, `milliseconds`). Default: none. */
  unit?: string;
}

function describeNumber({ min, max, integer, unit }: NumberBounds): string {
  const kind = integer ? 'an integer' : 'a finite number';
  const range =
    min !== undefined && max !== undefined
      ? ` from ${min} to ${max}`
      : min !== undefined
        ? ` ≥ ${min}`
        : max !== undefined
          ? ` ≤ ${max}`
          : '';
  return `${kind}${range}${unit === undefined ? '' : ` (${unit})`}`;
}

/** `value` is a finite number (NaN and ±Infinity are refused) within `bounds`. */
export function assertNumber(
  value: unknown,
  path: string,
  bounds: NumberBounds = {},
): asserts value is number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (bounds.integer === true && !Number.isSafeInteger(value)) ||
    (bounds.min !== undefined && value < bounds.min) ||
    (bounds.max !== undefined && value > bounds.max)
  ) {
    fail(path, describeNumber(bounds));
  }
}

/** `value` is `undefined` or a number as {@link assertNumber} checks it. */
export function assertOptionalNumber(
  value: unknown,
  path: string,
  bounds: NumberBounds = {},
): asserts value is number | undefined {
  if (value !== undefined) assertNumber(value, path, bounds);
}

/** `value` is a plain object (not `null`, not an array). */
export function assertObject(
  value: unknown,
  path: string,
): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object');
}

/** `value` is `undefined` or a plain object. */
export function assertOptionalObject(
  value: unknown,
  path: string,
): asserts value is Record<string, unknown> | undefined {
  if (value !== undefined) assertObject(value, path);
}

/** `value` is a function. */
// biome-ignore lint/complexity/noBannedTypes: narrowing to any callable is the point here
export function assertFunction(value: unknown, path: string): asserts value is Function {
  if (typeof value !== 'function') fail(path, 'a function');
}

/** `value` is an array of non-empty strings; `nonEmpty` (default `true`) refuses `[]`. */
export function assertStringArray(
  value: unknown,
  path: string,
  { nonEmpty = true }: { nonEmpty?: boolean } = {},
): asserts value is string[] {
  if (
    !Array.isArray(value) ||
    (nonEmpty && value.length === 0) ||
    value.some((item) => typeof item !== 'string' || item === '')
  ) {
    fail(
      path,
      nonEmpty ? 'a non-empty array of non-empty strings' : 'an array of non-empty strings',
    );
  }
}

/** `value` is one of `allowed`. */
export function assertOneOf<T extends string>(
  value: unknown,
  path: string,
  allowed: readonly T[],
): asserts value is T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(path, `one of ${allowed.map((v) => `"${v}"`).join(', ')}`);
  }
}

/**
 * `value` is a string holding an absolute URL; with `fragment: false` it may not carry a
 * `#fragment` either (redirect URIs, RFC 6749 §3.1.2).
 */
export function assertUrl(
  value: unknown,
  path: string,
  { fragment = true }: { fragment?: boolean } = {},
): asserts value is string {
  if (typeof value !== 'string' || !tryParseUrl(value) || (!fragment && value.includes('#'))) {
    fail(path, fragment ? 'an absolute URL' : 'an absolute URL without a fragment');
  }
}

/** `value` is a string or an array of strings (a parameter that may repeat, e.g. `scope`). */
export function assertStringOrStrings(
  value: unknown,
  path: string,
): asserts value is string | string[] {
  if (
    typeof value !== 'string' &&
    !(Array.isArray(value) && value.every((item) => typeof item === 'string'))
  ) {
    fail(path, 'a string or an array of strings');
  }
}

/**
 * `value` is a space-delimited list (RFC 6749 §3.3): a non-empty string as sent, or a non-empty
 * array of non-empty tokens without whitespace, to be joined with single spaces.
 */
export function assertSpaceList(value: unknown, path: string): asserts value is string | string[] {
  if (
    typeof value === 'string'
      ? value === ''
      : !Array.isArray(value) ||
        value.length === 0 ||
        value.some((item) => typeof item !== 'string' || item === '' || /\s/.test(item))
  ) {
    fail(path, 'a non-empty string or a non-empty array of strings without spaces');
  }
}

/** Members of `T` whose value may be `undefined` become optional and lose `undefined`. */
export type Defined<T> = {
  [K in keyof T as undefined extends T[K] ? never : K]: T[K];
} & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/**
 * A copy of `source` without its `undefined` members: the one helper for building option objects
 * under `exactOptionalPropertyTypes`, in place of `...(x === undefined ? {} : { x })` spreads.
 *
 * @example
 * ```ts
 * request({ url, ...defined({ timeout, signal }) });
 * ```
 */
export function defined<T extends object>(source: T): Defined<T> {
  return Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined),
  ) as Defined<T>;
}
