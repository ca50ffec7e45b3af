/**
 * One direction of a TCP connection turned back into a byte stream.
 *
 * The reassembler knows nothing about what the bytes mean: it calls `data()` with bytes in
 * stream order and `gap()` where bytes were never seen, on a StreamConsumer (gopacket's
 * Stream / Zeek's DeliverStream + Undelivered). It never throws on odd input; odd input is
 * counted and named in `anomalies`.
 *
 * Policy, in short:
 * - Start: a SYN sets the initial sequence number; its payload (TCP Fast Open) is the first
 *   data. Without a SYN, the first segment with payload starts the stream (mid-stream
 *   pickup) and is delivered at once. If the capture begins with the first two data
 *   segments swapped, the earlier one arrives "before the start": it is dropped and named
 *   `tcp_data_before_start`. Holding the first segment back to wait for such a swap would
 *   delay every SYN-less stream for the sake of a rare case.
 * - In order: the packet's own view is handed on (no copy), then held segments that now
 *   fit are delivered.
 * - Old data wins: bytes seen before (delivered or held) are never replaced by a later
 *   copy (what most stacks and Zeek do). Only held bytes can be compared with a later
 *   copy, since delivered views are not kept; a difference is `tcp_overlap_conflict`.
 * - Ahead of the next expected byte: copied and held, sorted and non-overlapping, within
 *   LIMITS.maxOutOfOrderSegments / maxOutOfOrderBytes. At a cap the stream gives up on the
 *   hole: `tcp_out_of_order_limit_reached`, gap() up to the first held segment, delivery
 *   goes on from there.
 * - FIN and RST are noted. Data goes on being accepted after them (an injected RST must not
 *   blind us); payload carried by a RST is not stream data and is dropped.
 * - finish() reports the remaining holes as gaps and delivers what was held after them.
 *   After finish() or stop(), segments are only counted.
 *
 * Consumers may call stop() from inside data() or gap(); nothing else re-entrant.
 */
import { LIMITS } from '../../config/limits.js';
import { TCP_FIN, TCP_RST, TCP_SYN } from '../../decode/decoded-packet.js';
import { seqAdd, seqDiff, seqLe, seqLt } from './sequence.js';

export interface StreamConsumer {
  /** Next bytes of the stream. The view is valid only during the call: copy what must outlive it. */
  data(bytes: Uint8Array): void;
  /** `lostBytes` bytes of the stream were never seen; the next data() comes after the hole. */
  gap(lostBytes: number): void;
}

/** Stable anomaly names of this module. */
export const TcpAnomaly = {
  overlapConflict: 'tcp_overlap_conflict',
  outOfOrderLimit: 'tcp_out_of_order_limit_reached',
  dataBeforeStart: 'tcp_data_before_start',
  synInconsistent: 'tcp_syn_inconsistent',
  rstWithData: 'tcp_rst_with_data',
  zeroProbeReplaced: 'tcp_zero_probe_replaced',
} as const;

/**
 * Longest all-zero first segment held back as a possible probe (see `segment`): 6 bytes is what
 * Ethernet's 46-byte minimum payload adds to a bare 40-byte IPv4+TCP ACK when a sender counts
 * the padding in the IP length, which is how these segments seem to arise.
 */
const MAX_ZERO_PROBE = 6;

export interface HalfStreamCounters {
  /** Calls to segment(), with or without payload. */
  segments: number;
  /** Payload bytes fed to segment(). */
  bytesSeen: number;
  /** Bytes handed to data(). */
  bytesDelivered: number;
  /** Segments with payload that brought no new byte. */
  retransmitted: number;
  /** Segments held because they came ahead of the next expected byte. */
  outOfOrder: number;
  /** Segments that brought new bytes and repeated some old ones. */
  overlaps: number;
  /** Overlaps whose repeated bytes differ from the held ones (the held bytes were kept). */
  overlapsConflicting: number;
  /** gap() calls, and the bytes they reported. */
  gaps: number;
  gapBytes: number;
}

/** The caps this module obeys; LIMITS by default, smaller in tests. */
export interface ReassemblyLimits {
  maxOutOfOrderSegments: number;
  maxOutOfOrderBytes: number;
}

/** An out-of-order segment: our own copy, never overlapping another held one. */
interface Held {
  seq: number;
  bytes: Uint8Array;
}

export class HalfStream {
  private readonly consumer: StreamConsumer;
  private readonly limits: ReassemblyLimits;
  private readonly c: HalfStreamCounters = {
    segments: 0,
    bytesSeen: 0,
    bytesDelivered: 0,
    retransmitted: 0,
    outOfOrder: 0,
    overlaps: 0,
    overlapsConflicting: 0,
    gaps: 0,
    gapBytes: 0,
  };
  /** Sorted by seq; every seq is after `next`. */
  private held: Held[] = [];
  private heldByteCount = 0;
  private anomalyList: string[] | null = null;

  private isStarted = false;
  /** A second initial sequence (from another SYN) that the first data may continue instead. */
  private otherStart: number | null = null;
  /** A tiny all-zero first segment held back until the next data segment (see `segment`). */
  private zeroProbe: Uint8Array | null = null;
  /** Sequence number of the first stream byte (after the SYN, or of the pickup segment). */
  private startSeq = 0;
  /** Sequence number of the next byte to deliver. */
  private next = 0;
  private sawSyn = false;
  private sawFin = false;
  private sawRst = false;
  private isStopped = false;

  constructor(consumer: StreamConsumer, limits: ReassemblyLimits = LIMITS) {
    this.consumer = consumer;
    this.limits = limits;
  }

  /** Feed one segment of this direction in capture order. payload is a view valid only during the call. */
  segment(seq: number, flags: number, payload: Uint8Array): void {
    const c = this.c;
    const len = payload.length;
    c.segments++;
    c.bytesSeen += len;
    let s = seq >>> 0; // sequence number of payload[0]
    if ((flags & (TCP_SYN | TCP_FIN | TCP_RST)) !== 0) {
      if ((flags & TCP_FIN) !== 0) this.sawFin = true;
      if ((flags & TCP_RST) !== 0) {
        this.sawRst = true;
        if (len > 0) this.anomaly(TcpAnomaly.rstWithData);
        return;
      }
      if ((flags & TCP_SYN) !== 0) {
        s = seqAdd(s, 1); // the SYN itself takes one sequence number
        if (!this.noteSyn(s)) return;
      }
    }
    if (len === 0 || this.isStopped) return;
    if (!this.isStarted) this.begin(s);
    else if (this.otherStart === s && this.c.bytesDelivered === 0 && this.held.length === 0) this.begin(s);

    // Some stacks send a few all-zero bytes as "ACK with payload" at the start of the stream and
    // then the real data at the same sequence number (ndpi/heuristic_tcp_ack_payload.pcap).
    // Old data would win that overlap and clobber the first bytes of a ClientHello, so such a
    // first segment waits for the next one: covered by it, it is dropped; otherwise delivered.
    // (Retransmitted probes, on a SYN-ACK too, stay probes.)
    if (this.c.bytesDelivered === 0 && this.held.length === 0 && s === this.next && len <= MAX_ZERO_PROBE && isAllZero(payload)) {
      if (this.zeroProbe === null || len > this.zeroProbe.length) this.zeroProbe = payload.slice();
      return;
    }
    if (this.zeroProbe !== null) {
      const probe = this.zeroProbe;
      this.zeroProbe = null;
      if (s !== this.startSeq || len < probe.length) this.deliver(probe);
      else if (!isAllZero(payload.subarray(0, probe.length))) this.anomaly(TcpAnomaly.zeroProbeReplaced);
    }

    const behind = seqDiff(this.next, s); // bytes of this segment before `next`; < 0: it lies past a hole
    if (behind < 0) {
      this.hold(s, payload);
      return;
    }
    if (behind > 0 && seqLt(s, this.startSeq)) this.anomaly(TcpAnomaly.dataBeforeStart);
    if (behind >= len) {
      c.retransmitted++;
      return;
    }
    if (this.held.length === 0) {
      // The common case: hand the packet's own view on.
      if (behind > 0) c.overlaps++;
      this.deliver(behind === 0 ? payload : payload.subarray(behind));
      return;
    }
    this.merge(payload, behind);
  }

  /** The end of the capture or of the flow: report remaining holes as gaps, deliver what was held after them. */
  finish(): void {
    if (this.zeroProbe !== null && !this.isStopped) {
      const probe = this.zeroProbe;
      this.zeroProbe = null;
      this.deliver(probe);
    }
    while (!this.isStopped && this.held.length > 0) this.skipToHeld();
    this.stop();
  }

  /** Stop delivering (the owner has what it wanted): drop buffers, later segments are only counted. */
  stop(): void {
    this.isStopped = true;
    this.held = [];
    this.heldByteCount = 0;
  }

  get counters(): Readonly<HalfStreamCounters> {
    return this.c;
  }
  /** Anomaly names, each once, in the order first seen. */
  get anomalies(): readonly string[] {
    return this.anomalyList ?? NO_ANOMALIES;
  }
  /** True once the initial sequence number is known (SYN or first payload). */
  get started(): boolean {
    return this.isStarted;
  }
  /** True when the stream started without a SYN. */
  get midstream(): boolean {
    return this.isStarted && !this.sawSyn;
  }
  /** Sequence number of the next byte expected (meaningful once started). */
  get nextSeq(): number {
    return this.next;
  }
  get syn(): boolean {
    return this.sawSyn;
  }
  get fin(): boolean {
    return this.sawFin;
  }
  get rst(): boolean {
    return this.sawRst;
  }
  get stopped(): boolean {
    return this.isStopped;
  }
  get heldSegments(): number {
    return this.held.length;
  }
  get heldBytes(): number {
    return this.heldByteCount;
  }

  /** A SYN whose first data byte would be `s`. False when its payload must be ignored. */
  private noteSyn(s: number): boolean {
    if (!this.isStarted) {
      this.sawSyn = true;
      this.begin(s);
      return true;
    }
    // A retransmitted SYN, or one captured after the data that followed it, agrees with the start.
    if (s === this.startSeq) {
      this.sawSyn = true;
      return true;
    }
    this.anomaly(TcpAnomaly.synInconsistent);
    // Before any data, SYNs with two initial sequence numbers (two servers answering behind one
    // address, a TFO retry): keep the other one too; the first data segment picks the ISN it
    // continues (ndpi/tls_multiple_synack_different_seq, suricata tcp-fastopen-10).
    if (this.c.bytesDelivered === 0 && this.held.length === 0) this.otherStart = s;
    return false;
  }

  private begin(s: number): void {
    this.isStarted = true;
    this.startSeq = s;
    this.next = s;
  }

  private deliver(bytes: Uint8Array): void {
    // State first: the consumer may stop() us, or throw.
    this.next = seqAdd(this.next, bytes.length);
    this.c.bytesDelivered += bytes.length;
    this.consumer.data(bytes);
  }

  /**
   * An in-order segment while segments are held: deliver its new bytes between the held
   * ones, and the held ones where they start (they were seen first, so they win).
   */
  private merge(payload: Uint8Array, behind: number): void {
    const len = payload.length;
    let pos = behind; // index in payload of the byte at `next` (never held, so at least one byte is new)
    let repeated = behind > 0;
    let conflict = false;
    while (pos < len && !this.isStopped) {
      const h = this.held[0];
      const until = h === undefined ? len : Math.min(len, pos + seqDiff(h.seq, this.next));
      if (until > pos) {
        this.deliver(payload.subarray(pos, until));
        pos = until;
      }
      if (h === undefined || this.isStopped || h.seq !== this.next) break;
      const n = Math.min(len - pos, h.bytes.length);
      if (n > 0) {
        repeated = true;
        conflict ||= this.differs(h.bytes, 0, payload, pos, n);
      }
      pos += n;
      this.deliverHeldHead();
    }
    this.drain();
    if (repeated) this.c.overlaps++;
    if (conflict) this.conflicting();
  }

  /** A segment ahead of `next`: copy the bytes not held yet, keep them sorted. */
  private hold(s: number, payload: Uint8Array): void {
    const held = this.held;
    const len = payload.length;
    let i = 0;
    while (i < held.length && seqLe(heldEnd(held[i]!), s)) i++;
    let pos = 0;
    let fresh = false;
    let repeated = false;
    let conflict = false;
    while (pos < len) {
      const cur = seqAdd(s, pos);
      const h = held[i];
      if (h === undefined || seqLt(cur, h.seq)) {
        const until = h === undefined ? len : Math.min(len, pos + seqDiff(h.seq, cur));
        // new Uint8Array(view) copies; Buffer#slice would not.
        const bytes = new Uint8Array(payload.subarray(pos, until));
        held.splice(i, 0, { seq: cur, bytes });
        this.heldByteCount += bytes.length;
        fresh = true;
        pos = until;
      } else {
        const off = seqDiff(cur, h.seq);
        const n = Math.min(len - pos, h.bytes.length - off);
        conflict ||= this.differs(h.bytes, off, payload, pos, n);
        repeated = true;
        pos += n;
      }
      i++;
    }
    if (conflict) this.conflicting();
    if (!fresh) {
      this.c.retransmitted++;
      return;
    }
    this.c.outOfOrder++;
    if (repeated) this.c.overlaps++;
    const { maxOutOfOrderSegments, maxOutOfOrderBytes } = this.limits;
    while (!this.isStopped && (held.length > maxOutOfOrderSegments || this.heldByteCount > maxOutOfOrderBytes)) {
      this.anomaly(TcpAnomaly.outOfOrderLimit);
      this.skipToHeld();
    }
  }

  /** Give up on the hole before the first held segment: report it, deliver from there. */
  private skipToHeld(): void {
    const h = this.held[0]!;
    const lost = seqDiff(h.seq, this.next);
    this.next = h.seq;
    this.c.gaps++;
    this.c.gapBytes += lost;
    this.consumer.gap(lost);
    this.drain();
  }

  /** Deliver held segments that start at `next`. */
  private drain(): void {
    while (!this.isStopped && this.held.length > 0 && this.held[0]!.seq === this.next) this.deliverHeldHead();
  }

  private deliverHeldHead(): void {
    const h = this.held.shift()!;
    this.heldByteCount -= h.bytes.length;
    this.deliver(h.bytes);
  }

  /** True when a later copy differs from held bytes (which are kept either way). */
  private differs(old: Uint8Array, oldOff: number, later: Uint8Array, laterOff: number, n: number): boolean {
    for (let k = 0; k < n; k++) if (old[oldOff + k] !== later[laterOff + k]) return true;
    return false;
  }

  /** Counts a segment that repeated held bytes with other bytes. */
  private conflicting(): void {
    this.c.overlapsConflicting++;
    this.anomaly(TcpAnomaly.overlapConflict);
  }

  private anomaly(name: string): void {
    const list = (this.anomalyList ??= []);
    if (!list.includes(name)) list.push(name);
  }
}

const NO_ANOMALIES: readonly string[] = Object.freeze([]);

function isAllZero(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0) return false;
  return true;
}

function heldEnd(h: Held): number {
  return seqAdd(h.seq, h.bytes.length);
}
