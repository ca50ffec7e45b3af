/**
 * CaptureParser: a synchronous push parser for pcap and pcapng byte streams.
 *
 * Feed it chunks of any size with `push`, then call `end`. It tells the format from the first
 * four bytes, and hands every packet to the sink as ONE reused CapturedPacket whose `data` is a
 * view into the chunk: no copy, valid until the next packet. Only a record that straddles two
 * chunks is copied (into the carry buffer), so the chunk itself may be reused by the caller as
 * soon as `push` returns. Problems are reported through `onProblem`, never thrown; after a
 * fatal one the rest of the input is ignored.
 */
import { CaptureContext, type CaptureFormat, type Framer, type SecretsSink } from './framer.js';
import type { CaptureProblem, PacketSink } from './packet.js';
import { PcapFramer } from './pcap.js';
import { BLOCK_SHB, PcapngFramer } from './pcapng.js';

export type { CaptureFormat, SecretsSink } from './framer.js';

const MAGIC_BYTES = 4;

export class CaptureParser {
  private readonly ctx: CaptureContext;
  private framer: Framer | null = null;
  /** Bytes of a unit that started in an earlier chunk (or the first bytes, before the magic is known). */
  private carry = new Uint8Array(64 * 1024);
  private carryLen = 0;
  /** Offset in the stream of the first byte not yet handled (the carry starts here). */
  private consumed = 0;
  private pushed = 0;
  private ended = false;

  constructor(onPacket: PacketSink, onProblem: (p: CaptureProblem) => void, onSecrets?: SecretsSink) {
    this.ctx = new CaptureContext(onPacket, onProblem, onSecrets);
  }

  /** Bytes handled so far: every complete record or block (not a partial one waiting in the carry). */
  get bytesConsumed(): number {
    return this.consumed;
  }
  /** Bytes given to `push` so far. */
  get bytesPushed(): number {
    return this.pushed;
  }
  get packets(): number {
    return this.ctx.packets;
  }
  /** 'pcap' or 'pcapng' once the magic has been read. */
  get format(): CaptureFormat | undefined {
    return this.framer?.format;
  }
  /** Link types of the file (pcap) or of its interfaces (pcapng), in order of appearance. */
  get linkTypes(): readonly number[] {
    return this.ctx.linkTypes;
  }
  get secretsBlocks(): number {
    return this.ctx.secretsBlocks;
  }
  /** True after a fatal problem: further input is ignored. */
  get stopped(): boolean {
    return this.ctx.stopped;
  }

  push(chunk: Uint8Array): void {
    if (this.ctx.stopped || this.ended) return;
    this.pushed += chunk.length;
    let off = 0;
    if (this.framer === null) {
      if (this.carryLen + chunk.length < MAGIC_BYTES) {
        this.append(chunk, 0, chunk.length);
        return;
      }
      if (!this.sniff(chunk)) return;
    }
    if (this.carryLen > 0) {
      off = this.completeCarry(chunk);
      if (this.carryLen > 0 || this.ctx.stopped) return;
    }
    const stop = this.framer!.walk(chunk, off, chunk.length, this.consumed - off);
    this.consumed += stop - off;
    if (!this.ctx.stopped && stop < chunk.length) this.append(chunk, stop, chunk.length);
  }

  /** End of input: a partial last record is reported (not fatal: the packets before it stand). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.ctx.stopped) return;
    if (this.framer === null) {
      this.ctx.fatal(
        'not_a_capture',
        this.carryLen === 0 ? 'not a pcap or pcapng file (it is empty)' : `not a pcap or pcapng file (only ${this.carryLen} bytes)`,
        0,
      );
      return;
    }
    if (this.carryLen > 0) {
      const what = this.consumed === 0 ? 'file header' : 'record';
      this.ctx.warnOnce(
        'truncated_last_record',
        `capture ends inside a ${what}: ${this.carryLen} bytes at offset ${this.consumed} ignored`,
        this.consumed,
      );
    }
  }

  /** Chooses the framer from the first four bytes (some may still be in the carry). */
  private sniff(chunk: Uint8Array): boolean {
    let magic = 0;
    for (let i = 0; i < MAGIC_BYTES; i++) {
      const byte = i < this.carryLen ? this.carry[i]! : chunk[i - this.carryLen]!;
      magic = magic * 256 + byte;
    }
    if (PcapFramer.isMagic(magic)) {
      this.framer = new PcapFramer(this.ctx, magic);
    } else if (magic === BLOCK_SHB) {
      this.framer = new PcapngFramer(this.ctx);
    } else {
      const hex = [0, 1, 2, 3].map((s) => ((magic >>> (24 - 8 * s)) & 0xff).toString(16).padStart(2, '0')).join(' ');
      const gz = (magic >>> 16) === 0x1f8b ? 'gzip-compressed data, ' : '';
      this.ctx.fatal('not_a_capture', `not a pcap or pcapng file (${gz}starts with ${hex})`, 0);
      return false;
    }
    return true;
  }

  /**
   * Moves bytes from the chunk into the carry until the unit started there is complete, then
   * handles it. Returns the offset in the chunk where the rest of the chunk starts.
   */
  private completeCarry(chunk: Uint8Array): number {
    const framer = this.framer!;
    let off = 0;
    const head = framer.headBytes;
    if (this.carryLen < head) {
      const n = Math.min(head - this.carryLen, chunk.length);
      this.append(chunk, 0, n);
      off = n;
      if (this.carryLen < head) return off;
    }
    const size = framer.unitSize(this.carry, 0, this.consumed);
    if (size < 0) return off;
    const n = Math.min(size - this.carryLen, chunk.length - off);
    this.append(chunk, off, off + n);
    off += n;
    if (this.carryLen < size) return off;
    framer.unit(this.carry, 0, size, this.consumed);
    this.consumed += size;
    this.carryLen = 0;
    return off;
  }

  private append(chunk: Uint8Array, from: number, to: number): void {
    const need = this.carryLen + to - from;
    if (need > this.carry.length) {
      // A unit is at most LIMITS.maxRecordBytes (+ header): the framers stop before larger ones.
      const bigger = new Uint8Array(Math.max(need, this.carry.length * 2));
      bigger.set(this.carry.subarray(0, this.carryLen));
      this.carry = bigger;
    }
    this.carry.set(chunk.subarray(from, to), this.carryLen);
    this.carryLen = need;
  }
}
