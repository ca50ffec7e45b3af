import { describe, expect, it } from 'vitest';
import { LINKTYPE_RAW } from '../../../src/capture/link-types.js';
import { decodeHex, TCP_DATA, UDP_DNS } from './helpers.js';

const raw = (text: string, origLen?: number) => decodeHex(LINKTYPE_RAW, text, origLen);
const v4 = (total: string, proto: string) => `45 00 ${total} abcd 4000 40 ${proto} 0000 0a000001 0a000002`;

describe('TCP (RFC 9293 §3.1)', () => {
  it('reads ports, sequence numbers, flags, window and the payload bounds', () => {
    expect(raw(`${v4('002c', '06')} ${TCP_DATA}`)).toEqual({
      status: 'transport',
      ip: '10.0.0.1 > 10.0.0.2',
      proto: 6,
      ttl: 64,
      ports: '443 > 49153',
      tcp: { seq: 1000, ack: 101, flags: 0x18, window: 256 },
      payload: '16030100',
      truncated: false,
      reassembled: false,
    });
  });

  it('reads sequence numbers above 2^31 as unsigned', () => {
    expect(raw(`${v4('0028', '06')} 01bb c001 fffffffe 80000000 50 11 0000 0000 0000`)).toMatchObject({
      tcp: { seq: 0xfffffffe, ack: 0x80000000, flags: 0x11, window: 0 },
    });
  });

  it('skips options by the data offset', () => {
    // data offset 8: MSS 1460, NOP, window scale 7, NOP, NOP, SACK permitted; 1 byte of payload
    const tcp = 'c001 01bb 00000064 00000000 80 18 faf0 0000 0000 020405b4 01030307 01010402 aa';
    expect(raw(`${v4('0035', '06')} ${tcp}`)).toMatchObject({ status: 'transport', payload: 'aa' });
  });

  it('reports a bad data offset, and a header cut by the snaplen', () => {
    expect(raw(`${v4('0028', '06')} c001 01bb 00000064 00000000 40 02 faf0 0000 0000`)).toEqual({ status: 'malformed', problem: 'tcp_bad_data_offset' });
    expect(raw(`${v4('0028', '06')} c001 01bb 00000064 00000000 f0 02 faf0 0000 0000`)).toEqual({ status: 'malformed', problem: 'tcp_bad_data_offset' });
    expect(raw(`${v4('0028', '06')} c001 01bb 00000064 00000000`, 54)).toEqual({ status: 'malformed', problem: 'truncated_tcp_header' });
    // data offset 8, but the snaplen kept 20 bytes of header
    expect(raw(`${v4('0030', '06')} c001 01bb 00000064 00000000 80 02 faf0 0000 0000`, 62)).toEqual({ status: 'malformed', problem: 'truncated_tcp_header' });
  });
});

describe('UDP (RFC 768)', () => {
  it('reads ports and the payload', () => {
    expect(raw(`${v4('0020', '11')} ${UDP_DNS}`)).toEqual({
      status: 'transport',
      ip: '10.0.0.1 > 10.0.0.2',
      proto: 17,
      ttl: 64,
      ports: '54321 > 53',
      payload: '61626364',
      truncated: false,
      reassembled: false,
    });
  });

  it('takes the shorter of the UDP and IP lengths', () => {
    expect(raw(`${v4('0020', '11')} d431 0035 000a 0000 61626364`)).toMatchObject({ payload: '6162' });
    expect(raw(`${v4('0020', '11')} d431 0035 00ff 0000 61626364`)).toMatchObject({ payload: '61626364' });
    expect(raw(`${v4('0020', '11')} d431 0035 0000 0000 61626364`)).toMatchObject({ payload: '61626364' });
  });

  it('reports a bad length and a short header', () => {
    expect(raw(`${v4('0020', '11')} d431 0035 0004 0000 61626364`)).toEqual({ status: 'malformed', problem: 'udp_bad_length' });
    expect(raw(`${v4('001a', '11')} d431 0035 0008`)).toEqual({ status: 'malformed', problem: 'truncated_udp_header' });
  });
});
