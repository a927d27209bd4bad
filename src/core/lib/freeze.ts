/**
 * @module
 */

/**
 * Freezes a parsed JSON value and everything in it. Cached documents are shared by every
 * caller; freezing them means no caller can change what the next one (or the validator) sees.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
