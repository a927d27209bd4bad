/**
 * A front for a plain-HTTP test server that answers both `http://` and `https://` on one port:
 * the first byte of each connection tells TLS (0x16, a handshake record) from HTTP. TLS is
 * terminated here with a throwaway self-signed certificate (browser contexts that use it need
 * `ignoreHTTPSErrors`), and every connection is piped to the server behind. With it a test can
 * send `https://host:PORT/…` to the very server that allowlists `http://host:PORT/…`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext, TLSSocket } from 'node:tls';

export interface DualProtocolFront {
  readonly port: number;
  /** Connections seen, by protocol. */
  readonly connections: { http: number; https: number };
  close(): Promise<void>;
}

/** A self-signed P-256 certificate for `hosts` (made with the system's `openssl`). */
function selfSignedCertificate(hosts: readonly string[]): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'imw-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${hosts[0]}`,
        '-addext',
        `subjectAltName=${hosts.map((host) => `DNS:${host}`).join(',')}`,
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Listens on 127.0.0.1 (a free port) in front of `127.0.0.1:targetPort`. */
export async function startDualProtocolFront(
  targetPort: number,
  hosts: readonly string[],
): Promise<DualProtocolFront> {
  const secureContext = createSecureContext(selfSignedCertificate(hosts));
  const connections = { http: 0, https: 0 };
  const sockets = new Set<Socket>();
  const pipeTo = (client: Socket | TLSSocket) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      if (first[0] === 0x16) {
        connections.https++;
        pipeTo(new TLSSocket(socket, { isServer: true, secureContext }));
      } else {
        connections.http++;
        pipeTo(socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the front did not listen');
  return {
    port: address.port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
