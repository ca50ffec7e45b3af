/**
 * Test-only QUIC packet protection (the sending side of RFC 9001 §5): builds long-header packets
 * and protects them, so that tests can make Initial/Handshake/Retry/VN packets with any frames.
 * Checked against RFC 9001 A.2 in quic-analyzer.test.ts.
 */
import { createCipheriv } from 'node:crypto';
import { xorNonce } from '../../../src/keylog/key-schedule.js';
import type { PacketKeys } from '../../../src/quic/packet-protection.js';
import { concat } from '../tls/helpers.js';

/** RFC 9000 §16 variable-length integer, in the shortest form (or `len` bytes when given). */
export function varint(v: number, len?: number): Uint8Array {
  const n = len ?? (v < 64 ? 1 : v < 16384 ? 2 : v < 2 ** 30 ? 4 : 8);
  const out = new Uint8Array(n);
  let x = v;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = x % 256;
    x = Math.floor(x / 256);
  }
  out[0] = out[0]! | ({ 1: 0x00, 2: 0x40, 4: 0x80, 8: 0xc0 } as Record<number, number>)[n]!;
  return out;
}

export function cryptoFrame(offset: number, data: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(0x06), varint(offset), varint(data.length), data);
}

export function padding(n: number): Uint8Array {
  return new Uint8Array(n);
}

/** Long packet type bits (first byte 0x30) of v1: Initial 0, 0-RTT 1, Handshake 2, Retry 3. */
export interface LongPacket {
  typeBits: number;
  version: number;
  dcid: Uint8Array;
  scid: Uint8Array;
  /** Initial packets only. */
  token?: Uint8Array;
  /** True for an Initial (has the token fields); default: typeBits === 0, as in v1. */
  initial?: boolean;
  pn: number;
  pnLen: 1 | 2 | 3 | 4;
  payload: Uint8Array;
  keys: PacketKeys;
}

/** Builds and protects one long-header packet (AEAD, then header protection). */
export function protectLong(p: LongPacket): Uint8Array {
  const first = 0xc0 | (p.typeBits << 4) | (p.pnLen - 1);
  const length = p.pnLen + p.payload.length + p.keys.suite.tagLength;
  const pnBytes = varint(0, p.pnLen).map((_, i) => Math.floor(p.pn / 256 ** (p.pnLen - 1 - i)) % 256);
  const head = concat(
    Uint8Array.of(first, p.version >>> 24, (p.version >>> 16) & 0xff, (p.version >>> 8) & 0xff, p.version & 0xff),
    Uint8Array.of(p.dcid.length),
    p.dcid,
    Uint8Array.of(p.scid.length),
    p.scid,
    (p.initial ?? p.typeBits === 0) ? concat(varint(p.token?.length ?? 0), p.token ?? new Uint8Array(0)) : new Uint8Array(0),
    varint(length, 2),
  );
  const pnOffset = head.length;
  const header = concat(head, pnBytes);
  const nonce = xorNonce(p.keys.iv, p.pn);
  const c =
    p.keys.suite.aead === 'chacha20-poly1305'
      ? createCipheriv('chacha20-poly1305', p.keys.key, nonce, { authTagLength: 16 })
      : createCipheriv(p.keys.suite.aead as 'aes-128-gcm', p.keys.key, nonce, { authTagLength: 16 });
  c.setAAD(header, { plaintextLength: p.payload.length });
  const packet = concat(header, c.update(p.payload), c.final(), c.getAuthTag());
  const mask = p.keys.mask(packet.subarray(pnOffset + 4, pnOffset + 20));
  packet[0] = packet[0]! ^ (mask[0]! & 0x0f);
  for (let i = 0; i < p.pnLen; i++) packet[pnOffset + i] = packet[pnOffset + i]! ^ mask[1 + i]!;
  return packet;
}

/** A Retry packet (RFC 9000 §17.2.5) with a dummy integrity tag (not checked by a passive reader). */
export function retryPacket(version: number, dcid: Uint8Array, scid: Uint8Array, token: Uint8Array): Uint8Array {
  return concat(
    Uint8Array.of(0xf0, version >>> 24, (version >>> 16) & 0xff, (version >>> 8) & 0xff, version & 0xff),
    Uint8Array.of(dcid.length),
    dcid,
    Uint8Array.of(scid.length),
    scid,
    token,
    new Uint8Array(16),
  );
}

/** A Version Negotiation packet (RFC 9000 §17.2.1). */
export function versionNegotiation(dcid: Uint8Array, scid: Uint8Array, versions: number[]): Uint8Array {
  const v = new Uint8Array(versions.length * 4);
  versions.forEach((x, i) => v.set([x >>> 24, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff], i * 4));
  return concat(Uint8Array.of(0x80, 0, 0, 0, 0, dcid.length), dcid, Uint8Array.of(scid.length), scid, v);
}
