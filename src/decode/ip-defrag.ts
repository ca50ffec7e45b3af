/**
 * IP fragment reassembly.
 * @see RFC 791 §3.2 "Fragmentation and reassembly" (IPv4: fragments match on source,
 *      destination, protocol and identification), RFC 8200 §4.5 (IPv6: source, destination
 *      and identification), RFC 5722 (overlapping IPv6 fragments)
 *
 * Fragments are rare, so this path may allocate: a train keeps a copy of its fragments' data
 * until the datagram is complete, then hands out a fresh buffer holding the whole datagram
 * (header + data) for the decoder to walk again as if it had arrived in one piece.
 *
 * Policy: overlapping bytes keep the first copy received ("first wins"), which is what most
 * stacks did before RFC 5722 made overlaps fatal for IPv6. Trains are bounded in number
 * (LIMITS.maxFragmentTrains, the oldest is evicted) and in size (LIMITS.maxFragmentBytes per
 * datagram, the train is dropped).
 */
import { LIMITS } from '../config/limits.js';

/** Counters for the run report. */
export interface DefragStats {
  /** Fragments seen. */
  fragments: number;
  /** Datagrams completed. */
  reassembled: number;
  /** Trains evicted, unfinished, to make room for a new one. */
  evicted: number;
  /** Fragments that overlapped data already held (the old bytes were kept). */
  overlaps: number;
  /** Trains dropped because the datagram would exceed maxFragmentBytes. */
  oversized: number;
}

class Train {
  /** The IP header to rebuild the datagram with (from the offset-0 fragment once seen). */
  header: Uint8Array | null = null;
  headerFromFirst = false;
  data = new Uint8Array(0);
  /** Received byte ranges of the data, sorted and merged: [start0, end0, start1, end1, ...]. */
  ranges: number[] = [];
  /** Length of the datagram's data, known once the last fragment (MF/M = 0) arrived. */
  total = -1;
}

export class IpDefrag {
  readonly stats: DefragStats = { fragments: 0, reassembled: 0, evicted: 0, overlaps: 0, oversized: 0 };
  /** Insertion order is age order: the first key is the oldest train. */
  private readonly trains = new Map<string, Train>();
  /** Why the last `add` returned null without holding the fragment ('' when it was held). */
  problem = '';

  constructor(
    private readonly maxTrains: number = LIMITS.maxFragmentTrains,
    private readonly maxBytes: number = LIMITS.maxFragmentBytes,
  ) {}

  /** Trains waiting for more fragments. */
  get pending(): number {
    return this.trains.size;
  }

  /**
   * Adds one IPv4 fragment: its header is b[ipOff, dataOff), its data b[dataOff, dataEnd) at
   * `offset` bytes into the datagram. Returns the whole datagram when this fragment completes
   * it, else null (held, or dropped with `problem` set).
   */
  addIpv4(b: Uint8Array, ipOff: number, dataOff: number, dataEnd: number, offset: number, more: boolean, id: number, proto: number): Uint8Array | null {
    const key = `4|${addrKey(b, ipOff + 12, 8)}|${id}|${proto}`;
    return this.add(key, b, ipOff, dataOff - ipOff, dataOff, dataEnd, offset, more, 4);
  }

  /**
   * Adds one IPv6 fragment: the fixed header is at b[ipOff], the fragment header's next header
   * is `next`. The rebuilt datagram is the fixed header (payload length and next header
   * rewritten) followed by the reassembled data; unfragmentable extension headers are dropped.
   */
  addIpv6(b: Uint8Array, ipOff: number, dataOff: number, dataEnd: number, offset: number, more: boolean, id: number, next: number): Uint8Array | null {
    const key = `6|${addrKey(b, ipOff + 8, 32)}|${id}`;
    const done = this.add(key, b, ipOff, 40, dataOff, dataEnd, offset, more, 6);
    if (done !== null) done[6] = next;
    return done;
  }

  private add(key: string, b: Uint8Array, ipOff: number, headerLen: number, dataOff: number, dataEnd: number, offset: number, more: boolean, version: number): Uint8Array | null {
    this.problem = '';
    this.stats.fragments++;
    let train = this.trains.get(key);
    if (train === undefined) {
      if (this.trains.size >= this.maxTrains) {
        const oldest = this.trains.keys().next().value!;
        this.trains.delete(oldest);
        this.stats.evicted++;
      }
      train = new Train();
      this.trains.set(key, train);
    }
    const len = dataEnd - dataOff;
    let end = offset + len;
    if (headerLen + end > this.maxBytes || (train.total >= 0 && headerLen + train.total > this.maxBytes)) {
      this.trains.delete(key);
      this.stats.oversized++;
      this.problem = 'fragment_bytes_limit_reached';
      return null;
    }
    if (!more && train.total < 0) train.total = end;
    // Data beyond the end announced by the last fragment cannot belong to the datagram.
    if (train.total >= 0 && end > train.total) end = train.total;
    if (train.header === null || (offset === 0 && !train.headerFromFirst)) {
      train.header = b.slice(ipOff, ipOff + headerLen);
      train.headerFromFirst = offset === 0;
    }
    if (end > offset) this.store(train, b, dataOff, offset, end);

    const r = train.ranges;
    if (train.total < 0 || r.length !== 2 || r[0] !== 0 || r[1]! < train.total) return null;
    this.trains.delete(key);
    this.stats.reassembled++;
    return rebuild(train, version);
  }

  /** Copies the bytes of [start, end) that no earlier fragment supplied, and merges the range. */
  private store(train: Train, b: Uint8Array, dataOff: number, start: number, end: number): void {
    if (end > train.data.length) {
      const bigger = new Uint8Array(Math.min(this.maxBytes, Math.max(end, train.data.length * 2)));
      bigger.set(train.data);
      train.data = bigger;
    }
    const r = train.ranges;
    const src = dataOff - start; // b index of datagram byte 0
    let pos = start;
    let overlapped = false;
    for (let i = 0; i < r.length && pos < end; i += 2) {
      const rs = r[i]!;
      const re = r[i + 1]!;
      if (re <= pos) continue;
      if (rs >= end) break;
      if (rs > pos) train.data.set(b.subarray(src + pos, src + rs), pos);
      overlapped = true;
      pos = re;
    }
    if (pos < end) train.data.set(b.subarray(src + pos, src + end), pos);
    if (overlapped) this.stats.overlaps++;
    // Merge [start, end) into the sorted list.
    const merged: number[] = [];
    let s = start;
    let e = end;
    let placed = false;
    for (let i = 0; i < r.length; i += 2) {
      const rs = r[i]!;
      const re = r[i + 1]!;
      if (re < s) merged.push(rs, re);
      else if (rs > e) {
        if (!placed) merged.push(s, e);
        placed = true;
        merged.push(rs, re);
      } else {
        s = Math.min(s, rs);
        e = Math.max(e, re);
      }
    }
    if (!placed) merged.push(s, e);
    train.ranges = merged;
  }
}

/** The header with its length and fragment fields rewritten, then the data. */
function rebuild(train: Train, version: number): Uint8Array {
  const h = train.header!;
  const out = new Uint8Array(h.length + train.total);
  out.set(h);
  out.set(train.data.subarray(0, train.total), h.length);
  if (version === 4) {
    const total = h.length + train.total;
    out[2] = total >> 8;
    out[3] = total & 0xff;
    out[6] = out[6]! & 0x40; // keep DF, clear MF and the offset
    out[7] = 0;
  } else {
    out[4] = train.total >> 8;
    out[5] = train.total & 0xff;
  }
  return out;
}

/** The address bytes as a string key (fragments only, so the allocation does not matter). */
function addrKey(b: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let i = off; i < off + len; i++) s += String.fromCharCode(b[i]!);
  return s;
}
