import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CapturedPacket } from '../../src/capture/packet.js';
import { DecodedPacket, DecodeStatus } from '../../src/decode/decoded-packet.js';
import { IpDefrag } from '../../src/decode/ip-defrag.js';
import { PacketDecoder } from '../../src/decode/packet-decoder.js';
import { hex } from '../unit/capture/hex.js';

const LINK_TYPES = [0, 1, 9, 12, 14, 50, 51, 101, 104, 105, 108, 113, 127, 228, 229, 276, 147];

const V4 = '45 00 0028 abcd 4000 40 06 0000 0a000001 0a000002 c001 01bb 00000064 00000000 50 02 faf0 0000 0000';
const V6 = '60000000 0014 06 40 20010db8000000000000000000000001 20010db8000000000000000000000002 c001 01bb 00000064 00000000 50 02 faf0 0000 0000';
const ETH = '020000000002 020000000001';
/** Valid packets through every layer, to mutate. */
const SEEDS: [number, string][] = [
  [1, `${ETH} 0800 ${V4}`],
  [1, `${ETH} 88a8 00c8 8100 0064 86dd ${V6}`],
  [1, `${ETH} 8864 11 00 1234 002a 0021 ${V4}`],
  [1, `${ETH} 8847 00020040 00010140 ${V4}`],
  [101, `45 00 005a 0001 0000 40 2f 0000 c0000201 c0000202 1000 88be 00000001 1064 0001 00000000 ${ETH} 0800 ${V4}`],
  [101, `45 00 005a 0001 0000 40 11 0000 c0000201 c0000202 c350 12b5 0046 0000 08000000 00000100 ${ETH} 0800 ${V4}`],
  [101, `45 00 0054 0001 0000 40 11 0000 c0000201 c0000202 c350 0868 0040 0000 34 ff 0030 00000001 0000 00 85 01 0001 00 ${V4}`],
  [101, `45 00 0062 0001 0000 40 11 0000 c0000201 c0000202 c350 17c1 004e 0000 02 00 6558 000001 00 0000000000000000 ${ETH} 0800 ${V4}`],
  [101, `60000000 0054 00 40 20010db8000000000000000000000001 20010db8000000000000000000000002 2b00 0104 00000000 3c02 0000 00000000 20010db8000000000000000000000003 3300 0104 00000000 0604 0000 00001000 00000001 000000000000000000000000 c001 01bb 00000064 00000000 50 02 faf0 0000 0000`],
  [276, `0800 0000 00000002 0001 00 06 0200000000010000 ${V4}`],
  [127, `00 00 0800 00000000 0801 0000 020000000001 020000000002 020000000003 0000 aaaa03000000 0800 ${V4}`],
];
/** Two fragments of one UDP datagram, to mutate too (they exercise the reassembler). */
const FRAGMENTS: [number, string][] = [
  [101, '45 00 0024 1234 2000 40 11 0000 0a000001 0a000002 d431003500200000 0001020304050607'],
  [101, '45 00 001c 1234 0002 40 11 0000 0a000001 0a000002 08090a0b0c0d0e0f'],
];

/** The result must point inside the data it names. */
function checkInvariants(status: DecodeStatus, out: DecodedPacket): void {
  expect([0, 1, 2, 3]).toContain(status);
  if (status !== DecodeStatus.Transport) return;
  const len = out.data.length;
  const addr = out.ipVersion === 4 ? 4 : 16;
  expect([4, 6]).toContain(out.ipVersion);
  expect(out.srcOff + addr).toBeLessThanOrEqual(len);
  expect(out.dstOff + addr).toBeLessThanOrEqual(len);
  expect(out.payloadOff).toBeGreaterThanOrEqual(0);
  expect(out.payloadOff).toBeLessThanOrEqual(out.payloadEnd);
  expect(out.payloadEnd).toBeLessThanOrEqual(len);
  expect([6, 17]).toContain(out.proto);
  expect(out.tcpSeq).toBeGreaterThanOrEqual(0);
  expect(out.tcpSeq).toBeLessThan(2 ** 32);
}

function pkt(linkType: number, data: Uint8Array, origLen = data.length): CapturedPacket {
  return { tsUs: 0, linkType, buf: data, start: 0, end: data.length, origLen, interfaceId: 0 };
}

describe('decodePacket properties', () => {
  it('never throws on random bytes, whatever the link type', () => {
    const decoder = new PacketDecoder(new IpDefrag(8));
    const out = new DecodedPacket();
    fc.assert(
      fc.property(fc.constantFrom(...LINK_TYPES), fc.uint8Array({ maxLength: 300 }), fc.nat({ max: 3000 }), (lt, data, extra) => {
        const status = decoder.decode(pkt(lt, data, data.length + extra), out);
        checkInvariants(status, out);
        if (status === DecodeStatus.Malformed) expect(decoder.problem).toMatch(/^[a-z0-9_]+$/);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on mutated, cut or extended valid packets', () => {
    const decoder = new PacketDecoder(new IpDefrag(8));
    const out = new DecodedPacket();
    const seeds = [...SEEDS, ...FRAGMENTS].map(([lt, h]) => [lt, hex(h)] as const);
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 6 }),
        fc.nat(),
        fc.uint8Array({ maxLength: 16 }),
        ([lt, seed], flips, cut, tail) => {
          const data = Uint8Array.from([...seed.subarray(0, seed.length - (cut % (seed.length + 1))), ...tail]);
          for (const [at, v] of flips) if (data.length > 0) data[at % data.length] = v;
          checkInvariants(decoder.decode(pkt(lt, data, seed.length), out), out);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('decodes every unmutated seed to a transport header', () => {
    for (const [lt, h] of SEEDS) {
      const out = new DecodedPacket();
      expect(new PacketDecoder().decode(pkt(lt, hex(h)), out)).toBe(DecodeStatus.Transport);
    }
  });

  it('rebuilds fragments of a random datagram in any order and any chunking', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 8, maxLength: 400 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 49 }), { maxLength: 6 }),
        fc.nat(),
        (payload, cutUnits, shuffle) => {
          // A UDP datagram cut at 8-byte boundaries (RFC 791 fragment offsets count 8-byte units).
          const udp = Uint8Array.from([0xd4, 0x31, 0x00, 0x35, (payload.length + 8) >> 8, (payload.length + 8) & 0xff, 0, 0, ...payload]);
          const bounds = [0, ...cutUnits.map((u) => u * 8).filter((b) => b < udp.length).sort((a, b) => a - b), udp.length];
          const frags: Uint8Array[] = [];
          for (let i = 0; i + 1 < bounds.length; i++) {
            const [s, e] = [bounds[i]!, bounds[i + 1]!];
            if (s === e) continue;
            const total = 20 + e - s;
            const ff = (e < udp.length ? 0x2000 : 0) | (s >> 3);
            frags.push(Uint8Array.from([0x45, 0, total >> 8, total & 0xff, 0x12, 0x34, ff >> 8, ff & 0xff, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, ...udp.subarray(s, e)]));
          }
          // Deterministic shuffle.
          for (let i = frags.length - 1; i > 0; i--) {
            const j = (shuffle + i * 7919) % (i + 1);
            [frags[i], frags[j]] = [frags[j]!, frags[i]!];
          }
          const decoder = new PacketDecoder();
          const out = new DecodedPacket();
          const statuses = frags.map((f) => decoder.decode(pkt(101, f), out));
          expect(statuses.at(-1)).toBe(DecodeStatus.Transport);
          expect(Buffer.from(out.data.subarray(out.payloadOff, out.payloadEnd)).equals(Buffer.from(payload))).toBe(true);
          expect(out.reassembled).toBe(frags.length > 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
