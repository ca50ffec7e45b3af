import { describe, expect, it } from 'vitest';
import { CaptureParser } from '../../../src/capture/capture-parser.js';
import { LIMITS } from '../../../src/config/limits.js';
import { concat, hex, parseAll } from './hex.js';

// draft-ietf-opsawg-pcap §4 file header and §5 record header, little-endian, microseconds.
const PCAP_LE_US = hex(`
  d4c3b2a1 0200 0400          # magic (LE, us), version 2.4
  00000000 00000000           # reserved (thiszone, sigfigs)
  ffff0000                    # snaplen 65535
  01000000                    # link type 1 (Ethernet)
  00f15365 40e20100           # ts 1700000000 s, 123456 us
  04000000 3c000000           # caplen 4, original length 60
  deadbeef
  01f15365 3f420f00           # ts 1700000001 s, 999999 us
  02000000 02000000
  cafe
`);

const PCAP_BE_US = hex(`
  a1b2c3d4 0002 0004 00000000 00000000
  0000ffff 00000065           # snaplen 65535, link type 101 (raw IP)
  6553f100 0001e240 00000004 0000003c deadbeef
`);

const PCAP_LE_NS = hex(`
  4d3cb2a1 0200 0400 00000000 00000000 ffff0000 71000000   # ns magic, link type 113
  00f15365 15cd5b07           # 1700000000 s, 123456789 ns
  01000000 01000000 aa
`);

const PCAP_BE_NS = hex(`
  a1b23c4d 0002 0004 00000000 00000000 0000ffff 00000001
  6553f100 3b9ac9ff           # 1700000000 s, 999999999 ns
  00000001 00000001 bb
`);

describe('classic pcap', () => {
  it('reads a little-endian microsecond file', () => {
    const r = parseAll(PCAP_LE_US);
    expect(r.problems).toEqual([]);
    expect(r.packets).toEqual([
      { tsUs: 1700000000123456, linkType: 1, data: 'deadbeef', origLen: 60, interfaceId: 0 },
      { tsUs: 1700000001999999, linkType: 1, data: 'cafe', origLen: 2, interfaceId: 0 },
    ]);
    expect(r.parser.format).toBe('pcap');
    expect(r.parser.linkTypes).toEqual([1]);
    expect(r.parser.bytesConsumed).toBe(PCAP_LE_US.length);
  });

  it('reads a big-endian microsecond file', () => {
    const r = parseAll(PCAP_BE_US);
    expect(r.problems).toEqual([]);
    expect(r.packets).toEqual([{ tsUs: 1700000000123456, linkType: 101, data: 'deadbeef', origLen: 60, interfaceId: 0 }]);
  });

  it('rounds nanosecond timestamps down to microseconds, both byte orders', () => {
    expect(parseAll(PCAP_LE_NS).packets).toEqual([{ tsUs: 1700000000123456, linkType: 113, data: 'aa', origLen: 1, interfaceId: 0 }]);
    expect(parseAll(PCAP_BE_NS).packets).toEqual([{ tsUs: 1700000000999999, linkType: 1, data: 'bb', origLen: 1, interfaceId: 0 }]);
  });

  it('reads the Kuznetzov variant with 24-byte record headers', () => {
    const r = parseAll(
      hex(`
        34cdb2a1 0200 0400 00000000 00000000 ffff0000 01000000
        00f15365 40e20100 02000000 02000000
        02000000 0008 00 00         # ifindex, protocol, packet type, pad
        abcd
      `),
    );
    expect(r.problems).toEqual([]);
    expect(r.packets).toEqual([{ tsUs: 1700000000123456, linkType: 1, data: 'abcd', origLen: 2, interfaceId: 0 }]);
  });

  it('masks the FCS bits out of the link type field', () => {
    const r = parseAll(hex('d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000014'));
    expect(r.parser.linkTypes).toEqual([1]);
  });

  it('hands out offsets into the chunk, not copies, and reuses one packet object', () => {
    const seen: { buffer: ArrayBufferLike; obj: object }[] = [];
    const parser = new CaptureParser(
      (p) => seen.push({ buffer: p.buf.buffer, obj: p }),
      () => {},
    );
    parser.push(PCAP_LE_US);
    parser.end();
    expect(seen).toHaveLength(2);
    expect(seen[0]!.buffer).toBe(PCAP_LE_US.buffer);
    expect(seen[0]!.obj).toBe(seen[1]!.obj);
  });

  it('gives the same packets however the file is cut into chunks', () => {
    const whole = parseAll(PCAP_LE_US).packets;
    for (let cut = 1; cut < PCAP_LE_US.length; cut++) {
      expect(parseAll(PCAP_LE_US, [cut]).packets).toEqual(whole);
    }
    const everyByte = Array.from({ length: PCAP_LE_US.length - 1 }, (_, i) => i + 1);
    expect(parseAll(PCAP_LE_US, everyByte).packets).toEqual(whole);
  });

  it('warns once when records exceed the snaplen, and keeps them', () => {
    const file = hex(`
      d4c3b2a1 0200 0400 00000000 00000000 02000000 01000000   # snaplen 2
      00f15365 00000000 03000000 03000000 010203
      00f15365 00000000 03000000 03000000 040506
    `);
    const r = parseAll(file);
    expect(r.packets.map((p) => p.data)).toEqual(['010203', '040506']);
    expect(r.problems).toEqual([
      { name: 'pcap_caplen_exceeds_snaplen', message: expect.stringContaining('snaplen 2'), offset: 24, fatal: false },
    ]);
  });

  it('stops at a record larger than LIMITS.maxRecordBytes (a damaged file)', () => {
    const big = (LIMITS.maxRecordBytes + 1).toString(16).padStart(8, '0');
    const le = big.match(/../g)!.reverse().join('');
    const file = concat(PCAP_LE_US, hex(`00f15365 00000000 ${le} ${le} 00`));
    const r = parseAll(file);
    expect(r.packets).toHaveLength(2);
    expect(r.problems).toEqual([
      { name: 'pcap_record_too_large', message: expect.stringContaining('damaged'), offset: PCAP_LE_US.length, fatal: true },
    ]);
    expect(r.parser.stopped).toBe(true);
  });

  it('reports a truncated last record as a warning and keeps the packets before it', () => {
    const file = PCAP_LE_US.subarray(0, PCAP_LE_US.length - 1);
    const r = parseAll(file);
    expect(r.packets).toHaveLength(1);
    expect(r.problems).toEqual([
      { name: 'truncated_last_record', message: expect.stringContaining('ends inside a record'), offset: 44, fatal: false },
    ]);
    expect(r.parser.bytesConsumed).toBe(44);
  });

  it('reports a file cut inside its header', () => {
    const r = parseAll(PCAP_LE_US.subarray(0, 10));
    expect(r.packets).toEqual([]);
    expect(r.problems.map((p) => [p.name, p.fatal])).toEqual([['truncated_last_record', false]]);
    expect(r.problems[0]!.message).toContain('file header');
  });
});

describe('not a capture', () => {
  it('is fatal, and names the first bytes', () => {
    const png = hex('89504e470d0a1a0a0000000d49484452');
    const r = parseAll(png);
    expect(r.packets).toEqual([]);
    expect(r.problems).toEqual([
      { name: 'not_a_capture', message: 'not a pcap or pcapng file (starts with 89 50 4e 47)', offset: 0, fatal: true },
    ]);
    expect(r.parser.format).toBeUndefined();
  });

  it('says so for gzip data handed to the parser directly', () => {
    const r = parseAll(hex('1f8b0800000000000003'));
    expect(r.problems[0]!.message).toBe('not a pcap or pcapng file (gzip-compressed data, starts with 1f 8b 08 00)');
  });

  it('recognises the magic even when it arrives one byte at a time', () => {
    const r = parseAll(hex('89504e47'), [1, 2, 3]);
    expect(r.problems[0]!.message).toContain('starts with 89 50 4e 47');
  });

  it('handles empty and tiny inputs', () => {
    expect(parseAll(new Uint8Array(0)).problems).toEqual([
      { name: 'not_a_capture', message: 'not a pcap or pcapng file (it is empty)', offset: 0, fatal: true },
    ]);
    expect(parseAll(hex('d4c3b2')).problems[0]!.message).toBe('not a pcap or pcapng file (only 3 bytes)');
  });

  it('ignores input after a fatal problem', () => {
    const parser = new CaptureParser(
      () => {},
      () => {},
    );
    parser.push(hex('00000000'));
    expect(parser.stopped).toBe(true);
    parser.push(PCAP_LE_US);
    parser.end();
    expect(parser.packets).toBe(0);
  });
});
