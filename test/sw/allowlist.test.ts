/**
 * The worker's allowlist (sw/allowlist.ts): URLs are parsed, never matched as strings; scheme,
 * host and port equal, path under the entry at a segment boundary, in the URL parser's reading
 * and in a lenient server's reading of the path.
 */
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/core/errors.js';
import {
  type ApiEntry,
  compileAllowlist,
  lenientPath,
  matchAllowlist,
} from '../../sw/allowlist.js';

const list = (...urls: string[]) => compileAllowlist(urls.map((url) => ({ url })));
const matches = (entries: ReturnType<typeof list>, url: string) =>
  matchAllowlist(entries, url) !== undefined;

describe('compileAllowlist', () => {
  it('normalises the entry: scheme and host lowercase, default port dropped, path ending in /', () => {
    const [entry] = compileAllowlist([{ url: 'HTTPS://API.Example.COM:443/v1/a/../b' }]);
    expect(entry).toMatchObject({
      origin: 'https://api.example.com',
      prefix: '/v1/b/',
      exact: '/v1/b',
    });
    expect(list('http://api.example.com:80/v1')[0]).toMatchObject({
      origin: 'http://api.example.com',
      prefix: '/v1/',
    });
    expect(list('https://api.example.com')[0]).toMatchObject({ prefix: '/', exact: '/' });
    expect(list('wss://api.example.com:443/socket')[0]).toMatchObject({
      origin: 'wss://api.example.com',
      prefix: '/socket/',
    });
  });

  it('keeps resource and scope, and freezes what it returns', () => {
    const [entry] = compileAllowlist([
      { url: 'https://api.example.com/', resource: 'urn:api', scope: 'api:read' },
    ]);
    expect(entry!.entry).toEqual({
      url: 'https://api.example.com/',
      resource: 'urn:api',
      scope: 'api:read',
    });
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry!.entry)).toBe(true);
  });

  it.each([
    ['not an array', { url: 'https://a.example/' }, '"config.apis" must be an array'],
    ['a string entry', ['https://a.example/'], '"config.apis[0].url" must be a string'],
    ['null', [null], '"config.apis[0].url" must be a string'],
    ['no url', [{}], '"config.apis[0].url" must be a string'],
    ['a relative URL', [{ url: '/v1/' }], '"config.apis[0].url" must be an absolute URL'],
    ['ftp', [{ url: 'ftp://a.example/' }], 'must be an http(s) or ws(s) URL'],
    ['file', [{ url: 'file:///etc/' }], 'must be an http(s) or ws(s) URL'],
    ['javascript', [{ url: 'javascript:alert(1)' }], 'must be an http(s) or ws(s) URL'],
    ['data', [{ url: 'data:text/plain,x' }], 'must be an http(s) or ws(s) URL'],
    ['blob', [{ url: 'blob:https://a.example/x' }], 'must be an http(s) or ws(s) URL'],
    ['user info', [{ url: 'https://u:p@a.example/' }], 'must not have user info'],
    ['a user name', [{ url: 'https://u@a.example/' }], 'must not have user info'],
    ['a query', [{ url: 'https://a.example/v1/?x=1' }], 'must not have user info, a query'],
    ['a fragment', [{ url: 'https://a.example/v1/#x' }], 'a fragment'],
    ['a bad resource', [{ url: 'https://a.example/', resource: 1 }], '"config.apis[0].resource"'],
    ['a bad scope', [{ url: 'https://a.example/', scope: ['a'] }], '"config.apis[0].scope"'],
  ])('refuses %s, quoting the path', (_, entries, message) => {
    const compile = () => compileAllowlist(entries as unknown as ApiEntry[]);
    expect(compile).toThrow(ConfigurationError);
    expect(compile).toThrow(message);
  });

  it('quotes the path it is given and the index of the bad entry', () => {
    expect(() =>
      compileAllowlist([{ url: 'https://a.example/' }, { url: 'nope' }], 'config.pageTokenUrls'),
    ).toThrow('"config.pageTokenUrls[1].url" must be an absolute URL');
  });
});

describe('matchAllowlist', () => {
  const api = list('https://api.example.com/v1/');

  it.each([
    'https://api.example.com/v1/',
    'https://api.example.com/v1',
    'https://api.example.com/v1/me',
    'https://api.example.com/v1/a/b',
    'https://api.example.com/v1//me',
    'https://api.example.com/v1?x=1',
    'https://api.example.com/v1/me?next=/admin#/admin',
    'https://api.example.com/v1/me/../you', // normalised, still under /v1/
    'https://api.example.com/v1/%2e/me',
    'https://api.example.com/v1/a%2Fb', // an encoded slash that stays under /v1/
    'https://api.example.com/v1/items;color=red',
    'HTTPS://API.EXAMPLE.COM/v1/me', // scheme and host are case-insensitive
    'https://api.example.com:443/v1/me', // the default port is no port
    'https:\\\\api.example.com\\v1\\me', // backslashes are slashes in http(s) URLs
    'https://api.exa%6Dple.com/v1/me', // a percent-encoded host is decoded by the parser
    ' https://api.example.com/v1/me ', // the parser trims spaces
  ])('matches %s', (url) => {
    expect(matchAllowlist(api, url)).toBe(api[0]);
  });

  it.each([
    // Other hosts
    'https://api.example.com.evil.net/v1/me',
    'https://apiXexample.com/v1/me',
    'https://api-example.com/v1/me',
    'https://evil.net/https://api.example.com/v1/',
    'https://evil.net/?https://api.example.com/v1/',
    'https://evil.net/#https://api.example.com/v1/',
    'https://api.example.com@evil.net/v1/me', // user info "api.example.com", host evil.net
    'https://api.example.com%2eevil.net/v1/me',
    'https://api.example.com./v1/me', // a trailing dot is another host to the URL parser
    'https://\u0430pi.example.com/v1/me', // Cyrillic а: punycode, another host
    'https://sub.api.example.com/v1/me',
    // Other schemes and ports
    'http://api.example.com/v1/me',
    'wss://api.example.com/v1/me',
    'https://api.example.com:444/v1/me',
    'https://api.example.com:80/v1/me',
    'https://api.example.com:8443/v1/me',
    // User info never matches
    'https://user:pass@api.example.com/v1/me',
    'https://user@api.example.com/v1/me',
    'https://:pass@api.example.com/v1/me',
    // Paths off the prefix, at a segment boundary
    'https://api.example.com/',
    'https://api.example.com/v1x',
    'https://api.example.com/v1x/me',
    'https://api.example.com/v10/me',
    'https://api.example.com/V1/me',
    'https://api.example.com/v1%2fme',
    'https://api.example.com/public/v1/me',
    'https://api.example.com/admin?/v1/',
    // Dot segments, in every spelling the URL parser normalises
    'https://api.example.com/v1/../admin',
    'https://api.example.com/v1/%2e%2e/admin',
    'https://api.example.com/v1/%2E%2E/admin',
    'https://api.example.com/v1/.%2e/admin',
    'https://api.example.com/v1/./../admin',
    'https://api.example.com/v1\\..\\admin',
    // …and in the spellings lenient servers read as dot segments or separators
    'https://api.example.com/v1/..%2fadmin',
    'https://api.example.com/v1/..%2Fadmin',
    'https://api.example.com/v1/%2e%2e%2fadmin',
    'https://api.example.com/v1/..%5cadmin',
    'https://api.example.com/v1/..%5Cadmin',
    'https://api.example.com/v1/..;/admin',
    'https://api.example.com/v1/..;x=1/admin',
    'https://api.example.com/v1/..%3b/admin',
    'https://api.example.com/v1/..%00/admin',
    'https://api.example.com/v1/%252e%252e/admin',
    'https://api.example.com/v1/%252e%252e%252fadmin',
    'https://api.example.com/v1/%25252e%25252e/admin',
    'https://api.example.com/v1/me/..%2f..%2fadmin',
    'https://api.example.com/v1/..%2f',
    // Not URLs, or not this kind
    '',
    'not a url',
    '/v1/me',
    '//api.example.com/v1/me',
    'blob:https://api.example.com/v1/me', // its origin is the API's; its path is not /v1/
    'data:text/plain,https://api.example.com/v1/',
  ])('does not match %s', (url) => {
    expect(matchAllowlist(api, url)).toBeUndefined();
  });

  it('matches nothing with an empty allowlist', () => {
    expect(matchAllowlist([], 'https://api.example.com/v1/me')).toBeUndefined();
  });

  it('treats an entry with and without a trailing slash alike', () => {
    const withSlash = list('https://api.example.com/v1/');
    const without = list('https://api.example.com/v1');
    for (const path of ['/v1', '/v1/', '/v1/me', '/v1x', '/v10/me', '/v1/../x', '/', '/v']) {
      const url = `https://api.example.com${path}`;
      expect(matches(without, url), url).toBe(matches(withSlash, url));
    }
    expect(matches(without, 'https://api.example.com/v1')).toBe(true);
    expect(matches(without, 'https://api.example.com/v1x')).toBe(false);
  });

  it('an entry without a path covers its whole origin, and only it', () => {
    const origin = list('https://api.example.com');
    expect(matches(origin, 'https://api.example.com/')).toBe(true);
    expect(matches(origin, 'https://api.example.com/anything/at/all?x')).toBe(true);
    expect(matches(origin, 'https://api.example.com.evil.net/')).toBe(false);
    expect(matches(origin, 'http://api.example.com/')).toBe(false);
  });

  it('default ports are equal to no port, in entries and in requests', () => {
    expect(matches(list('https://api.example.com:443/v1/'), 'https://api.example.com/v1/x')).toBe(
      true,
    );
    expect(matches(list('http://api.example.com/v1/'), 'http://api.example.com:80/v1/x')).toBe(
      true,
    );
    expect(matches(list('ws://api.example.com:80/s'), 'ws://api.example.com/s')).toBe(true);
    expect(matches(list('wss://api.example.com/s'), 'wss://api.example.com:443/s')).toBe(true);
    expect(matches(list('http://api.example.com/v1/'), 'http://api.example.com:443/v1/x')).toBe(
      false,
    );
    expect(matches(list('https://api.example.com:8443/'), 'https://api.example.com/')).toBe(false);
  });

  it('a trailing-dot host is a host of its own, in entries and in requests', () => {
    const dotted = list('https://api.example.com./v1/');
    expect(matches(dotted, 'https://api.example.com./v1/me')).toBe(true);
    expect(matches(dotted, 'https://api.example.com/v1/me')).toBe(false);
    expect(matches(api, 'https://api.example.com./v1/me')).toBe(false);
  });

  it('IPv4 and IPv6 hosts compare in their canonical form', () => {
    const v4 = list('http://127.0.0.1:8080/v1/');
    for (const host of ['127.0.0.1', '127.1', '2130706433', '0x7f.0.0.1']) {
      expect(matches(v4, `http://${host}:8080/v1/me`), host).toBe(true);
    }
    expect(matches(v4, 'http://127.0.0.2:8080/v1/me')).toBe(false);
    expect(matches(v4, 'http://localhost:8080/v1/me')).toBe(false);

    const v6 = list('http://[::1]:8080/v1/');
    for (const host of ['[::1]', '[0:0:0:0:0:0:0:1]', '[0000::0001]']) {
      expect(matches(v6, `http://${host}:8080/v1/me`), host).toBe(true);
    }
    for (const url of [
      'http://[::2]:8080/v1/me',
      'http://[::1]:8081/v1/me',
      'http://[::ffff:127.0.0.1]:8080/v1/me',
      'http://127.0.0.1:8080/v1/me',
      'http://[::1]:8080/v1x',
    ]) {
      expect(matches(v6, url), url).toBe(false);
    }
  });

  it('ws and wss entries match their own scheme only', () => {
    const sockets = list('wss://api.example.com/socket', 'ws://api.example.com:8080/socket');
    expect(matches(sockets, 'wss://api.example.com/socket')).toBe(true);
    expect(matches(sockets, 'wss://api.example.com/socket/room?x=1')).toBe(true);
    expect(matches(sockets, 'ws://api.example.com:8080/socket')).toBe(true);
    for (const url of [
      'https://api.example.com/socket',
      'ws://api.example.com/socket',
      'http://api.example.com:8080/socket',
      'wss://api.example.com:8080/socket',
      'wss://api.example.com/socketx',
    ]) {
      expect(matches(sockets, url), url).toBe(false);
    }
    expect(matches(list('https://api.example.com/socket'), 'wss://api.example.com/socket')).toBe(
      false,
    );
  });

  it('query and fragment never count as path', () => {
    expect(matches(api, 'https://api.example.com/v1/me?a=../../admin#../admin')).toBe(true);
    expect(matches(api, 'https://api.example.com/?/v1/')).toBe(false);
    expect(matches(api, 'https://api.example.com/#/v1/')).toBe(false);
    expect(matches(api, 'https://api.example.com/v1x?/v1/')).toBe(false);
  });

  it('returns the first entry that covers the URL', () => {
    const entries = compileAllowlist([
      { url: 'https://api.example.com/v1/', resource: 'urn:a' },
      { url: 'https://api.example.com/v1/admin/', resource: 'urn:b' },
      { url: 'https://other.example.com/', resource: 'urn:c' },
    ]);
    expect(matchAllowlist(entries, 'https://api.example.com/v1/admin/x')?.entry.resource).toBe(
      'urn:a',
    );
    expect(matchAllowlist(entries, 'https://other.example.com/x')?.entry.resource).toBe('urn:c');
  });

  it('an entry whose own path has escapes matches requests spelled the same way', () => {
    const spaced = list('https://api.example.com/my%20api/');
    expect(matches(spaced, 'https://api.example.com/my%20api/x')).toBe(true);
    expect(matches(spaced, 'https://api.example.com/my api/x')).toBe(true); // the parser encodes it
    expect(matches(spaced, 'https://api.example.com/my%20api/..%2fx')).toBe(false);
  });
});

describe('lenientPath', () => {
  it.each([
    ['/v1/me', '/v1/me'],
    ['/v1/', '/v1/'],
    ['/', '/'],
    ['/v1/..%2fadmin', '/admin'],
    ['/v1/%252e%252e/admin', '/admin'],
    ['/v1\\..\\admin', '/admin'],
    ['/v1/..;/admin', '/admin'],
    ['/v1/a;b=c/d', '/v1/a/d'],
    ['/v1/me/..', '/v1/'],
    ['/v1/me/.', '/v1/me/'],
    ['/..%2f..%2f..', '/'],
    ['/v1/%zz/%4', '/v1/%zz/%4'], // malformed escapes stay as they are
    ['/v1/%E2%82%AC', '/v1/\u00e2\u0082\u00ac'], // bytes, not UTF-8: only separators matter
  ])('reads %s as %s', (path, read) => {
    expect(lenientPath(path)).toBe(read);
  });
});
