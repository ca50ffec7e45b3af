import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TCP_ACK, TCP_SYN } from '../../src/decode/decoded-packet.js';
import { HalfStream, TcpAnomaly, type ReassemblyLimits, type StreamConsumer } from '../../src/flow/tcp/half-stream.js';
import { seqAdd } from '../../src/flow/tcp/sequence.js';

/** Collects the delivered stream: bytes at their stream offsets, gaps as skipped offsets. */
class Collector implements StreamConsumer {
  chunks: Uint8Array[] = [];
  /** Stream offset of the next byte, counting gaps. */
  offset = 0;
  delivered = 0;
  placed: { at: number; bytes: Uint8Array }[] = [];
  data(bytes: Uint8Array): void {
    expect(bytes.length).toBeGreaterThan(0);
    const copy = new Uint8Array(bytes);
    this.chunks.push(copy);
    this.placed.push({ at: this.offset, bytes: copy });
    this.offset += bytes.length;
    this.delivered += bytes.length;
  }
  gap(lostBytes: number): void {
    expect(lostBytes).toBeGreaterThan(0);
    this.offset += lostBytes;
  }
  joined(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.chunks));
  }
}

interface Piece {
  off: number;
  end: number;
}

/**
 * A byte stream, cut into segments, plus extra segments over random ranges (retransmissions,
 * repacketised or not), all in a random order. At most 40 + 10 segments, so held pieces
 * stay under LIMITS.maxOutOfOrderSegments and bytes under maxOutOfOrderBytes.
 */
const scenario = fc
  .record({
    stream: fc.uint8Array({ minLength: 1, maxLength: 3000 }),
    cuts: fc.uniqueArray(fc.nat(), { maxLength: 39 }),
    extras: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 10 }),
    // ISNs near the wrap are interesting enough to ask for them explicitly.
    isn: fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0xffffffff - 3000, max: 0xffffffff })),
  })
  .chain(({ stream, cuts, extras, isn }) => {
    const n = stream.length;
    const points = [...new Set([0, n, ...cuts.map((c) => c % n)])].sort((a, b) => a - b);
    const pieces: Piece[] = [];
    for (let i = 1; i < points.length; i++) pieces.push({ off: points[i - 1]!, end: points[i]! });
    for (const [a, b] of extras) {
      const off = a % n;
      pieces.push({ off, end: off + 1 + (b % (n - off)) });
    }
    return fc.record({
      stream: fc.constant(stream),
      isn: fc.constant(isn),
      order: fc.shuffledSubarray(pieces, { minLength: pieces.length, maxLength: pieces.length }),
    });
  });

function feed(s: HalfStream, stream: Uint8Array, first: number, p: Piece): void {
  s.segment(seqAdd(first, p.off), TCP_ACK, stream.subarray(p.off, p.end));
}

describe('TCP reassembly properties', () => {
  it('any order and any duplication of the segments yield the same stream (after a SYN)', () => {
    fc.assert(
      fc.property(scenario, ({ stream, isn, order }) => {
        const out = new Collector();
        const s = new HalfStream(out);
        s.segment(isn, TCP_SYN, new Uint8Array(0));
        for (const p of order) feed(s, stream, seqAdd(isn, 1), p);
        s.finish();
        expect(out.joined()).toEqual(stream);
        expect(s.counters.gaps).toBe(0);
        expect(s.anomalies).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('any order and duplication after the first segment yield the same stream (mid-stream pickup)', () => {
    fc.assert(
      fc.property(scenario, ({ stream, isn, order }) => {
        const out = new Collector();
        const s = new HalfStream(out);
        const firstCut = order.reduce((m, p) => (p.off === 0 && p.end < m ? p.end : m), Infinity);
        feed(s, stream, isn, { off: 0, end: firstCut });
        for (const p of order) feed(s, stream, isn, p);
        s.finish();
        expect(out.joined()).toEqual(stream);
        expect(s.anomalies).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('with tiny caps, every delivered byte sits at its true stream offset', () => {
    const limits = fc.record({
      maxOutOfOrderSegments: fc.integer({ min: 0, max: 6 }),
      maxOutOfOrderBytes: fc.integer({ min: 1, max: 300 }),
    });
    fc.assert(
      fc.property(scenario, limits, ({ stream, isn, order }, caps: ReassemblyLimits) => {
        const out = new Collector();
        const s = new HalfStream(out, caps);
        s.segment(isn, TCP_SYN, new Uint8Array(0));
        for (const p of order) feed(s, stream, seqAdd(isn, 1), p);
        s.finish();
        for (const { at, bytes } of out.placed) expect(bytes).toEqual(stream.subarray(at, at + bytes.length));
        expect(out.offset).toBeLessThanOrEqual(stream.length);
        expect(s.anomalies.filter((a) => a !== TcpAnomaly.outOfOrderLimit)).toEqual([]);
        expect(s.counters.gapBytes + s.counters.bytesDelivered).toBe(out.offset);
      }),
      { numRuns: 300 },
    );
  });

  it('random segments never throw and never deliver more than was fed', () => {
    const base = 0xfffff000;
    const action = fc.oneof(
      {
        weight: 20,
        arbitrary: fc.record({
          seq: fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 8000 }).map((o) => seqAdd(base, o))),
          flags: fc.integer({ min: 0, max: 0xff }),
          payload: fc.uint8Array({ maxLength: 300 }),
        }),
      },
      { weight: 1, arbitrary: fc.constantFrom('stop' as const, 'finish' as const) },
    );
    const limits = fc.oneof(
      fc.constant(undefined),
      fc.record({ maxOutOfOrderSegments: fc.nat(8), maxOutOfOrderBytes: fc.nat(2000) }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 120 }), limits, (actions, caps) => {
        const out = new Collector();
        const s = new HalfStream(out, caps);
        for (const a of actions) {
          if (a === 'stop') s.stop();
          else if (a === 'finish') s.finish();
          else s.segment(a.seq, a.flags, a.payload);
          expect(s.counters.bytesDelivered).toBeLessThanOrEqual(s.counters.bytesSeen);
        }
        s.finish();
        expect(out.delivered).toBe(s.counters.bytesDelivered);
        expect(s.counters.bytesDelivered).toBeLessThanOrEqual(s.counters.bytesSeen);
        expect(s.heldBytes).toBe(0);
      }),
      { numRuns: 500 },
    );
  });
});
