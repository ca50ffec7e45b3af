/**
 * BSD loopback link types: a 4-byte address family before the IP packet.
 * @see https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html
 *
 * LINKTYPE_NULL writes the family in the byte order of the machine that captured, LINKTYPE_LOOP
 * in network byte order. IPv6 has a different AF_INET6 on each BSD: 24 (NetBSD, OpenBSD, and
 * Npcap on Windows), 28 (FreeBSD), 30 (Darwin).
 */
import { Layer, type LayerCursor } from './layer.js';

/** Host byte order: families are small, so whichever end holds the non-zero byte is the low one. */
export function decodeNull(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < 4) return c.fail('truncated_loopback_header');
  c.off = o + 4;
  const family = b[o] !== 0 || b[o + 1] !== 0 ? b[o]! | (b[o + 1]! << 8) : (b[o + 2]! << 8) | b[o + 3]!;
  return familyLayer(family);
}

/** Network byte order. */
export function decodeLoop(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < 4) return c.fail('truncated_loopback_header');
  c.off = o + 4;
  return familyLayer((b[o + 2]! << 8) | b[o + 3]!);
}

function familyLayer(family: number): Layer {
  switch (family) {
    case 2:
      return Layer.IPv4;
    case 24:
    case 28:
    case 30:
      return Layer.IPv6;
    default:
      return Layer.Skip;
  }
}
