/**
 * Ethernet and the tags and labels that sit between it and IP.
 * @see IEEE 802.3 §3.2 (MAC frame), RFC 894 (IP over Ethernet II), IEEE 802.1Q (VLAN tag,
 *      and 802.1ad stacked tags), RFC 3032 (MPLS label stack), RFC 4385 (pseudowire control word)
 */
import { etherTypeLayer, Layer, type LayerCursor, u16 } from './layer.js';

const ETHERNET_HEADER = 14;
/** Values up to 1500 in the type field are an 802.3 length: an LLC header follows. */
const MAX_8023_LENGTH = 1500;

/** Destination (6), source (6), type (2). Frames with an 802.3 length are followed only for SNAP. */
export function decodeEthernet(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < ETHERNET_HEADER) return c.fail('truncated_ethernet_header');
  const type = u16(b, o + 12);
  c.off = o + ETHERNET_HEADER;
  if (type > MAX_8023_LENGTH) return etherTypeLayer(type);
  return llcSnap(b, c);
}

/** RFC 1042: LLC aa aa 03 + OUI 00 00 00 + Ethernet type. Other LLC payloads (STP, ...) are skipped. */
function llcSnap(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < 8 || b[o] !== 0xaa || b[o + 1] !== 0xaa || b[o + 2] !== 0x03) return Layer.Skip;
  if (b[o + 3] !== 0 || b[o + 4] !== 0 || b[o + 5] !== 0) return Layer.Skip;
  c.off = o + 8;
  return etherTypeLayer(u16(b, o + 6));
}

/** IEEE 802.1Q tag after its type: TCI (priority, DEI, VLAN id) (2), inner type (2). */
export function decodeVlan(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < 4) return c.fail('truncated_vlan_tag');
  c.off = o + 4;
  return etherTypeLayer(u16(b, o + 2));
}

/**
 * RFC 3032 §2.1: 4-byte label stack entries, the bottom one has the S bit. What follows is not
 * named; like tshark, guess from the first nibble: 4 IPv4, 6 IPv6, 0 a pseudowire control
 * word (RFC 4385 §3) before an Ethernet frame.
 */
export function decodeMpls(b: Uint8Array, c: LayerCursor): Layer {
  let o = c.off;
  for (;;) {
    if (c.end - o < 4) return c.fail('truncated_mpls_label');
    const bottom = (b[o + 2]! & 1) === 1;
    o += 4;
    if (bottom) break;
  }
  c.off = o;
  if (o >= c.end) return Layer.Skip;
  switch (b[o]! >> 4) {
    case 4:
      return Layer.IPv4;
    case 6:
      return Layer.IPv6;
    case 0:
      if (c.end - o < 4) return c.fail('truncated_mpls_label');
      c.off = o + 4;
      return Layer.Ethernet;
    default:
      return Layer.Skip;
  }
}
