/**
 * A forward HTTP proxy on 127.0.0.1 that sends requests for a fixed set of host names to
 * 127.0.0.1 (same port). WebKitGTK has no host-resolver switch like Chromium's or Firefox's
 * `network.dns.localDomains`; its WebDriver session takes a proxy instead, so the demo API's
 * names (and look-alikes) reach the local servers without touching /etc/hosts.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostProxy {
  /** `127.0.0.1:<port>` */
  readonly address: string;
  close(): Promise<void>;
}

/** Starts the proxy; hosts outside `hosts` get 502 (the machine has no other network anyway). */
export async function startHostProxy(hosts: readonly string[]): Promise<HostProxy> {
  const server = createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (target.protocol !== 'http:' || !hosts.includes(target.hostname)) {
      res.writeHead(502).end(`not proxied: ${target.host}`);
      return;
    }
    const upstream = request(
      {
        host: '127.0.0.1',
        port: Number(target.port || 80),
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
