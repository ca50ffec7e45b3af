/**
 * The contract shared by the per-layer decoders (ethernet.ts, ipv4.ts, tcp.ts...).
 *
 * A layer decoder has the shape `decodeX(b: Uint8Array, c: LayerCursor[, out]): Layer`: it
 * reads the header at b[c.off] (never past c.end), moves c.off to its payload, narrows c.end
 * when its header says the payload is shorter, and returns the kind of the next layer. It
 * returns Layer.Skip for valid bytes we do not follow, and Layer.Malformed with c.problem set
 * when the bytes contradict the header. packet-decoder.ts chains them, gopacket-style.
 * Nothing here allocates or throws.
 */

/** Kinds of layers, and the two ways a walk ends early. */
export const Layer = {
  Malformed: -2,
  Skip: -1,
  /** The transport header was decoded: the packet is complete. */
  Done: 0,
  Ethernet: 1,
  /** IPv4 or IPv6, as the version nibble says (raw IP link types, MPLS payload, GTP-U). */
  IP: 2,
  IPv4: 3,
  IPv6: 4,
  TCP: 5,
  UDP: 6,
  /** An IP fragment: the cursor's frag* fields describe it (packet-decoder.ts reassembles). */
  Fragment: 7,
  // Encapsulations from here on: each one entered counts towards LIMITS.maxEncapsulationDepth.
  Vlan: 8,
  PPP: 9,
  PPPoE: 10,
  MPLS: 11,
  GRE: 12,
  ERSPAN2: 13,
  ERSPAN3: 14,
  VXLAN: 15,
  Geneve: 16,
  GTPU: 17,
  VXLANGPE: 18,
  CAPWAP: 19,
  IEEE80211: 20,
} as const;
export type Layer = (typeof Layer)[keyof typeof Layer];

/** The first kind that counts as an encapsulation. */
export const FIRST_ENCAPSULATION: number = Layer.Vlan;

/** Where the walk through one packet stands. One instance, reused for every packet. */
export class LayerCursor {
  /** Start of the next layer's header. */
  off = 0;
  /** End of the bytes that belong to the current layer's payload (captured and declared). */
  end = 0;
  /** An IP header declared more bytes than were captured (the snaplen cut the packet). */
  truncated = false;
  /** The capture record is shorter than the packet on the wire (caplen < origLen). */
  snapCut = false;
  /** Stable snake_case name of what was wrong, set with Layer.Malformed. */
  problem = '';

  /** Fragment description, set with Layer.Fragment. */
  fragVersion = 0;
  /** Offset of the IP header. */
  fragIpOff = 0;
  /** Where the fragment's data (c.off to c.end) goes in the datagram, in bytes. */
  fragOffset = 0;
  fragMore = false;
  fragId = 0;
  /** IPv4: protocol; IPv6: the fragment header's next header. */
  fragProto = 0;

  fail(problem: string): Layer {
    this.problem = problem;
    return Layer.Malformed;
  }
}

/** Ethernet types (IEEE 802 numbers) we follow; shared by Ethernet, SLL, GRE, PPPoE... */
export function etherTypeLayer(type: number): Layer {
  switch (type) {
    case 0x0800:
      return Layer.IPv4;
    case 0x86dd:
      return Layer.IPv6;
    case 0x8100: // IEEE 802.1Q
    case 0x88a8: // IEEE 802.1ad (QinQ outer tag)
    case 0x9100: // pre-standard QinQ
    case 0x9200:
    case 0x9300:
      return Layer.Vlan;
    case 0x8864: // PPPoE session stage (RFC 2516)
      return Layer.PPPoE;
    case 0x8847: // MPLS unicast (RFC 3032)
    case 0x8848: // MPLS multicast
      return Layer.MPLS;
    case 0x6558: // Transparent Ethernet Bridging (GRE, Geneve)
      return Layer.Ethernet;
    default:
      return Layer.Skip; // ARP, LLDP, 802.1X, ...
  }
}

/** IP protocol numbers (IANA) we follow after an IPv4 header or IPv6 extension headers. */
export function ipProtoLayer(proto: number): Layer {
  switch (proto) {
    case 6:
      return Layer.TCP;
    case 17:
      return Layer.UDP;
    case 4: // IPv4 in IP (RFC 2003)
      return Layer.IPv4;
    case 41: // IPv6 in IP (RFC 4213)
      return Layer.IPv6;
    case 47:
      return Layer.GRE;
    default:
      return Layer.Skip; // ICMP, ESP, SCTP, ...
  }
}

// Big-endian readers; the caller has checked the bounds.
export function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}
export function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}
