/**
 * Link-layer header types of pcap and pcapng files (LINKTYPE_* values, not the OS-specific
 * DLT_* ones, except where files are known to carry the DLT value).
 * @see https://www.tcpdump.org/linktypes.html
 * @see draft-ietf-opsawg-pcaplinktype
 */
export const LINKTYPE_NULL = 0; // BSD loopback: 4-byte address family in the writer's byte order
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_PPP = 9; // RFC 1661 PPP, HDLC-like framing (ff 03) optional
export const LINKTYPE_RAW_DLT12 = 12; // DLT_RAW on most BSDs and Linux, written as-is by some tools
export const LINKTYPE_RAW_DLT14 = 14; // DLT_RAW on OpenBSD
export const LINKTYPE_PPP_HDLC = 50; // RFC 1662 PPP in HDLC-like framing
export const LINKTYPE_PPP_ETHER = 51; // RFC 2516 PPPoE session stage, no Ethernet header
export const LINKTYPE_RAW = 101; // raw IPv4 or IPv6, version nibble decides
export const LINKTYPE_C_HDLC = 104; // Cisco HDLC: address, control, Ethernet type
export const LINKTYPE_IEEE802_11 = 105;
export const LINKTYPE_LOOP = 108; // OpenBSD loopback: address family in network byte order
export const LINKTYPE_LINUX_SLL = 113; // Linux cooked capture v1 (16-byte header)
export const LINKTYPE_IEEE802_11_RADIOTAP = 127;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276; // Linux cooked capture v2 (20-byte header)

/** Display names (libpcap's short names); for reports, never used per packet. */
export const LINK_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [LINKTYPE_NULL, 'NULL'],
  [LINKTYPE_ETHERNET, 'ETHERNET'],
  [LINKTYPE_PPP, 'PPP'],
  [LINKTYPE_RAW_DLT12, 'RAW'],
  [LINKTYPE_RAW_DLT14, 'RAW'],
  [LINKTYPE_PPP_HDLC, 'PPP_HDLC'],
  [LINKTYPE_PPP_ETHER, 'PPP_ETHER'],
  [LINKTYPE_RAW, 'RAW'],
  [LINKTYPE_C_HDLC, 'C_HDLC'],
  [LINKTYPE_IEEE802_11, 'IEEE802_11'],
  [LINKTYPE_LOOP, 'LOOP'],
  [LINKTYPE_LINUX_SLL, 'LINUX_SLL'],
  [LINKTYPE_IEEE802_11_RADIOTAP, 'IEEE802_11_RADIOTAP'],
  [LINKTYPE_IPV4, 'IPV4'],
  [LINKTYPE_IPV6, 'IPV6'],
  [LINKTYPE_LINUX_SLL2, 'LINUX_SLL2'],
]);

/** "ETHERNET (1)", or "LINKTYPE 147" for a type without a name. */
export function linkTypeName(linkType: number): string {
  const name = LINK_TYPE_NAMES.get(linkType);
  return name === undefined ? `LINKTYPE ${linkType}` : `${name} (${linkType})`;
}
