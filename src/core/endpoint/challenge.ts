/**
 * `WWW-Authenticate` challenges (RFC 9110 §11.6.1, RFC 6750 §3): the one parser, used by the
 * endpoint layer and by the worker's fetch handler. No imports, so the worker bundle takes only
 * this.
 *
 * @module
 */

/**
 * One auth-param (`error`, `error_description`, …) of a `WWW-Authenticate` header (RFC 9110
 * §11.2), unquoted; `undefined` when absent.
 */
export function challengeParameter(header: string, name: string): string | undefined {
  const match = new RegExp(
    `(?:^|[\\s,])${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s,"]+))`,
    'i',
  ).exec(header);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
}

/**
 * True when `header` is a challenge of `scheme` (e.g. `Bearer`, case-insensitive, RFC 9110
 * §11.1) whose `error` is `error` (e.g. `invalid_token`, RFC 6750 §3.1).
 */
export function isChallenge(header: string | null, scheme: string, error: string): boolean {
  if (header === null) return false;
  const start = header.trimStart();
  if (start.slice(0, scheme.length).toLowerCase() !== scheme.toLowerCase()) return false;
  const next = start.charAt(scheme.length);
  return (
    (next === '' || next === ' ' || next === ',') && challengeParameter(header, 'error') === error
  );
}

/**
 * The `error` of the `DPoP` challenge in `header` (RFC 9449 §7.1), e.g. `use_dpop_nonce` or
 * `invalid_token`; `undefined` when there is no DPoP challenge or it names no error. The DPoP
 * challenge may follow another one (`Bearer …, DPoP …`); its parameters follow it.
 */
export function dpopChallengeError(header: string | null): string | undefined {
  const start = header?.search(/(?:^|,)\s*DPoP(?:\s|,|$)/i) ?? -1;
  return start >= 0 ? challengeParameter(header!.slice(start), 'error') : undefined;
}
