import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureParser } from '../../src/capture/capture-parser.js';
import { hex, parseAll } from '../unit/capture/hex.js';
import { pcapModel, pcapngModel, writePcap, writePcapng, type WrittenCapture } from './capture-writer.js';

/** Sorted cut points inside a buffer of `length` bytes. */
const cuts = (length: number) => fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 12 }).map((a) => a.sort((x, y) => x - y));

const capture: fc.Arbitrary<WrittenCapture> = fc.oneof(pcapModel.map(writePcap), pcapngModel.map(writePcapng));

describe('CaptureParser properties', () => {
  it('reads back exactly the packets a writer put in, pcap or pcapng', () => {
    fc.assert(
      fc.property(capture, (w) => {
        const r = parseAll(w.bytes);
        expect(r.problems).toEqual([]);
        expect(r.packets.map((p) => ({ tsUs: p.tsUs, linkType: p.linkType, data: p.data }))).toEqual(w.packets);
        expect(r.secrets.map((s) => s.data)).toEqual(w.secrets);
        expect(r.parser.bytesConsumed).toBe(w.bytes.length);
      }),
      { numRuns: 300 },
    );
  });

  it('gives identical packets however the input is cut into chunks', () => {
    fc.assert(
      fc.property(
        capture.chain((w) => fc.tuple(fc.constant(w), cuts(w.bytes.length))),
        ([w, at]) => {
          const whole = parseAll(w.bytes);
          const split = parseAll(w.bytes, at);
          expect(split.packets).toEqual(whole.packets);
          expect(split.secrets).toEqual(whole.secrets);
          expect(split.problems).toEqual(whole.problems);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on random bytes, bare or behind a valid file header', () => {
    const prefixes = [
      '',
      'd4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000',
      'a1b23c4d 0002 0004 00000000 00000000 00000000 00000065',
      '0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000',
      '0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000 01000000 14000000 0100 0000 ffff0000 14000000',
      '0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffffffffffff 0000001c',
    ].map((p) => hex(p));
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 600 }), fc.nat(), (prefix, tail, seed) => {
        const bytes = Uint8Array.from([...prefix, ...tail]);
        const parser = new CaptureParser(
          (p) => {
            // Every packet lies inside its buffer.
            expect(0 <= p.start && p.start <= p.end && p.end <= p.buf.length).toBe(true);
          },
          (p) => expect(typeof p.name).toBe('string'),
          () => {},
        );
        let i = 0;
        while (i < bytes.length) {
          const n = 1 + ((seed + i) % 97);
          parser.push(bytes.subarray(i, i + n));
          i += n;
        }
        parser.end();
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on a mutated valid capture, and never invents bytes', () => {
    fc.assert(
      fc.property(
        capture.filter((w) => w.bytes.length > 0),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        (w, flips, trim) => {
          const bytes = w.bytes.slice(0, w.bytes.length - (trim % Math.min(w.bytes.length, 64)));
          for (const [at, v] of flips) if (bytes.length > 0) bytes[at % bytes.length] = v;
          const r = parseAll(bytes);
          const total = r.packets.reduce((n, p) => n + p.data.length / 2, 0);
          expect(total).toBeLessThanOrEqual(bytes.length);
          expect(r.parser.bytesConsumed).toBeLessThanOrEqual(bytes.length);
        },
      ),
      { numRuns: 500 },
    );
  });
});
