/**
 * IPv6 header and extension headers.
 * @see RFC 8200 §3 (header), §4 (extension headers: hop-by-hop 0, routing 43, fragment 44,
 *      destination options 60), RFC 4302 (AH 51), RFC 6275 (mobility 135), RFC 7401 (HIP 139),
 *      RFC 5533 (shim6 140), RFC 6946 (atomic fragments)
 */
import type { DecodedPacket } from './decoded-packet.js';
import { ipProtoLayer, Layer, type LayerCursor, u16, u32 } from './layer.js';

const HEADER = 40;

export function decodeIpv6(b: Uint8Array, c: LayerCursor, out: DecodedPacket): Layer {
  const o = c.off;
  if (c.end - o < HEADER) return c.fail('truncated_ip_header');
  if (b[o]! >> 4 !== 6) return c.fail('ipv6_bad_version');
  const payloadLen = u16(b, o + 4);
  // §3 Payload Length excludes the fixed header. Zero means a jumbogram (RFC 2675) or, in
  // practice, segmentation offload on the capturing host: the captured bytes are all we know.
  if (payloadLen === 0) {
    if (c.snapCut) c.truncated = true;
  } else {
    const end = o + HEADER + payloadLen;
    if (end <= c.end) c.end = end;
    else c.truncated = true;
  }
  out.ipVersion = 6;
  out.ttl = b[o + 7]!;
  out.srcOff = o + 8;
  out.dstOff = o + 24;
  c.off = o + HEADER;
  return extensionHeaders(b, c, out, o, b[o + 6]!);
}

/** §4: walks the chain of extension headers to the upper-layer protocol. */
function extensionHeaders(b: Uint8Array, c: LayerCursor, out: DecodedPacket, ipOff: number, next: number): Layer {
  for (;;) {
    out.proto = next;
    const e = c.off;
    switch (next) {
      case 0: // hop-by-hop options
      case 43: // routing
      case 60: // destination options
      case 135: // mobility
      case 139: // HIP
      case 140: {
        // shim6. §4.3: next header (1), length in 8-octet units not counting the first 8.
        if (c.end - e < 8) return c.fail('truncated_ipv6_extension_header');
        const len = (b[e + 1]! + 1) << 3;
        if (c.end - e < len) return c.fail('truncated_ipv6_extension_header');
        next = b[e]!;
        c.off = e + len;
        break;
      }
      case 51: {
        // RFC 4302 §2.2: payload length in 32-bit words, minus 2.
        if (c.end - e < 8) return c.fail('truncated_ipv6_extension_header');
        const len = (b[e + 1]! + 2) << 2;
        if (c.end - e < len) return c.fail('truncated_ipv6_extension_header');
        next = b[e]!;
        c.off = e + len;
        break;
      }
      case 44: {
        // §4.5: next header (1), reserved (1), offset (13 bits) + res (2) + M (1), identification (4).
        if (c.end - e < 8) return c.fail('truncated_ipv6_extension_header');
        const offsetFlags = u16(b, e + 2);
        next = b[e]!;
        c.off = e + 8;
        // RFC 6946: an atomic fragment (offset 0, M 0) is processed as a whole packet.
        if ((offsetFlags & 0xfff9) === 0) break;
        out.proto = next;
        c.fragVersion = 6;
        c.fragIpOff = ipOff;
        c.fragOffset = offsetFlags & 0xfff8;
        c.fragMore = (offsetFlags & 1) === 1;
        c.fragId = u32(b, e + 4);
        c.fragProto = next;
        return Layer.Fragment;
      }
      case 59: // no next header
        return Layer.Skip;
      default:
        return ipProtoLayer(next);
    }
  }
}
