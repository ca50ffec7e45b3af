import { describe, expect, it } from 'vitest';
import { LINKTYPE_ETHERNET, LINKTYPE_RAW } from '../../../src/capture/link-types.js';
import { LIMITS } from '../../../src/config/limits.js';
import { decodeHex, eth, IPV4_SYN, IPV6_SYN, SYN_V4, SYN_V6, TCP_SYN } from './helpers.js';

const V4 = `${IPV4_SYN} ${TCP_SYN}`; // 40 bytes
const V6 = `${IPV6_SYN} ${TCP_SYN}`; // 60 bytes
const raw = (text: string) => decodeHex(LINKTYPE_RAW, text);
/** Outer IPv4 header 192.0.2.1 > 192.0.2.2 with the given total length and protocol. */
const outer = (total: string, proto: string) => `45 00 ${total} 0001 0000 40 ${proto} 0000 c0000201 c0000202`;
/** Outer UDP header 50000 > port. */
const udp = (dport: string, len: string) => `c350 ${dport} ${len} 0000`;

describe('IP in IP', () => {
  it('IPv4 in IPv4 (RFC 2003), IPv6 in IPv4 (RFC 4213), IPv4 in IPv6', () => {
    expect(raw(`${outer('003c', '04')} ${V4}`)).toEqual(SYN_V4);
    expect(raw(`${outer('0050', '29')} ${V6}`)).toEqual(SYN_V6);
    expect(raw(`60000000 0028 04 40 20010db8000000000000000000000009 20010db800000000000000000000000a ${V4}`)).toEqual(SYN_V4);
  });
});

describe('GRE (RFC 2784, 2890)', () => {
  it('carries IPv4, and IPv6 after checksum, key and sequence fields', () => {
    expect(raw(`${outer('0040', '2f')} 0000 0800 ${V4}`)).toEqual(SYN_V4);
    expect(raw(`${outer('0060', '2f')} b000 86dd 00000000 00000001 00000002 ${V6}`)).toEqual(SYN_V6);
  });

  it('carries Ethernet (transparent bridging 0x6558)', () => {
    expect(raw(`${outer('0052', '2f')} 2000 6558 0000002a ${eth('0800')} ${V4}`)).toEqual(SYN_V4);
  });

  it('carries PPP in PPTP enhanced GRE (version 1, RFC 2637)', () => {
    expect(raw(`${outer('004c', '2f')} 3001 880b 002a 0001 00000001 ff03 0021 ${V4}`)).toEqual(SYN_V4);
  });

  it('carries ERSPAN type I, II and III', () => {
    // type I: 0x88be without a sequence number, Ethernet right away
    expect(raw(`${outer('004e', '2f')} 0000 88be ${eth('0800')} ${V4}`)).toEqual(SYN_V4);
    // type II: version 1, VLAN 100, session 1, index 0
    expect(raw(`${outer('005a', '2f')} 1000 88be 00000001 1064 0001 00000000 ${eth('0800')} ${V4}`)).toEqual(SYN_V4);
    // type III: version 2, timestamp, SGT, FT 0 (Ethernet), O clear; then with the 8-byte subheader
    expect(raw(`${outer('005e', '2f')} 1000 22eb 00000001 2064 0001 00000000 0000 00 00 ${eth('0800')} ${V4}`)).toEqual(SYN_V4);
    expect(raw(`${outer('0066', '2f')} 1000 22eb 00000001 2064 0001 00000000 0000 00 01 0000000000000000 ${eth('0800')} ${V4}`)).toEqual(SYN_V4);
  });

  it('reports a short GRE header, skips unknown versions and payloads', () => {
    expect(raw(`${outer('0018', '2f')} b000 0800`)).toEqual({ status: 'malformed', problem: 'truncated_gre_header' });
    expect(raw(`${outer('0018', '2f')} 0002 0800`)).toMatchObject({ status: 'skip', proto: 47 });
    expect(raw(`${outer('0018', '2f')} 0000 883e`)).toMatchObject({ status: 'skip', proto: 47 });
  });
});

describe('UDP tunnels', () => {
  it('VXLAN (RFC 7348) on port 4789', () => {
    expect(raw(`${outer('005a', '11')} ${udp('12b5', '0046')} 08000000 00000100 ${eth('0800')} ${V4}`)).toEqual(SYN_V4);
  });

  it('leaves a datagram on a tunnel port alone when the header does not fit', () => {
    expect(raw(`${outer('005a', '11')} ${udp('12b5', '0046')} 48000000 00000100 ${eth('0800')} ${V4}`)).toMatchObject({
      status: 'transport',
      ip: '192.0.2.1 > 192.0.2.2',
      ports: '50000 > 4789',
    });
  });

  it('VXLAN-GPE on port 4790, by its next protocol', () => {
    expect(raw(`${outer('004c', '11')} ${udp('12b6', '0038')} 0c 0000 01 000001 00 ${V4}`)).toEqual(SYN_V4);
    expect(raw(`${outer('0060', '11')} ${udp('12b6', '004c')} 0c 0000 02 000001 00 ${V6}`)).toEqual(SYN_V6);
  });

  it('Geneve (RFC 8926) on port 6081, with and without options', () => {
    expect(raw(`${outer('005a', '11')} ${udp('17c1', '0046')} 00 00 6558 000001 00 ${eth('0800')} ${V4}`)).toEqual(SYN_V4);
    expect(raw(`${outer('0062', '11')} ${udp('17c1', '004e')} 02 00 6558 000001 00 0000000000000000 ${eth('0800')} ${V4}`)).toEqual(SYN_V4);
  });

  it('GTP-U (TS 29.281) on port 2152, with extension headers', () => {
    expect(raw(`${outer('004c', '11')} ${udp('0868', '0038')} 30 ff 0028 00000001 ${V4}`)).toEqual(SYN_V4);
    // E flag: sequence, N-PDU, next type 0x85; one 4-byte extension header whose next type is 0
    expect(raw(`${outer('0054', '11')} ${udp('0868', '0040')} 34 ff 0030 00000001 0000 00 85 01 0001 00 ${V4}`)).toEqual(SYN_V4);
    // an echo request is GTP signalling, not user data: the UDP datagram itself
    expect(raw(`${outer('0028', '11')} ${udp('0868', '0014')} 32 01 0004 00000000 0000 0000`)).toMatchObject({ status: 'transport', ports: '50000 > 2152' });
  });

  it('CAPWAP data (RFC 5415) carrying 802.11 frames with swapped frame control', () => {
    const capwap = '00 200320 0000 0000 04bf2300 00000000'; // HLEN 4, WBID 1, T, W
    const wlan = '0108 2c00 84802d2b4590 54f201e1b299 10f311eaeec1 7630 aaaa03000000 0800';
    expect(raw(`${outer('0074', '11')} ${udp('147f', '0060')} ${capwap} ${wlan} ${V4}`)).toEqual(SYN_V4);
  });
});

describe('encapsulation depth', () => {
  it(`stops after LIMITS.maxEncapsulationDepth (${LIMITS.maxEncapsulationDepth}) encapsulations`, () => {
    const tags = (n: number) => '0064 8100 '.repeat(n - 1) + '0064 0800';
    expect(decodeHex(LINKTYPE_ETHERNET, `${eth('8100')} ${tags(LIMITS.maxEncapsulationDepth)} ${V4}`)).toEqual(SYN_V4);
    expect(decodeHex(LINKTYPE_ETHERNET, `${eth('8100')} ${tags(LIMITS.maxEncapsulationDepth + 1)} ${V4}`)).toEqual({
      status: 'malformed',
      problem: 'encapsulation_depth_limit_reached',
    });
  });

  it('counts IP-in-IP headers too', () => {
    const nest = (n: number): string => {
      let s = V4;
      for (let i = 0; i < n; i++) s = `${outer((s.replace(/\s/g, '').length / 2 + 20).toString(16).padStart(4, '0'), '04')} ${s}`;
      return s;
    };
    expect(raw(nest(LIMITS.maxEncapsulationDepth))).toEqual(SYN_V4);
    expect(raw(nest(LIMITS.maxEncapsulationDepth + 1))).toEqual({ status: 'malformed', problem: 'encapsulation_depth_limit_reached' });
  });
});
