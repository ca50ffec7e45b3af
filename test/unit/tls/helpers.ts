/** Test helpers for the TLS parsers: hex, record building, an event-recording sink. */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClientHelloModel, ServerHelloModel } from '../../../src/model/handshake.js';
import { isGrease } from '../../../src/tls/grease.js';
import type { TlsStreamSink } from '../../../src/tls/record-stream.js';

export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** A TLS record: type, version, 16-bit length, body. */
export function record(type: number, version: number, body: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(type, version >> 8, version & 0xff, body.length >> 8, body.length & 0xff), body);
}

/** A handshake message: type, 24-bit length, body. */
export function handshake(type: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  return concat(Uint8Array.of(type, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff), body);
}

/** Records every sink event as a plain value (handshake bodies as hex), for deep comparison. */
export class RecordingSink implements TlsStreamSink {
  events: unknown[] = [];
  onRecord(contentType: number, version: number, length: number): void {
    this.events.push(['record', contentType, version, length]);
  }
  onHandshake(msgType: number, body: Uint8Array, recordVersion: number): void {
    this.events.push(['handshake', msgType, toHex(body), recordVersion]);
  }
  onChangeCipherSpec(): void {
    this.events.push(['ccs']);
  }
  onAlert(level: number, description: number): void {
    this.events.push(['alert', level, description]);
  }
  onClientHello(hello: ClientHelloModel): void {
    this.events.push(['sslv2_client_hello', hello.version, hello.ciphers.join(','), toHex(hello.random)]);
  }
  onServerHello(hello: ServerHelloModel, certificate: Uint8Array | null): void {
    this.events.push(['sslv2_server_hello', hello.version, hello.cipher, toHex(hello.random), certificate ? toHex(certificate) : null]);
  }
  onMalformed(name: string): void {
    this.events.push(['malformed', name]);
  }
  onAnomaly(name: string): void {
    this.events.push(['anomaly', name]);
  }
}

/**
 * The JA3 string of a ClientHello, computed here from the model only to check the parser
 * against the `ja3` the bench templates recorded (salesforce/ja3 README: SSLVersion,Cipher,
 * SSLExtension,EllipticCurve,EllipticCurvePointFormat; GREASE removed).
 */
export function ja3String(m: ClientHelloModel): string {
  const keep = (xs: number[]): string => xs.filter((v) => !isGrease(v)).join('-');
  return [
    m.version,
    keep(m.ciphers),
    keep(m.extensions.map((e) => e.type)),
    keep(m.supportedGroups),
    m.ecPointFormats.join('-'),
  ].join(',');
}

export interface Template {
  name: string;
  proto: string;
  tls_version: string;
  client_hellos: number;
  sni: string;
  ja3: string;
  flights: ['c' | 's', string][];
}

/** The bench templates of ../shared (real clients and servers), or [] when shared/ is absent. */
export function loadTemplates(): Template[] {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/bench/templates');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Template)
    .filter((t) => t.proto === 'tcp');
}
