/**
 * Cisco ERSPAN, carried in GRE.
 * @see draft-foschiano-erspan-03 §4.1 (type II), §4.2 (type III)
 */
import { Layer, type LayerCursor } from './layer.js';

/** Type II: version 1 (4 bits), VLAN, COS, En, T, session id, reserved, index: 8 bytes, then Ethernet. */
export function decodeErspan2(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < 8) return c.fail('truncated_erspan_header');
  if (b[o]! >> 4 !== 1) return Layer.Skip;
  c.off = o + 8;
  return Layer.Ethernet;
}

/**
 * Type III: version 2, 12 bytes, and 8 more of platform-specific subheader when the O flag
 * (last bit) is set. The frame type FT (5 bits of byte 10) is 0 for Ethernet, 2 for IP.
 */
export function decodeErspan3(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < 12) return c.fail('truncated_erspan_header');
  if (b[o]! >> 4 !== 2) return Layer.Skip;
  const len = b[o + 11]! & 1 ? 20 : 12;
  if (c.end - o < len) return c.fail('truncated_erspan_header');
  c.off = o + len;
  switch ((b[o + 10]! >> 2) & 0x1f) {
    case 0:
      return Layer.Ethernet;
    case 2:
      return Layer.IP;
    default:
      return Layer.Skip;
  }
}
