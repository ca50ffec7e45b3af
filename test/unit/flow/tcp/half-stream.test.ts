import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../../src/config/limits.js';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from '../../../../src/decode/decoded-packet.js';
import {
  HalfStream,
  TcpAnomaly,
  type HalfStreamCounters,
  type ReassemblyLimits,
  type StreamConsumer,
} from '../../../../src/flow/tcp/half-stream.js';

/** What the consumer saw: data as latin1 text (copied during the call), gaps as lengths. */
type Event = { data: string } | { gap: number };

class Recorder implements StreamConsumer {
  events: Event[] = [];
  data(bytes: Uint8Array): void {
    this.events.push({ data: Buffer.from(bytes).toString('latin1') });
  }
  gap(lostBytes: number): void {
    this.events.push({ gap: lostBytes });
  }
  take(): Event[] {
    const e = this.events;
    this.events = [];
    return e;
  }
}

type Action = { seq: number; flags?: number; bytes?: string } | 'finish' | 'stop';
interface Step {
  seg: Action;
  want: Event[];
}
interface Case {
  name: string;
  limits?: ReassemblyLimits;
  steps: Step[];
  anomalies?: string[];
  counters?: Partial<HalfStreamCounters>;
  check?: (s: HalfStream) => void;
}

const A = TCP_ACK;
const PA = TCP_PSH | TCP_ACK;
const d = (data: string): Event => ({ data });
const gap = (n: number): Event => ({ gap: n });
const syn = (seq: number, bytes?: string): Action => ({ seq, flags: TCP_SYN, bytes });
const MAX = 0xffffffff;

const cases: Case[] = [
  {
    name: 'in order',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1001, flags: PA, bytes: 'abc' }, want: [d('abc')] },
      { seg: { seq: 1004, flags: PA, bytes: 'def' }, want: [d('def')] },
    ],
    counters: { segments: 3, bytesSeen: 6, bytesDelivered: 6, retransmitted: 0, outOfOrder: 0, gaps: 0 },
    anomalies: [],
  },
  {
    name: 'two segments swapped',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1004, flags: PA, bytes: 'def' }, want: [] },
      { seg: { seq: 1001, flags: PA, bytes: 'abc' }, want: [d('abc'), d('def')] },
    ],
    counters: { outOfOrder: 1, bytesDelivered: 6 },
    check: (s) => expect(s.heldSegments).toBe(0),
  },
  {
    name: 'three segments in reverse, held ones drain in order',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1007, bytes: 'ghi' }, want: [] },
      { seg: { seq: 1004, bytes: 'def' }, want: [] },
      { seg: { seq: 1001, bytes: 'abc' }, want: [d('abc'), d('def'), d('ghi')] },
    ],
    counters: { outOfOrder: 2 },
  },
  {
    name: 'retransmission is counted and ignored',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1001, bytes: 'abc' }, want: [d('abc')] },
      { seg: { seq: 1001, bytes: 'abc' }, want: [] },
      { seg: { seq: 1002, bytes: 'b' }, want: [] },
      { seg: { seq: 1004, bytes: 'def' }, want: [d('def')] },
    ],
    counters: { retransmitted: 2, bytesDelivered: 6 },
    anomalies: [],
  },
  {
    name: 'retransmission of a held segment',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1004, bytes: 'def' }, want: [] },
      { seg: { seq: 1004, bytes: 'def' }, want: [] },
      { seg: { seq: 1001, bytes: 'abc' }, want: [d('abc'), d('def')] },
    ],
    counters: { retransmitted: 1, outOfOrder: 1 },
    anomalies: [],
  },
  {
    name: 'partial overlap with delivered bytes: only the new tail goes on',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1001, bytes: 'abc' }, want: [d('abc')] },
      { seg: { seq: 1002, bytes: 'bcdef' }, want: [d('def')] },
    ],
    counters: { overlaps: 1, bytesDelivered: 6 },
    anomalies: [],
  },
  {
    // Delivered views are not kept (no copy on the in-order path), so they cannot be compared.
    name: 'partial overlap with different delivered bytes: old bytes stand, not compared',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1001, bytes: 'abc' }, want: [d('abc')] },
      { seg: { seq: 1002, bytes: 'XYdef' }, want: [d('def')] },
    ],
    counters: { overlaps: 1, overlapsConflicting: 0 },
    anomalies: [],
  },
  {
    name: 'conflicting copy of a held segment: the first copy wins',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1004, bytes: 'def' }, want: [] },
      { seg: { seq: 1004, bytes: 'XYZ' }, want: [] },
      { seg: { seq: 1001, bytes: 'abc' }, want: [d('abc'), d('def')] },
    ],
    counters: { retransmitted: 1, overlapsConflicting: 1 },
    anomalies: [TcpAnomaly.overlapConflict],
  },
  {
    name: 'future segment overlapping a held one: only its new bytes are held',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1004, bytes: 'def' }, want: [] },
      { seg: { seq: 1003, bytes: 'cDEFg' }, want: [] },
      { seg: { seq: 1001, bytes: 'ab' }, want: [d('ab'), d('c'), d('def'), d('g')] },
    ],
    counters: { outOfOrder: 2, overlaps: 1, overlapsConflicting: 1, bytesDelivered: 7 },
    anomalies: [TcpAnomaly.overlapConflict],
  },
  {
    name: 'future segment spanning a hole between two held ones',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1003, bytes: 'c' }, want: [] },
      { seg: { seq: 1007, bytes: 'g' }, want: [] },
      { seg: { seq: 1002, bytes: 'bcdefgh' }, want: [] },
      { seg: { seq: 1001, bytes: 'a' }, want: [d('a'), d('b'), d('c'), d('def'), d('g'), d('h')] },
    ],
    check: (s) => expect(s.heldBytes).toBe(0),
    anomalies: [],
  },
  {
    name: 'in-order segment running over held ones: held bytes win, its own bytes fill between',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1004, bytes: 'def' }, want: [] },
      { seg: { seq: 1009, bytes: 'ij' }, want: [] },
      { seg: { seq: 1001, bytes: 'abcdeXghIjk' }, want: [d('abc'), d('def'), d('gh'), d('ij'), d('k')] },
    ],
    counters: { overlaps: 1, overlapsConflicting: 1, bytesDelivered: 11 },
    anomalies: [TcpAnomaly.overlapConflict],
  },
  {
    name: 'in-order segment ending inside a held one',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1004, bytes: 'defgh' }, want: [] },
      { seg: { seq: 1001, bytes: 'abcde' }, want: [d('abc'), d('defgh')] },
    ],
    anomalies: [],
  },
  {
    name: 'hole filled late by a segment that overlaps on both sides',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1001, bytes: 'abc' }, want: [d('abc')] },
      { seg: { seq: 1007, bytes: 'ghi' }, want: [] },
      { seg: { seq: 1003, bytes: 'cdefgh' }, want: [d('def'), d('ghi')] },
    ],
    counters: { overlaps: 1 },
    anomalies: [],
  },
  {
    name: 'gap reported at finish, then the held data',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1001, bytes: 'abc' }, want: [d('abc')] },
      { seg: { seq: 1010, bytes: 'xyz' }, want: [] },
      { seg: { seq: 1020, bytes: 'uv' }, want: [] },
      { seg: 'finish', want: [gap(6), d('xyz'), gap(7), d('uv')] },
      { seg: { seq: 1004, bytes: 'def' }, want: [] },
      { seg: 'finish', want: [] },
    ],
    counters: { gaps: 2, gapBytes: 13 },
    check: (s) => expect(s.stopped).toBe(true),
  },
  {
    name: 'segment cap: gap up to the first held segment, delivery goes on from there',
    limits: { maxOutOfOrderSegments: 2, maxOutOfOrderBytes: 1000 },
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1003, bytes: 'c' }, want: [] },
      { seg: { seq: 1005, bytes: 'e' }, want: [] },
      { seg: { seq: 1007, bytes: 'g' }, want: [gap(2), d('c')] },
      { seg: { seq: 1001, bytes: 'ab' }, want: [] }, // too late
      { seg: { seq: 1004, bytes: 'd' }, want: [d('d'), d('e')] },
      { seg: 'finish', want: [gap(1), d('g')] },
    ],
    counters: { gaps: 2, gapBytes: 3, retransmitted: 1 },
    anomalies: [TcpAnomaly.outOfOrderLimit],
  },
  {
    name: 'byte cap: gap, then what fits',
    limits: { maxOutOfOrderSegments: 64, maxOutOfOrderBytes: 4 },
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1004, bytes: 'def' }, want: [] },
      { seg: { seq: 1008, bytes: 'hi' }, want: [gap(3), d('def')] },
      { seg: { seq: 1007, bytes: 'g' }, want: [d('g'), d('hi')] },
    ],
    anomalies: [TcpAnomaly.outOfOrderLimit],
  },
  {
    name: 'one segment larger than the byte cap is delivered after a gap',
    limits: { maxOutOfOrderSegments: 64, maxOutOfOrderBytes: 4 },
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1003, bytes: 'cdefgh' }, want: [gap(2), d('cdefgh')] },
    ],
    anomalies: [TcpAnomaly.outOfOrderLimit],
  },
  {
    name: 'default cap: 64 held segments wait, the 65th trips it',
    steps: [
      { seg: syn(0), want: [] },
      ...Array.from({ length: LIMITS.maxOutOfOrderSegments }, (_, i) => ({
        seg: { seq: 3 + 2 * i, bytes: 'x' },
        want: [],
      })),
      { seg: { seq: 3 + 2 * LIMITS.maxOutOfOrderSegments, bytes: 'y' }, want: [gap(2), d('x')] },
    ],
    anomalies: [TcpAnomaly.outOfOrderLimit],
    check: (s) => expect(s.heldSegments).toBe(LIMITS.maxOutOfOrderSegments),
  },
  {
    name: 'payload wrapping across 2^32',
    steps: [
      { seg: syn(MAX - 1), want: [] },
      { seg: { seq: MAX, bytes: 'abc' }, want: [d('abc')] },
      { seg: { seq: 2, bytes: 'de' }, want: [d('de')] },
      { seg: { seq: 1, bytes: 'cd' }, want: [] },
    ],
    counters: { retransmitted: 1 },
    check: (s) => expect(s.nextSeq).toBe(4),
  },
  {
    name: 'reorder across 2^32',
    steps: [
      { seg: syn(MAX - 2), want: [] },
      { seg: { seq: 1, bytes: 'def' }, want: [] },
      { seg: { seq: MAX - 1, bytes: 'abc' }, want: [d('abc'), d('def')] },
    ],
  },
  {
    name: 'SYN wrapping: ISN 2^32-1, data starts at 0',
    steps: [
      { seg: syn(MAX), want: [] },
      { seg: { seq: 0, bytes: 'abc' }, want: [d('abc')] },
    ],
  },
  {
    name: 'SYN with data (TCP Fast Open)',
    steps: [
      { seg: syn(1000, 'hello'), want: [d('hello')] },
      { seg: syn(1000, 'hello'), want: [] }, // retransmitted SYN
      { seg: { seq: 1006, bytes: 'world' }, want: [d('world')] },
    ],
    counters: { retransmitted: 1 },
    check: (s) => expect(s.syn && !s.midstream).toBe(true),
  },
  {
    name: 'mid-stream pickup: the first payload starts the stream',
    steps: [
      { seg: { seq: 4990, flags: A }, want: [] },
      { seg: { seq: 5000, flags: PA, bytes: 'abc' }, want: [d('abc')] },
      { seg: { seq: 5003, flags: PA, bytes: 'def' }, want: [d('def')] },
    ],
    check: (s) => expect(s.midstream).toBe(true),
    anomalies: [],
  },
  {
    name: 'mid-stream pickup with the first two segments swapped: the earlier one is lost, and named',
    steps: [
      { seg: { seq: 5003, bytes: 'def' }, want: [d('def')] },
      { seg: { seq: 5000, bytes: 'abc' }, want: [] },
    ],
    anomalies: [TcpAnomaly.dataBeforeStart],
  },
  {
    name: 'SYN captured after the data it precedes agrees with the start',
    steps: [
      { seg: { seq: 1001, bytes: 'abc' }, want: [d('abc')] },
      { seg: syn(1000), want: [] },
    ],
    anomalies: [],
    check: (s) => expect(s.midstream).toBe(false),
  },
  {
    name: 'SYN with another ISN: ignored, with its payload',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: syn(7000, 'zzz'), want: [] },
      { seg: { seq: 1001, bytes: 'abc' }, want: [d('abc')] },
    ],
    anomalies: [TcpAnomaly.synInconsistent],
  },
  {
    // Regression: ndpi/tls_multiple_synack_different_seq.pcapng, suricata tcp-fastopen-10 (two
    // SYN-ACKs with different ISNs; the data continues the second one).
    name: 'two SYNs with different ISNs before data: the first data segment picks its ISN',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: syn(7000), want: [] },
      { seg: syn(1000), want: [] },
      { seg: { seq: 7001, bytes: 'abc' }, want: [d('abc')] },
      { seg: { seq: 7004, bytes: 'def' }, want: [d('def')] },
    ],
    anomalies: [TcpAnomaly.synInconsistent],
  },
  {
    // Regression: ndpi/heuristic_tcp_ack_payload.pcap (a 2-byte zero "ACK payload" at the ISN,
    // then the ClientHello at the same sequence number).
    name: 'a tiny all-zero first segment covered by the next one is replaced by it',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1001, bytes: '\0\0' }, want: [] },
      { seg: { seq: 1001, bytes: 'abcdef' }, want: [d('abcdef')] },
    ],
    anomalies: [TcpAnomaly.zeroProbeReplaced],
  },
  {
    name: 'a tiny all-zero first segment followed by data after it is delivered first',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1001, bytes: '\0' }, want: [] },
      { seg: { seq: 1002, bytes: 'abc' }, want: [d('\0'), d('abc')] },
    ],
    anomalies: [],
  },
  {
    name: 'RST is noted; data after it is still delivered; data on it is not',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1001, bytes: 'abc' }, want: [d('abc')] },
      { seg: { seq: 1004, flags: TCP_RST }, want: [] },
      { seg: { seq: 1004, flags: TCP_RST | A, bytes: 'reset reason' }, want: [] },
      { seg: { seq: 1004, bytes: 'def' }, want: [d('def')] },
    ],
    anomalies: [TcpAnomaly.rstWithData],
    check: (s) => expect(s.rst).toBe(true),
  },
  {
    name: 'FIN with data',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1001, flags: TCP_FIN | A, bytes: 'bye' }, want: [d('bye')] },
      { seg: { seq: 1004, flags: TCP_FIN | A }, want: [] },
    ],
    check: (s) => expect(s.fin).toBe(true),
  },
  {
    name: 'zero-length segments only count',
    steps: [
      { seg: { seq: 1, flags: A }, want: [] },
      { seg: { seq: 99, flags: A, bytes: '' }, want: [] },
    ],
    counters: { segments: 2, bytesSeen: 0 },
    check: (s) => expect(s.started).toBe(false),
  },
  {
    name: 'stop drops held data; later segments only count',
    steps: [
      { seg: syn(1000), want: [] },
      { seg: { seq: 1004, bytes: 'def' }, want: [] },
      { seg: 'stop', want: [] },
      { seg: { seq: 1001, bytes: 'abc' }, want: [] },
      { seg: 'finish', want: [] },
    ],
    counters: { segments: 3, bytesSeen: 6, bytesDelivered: 0 },
    check: (s) => expect(s.heldBytes).toBe(0),
  },
];

describe('HalfStream', () => {
  it.each(cases)('$name', (c) => {
    const rec = new Recorder();
    const s = new HalfStream(rec, c.limits);
    c.steps.forEach((step, i) => {
      const a = step.seg;
      if (a === 'finish') s.finish();
      else if (a === 'stop') s.stop();
      else s.segment(a.seq, a.flags ?? PA, Buffer.from(a.bytes ?? '', 'latin1'));
      expect(rec.take(), `step ${i}`).toEqual(step.want);
    });
    if (c.anomalies) expect(s.anomalies).toEqual(c.anomalies);
    if (c.counters) expect(s.counters).toMatchObject(c.counters);
    c.check?.(s);
  });

  it('hands the in-order payload view on without copying', () => {
    const seen: Uint8Array[] = [];
    const s = new HalfStream({ data: (b) => seen.push(b), gap: () => {} });
    const p = new Uint8Array([1, 2, 3]);
    s.segment(1000, TCP_SYN, new Uint8Array(0));
    s.segment(1001, PA, p);
    expect(seen[0]).toBe(p);
  });

  it('copies held segments: the packet buffer may be reused after the call', () => {
    const rec = new Recorder();
    const s = new HalfStream(rec);
    const buf = Buffer.from('def');
    s.segment(1000, TCP_SYN, new Uint8Array(0));
    s.segment(1004, PA, buf);
    buf.fill(0x21); // the capture reader overwrites its chunk
    s.segment(1001, PA, Buffer.from('abc'));
    expect(rec.take()).toEqual([d('abc'), d('def')]);
  });

  it('lets the consumer stop from inside data()', () => {
    const got: string[] = [];
    const s: HalfStream = new HalfStream({
      data: (b) => {
        got.push(Buffer.from(b).toString());
        if (got.length === 2) s.stop();
      },
      gap: () => {},
    });
    s.segment(1000, TCP_SYN, new Uint8Array(0));
    s.segment(1007, PA, Buffer.from('ghi'));
    s.segment(1004, PA, Buffer.from('def'));
    s.segment(1001, PA, Buffer.from('abc'));
    expect(got).toEqual(['abc', 'def']);
    expect(s.stopped).toBe(true);
    expect(s.heldSegments).toBe(0);
  });

  it('lets the consumer stop from inside gap() during finish()', () => {
    const events: string[] = [];
    const s: HalfStream = new HalfStream({
      data: (b) => events.push(Buffer.from(b).toString()),
      gap: (n) => {
        events.push(`gap ${n}`);
        s.stop();
      },
    });
    s.segment(1000, TCP_SYN, new Uint8Array(0));
    s.segment(1005, PA, Buffer.from('e'));
    s.finish();
    expect(events).toEqual(['gap 4']);
  });

  it('reports no anomalies with a shared empty list', () => {
    const s = new HalfStream({ data: () => {}, gap: () => {} });
    expect(s.anomalies).toEqual([]);
    expect(Object.isFrozen(s.anomalies)).toBe(true);
  });
});
