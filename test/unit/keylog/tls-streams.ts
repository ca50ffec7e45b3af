/**
 * Test helpers: TCP connections of a capture reassembled with the project's own HalfStream, TLS
 * records split out of a byte stream, and the server flight of a TLS 1.3 connection decrypted with
 * a key log (the path the TLS analyzer will take once wired).
 */
import { readCapture } from '../../../src/capture/source.js';
import { DecodedPacket, DecodeStatus, TCP_ACK, TCP_SYN } from '../../../src/decode/decoded-packet.js';
import { ipToString } from '../../../src/decode/ip-address.js';
import { PacketDecoder } from '../../../src/decode/packet-decoder.js';
import { HalfStream } from '../../../src/flow/tcp/half-stream.js';
import type { KeyLog } from '../../../src/keylog/key-log.js';
import type { ServerFlight } from '../../../src/keylog/server-flight.js';
import type { TlsRecord } from '../../../src/keylog/tls13-decryptor.js';
import { Tls13FlightReader } from '../../../src/keylog/tls13-flight-reader.js';
import { parseClientHello } from '../../../src/tls/client-hello.js';
import { parseServerHello } from '../../../src/tls/server-hello.js';

export interface TcpConnection {
  client: string;
  server: string;
  clientBytes: Uint8Array;
  serverBytes: Uint8Array;
}

function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function concat(parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** Every TCP connection that starts with a SYN, both directions reassembled. */
export async function tcpConnections(path: string): Promise<TcpConnection[]> {
  const dec = new PacketDecoder();
  const p = new DecodedPacket();
  const conns = new Map<string, { client: string; server: string; streams: Map<string, HalfStream>; parts: Map<string, Uint8Array[]> }>();
  const order: string[] = [];
  await readCapture(path, (pkt) => {
    if (dec.decode(pkt, p) !== DecodeStatus.Transport || p.proto !== 6) return;
    const src = endpoint(ipToString(p.data, p.srcOff, p.ipVersion), p.srcPort);
    const dst = endpoint(ipToString(p.data, p.dstOff, p.ipVersion), p.dstPort);
    const key = src < dst ? `${src}|${dst}` : `${dst}|${src}`;
    let c = conns.get(key);
    if (c === undefined) {
      if ((p.tcpFlags & (TCP_SYN | TCP_ACK)) !== TCP_SYN) return;
      const parts = new Map<string, Uint8Array[]>([
        [src, []],
        [dst, []],
      ]);
      const streams = new Map<string, HalfStream>();
      for (const side of [src, dst]) {
        streams.set(side, new HalfStream({ data: (b) => parts.get(side)!.push(b.slice()), gap: () => undefined }));
      }
      c = { client: src, server: dst, streams, parts };
      conns.set(key, c);
      order.push(key);
    }
    c.streams.get(src)!.segment(p.tcpSeq, p.tcpFlags, p.data.subarray(p.payloadOff, p.payloadEnd));
  });
  return order.map((k) => {
    const c = conns.get(k)!;
    for (const s of c.streams.values()) s.finish();
    return { client: c.client, server: c.server, clientBytes: concat(c.parts.get(c.client)!), serverBytes: concat(c.parts.get(c.server)!) };
  });
}

/** Splits a TLS byte stream into records (a partial record at the end is dropped). */
export function splitRecords(b: Uint8Array): TlsRecord[] {
  const out: TlsRecord[] = [];
  let off = 0;
  while (off + 5 <= b.length) {
    const len = (b[off + 3]! << 8) | b[off + 4]!;
    if (off + 5 + len > b.length) break;
    out.push({ type: b[off]!, version: (b[off + 1]! << 8) | b[off + 2]!, body: b.subarray(off + 5, off + 5 + len) });
    off += 5 + len;
  }
  return out;
}

export interface FlightResult {
  cipher: number;
  version: number;
  flight: ServerFlight | null;
  error: string | null;
}

/**
 * The server flight of a TLS 1.3 connection, decrypted with the key log: the ClientHello's
 * random finds the secret, the ServerHello gives the suite, and the records after the (final,
 * non-HRR) ServerHello are decrypted. Handshake messages are assumed to start their records
 * (true of every server here).
 */
export function serverFlight(conn: TcpConnection, keyLog: KeyLog): FlightResult | null {
  const client = splitRecords(conn.clientBytes).find((r) => r.type === 22);
  if (client === undefined) return null;
  const ch = parseClientHello(client.body.subarray(4), 't', client.version);
  if (!ch.ok) return null;
  const server = splitRecords(conn.serverBytes);
  for (let i = 0; i < server.length; i++) {
    const rec = server[i]!;
    if (rec.type !== 22 || rec.body[0] !== 2) continue;
    const sh = parseServerHello(rec.body.subarray(4), 't', rec.version);
    if (!sh.ok || sh.value.helloRetryRequest) continue;
    const cipher = sh.value.cipher;
    const version = sh.value.selectedVersion ?? sh.value.version;
    // What the TLS analyzer does once it has both hellos.
    const reader = Tls13FlightReader.start(keyLog, ch.value, sh.value);
    if (reader === null) return { cipher, version, flight: null, error: null };
    for (const r of server.slice(i + 1)) {
      if (reader.done) break;
      reader.record(r.type, r.version, r.body);
    }
    const error = reader.anomalies.find((a) => a.startsWith('keylog_') || a.startsWith('tls13_')) ?? null;
    return { cipher, version, flight: error === 'keylog_missing_secret' ? null : reader.flight, error };
  }
  return null;
}
