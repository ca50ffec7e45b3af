/**
 * Generic Routing Encapsulation.
 * @see RFC 2784 §2 (header: C bit, version 0), RFC 2890 (K key and S sequence bits),
 *      RFC 2637 §4.1 (version 1, the "enhanced GRE" of PPTP, carrying PPP)
 */
import { etherTypeLayer, Layer, type LayerCursor, u16 } from './layer.js';

const C_BIT = 0x8000; // checksum present (4 bytes with the reserved field)
const R_BIT = 0x4000; // RFC 1701 routing present (obsolete)
const K_BIT = 0x2000; // key present
const S_BIT = 0x1000; // sequence number present
const A_BIT = 0x0080; // version 1: acknowledgment number present

const PROTO_ERSPAN_2 = 0x88be; // ERSPAN type II (type I when there is no sequence number)
const PROTO_ERSPAN_3 = 0x22eb;
const PROTO_PPP = 0x880b;

export function decodeGre(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < 4) return c.fail('truncated_gre_header');
  const flags = u16(b, o);
  const proto = u16(b, o + 2);
  let len = 4;
  switch (flags & 7) {
    case 0:
      if (flags & R_BIT) return Layer.Skip; // source routing entries: not followed
      if (flags & C_BIT) len += 4;
      if (flags & K_BIT) len += 4;
      if (flags & S_BIT) len += 4;
      break;
    case 1:
      // Enhanced GRE: key = payload length (2) + call id (2), always present.
      len += 4;
      if (flags & S_BIT) len += 4;
      if (flags & A_BIT) len += 4;
      break;
    default:
      return Layer.Skip;
  }
  if (c.end - o < len) return c.fail('truncated_gre_header');
  c.off = o + len;
  switch (proto) {
    case PROTO_ERSPAN_2:
      // ERSPAN type I has no header of its own: Ethernet follows right away.
      return flags & S_BIT ? Layer.ERSPAN2 : Layer.Ethernet;
    case PROTO_ERSPAN_3:
      return Layer.ERSPAN3;
    case PROTO_PPP:
      return Layer.PPP;
    default:
      return etherTypeLayer(proto);
  }
}
