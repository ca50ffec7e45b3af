import { describe, expect, it } from 'vitest';
import { concat, hex, parseAll } from './hex.js';

// draft-ietf-opsawg-pcapng. Section 1 is little-endian, section 2 big-endian.
const SECTION_LE = hex(`
  # §4.1 Section Header Block: type, length 28, byte-order magic, version 1.0, section length -1
  0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000
  # §4.2 IDB 0: Ethernet, snaplen 65535, no options (default resolution 10^-6)
  01000000 14000000 0100 0000 ffff0000 14000000
  # IDB 1: raw IP (101), snaplen 262144, if_tsresol 9 (ns), if_tsoffset 10 s, opt_endofopt
  01000000 2c000000 6500 0000 00000400
  0900 0100 09000000
  0e00 0800 0a00000000000000
  0000 0000
  2c000000
  # §4.7 Decryption Secrets Block: type 0x544c534b (TLS key log), 11 bytes, padded
  0a000000 20000000 4b534c54 0b000000 6162636465666768696a6b00 20000000
  # §4.3 EPB on interface 0: ts 1700000000123456 us, caplen 5, original length 60
  06000000 28000000 00000000 240a0600 40222018 05000000 3c000000 aabbccddee000000 28000000
  # EPB on interface 1: ts 1700000000123456789 ns (+10 s offset), caplen 4
  06000000 24000000 01000000 fe9c9717 15cd853d 04000000 04000000 01020304 24000000
  # §4.4 Simple Packet Block: original length 6 (no timestamp: the previous packet's)
  03000000 18000000 06000000 a1a2a3a4a5a60000 18000000
  # Appendix A obsolete Packet Block: interface 0 (16 bits), drops 0, ts +1 us, caplen 3
  02000000 24000000 0000 0000 240a0600 41222018 03000000 03000000 c1c2c300 24000000
  # a custom block (0x00000bad) and an Interface Statistics Block: skipped
  ad0b0000 10000000 12345678 10000000
  05000000 18000000 00000000 240a0600 40222018 18000000
`);

const SECTION_BE = hex(`
  0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffffffffffff 0000001c
  # IDB 0 of this section: Linux SLL (113), snaplen 0, if_tsresol 0x8a (2^-10 s)
  00000001 00000020 0071 0000 00000000
  0009 0001 8a000000
  0000 0000
  00000020
  # EPB: ts 1700000000.5 s in 1/1024 s units, caplen 2
  00000006 00000024 00000000 00000195 4fc40200 00000002 00000002 beef0000 00000024
  # EPB on interface 1, which this section does not describe (the first section's IDB 1 is gone)
  00000006 00000024 00000001 00000195 4fc40200 00000002 00000002 beef0000 00000024
`);

const FILE = concat(SECTION_LE, SECTION_BE);

describe('pcapng', () => {
  it('reads sections of both byte orders, with their own interfaces, resolutions and block types', () => {
    const r = parseAll(FILE);
    expect(r.packets).toEqual([
      { tsUs: 1700000000123456, linkType: 1, data: 'aabbccddee', origLen: 60, interfaceId: 0 },
      { tsUs: 1700000010123456, linkType: 101, data: '01020304', origLen: 4, interfaceId: 1 },
      { tsUs: 1700000010123456, linkType: 1, data: 'a1a2a3a4a5a6', origLen: 6, interfaceId: 0 },
      { tsUs: 1700000000123457, linkType: 1, data: 'c1c2c3', origLen: 3, interfaceId: 0 },
      { tsUs: 1700000000500000, linkType: 113, data: 'beef', origLen: 2, interfaceId: 0 },
    ]);
    expect(r.problems).toEqual([
      { name: 'pcapng_unknown_interface', message: expect.stringContaining('interface 1'), offset: SECTION_LE.length + 96, fatal: false },
    ]);
    expect(r.secrets).toEqual([{ type: 0x544c534b, data: '6162636465666768696a6b' }]);
    expect(r.parser.secretsBlocks).toBe(1);
    expect(r.parser.format).toBe('pcapng');
    expect(r.parser.linkTypes).toEqual([1, 101, 113]);
    expect(r.parser.bytesConsumed).toBe(FILE.length);
  });

  it('gives the same packets however the file is cut into chunks', () => {
    const whole = parseAll(FILE);
    for (let cut = 1; cut < FILE.length; cut += 3) {
      const r = parseAll(FILE, [cut, Math.min(FILE.length, cut + 7)]);
      expect(r.packets).toEqual(whole.packets);
      expect(r.secrets).toEqual(whole.secrets);
    }
  });

  it('converts every kind of if_tsresol without float error', () => {
    // An IDB (Ethernet) with if_tsresol `resol` and one EPB with timestamp `hi lo` (LE hex).
    const run = (resol: string, hi: string, lo: string): number => {
      const file = concat(
        SECTION_LE.subarray(0, 28),
        hex(`01000000 1c000000 0100 0000 00000000 0900 0100 ${resol}000000 1c000000`),
        hex(`06000000 20000000 00000000 ${hi} ${lo} 00000000 00000000 20000000`),
      );
      const r = parseAll(file);
      expect(r.problems).toEqual([]);
      return r.packets[0]!.tsUs;
    };
    const le = (v: string): string => v.match(/../g)!.reverse().join('');
    expect(run('00', le('00000000'), le('6553f100'))).toBe(1700000000_000000); // seconds
    expect(run('03', le('0000018b'), le('cfe5687b'))).toBe(1700000000123_000); // ms
    expect(run('06', le('00060a24'), le('18202240'))).toBe(1700000000123456); // us
    expect(run('09', le('17979cfe'), le('3d85cde7'))).toBe(1700000000123456); // ...999 ns rounds down
    expect(run('0c', le('0000011f'), le('71fb04cb'))).toBe(1234567); // ps
    expect(run('0f', le('002bdc54'), le('5d6b4b87'))).toBe(12345678); // fs (BigInt path)
    expect(run('94', le('0006553f'), le('10080000'))).toBe(1700000000_500000); // 2^-20 s
  });

  it('applies a negative if_tsoffset', () => {
    const file = concat(
      SECTION_LE.subarray(0, 28),
      // if_tsoffset -100 s (two's complement, LE)
      hex('01000000 24000000 0100 0000 00000000 0e00 0800 9cffffffffffffff 00000000 24000000'),
      hex('06000000 20000000 00000000 240a0600 40222018 00000000 00000000 20000000'),
    );
    expect(parseAll(file).packets[0]!.tsUs).toBe(1700000000123456 - 100e6);
  });

  it('cuts a Simple Packet Block at the interface snaplen', () => {
    const file = concat(
      SECTION_LE.subarray(0, 28),
      hex('01000000 14000000 0100 0000 04000000 14000000'), // snaplen 4
      hex('03000000 18000000 06000000 a1a2a3a4a5a60000 18000000'),
    );
    expect(parseAll(file).packets).toEqual([{ tsUs: 0, linkType: 1, data: 'a1a2a3a4', origLen: 6, interfaceId: 0 }]);
  });

  it('skips a packet whose captured length overruns its block', () => {
    const file = concat(
      SECTION_LE.subarray(0, 48),
      hex('06000000 20000000 00000000 00000000 00000000 05000000 05000000 20000000'),
    );
    const r = parseAll(file);
    expect(r.packets).toEqual([]);
    expect(r.problems.map((p) => [p.name, p.fatal])).toEqual([['pcapng_bad_caplen', false]]);
  });

  it('warns when the trailing block length differs', () => {
    const r = parseAll(concat(SECTION_LE.subarray(0, 28), hex('01000000 14000000 0100 0000 ffff0000 18000000')));
    expect(r.problems.map((p) => [p.name, p.fatal])).toEqual([['pcapng_block_length_mismatch', false]]);
    expect(r.parser.linkTypes).toEqual([1]);
  });

  it('stops at an impossible block length', () => {
    for (const len of ['08000000', '15000000', '00000002']) {
      const r = parseAll(concat(SECTION_LE.subarray(0, 48), hex(`06000000 ${len} 00000000 00000000`)));
      expect(r.problems.map((p) => [p.name, p.fatal, p.offset])).toEqual([['pcapng_bad_block_length', true, 48]]);
    }
  });

  it('stops at a section header without a byte-order magic, or of another major version', () => {
    const badMagic = parseAll(hex('0a0d0d0a 1c000000 00000000 0100 0000 ffffffffffffffff 1c000000'));
    expect(badMagic.problems.map((p) => p.name)).toEqual(['pcapng_bad_byte_order_magic']);
    const v2 = parseAll(hex('0a0d0d0a 1c000000 4d3c2b1a 0200 0000 ffffffffffffffff 1c000000'));
    expect(v2.problems.map((p) => [p.name, p.message])).toEqual([['pcapng_unsupported_version', 'section at offset 0 has pcapng version 2.0']]);
  });

  it('reports a truncated last block as a warning', () => {
    const r = parseAll(SECTION_LE.subarray(0, SECTION_LE.length - 5));
    expect(r.packets).toHaveLength(4);
    expect(r.problems.map((p) => [p.name, p.fatal])).toEqual([['truncated_last_record', false]]);
  });
});
