/**
 * Classic pcap framing.
 * @see draft-ietf-opsawg-pcap ("PCAP Capture File Format"): §4 File Header, §5 Packet Record
 *
 * The file header's magic gives the byte order of every field after it (the writer's own) and
 * the timestamp resolution: 0xA1B2C3D4 microseconds, 0xA1B23C4D nanoseconds.
 */
import { LIMITS } from '../config/limits.js';
import { type CaptureContext, type Framer, u32be, u32le } from './framer.js';

const FILE_HEADER_BYTES = 24;

/** Magic numbers as read big-endian from the first 4 bytes of the file. */
export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
/** Alexey Kuznetzov's patched libpcap: 8 more bytes per record header (ifindex, protocol, type). */
export const PCAP_MAGIC_KUZNETZOV = 0xa1b2cd34;

const PCAP_MAGICS: readonly number[] = [PCAP_MAGIC_US, PCAP_MAGIC_NS, PCAP_MAGIC_KUZNETZOV];

function bswap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

/**
 * §4 "LinkType and additional information": the link type is the low 16 bits; the top bits
 * announce an FCS at the end of each packet, which we leave in the data (IP lengths cut it off).
 */
const LINK_TYPE_MASK = 0x0000ffff;

export class PcapFramer implements Framer {
  readonly format = 'pcap';
  headBytes = FILE_HEADER_BYTES;
  private inFileHeader = true;
  private readonly le: boolean;
  private readonly nanos: boolean;
  private readonly recordHeaderBytes: number;
  private snaplen = 0;
  /** Captured lengths up to this need no check (the smaller of the snaplen and our cap). */
  private plainCaplen = 0;
  private linkType = 0;

  /** `magic` is the first 4 bytes read big-endian; CaptureParser only calls us for a pcap magic. */
  constructor(
    private readonly ctx: CaptureContext,
    magic: number,
  ) {
    // Written big-endian when the magic reads as itself in big-endian order.
    this.le = !PCAP_MAGICS.includes(magic);
    const m = this.le ? bswap32(magic) : magic;
    this.nanos = m === PCAP_MAGIC_NS;
    this.recordHeaderBytes = m === PCAP_MAGIC_KUZNETZOV ? 24 : 16;
  }

  static isMagic(magicBE: number): boolean {
    const m = PCAP_MAGICS.includes(magicBE) ? magicBE : bswap32(magicBE);
    return PCAP_MAGICS.includes(m);
  }

  unitSize(b: Uint8Array, off: number, pos: number): number {
    if (this.inFileHeader) return FILE_HEADER_BYTES;
    const caplen = this.le ? u32le(b, off + 8) : u32be(b, off + 8);
    if (!this.checkCaplen(caplen, pos)) return -1;
    return this.recordHeaderBytes + caplen;
  }

  unit(b: Uint8Array, off: number, size: number): void {
    if (this.inFileHeader) {
      this.fileHeader(b, off);
      return;
    }
    this.record(b, off, off + size);
  }

  walk(b: Uint8Array, off: number, end: number, base: number): number {
    if (this.inFileHeader) {
      if (end - off < FILE_HEADER_BYTES) return off;
      this.fileHeader(b, off);
      off += FILE_HEADER_BYTES;
    }
    // The hot loop: one record header read, one view, one sink call per packet.
    const hdr = this.recordHeaderBytes;
    const le = this.le;
    while (end - off >= hdr) {
      const caplen = le ? u32le(b, off + 8) : u32be(b, off + 8);
      if (caplen > this.plainCaplen && !this.checkCaplen(caplen, base + off)) return off;
      const next = off + hdr + caplen;
      if (next > end) break;
      this.record(b, off, next);
      off = next;
    }
    return off;
  }

  private fileHeader(b: Uint8Array, off: number): void {
    const rd = this.le ? u32le : u32be;
    this.snaplen = rd(b, off + 16);
    this.plainCaplen = this.snaplen === 0 ? LIMITS.maxRecordBytes : Math.min(this.snaplen, LIMITS.maxRecordBytes);
    this.linkType = rd(b, off + 20) & LINK_TYPE_MASK;
    this.ctx.addLinkType(this.linkType);
    this.inFileHeader = false;
    this.headBytes = this.recordHeaderBytes;
  }

  /** §5: a captured length above the snaplen is odd; above our record cap it means a damaged file. */
  private checkCaplen(caplen: number, pos: number): boolean {
    if (caplen > LIMITS.maxRecordBytes) {
      this.ctx.fatal(
        'pcap_record_too_large',
        `record at offset ${pos} claims ${caplen} captured bytes (limit ${LIMITS.maxRecordBytes}): damaged file`,
        pos,
      );
      return false;
    }
    if (caplen > this.snaplen && this.snaplen !== 0) {
      this.ctx.warnOnce(
        'pcap_caplen_exceeds_snaplen',
        `record at offset ${pos} has ${caplen} captured bytes, more than the snaplen ${this.snaplen}`,
        pos,
      );
    }
    return true;
  }

  private record(b: Uint8Array, off: number, next: number): void {
    const ctx = this.ctx;
    const pkt = ctx.packet;
    let sec: number;
    let frac: number;
    if (this.le) {
      sec = u32le(b, off);
      frac = u32le(b, off + 4);
      pkt.origLen = u32le(b, off + 12);
    } else {
      sec = u32be(b, off);
      frac = u32be(b, off + 4);
      pkt.origLen = u32be(b, off + 12);
    }
    // sec * 1e6 < 2^53: exact. Nanoseconds are rounded down to whole microseconds.
    pkt.tsUs = sec * 1e6 + (this.nanos ? Math.floor(frac / 1000) : frac);
    pkt.linkType = this.linkType;
    pkt.interfaceId = 0;
    pkt.buf = b;
    pkt.start = off + this.recordHeaderBytes;
    pkt.end = next;
    ctx.packets++;
    ctx.onPacket(pkt);
  }
}
