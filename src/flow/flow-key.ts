/**
 * Canonical flow identity: one key for both directions of a connection, plus which direction a
 * packet goes. This runs on every packet, so the key is ten 32-bit words written into a reused
 * Int32Array (no string, no allocation): protocol and IP version, both ports, then the lower
 * endpoint's address (A) and the other one's (B). IPv4 addresses take the first word of their
 * four, so an IPv4 key never equals an IPv6 one (the version word differs anyway).
 *
 * The key is opaque; formatFlowKey() renders it for people, FlowIndex (flow-index.ts) hashes it.
 */
import type { DecodedPacket } from '../decode/decoded-packet.js';

export const KEY_WORDS = 10;
const W_PROTO = 0;
const W_PORTS = 1;
const W_ADDR_A = 2;
const W_ADDR_B = 6;

/** Filled in place by flowKey(); valid until the next call, like DecodedPacket. */
export class FlowKey {
  readonly words = new Int32Array(KEY_WORDS);
  /** The direction bit: true when the packet goes from A to B. */
  fromA = true;
  /** False for a packet without an IP header (no key). */
  valid = false;
}

const shared = new FlowKey();

/**
 * The flow key of a decoded TCP/UDP packet (DecodeStatus.Transport). Without `out`, one
 * module-wide object is reused: read it before the next call.
 */
export function flowKey(p: DecodedPacket, out: FlowKey = shared): FlowKey {
  const d = p.data;
  const s = p.srcOff;
  const t = p.dstOff;
  const w = out.words;
  let order: number; // < 0: source is the lower endpoint
  if (p.ipVersion === 4) {
    order = be32(d, s) - be32(d, t);
  } else if (p.ipVersion === 6) {
    order = 0;
    for (let i = 0; i < 16 && order === 0; i++) order = d[s + i]! - d[t + i]!;
  } else {
    w.fill(0);
    out.fromA = true;
    out.valid = false;
    return out;
  }
  if (order === 0) order = p.srcPort - p.dstPort;
  // Equal endpoints (a host talking to itself on one port) count as A to B.
  const fromA = order <= 0;
  const a = fromA ? s : t;
  const b = fromA ? t : s;
  w[W_PROTO] = (p.proto << 8) | p.ipVersion;
  w[W_PORTS] = fromA ? (p.srcPort << 16) | p.dstPort : (p.dstPort << 16) | p.srcPort;
  if (p.ipVersion === 4) {
    w[W_ADDR_A] = be32(d, a);
    w[W_ADDR_A + 1] = w[W_ADDR_A + 2] = w[W_ADDR_A + 3] = 0;
    w[W_ADDR_B] = be32(d, b);
    w[W_ADDR_B + 1] = w[W_ADDR_B + 2] = w[W_ADDR_B + 3] = 0;
  } else {
    for (let i = 0; i < 4; i++) {
      w[W_ADDR_A + i] = be32(d, a + 4 * i);
      w[W_ADDR_B + i] = be32(d, b + 4 * i);
    }
  }
  out.fromA = fromA;
  out.valid = true;
  return out;
}

/** Renders a key for logs and tests, e.g. "tcp 10.0.0.1:443 <-> 10.0.0.2:50000" (A first). */
export function formatFlowKey(w: Int32Array): string {
  const version = w[W_PROTO]! & 0xff;
  const proto = w[W_PROTO]! >>> 8;
  const name = proto === 6 ? 'tcp' : proto === 17 ? 'udp' : `proto${proto}`;
  const endpoint = (at: number, port: number): string => {
    if (version === 4) {
      const v = w[at]! >>> 0;
      return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}:${port}`;
    }
    const groups: string[] = [];
    for (let i = 0; i < 4; i++) groups.push(((w[at + i]! >>> 16) & 0xffff).toString(16), (w[at + i]! & 0xffff).toString(16));
    return `[${groups.join(':')}]:${port}`;
  };
  const ports = w[W_PORTS]! >>> 0;
  return `${name} ${endpoint(W_ADDR_A, ports >>> 16)} <-> ${endpoint(W_ADDR_B, ports & 0xffff)}`;
}

/** Unsigned, so that the difference of two addresses orders them. */
function be32(d: Uint8Array, i: number): number {
  return ((d[i]! << 24) | (d[i + 1]! << 16) | (d[i + 2]! << 8) | d[i + 3]!) >>> 0;
}
