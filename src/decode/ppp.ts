/**
 * PPP and its relatives.
 * @see RFC 1661 (PPP, §2 encapsulation, §6.5 protocol field compression), RFC 1662 (HDLC-like
 *      framing: address 0xff, control 0x03), RFC 2516 (PPPoE), Cisco HDLC (address, control,
 *      Ethernet type)
 */
import { etherTypeLayer, Layer, type LayerCursor, u16 } from './layer.js';

/** PPP protocol numbers we follow (IANA "PPP DLL Protocol Numbers"). */
const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;
const PPP_MPLS = 0x0281;

/**
 * A PPP frame: optional HDLC address and control bytes, then the protocol field (one byte when
 * protocol field compression made it odd, else two). Frames that start with a Cisco HDLC
 * address (0x0f unicast, 0x8f broadcast) are read as Cisco HDLC, as libpcap does for
 * LINKTYPE_PPP_HDLC.
 */
export function decodePpp(b: Uint8Array, c: LayerCursor): Layer {
  let o = c.off;
  if (c.end - o < 2) return c.fail('truncated_ppp_header');
  if (b[o] === 0x0f || b[o] === 0x8f) return decodeCiscoHdlc(b, c);
  if (b[o] === 0xff && b[o + 1] === 0x03) {
    o += 2;
    if (c.end - o < 1) return c.fail('truncated_ppp_header');
  }
  let proto: number;
  if ((b[o]! & 1) === 1) {
    proto = b[o]!;
    o += 1;
  } else {
    if (c.end - o < 2) return c.fail('truncated_ppp_header');
    proto = u16(b, o);
    o += 2;
  }
  c.off = o;
  switch (proto) {
    case PPP_IPV4:
      return Layer.IPv4;
    case PPP_IPV6:
      return Layer.IPv6;
    case PPP_MPLS:
      return Layer.MPLS;
    default:
      return Layer.Skip; // LCP, IPCP, CHAP, compressed datagrams, ...
  }
}

/** Address (1), control (1), Ethernet type (2). */
export function decodeCiscoHdlc(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < 4) return c.fail('truncated_chdlc_header');
  c.off = o + 4;
  return etherTypeLayer(u16(b, o + 2));
}

/**
 * RFC 2516 §4 session stage: version/type (0x11), code (0 for session data), session id (2),
 * length (2, of the PPP payload), then a PPP protocol field without HDLC framing.
 */
export function decodePppoe(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < 6) return c.fail('truncated_pppoe_header');
  if (b[o] !== 0x11 || b[o + 1] !== 0) return Layer.Skip;
  const end = o + 6 + u16(b, o + 4);
  if (end < c.end) c.end = end;
  c.off = o + 6;
  return Layer.PPP;
}
