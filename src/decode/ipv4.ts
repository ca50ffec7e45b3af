/**
 * IPv4 header.
 * @see RFC 791 §3.1 (header format), RFC 4302 (Authentication Header), RFC 6864 (identification)
 *
 * Options are skipped by the header length. The header checksum is NOT verified: captures of
 * outgoing packets often carry offloaded (zero or wrong) checksums, and tshark does not check
 * it by default either.
 */
import type { DecodedPacket } from './decoded-packet.js';
import { ipProtoLayer, Layer, type LayerCursor, u16 } from './layer.js';

const MIN_HEADER = 20;
const PROTO_AH = 51;

export function decodeIpv4(b: Uint8Array, c: LayerCursor, out: DecodedPacket): Layer {
  const o = c.off;
  if (c.end - o < MIN_HEADER) return c.fail('truncated_ip_header');
  const vihl = b[o]!;
  if (vihl >> 4 !== 4) return c.fail('ipv4_bad_version');
  const hlen = (vihl & 0x0f) << 2;
  if (hlen < MIN_HEADER) return c.fail('ipv4_bad_header_length');
  if (c.end - o < hlen) return c.fail('truncated_ip_header');
  const total = u16(b, o + 2);
  // §3.1 Total Length covers header and data. Zero is what TCP segmentation offload leaves in
  // captures of outgoing packets: then the captured bytes are all we know.
  if (total === 0) {
    if (c.snapCut) c.truncated = true;
  } else {
    if (total < hlen) return c.fail('ipv4_bad_total_length');
    const end = o + total;
    // Bytes after the datagram are link padding (Ethernet minimum frame): clamp them off.
    if (end <= c.end) c.end = end;
    else c.truncated = true;
  }
  out.ipVersion = 4;
  out.ttl = b[o + 8]!;
  out.srcOff = o + 12;
  out.dstOff = o + 16;
  let proto = b[o + 9]!;
  out.proto = proto;
  c.off = o + hlen;

  // Flags (3 bits: reserved, DF, MF) and fragment offset (13 bits, in 8-byte units).
  const frag = u16(b, o + 6);
  if ((frag & 0x3fff) !== 0) {
    c.fragVersion = 4;
    c.fragIpOff = o;
    c.fragOffset = (frag & 0x1fff) << 3;
    c.fragMore = (frag & 0x2000) !== 0;
    c.fragId = u16(b, o + 4);
    c.fragProto = proto;
    return Layer.Fragment;
  }

  // RFC 4302 §2: next header (1), payload length in 32-bit words minus 2 (1), ...
  while (proto === PROTO_AH) {
    const a = c.off;
    if (c.end - a < 8) return c.fail('truncated_ah_header');
    const len = (b[a + 1]! + 2) << 2;
    if (c.end - a < len) return c.fail('truncated_ah_header');
    proto = b[a]!;
    out.proto = proto;
    c.off = a + len;
  }
  return ipProtoLayer(proto);
}
