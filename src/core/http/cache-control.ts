/**
 * @module
 */

/**
 * The freshness lifetime a response allows, in seconds, from `Cache-Control` (RFC 9111 §5.2.2):
 * `max-age=N`, or 0 for `no-store` / `no-cache`; `undefined` when the header says nothing.
 * Callers clamp it to their own window.
 */
export function maxAgeSeconds(headers: Headers): number | undefined {
  const header = headers.get('cache-control');
  if (header === null) return undefined;
  let maxAge: number | undefined;
  for (const part of header.split(',')) {
    const [rawName, rawValue] = part.split('=', 2);
    const name = rawName?.trim().toLowerCase();
    if (name === 'no-store' || name === 'no-cache') return 0;
    if (name === 'max-age' && rawValue !== undefined) {
      const value = rawValue.trim().replace(/^"|"$/g, '');
      if (/^\d+$/.test(value)) maxAge = Number(value);
    }
  }
  return maxAge;
}
