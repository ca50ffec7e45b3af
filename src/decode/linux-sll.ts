/**
 * Linux "cooked" capture headers, written by `tcpdump -i any` and for devices without a link
 * header of their own.
 * @see https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html
 * @see https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html
 */
import { etherTypeLayer, Layer, type LayerCursor, u16 } from './layer.js';

const SLL_HEADER = 16;
const SLL2_HEADER = 20;
/** ARPHRD_NETLINK: the payload is a netlink message, not a network packet. */
const ARPHRD_NETLINK = 824;

/**
 * SLL v1: packet type (2), ARPHRD type (2), address length (2), address (8), protocol (2).
 * The protocol is an Ethernet type, except small values that name non-Ethernet-II framings
 * (1 Novell 802.3, 4 802.2 LLC, ...), which carry no IP for us.
 */
export function decodeLinuxSll(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < SLL_HEADER) return c.fail('truncated_sll_header');
  if (u16(b, o + 2) === ARPHRD_NETLINK) return Layer.Skip;
  c.off = o + SLL_HEADER;
  return etherTypeLayer(u16(b, o + 14));
}

/**
 * SLL v2: protocol (2), reserved (2), interface index (4), ARPHRD type (2), packet type (1),
 * address length (1), address (8).
 */
export function decodeLinuxSll2(b: Uint8Array, c: LayerCursor): Layer {
  const o = c.off;
  if (c.end - o < SLL2_HEADER) return c.fail('truncated_sll_header');
  if (u16(b, o + 8) === ARPHRD_NETLINK) return Layer.Skip;
  c.off = o + SLL2_HEADER;
  return etherTypeLayer(u16(b, o));
}
