import { describe, expect, it } from 'vitest';
import { LINKTYPE_RAW } from '../../../src/capture/link-types.js';
import { decodeHex, IPV6_SYN, SYN_V4, SYN_V6, TCP_DATA, TCP_SYN } from './helpers.js';

const raw = (text: string, origLen?: number) => decodeHex(LINKTYPE_RAW, text, origLen);

describe('IPv4 (RFC 791)', () => {
  it('skips options by the header length', () => {
    // IHL 7: NOP x4, router alert (94 04 0000); total length 48
    expect(raw(`47 00 0030 abcd 4000 40 06 0000 0a000001 0a000002 01010101 94040000 ${TCP_SYN}`)).toEqual(SYN_V4);
    // IHL 15: 39 NOPs and an end-of-options; total length 80
    const opts = '01'.repeat(39) + '00';
    expect(raw(`4f 00 0050 abcd 4000 40 06 0000 0a000001 0a000002 ${opts} ${TCP_SYN}`)).toEqual(SYN_V4);
  });

  it('clamps the payload to the total length', () => {
    expect(raw(`45 00 0028 abcd 4000 40 06 0000 0a000001 0a000002 ${TCP_SYN} ffffffff`)).toEqual(SYN_V4);
  });

  it('does not verify the header checksum', () => {
    expect(raw(`45 00 0028 abcd 4000 40 06 dead 0a000001 0a000002 ${TCP_SYN}`)).toEqual(SYN_V4);
  });

  it('marks a datagram cut by the snaplen as truncated', () => {
    // total length 44 (4 bytes of TCP payload), 2 of them captured, 46 on the wire
    const r = raw(`45 00 002c abcd 4000 40 06 0000 0a000001 0a000002 ${TCP_DATA.slice(0, -4)}`, 46);
    expect(r).toMatchObject({ status: 'transport', ports: '443 > 49153', payload: '1603', truncated: true });
  });

  it('takes the captured bytes when the total length is 0 (segmentation offload)', () => {
    expect(raw(`45 00 0000 abcd 4000 40 06 0000 0a000001 0a000002 ${TCP_DATA}`)).toMatchObject({ payload: '16030100', truncated: false });
    expect(raw(`45 00 0000 abcd 4000 40 06 0000 0a000001 0a000002 ${TCP_DATA}`, 1500)).toMatchObject({ payload: '16030100', truncated: true });
  });

  it('walks AH (RFC 4302) to the transport header', () => {
    const ah = '06 04 0000 00001000 00000001 000000000000000000000000'; // next TCP, 24 bytes
    expect(raw(`45 00 0040 abcd 4000 40 33 0000 0a000001 0a000002 ${ah} ${TCP_SYN}`)).toEqual(SYN_V4);
  });

  it('skips other protocols, keeping the IP fields', () => {
    expect(raw('45 00 001c abcd 0000 3f 01 0000 0a000001 0a000002 0800f7ff00000000')).toEqual({
      status: 'skip',
      ip: '10.0.0.1 > 10.0.0.2',
      proto: 1,
      ttl: 63,
    });
  });

  it('reports bad headers', () => {
    expect(raw(`44 00 0028 abcd 4000 40 06 0000 0a000001 0a000002 ${TCP_SYN}`)).toEqual({ status: 'malformed', problem: 'ipv4_bad_header_length' });
    expect(raw(`45 00 0010 abcd 4000 40 06 0000 0a000001 0a000002 ${TCP_SYN}`)).toEqual({ status: 'malformed', problem: 'ipv4_bad_total_length' });
    expect(raw('45 00 0028 abcd 4000 40 06 0000 0a000001 0a0000')).toEqual({ status: 'malformed', problem: 'truncated_ip_header' });
    expect(raw('46 00 0028 abcd 4000 40 06 0000 0a000001 0a000002')).toEqual({ status: 'malformed', problem: 'truncated_ip_header' });
    expect(raw(`45 00 002c abcd 4000 40 33 0000 0a000001 0a000002 06040000 00001000`)).toEqual({ status: 'malformed', problem: 'truncated_ah_header' });
  });
});

describe('IPv6 (RFC 8200)', () => {
  const SRC_DST = '20010db8000000000000000000000001 20010db8000000000000000000000002';

  it('walks hop-by-hop, routing, destination options and AH headers', () => {
    const hbh = '2b 00 0104 00000000'; // next routing, PadN
    const routing = '3c 02 00 00 00000000 20010db8000000000000000000000003'; // next dest opts, 24 bytes
    const dst = '33 00 0104 00000000'; // next AH
    const ah = '06 04 0000 00001000 00000001 000000000000000000000000'; // next TCP
    expect(raw(`60000000 0054 00 40 ${SRC_DST} ${hbh} ${routing} ${dst} ${ah} ${TCP_SYN}`)).toEqual(SYN_V6);
  });

  it('treats an atomic fragment (offset 0, M 0) as a whole packet (RFC 6946)', () => {
    expect(raw(`60000000 001c 2c 40 ${SRC_DST} 06 00 0000 12345678 ${TCP_SYN}`)).toEqual(SYN_V6);
  });

  it('clamps to the payload length, and takes the captured bytes when it is 0', () => {
    expect(raw(`${IPV6_SYN} ${TCP_SYN} 0000`)).toEqual(SYN_V6);
    expect(raw(`60000000 0000 06 40 ${SRC_DST} ${TCP_SYN}`)).toEqual(SYN_V6);
  });

  it('skips no-next-header and ESP, keeping the IP fields', () => {
    expect(raw(`60000000 0000 3b 40 ${SRC_DST}`)).toEqual({ status: 'skip', ip: '2001:db8::1 > 2001:db8::2', proto: 59, ttl: 64 });
    expect(raw(`60000000 0008 32 40 ${SRC_DST} 00001000 00000001`)).toMatchObject({ status: 'skip', proto: 50 });
  });

  it('reports truncated headers', () => {
    expect(raw(`60000000 0014 06 40 20010db8`)).toEqual({ status: 'malformed', problem: 'truncated_ip_header' });
    expect(raw(`60000000 0004 00 40 ${SRC_DST} 06000000`)).toEqual({ status: 'malformed', problem: 'truncated_ipv6_extension_header' });
    expect(raw(`60000000 0010 00 40 ${SRC_DST} 06010000 00000000 00000000`)).toEqual({ status: 'malformed', problem: 'truncated_ipv6_extension_header' });
  });
});
