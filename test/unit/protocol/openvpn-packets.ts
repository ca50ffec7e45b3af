/**
 * Hand-built OpenVPN control packets for the tests (opcode/key_id, session_id, optional
 * --tls-auth block, ack array + remote session_id, message packet-id, TLS bytes), shared by the
 * TCP and UDP extractor tests.
 */
import { cat, fill, hex } from './bytes.js';

export const HARD_RESET_CLIENT_V2 = 7;
export const HARD_RESET_SERVER_V2 = 8;
export const HARD_RESET_CLIENT_V3 = 10;
export const CONTROL_V1 = 4;
export const ACK_V1 = 5;
export const DATA_V1 = 6;
export const DATA_V2 = 9;

export const CLIENT_SID = hex('c1 c2 c3 c4 c5 c6 c7 c8');
export const SERVER_SID = hex('51 52 53 54 55 56 57 58');

/** TLS bytes as they would sit in P_CONTROL_V1 payloads: a record header, then more of the record. */
export const TLS_A = hex('16 0303 0010 01 00000c 0303 aaaaaaaa bbbbbbbb');
export const TLS_B = hex('cccccccc dddddddd');
export const TLS_C = hex('17 0303 0002 eeee');

export const u32 = (n: number): Uint8Array => hex(n.toString(16).padStart(8, '0'));

/** The --tls-auth block: an HMAC of `hmacBytes` (0 = no tls-auth), replay packet-id, net_time. */
export function tlsAuth(hmacBytes: number, replayId: number): Uint8Array {
  return hmacBytes === 0 ? new Uint8Array(0) : cat(fill(hmacBytes, 0x5a), u32(replayId), hex('65000000'));
}

export interface Control {
  key?: number;
  sid?: Uint8Array;
  hmac?: number;
  replayId?: number;
  acks?: number[];
  remote?: Uint8Array;
  /** null: no message packet-id (P_ACK_V1). */
  id?: number | null;
  payload?: Uint8Array;
}

/** One control packet from its opcode byte. */
export function control(opcode: number, c: Control = {}): Uint8Array {
  const acks = c.acks ?? [];
  return cat(
    Uint8Array.of((opcode << 3) | (c.key ?? 0)),
    c.sid ?? CLIENT_SID,
    tlsAuth(c.hmac ?? 0, c.replayId ?? 1),
    Uint8Array.of(acks.length),
    ...acks.map(u32),
    acks.length > 0 ? (c.remote ?? SERVER_SID) : new Uint8Array(0),
    c.id === null ? new Uint8Array(0) : u32(c.id ?? 0),
    c.payload ?? new Uint8Array(0),
  );
}

/** The 16-bit length of TCP mode, then the packet. */
export function framed(...packets: Uint8Array[]): Uint8Array {
  return cat(...packets.map((p) => cat(Uint8Array.of(p.length >> 8, p.length & 0xff), p)));
}

