import { describe, expect, it } from 'vitest';
import * as LT from '../../../src/capture/link-types.js';
import { PacketDecoder } from '../../../src/decode/packet-decoder.js';
import { decodeHex, eth, hex, IPV4_SYN, IPV6_SYN, packet, summarise, SYN_V4, SYN_V6, TCP_SYN } from './helpers.js';

const V4 = `${IPV4_SYN} ${TCP_SYN}`;
const V6 = `${IPV6_SYN} ${TCP_SYN}`;

describe('Ethernet and tags', () => {
  it('Ethernet II with IPv4 and IPv6', () => {
    expect(decodeHex(LT.LINKTYPE_ETHERNET, `${eth('0800')} ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_ETHERNET, `${eth('86dd')} ${V6}`)).toEqual(SYN_V6);
  });

  it('cuts the link padding after the IP datagram off', () => {
    expect(decodeHex(LT.LINKTYPE_ETHERNET, `${eth('0800')} ${V4} 000000000000`)).toEqual(SYN_V4);
  });

  it('802.1Q, 802.1ad QinQ and the pre-standard 0x9100 tags', () => {
    expect(decodeHex(LT.LINKTYPE_ETHERNET, `${eth('8100')} 0064 0800 ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_ETHERNET, `${eth('88a8')} 00c8 8100 0064 0800 ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_ETHERNET, `${eth('9100')} 00c8 8100 0064 86dd ${V6}`)).toEqual(SYN_V6);
    expect(decodeHex(LT.LINKTYPE_ETHERNET, `${eth('8100')} 00`)).toEqual({ status: 'malformed', problem: 'truncated_vlan_tag' });
  });

  it('PPPoE session stage (RFC 2516), and skips the discovery stage', () => {
    // ver/type 0x11, code 0, session 0x1234, length 42 (PPP protocol + 40 bytes), PPP IPv4
    expect(decodeHex(LT.LINKTYPE_ETHERNET, `${eth('8864')} 11 00 1234 002a 0021 ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_ETHERNET, `${eth('8863')} 11 09 0000 0000`)).toEqual({ status: 'skip' });
  });

  it('MPLS label stacks (RFC 3032), with IP or a pseudowire control word and Ethernet', () => {
    // label 32 S=0 TTL 64, label 16 S=1 TTL 64
    expect(decodeHex(LT.LINKTYPE_ETHERNET, `${eth('8847')} 00020040 00010140 ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_ETHERNET, `${eth('8847')} 00010140 ${V6}`)).toEqual(SYN_V6);
    expect(decodeHex(LT.LINKTYPE_ETHERNET, `${eth('8847')} 00010140 00000000 ${eth('0800')} ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_ETHERNET, `${eth('8847')} 00020040`)).toEqual({ status: 'malformed', problem: 'truncated_mpls_label' });
  });

  it('802.3 frames: follows LLC/SNAP, skips other LLC', () => {
    expect(decodeHex(LT.LINKTYPE_ETHERNET, `${eth('0030')} aaaa03 000000 0800 ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_ETHERNET, `${eth('0026')} 424203 0000 00 00`)).toEqual({ status: 'skip' });
  });

  it('skips ARP, reports a short frame', () => {
    expect(decodeHex(LT.LINKTYPE_ETHERNET, `${eth('0806')} 0001 0800 0604 0001`)).toEqual({ status: 'skip' });
    expect(decodeHex(LT.LINKTYPE_ETHERNET, '020000000002 0200')).toEqual({ status: 'malformed', problem: 'truncated_ethernet_header' });
  });
});

describe('Linux cooked captures', () => {
  it('SLL v1: packet type, ARPHRD, address length, address, protocol', () => {
    expect(decodeHex(LT.LINKTYPE_LINUX_SLL, `0000 0001 0006 0200000000010000 0800 ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_LINUX_SLL, `0004 0001 0006 0200000000010000 86dd ${V6}`)).toEqual(SYN_V6);
    expect(decodeHex(LT.LINKTYPE_LINUX_SLL, `0004 0338 0000 0000000000000000 0000 00000000`)).toEqual({ status: 'skip' });
    expect(decodeHex(LT.LINKTYPE_LINUX_SLL, '0000 0001 0006')).toEqual({ status: 'malformed', problem: 'truncated_sll_header' });
  });

  it('SLL v2: protocol, reserved, interface index, ARPHRD, packet type, address length, address', () => {
    expect(decodeHex(LT.LINKTYPE_LINUX_SLL2, `0800 0000 00000002 0001 00 06 0200000000010000 ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_LINUX_SLL2, `86dd 0000 00000002 0001 04 06 0200000000010000 ${V6}`)).toEqual(SYN_V6);
  });
});

describe('BSD loopback', () => {
  it('NULL: the family in either byte order', () => {
    expect(decodeHex(LT.LINKTYPE_NULL, `02000000 ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_NULL, `00000002 ${V4}`)).toEqual(SYN_V4);
    for (const family of ['18000000', '0000001c', '1e000000', '0000001e']) {
      expect(decodeHex(LT.LINKTYPE_NULL, `${family} ${V6}`)).toEqual(SYN_V6);
    }
    expect(decodeHex(LT.LINKTYPE_NULL, `07000000 ${V4}`)).toEqual({ status: 'skip' });
  });

  it('LOOP: the family in network byte order', () => {
    expect(decodeHex(LT.LINKTYPE_LOOP, `00000002 ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_LOOP, `00000018 ${V6}`)).toEqual(SYN_V6);
  });
});

describe('raw IP link types', () => {
  it('101, 12 and 14 go by the version nibble; 228 and 229 are fixed', () => {
    for (const lt of [LT.LINKTYPE_RAW, LT.LINKTYPE_RAW_DLT12, LT.LINKTYPE_RAW_DLT14]) {
      expect(decodeHex(lt, V4)).toEqual(SYN_V4);
      expect(decodeHex(lt, V6)).toEqual(SYN_V6);
    }
    expect(decodeHex(LT.LINKTYPE_IPV4, V4)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_IPV6, V6)).toEqual(SYN_V6);
    expect(decodeHex(LT.LINKTYPE_RAW, `55 ${V4}`)).toEqual({ status: 'malformed', problem: 'ip_bad_version' });
    expect(decodeHex(LT.LINKTYPE_IPV6, V4)).toEqual({ status: 'malformed', problem: 'ipv6_bad_version' });
  });
});

describe('PPP family', () => {
  it('PPP with and without HDLC framing, and with a compressed protocol field', () => {
    expect(decodeHex(LT.LINKTYPE_PPP, `ff03 0021 ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_PPP, `0057 ${V6}`)).toEqual(SYN_V6);
    expect(decodeHex(LT.LINKTYPE_PPP, `21 ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_PPP, 'ff03 c021 01010004')).toEqual({ status: 'skip' }); // LCP
  });

  it('PPP in HDLC-like framing, including Cisco HDLC frames', () => {
    expect(decodeHex(LT.LINKTYPE_PPP_HDLC, `ff03 0021 ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_PPP_HDLC, `0f00 0800 ${V4}`)).toEqual(SYN_V4);
  });

  it('PPPoE link type, and Cisco HDLC', () => {
    expect(decodeHex(LT.LINKTYPE_PPP_ETHER, `11 00 0001 002a 0021 ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_C_HDLC, `0f00 0800 ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_C_HDLC, `8f00 86dd ${V6}`)).toEqual(SYN_V6);
  });
});

describe('IEEE 802.11', () => {
  const ADDRS = '020000000001 020000000002 020000000003';
  it('data and QoS data frames, frame control swapped or not', () => {
    expect(decodeHex(LT.LINKTYPE_IEEE802_11, `0801 0000 ${ADDRS} 0000 aaaa03000000 0800 ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_IEEE802_11, `0108 0000 ${ADDRS} 0000 aaaa03000000 0800 ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_IEEE802_11, `8802 0000 ${ADDRS} 0000 0000 aaaa03000000 86dd ${V6}`)).toEqual(SYN_V6);
    // ToDS + FromDS: a fourth address
    expect(decodeHex(LT.LINKTYPE_IEEE802_11, `0803 0000 ${ADDRS} 0000 020000000004 aaaa03000000 0800 ${V4}`)).toEqual(SYN_V4);
  });

  it('skips protected, management and null frames', () => {
    expect(decodeHex(LT.LINKTYPE_IEEE802_11, `0841 0000 ${ADDRS} 0000 00000000 00000000`)).toEqual({ status: 'skip' });
    expect(decodeHex(LT.LINKTYPE_IEEE802_11, `8000 0000 ${ADDRS} 0000 00000000 00000000`)).toEqual({ status: 'skip' });
    expect(decodeHex(LT.LINKTYPE_IEEE802_11, `4801 0000 ${ADDRS} 0000`)).toEqual({ status: 'skip' });
  });

  it('radiotap before the 802.11 frame', () => {
    expect(decodeHex(LT.LINKTYPE_IEEE802_11_RADIOTAP, `00 00 0800 00000000 0801 0000 ${ADDRS} 0000 aaaa03000000 0800 ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LT.LINKTYPE_IEEE802_11_RADIOTAP, '00 00 4000 00000000')).toEqual({ status: 'malformed', problem: 'truncated_radiotap_header' });
  });
});

describe('other link types', () => {
  it('are skipped and counted', () => {
    const d = new PacketDecoder();
    expect(summarise(d, packet(147, hex(V4)))).toEqual({ status: 'skip' });
    expect(summarise(d, packet(147, hex(V4)))).toEqual({ status: 'skip' });
    expect(d.stats.unsupportedLinkTypes).toEqual(new Map([[147, 2]]));
  });
});
