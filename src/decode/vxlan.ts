/**
 * Ethernet-over-UDP overlays (udp.ts has already checked the header's flags).
 * @see RFC 7348 §5 (VXLAN), draft-ietf-nvo3-vxlan-gpe-12 §3 (VXLAN-GPE), RFC 8926 §3.4 (Geneve)
 */
import { etherTypeLayer, Layer, type LayerCursor, u16 } from './layer.js';

/** VXLAN: 8-byte header, then an Ethernet frame. */
export function decodeVxlan(_b: Uint8Array, c: LayerCursor): Layer {
  if (c.end - c.off < 8) return c.fail('truncated_vxlan_header');
  c.off += 8;
  return Layer.Ethernet;
}

/**
 * VXLAN-GPE: flags (1), reserved (2), next protocol (1: 1 IPv4, 2 IPv6, 3 Ethernet, 5 MPLS),
 * VNI (3), reserved (1). tshark follows the next protocol whether or not the P flag is set.
 */
export function decodeVxlanGpe(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < 8) return c.fail('truncated_vxlan_header');
  c.off = o + 8;
  switch (b[o + 3]) {
    case 1:
      return Layer.IPv4;
    case 2:
      return Layer.IPv6;
    case 3:
      return Layer.Ethernet;
    case 5:
      return Layer.MPLS;
    default:
      return Layer.Skip; // NSH, ...
  }
}

/**
 * Geneve: version (2 bits) + options length in 4-byte words (6 bits), flags (1), protocol type
 * (2, an Ethernet type: 0x6558 for Ethernet), VNI (3), reserved (1), options.
 */
export function decodeGeneve(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < 8) return c.fail('truncated_geneve_header');
  const len = 8 + ((b[o]! & 0x3f) << 2);
  if (c.end - o < len) return c.fail('truncated_geneve_header');
  c.off = o + len;
  return etherTypeLayer(u16(b, o + 2));
}
