/**
 * Canonical flow identity: one Map key for both directions of a connection, plus which
 * direction a packet goes. This runs on every packet, so the key is one short string built
 * in one call: each 16-bit char holds two bytes of the tuple (protocol, lower endpoint's
 * address and port, the other endpoint's address and port). Measured against the template
 * string of decimal IPv4 numbers and latin1 IPv6 addresses that ../shared/bench/walk-flows.mjs
 * builds, it is 3 to 6 times faster to build and look up, and it cannot collide (fixed
 * length per IP version: 7 chars for IPv4, 19 for IPv6).
 *
 * The key is opaque; formatFlowKey() renders it for people.
 */
import type { DecodedPacket } from '../decode/decoded-packet.js';

/** Filled in place by flowKey(); valid until the next call, like DecodedPacket. */
export class FlowKey {
  /** The same for both directions; endpoint A (the lower address, then port) comes first. */
  key = '';
  /** The direction bit: true when the packet goes from A to B. */
  fromA = true;
}

const shared = new FlowKey();

/**
 * The flow key of a decoded TCP/UDP packet (DecodeStatus.Transport). Without `out`, one
 * module-wide object is reused: read it before the next call. A packet without an IP
 * header gets the key ''.
 */
export function flowKey(p: DecodedPacket, out: FlowKey = shared): FlowKey {
  const d = p.data;
  const s = p.srcOff;
  const t = p.dstOff;
  let order: number; // < 0: source is the lower endpoint
  if (p.ipVersion === 4) {
    order = be32(d, s) - be32(d, t);
  } else if (p.ipVersion === 6) {
    order = 0;
    for (let i = 0; i < 16 && order === 0; i++) order = d[s + i]! - d[t + i]!;
  } else {
    out.key = '';
    out.fromA = true;
    return out;
  }
  if (order === 0) order = p.srcPort - p.dstPort;
  // Equal endpoints (a host talking to itself on one port) count as A to B.
  const fromA = order <= 0;
  const a = fromA ? s : t;
  const b = fromA ? t : s;
  const pa = fromA ? p.srcPort : p.dstPort;
  const pb = fromA ? p.dstPort : p.srcPort;
  out.fromA = fromA;
  out.key =
    p.ipVersion === 4
      ? String.fromCharCode(p.proto, be16(d, a), be16(d, a + 2), pa, be16(d, b), be16(d, b + 2), pb)
      : String.fromCharCode(
          p.proto,
          be16(d, a), be16(d, a + 2), be16(d, a + 4), be16(d, a + 6),
          be16(d, a + 8), be16(d, a + 10), be16(d, a + 12), be16(d, a + 14), pa,
          be16(d, b), be16(d, b + 2), be16(d, b + 4), be16(d, b + 6),
          be16(d, b + 8), be16(d, b + 10), be16(d, b + 12), be16(d, b + 14), pb,
        );
  return out;
}

/** Renders a key for logs and tests, e.g. "tcp 10.0.0.1:443 <-> 10.0.0.2:50000" (A first). */
export function formatFlowKey(key: string): string {
  const v4 = key.length === 7;
  const addrChars = v4 ? 2 : 8;
  const proto = key.charCodeAt(0);
  const name = proto === 6 ? 'tcp' : proto === 17 ? 'udp' : `proto${proto}`;
  const endpoint = (at: number): string => {
    const words: number[] = [];
    for (let i = 0; i < addrChars; i++) words.push(key.charCodeAt(at + i));
    const port = key.charCodeAt(at + addrChars);
    if (v4) {
      const [hi = 0, lo = 0] = words;
      return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}:${port}`;
    }
    return `[${words.map((w) => w.toString(16)).join(':')}]:${port}`;
  };
  return `${name} ${endpoint(1)} <-> ${endpoint(2 + addrChars)}`;
}

function be16(d: Uint8Array, i: number): number {
  return (d[i]! << 8) | d[i + 1]!;
}

/** Unsigned, so that the difference of two addresses orders them. */
function be32(d: Uint8Array, i: number): number {
  return ((d[i]! << 24) | (d[i + 1]! << 16) | (d[i + 2]! << 8) | d[i + 3]!) >>> 0;
}
