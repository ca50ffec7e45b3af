import { describe, expect, it } from 'vitest';
import { LINKTYPE_RAW } from '../../../src/capture/link-types.js';
import { DecodedPacket } from '../../../src/decode/decoded-packet.js';
import { IpDefrag } from '../../../src/decode/ip-defrag.js';
import { PacketDecoder } from '../../../src/decode/packet-decoder.js';
import { hex, packet, summarise, toHex, type Summary } from './helpers.js';

// A UDP datagram of 32 bytes (8 header + 24 payload) in three fragments of 16, 8 and 8 bytes.
const UDP = 'd431003500200000'; // 54321 > 53, length 32
const PAYLOAD = '000102030405060708090a0b0c0d0e0f1011121314151617';
const DATA = UDP + PAYLOAD;
const part = (from: number, to: number) => DATA.slice(from * 2, to * 2);

// IPv4: identification 0x1234, protocol 17; flags+offset: MF 0x2000, offset in 8-byte units.
const v4 = (total: string, frag: string, body: string, id = '1234', src = '0a000001') =>
  hex(`45 00 ${total} ${id} ${frag} 40 11 0000 ${src} 0a000002 ${body}`);
const F1 = v4('0024', '2000', part(0, 16));
const F2 = v4('001c', '2002', part(16, 24));
const F3 = v4('001c', '0003', part(24, 32));

// IPv6: fragment header next header 17, offset << 3 | M, identification 0xabc.
const v6 = (plen: string, offsetFlags: string, body: string) =>
  hex(`60000000 ${plen} 2c 40 20010db8000000000000000000000001 20010db8000000000000000000000002 11 00 ${offsetFlags} 00000abc ${body}`);
const G1 = v6('0018', '0001', part(0, 16));
const G2 = v6('0010', '0011', part(16, 24));
const G3 = v6('0010', '0018', part(24, 32));

const DONE_V4: Summary = {
  status: 'transport',
  ip: '10.0.0.1 > 10.0.0.2',
  proto: 17,
  ttl: 64,
  ports: '54321 > 53',
  payload: PAYLOAD,
  truncated: false,
  reassembled: true,
};

function feed(decoder: PacketDecoder, ...frags: Uint8Array[]): string[] {
  return frags.map((f) => {
    const s = summarise(decoder, packet(LINKTYPE_RAW, f));
    return s.status === 'malformed' ? `malformed ${s.problem}` : s.status;
  });
}

describe('IP fragment reassembly', () => {
  it('rebuilds an IPv4 datagram from fragments in order', () => {
    const d = new PacketDecoder();
    expect(feed(d, F1, F2)).toEqual(['fragment_held', 'fragment_held']);
    const out = new DecodedPacket();
    expect(summarise(d, packet(LINKTYPE_RAW, F3), out)).toEqual(DONE_V4);
    // A fresh buffer holding the whole datagram, with its length and fragment fields rewritten.
    expect(toHex(out.data)).toBe(`4500003412340000401100000a0000010a000002${DATA}`);
    expect(out.srcOff).toBe(12);
    expect(d.defrag.stats).toEqual({ fragments: 3, reassembled: 1, evicted: 0, overlaps: 0, oversized: 0 });
    expect(d.stats.fragmentsHeld).toBe(2);
    expect(d.defrag.pending).toBe(0);
  });

  it('rebuilds from fragments out of order', () => {
    for (const order of [
      [F3, F1, F2],
      [F2, F3, F1],
      [F3, F2, F1],
    ]) {
      const d = new PacketDecoder();
      expect(feed(d, order[0]!, order[1]!)).toEqual(['fragment_held', 'fragment_held']);
      expect(summarise(d, packet(LINKTYPE_RAW, order[2]!))).toEqual(DONE_V4);
    }
  });

  it('keeps the first copy of overlapping bytes, and ignores duplicates', () => {
    const d = new PacketDecoder();
    // bytes 8..24 again, with other contents, after the first fragment: 8..16 stay F1's
    const overlap = v4('0024', '2001', 'ee'.repeat(16));
    expect(feed(d, F1, overlap, F1)).toEqual(['fragment_held', 'fragment_held', 'fragment_held']);
    const r = summarise(d, packet(LINKTYPE_RAW, F3));
    expect(r.payload).toBe(PAYLOAD.slice(0, 16) + 'ee'.repeat(8) + PAYLOAD.slice(32));
    expect(d.defrag.stats.overlaps).toBe(2);
  });

  it('keeps trains apart by source, identification and protocol', () => {
    const d = new PacketDecoder();
    const otherSrc = v4('001c', '0003', part(24, 32), '1234', '0a000009');
    const otherId = v4('001c', '2002', part(16, 24), '9999');
    expect(feed(d, F1, otherSrc, otherId, F2)).toEqual(['fragment_held', 'fragment_held', 'fragment_held', 'fragment_held']);
    expect(d.defrag.pending).toBe(3);
    expect(feed(d, F3)).toEqual(['transport']);
  });

  it('evicts the oldest train beyond the train cap', () => {
    const d = new PacketDecoder(new IpDefrag(2));
    const a = v4('0024', '2000', part(0, 16), '0001');
    const b = v4('0024', '2000', part(0, 16), '0002');
    const c = v4('0024', '2000', part(0, 16), '0003');
    expect(feed(d, a, b, c)).toEqual(['fragment_held', 'fragment_held', 'fragment_held']);
    expect(d.defrag.stats.evicted).toBe(1);
    expect(d.defrag.pending).toBe(2);
    // train 3 completes; train 1 lost its first fragment and never will
    const rest = (id: string) => [v4('001c', '2002', part(16, 24), id), v4('001c', '0003', part(24, 32), id)];
    expect(feed(d, ...rest('0003'))).toEqual(['fragment_held', 'transport']);
    expect(feed(d, ...rest('0001'))).toEqual(['fragment_held', 'fragment_held']);
    expect(d.defrag.stats.evicted).toBe(1);
  });

  it('drops a train that would exceed the datagram cap', () => {
    const small = new PacketDecoder(new IpDefrag(1024, 40));
    // 20 + 16 bytes fit in 40; 20 + 24 do not
    expect(feed(small, F1, F2)).toEqual(['fragment_held', 'malformed fragment_bytes_limit_reached']);
    expect(small.defrag.stats.oversized).toBe(1);
    expect(small.defrag.pending).toBe(0);
    // With the default cap (LIMITS.maxFragmentBytes = 65535): 16 bytes at offset 65528 is too far.
    expect(feed(new PacketDecoder(), v4('0024', '3fff', part(0, 16)))).toEqual(['malformed fragment_bytes_limit_reached']);
  });

  it('rebuilds fragments carried in a tunnel (IPv4 in IPv4)', () => {
    const d = new PacketDecoder();
    const tunnel = (inner: Uint8Array) => {
      const total = (20 + inner.length).toString(16).padStart(4, '0');
      return Uint8Array.from([...hex(`45 00 ${total} 0001 0000 40 04 0000 c0000201 c0000202`), ...inner]);
    };
    expect(feed(d, tunnel(F2), tunnel(F1))).toEqual(['fragment_held', 'fragment_held']);
    expect(summarise(d, packet(LINKTYPE_RAW, tunnel(F3)))).toEqual(DONE_V4);
  });

  it('cannot rebuild a fragment cut by the snaplen', () => {
    const d = new PacketDecoder();
    const cut = F1.subarray(0, F1.length - 4);
    expect(summarise(d, packet(LINKTYPE_RAW, cut, F1.length))).toEqual({ status: 'malformed', problem: 'truncated_fragment' });
  });

  it('rebuilds IPv6 datagrams (RFC 8200 §4.5), in and out of order', () => {
    const done: Summary = { ...DONE_V4, ip: '2001:db8::1 > 2001:db8::2' };
    const d = new PacketDecoder();
    expect(feed(d, G1, G2)).toEqual(['fragment_held', 'fragment_held']);
    const out = new DecodedPacket();
    expect(summarise(d, packet(LINKTYPE_RAW, G3), out)).toEqual(done);
    expect(toHex(out.data.subarray(0, 8))).toBe('6000000000201140'); // payload length 32, next header UDP
    const e = new PacketDecoder();
    expect(feed(e, G3, G1)).toEqual(['fragment_held', 'fragment_held']);
    expect(summarise(e, packet(LINKTYPE_RAW, G2))).toEqual(done);
  });
});
