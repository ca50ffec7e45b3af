/**
 * What the capture framers (pcap.ts, pcapng.ts) share: the state of one parse (the reused packet
 * object, the sinks, counters) and the contract through which CaptureParser drives them.
 *
 * Both formats are a sequence of self-delimiting units (a pcap record, a pcapng block) whose size
 * is known from a short head. CaptureParser hands a framer whole chunks to walk in place and only
 * assembles a unit in its carry buffer when the unit straddles two chunks.
 */
import type { CapturedPacket, CaptureProblem, PacketSink } from './packet.js';

/** Receives the secrets of a pcapng Decryption Secrets Block; `data` is valid during the call only. */
export type SecretsSink = (secretsType: number, data: Uint8Array) => void;

export type CaptureFormat = 'pcap' | 'pcapng';

export interface Framer {
  readonly format: CaptureFormat;
  /** Bytes needed before `unitSize` can tell the size of the next unit. */
  readonly headBytes: number;
  /**
   * Size in bytes of the unit starting at b[off] (headBytes of it are available), or -1 after
   * reporting a fatal problem. `pos` is the unit's offset in the whole stream.
   */
  unitSize(b: Uint8Array, off: number, pos: number): number;
  /** Handles one complete unit of `size` bytes at b[off]. */
  unit(b: Uint8Array, off: number, size: number, pos: number): void;
  /**
   * Handles every complete unit in b[off, end) in place and returns the offset of the first
   * unit that is not complete (or where a fatal problem stopped the walk).
   * `base` + an index in b = the offset in the whole stream.
   */
  walk(b: Uint8Array, off: number, end: number, base: number): number;
}

/** The state of one parse that the framers write into. */
export class CaptureContext {
  /** The one packet object handed to the sink, refilled for every packet. */
  readonly packet: CapturedPacket = {
    tsUs: 0,
    linkType: 0,
    buf: new Uint8Array(0),
    start: 0,
    end: 0,
    origLen: 0,
    interfaceId: 0,
  };
  packets = 0;
  /** Set by a fatal problem: nothing more is read. */
  stopped = false;
  /** Link types of the interfaces seen, in order of first appearance. */
  readonly linkTypes: number[] = [];
  secretsBlocks = 0;
  private readonly warned = new Set<string>();

  constructor(
    readonly onPacket: PacketSink,
    private readonly onProblem: (p: CaptureProblem) => void,
    readonly onSecrets: SecretsSink | undefined,
  ) {}

  fatal(name: string, message: string, offset: number): void {
    if (this.stopped) return;
    this.stopped = true;
    this.onProblem({ name, message, offset, fatal: true });
  }

  /**
   * A non-fatal problem, reported the first time only: a damaged file would otherwise repeat
   * the same line for every record.
   */
  warnOnce(name: string, message: string, offset: number): void {
    if (this.warned.has(name)) return;
    this.warned.add(name);
    this.onProblem({ name, message, offset, fatal: false });
  }

  addLinkType(linkType: number): void {
    if (!this.linkTypes.includes(linkType)) this.linkTypes.push(linkType);
  }
}

// Unsigned integer readers; the caller has checked the bounds.
export function u16le(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}
export function u16be(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}
export function u32le(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}
export function u32be(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}
