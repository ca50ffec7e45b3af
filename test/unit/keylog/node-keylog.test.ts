/**
 * A key log recorded at test time: a node TLS 1.3 server and client talk on loopback through a
 * recording TCP relay, the client writes its NSS key log lines (`keylog` event) into a file in a
 * temp dir, and the recorded server bytes are decrypted with that file. One run per TLS 1.3
 * cipher suite (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305).
 */
import { X509Certificate } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createTcpServer, connect as tcpConnect, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyLog } from '../../../src/keylog/key-log.js';
import { serverFlight } from './tls-streams.js';
import { makeSelfSigned } from '../../helpers/self-signed.js';

/** A throw-away self-signed certificate for "keylog.test". */
const makeCertificate = (): { key: string; cert: string } => makeSelfSigned('keylog.test');

const listen = (s: Server): Promise<number> =>
  new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));

describe('a key log recorded from node TLS 1.3 on loopback', () => {
  let dir: string;
  let pki: { key: string; cert: string };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tls443-keylog-'));
    pki = makeCertificate();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    { name: 'TLS_AES_128_GCM_SHA256', suite: 0x1301 },
    { name: 'TLS_AES_256_GCM_SHA384', suite: 0x1302 },
    { name: 'TLS_CHACHA20_POLY1305_SHA256', suite: 0x1303 },
  ])('$name: the server certificate and ALPN come out of the recorded bytes', async ({ name, suite }) => {
    const keylogPath = join(dir, `${name}.keylog`);
    const tlsServer = createTlsServer(
      { key: pki.key, cert: pki.cert, ciphers: name, minVersion: 'TLSv1.3', ALPNProtocols: ['h2', 'http/1.1'] },
      (s) => {
        s.on('data', (d) => s.end(d));
        s.on('error', () => undefined);
      },
    );
    const serverPort = await listen(tlsServer);
    const fromClient: Buffer[] = [];
    const fromServer: Buffer[] = [];
    // The relay records both directions in order, as a capture of the connection would.
    const relay = createTcpServer((down) => {
      const up = tcpConnect(serverPort, '127.0.0.1');
      down.on('data', (d) => {
        fromClient.push(Buffer.from(d));
        up.write(d);
      });
      up.on('data', (d) => {
        fromServer.push(Buffer.from(d));
        down.write(d);
      });
      down.on('end', () => up.end());
      up.on('end', () => down.end());
      down.on('error', () => up.destroy());
      up.on('error', () => down.destroy());
    });
    const relayPort = await listen(relay);
    try {
      await new Promise<void>((resolve, reject) => {
        const c = tlsConnect({ port: relayPort, host: '127.0.0.1', servername: 'keylog.test', ca: pki.cert, ALPNProtocols: ['http/1.1'] });
        c.on('keylog', (line) => appendFileSync(keylogPath, line));
        c.on('secureConnect', () => c.write('ping'));
        c.on('data', () => c.end());
        c.on('close', () => resolve());
        c.on('error', reject);
      });
    } finally {
      await new Promise((r) => relay.close(r));
      await new Promise((r) => tlsServer.close(r));
    }

    const keyLog = new KeyLog();
    keyLog.add(readFileSync(keylogPath, 'utf8'));
    expect(keyLog.size).toBe(1);
    expect(keyLog.badLines).toBe(0);
    const got = serverFlight({ client: 'c', server: 's', clientBytes: Buffer.concat(fromClient), serverBytes: Buffer.concat(fromServer) }, keyLog)!;
    expect(got.version).toBe(0x0304);
    expect(got.cipher).toBe(suite);
    expect(got.error).toBeNull();
    const f = got.flight!;
    expect(f.certificates.length).toBe(1);
    expect(Buffer.from(f.certificates[0]!).equals(new X509Certificate(pki.cert).raw)).toBe(true);
    expect(Buffer.from(f.alpnSelected!).toString()).toBe('http/1.1');
    expect(f.certificateVerify && f.finished).toBe(true);
  });
});
