/**
 * pcapng framing.
 * @see draft-ietf-opsawg-pcapng ("PCAP Now Generic (pcapng) Capture File Format")
 *
 * A file is one or more sections. Each starts with a Section Header Block whose byte-order
 * magic sets the byte order of every block up to the next SHB (§4.1), and has its own list of
 * interfaces (IDBs, numbered from 0 in order of appearance, §4.2), each with its own link type,
 * snaplen and timestamp resolution/offset. Packets come in Enhanced (§4.3), Simple (§4.4) and
 * the obsolete Packet Blocks (Appendix A); secrets in Decryption Secrets Blocks (§4.7).
 * Every other block is skipped by its length (§3.1: "a reader ... MUST skip" unknown blocks).
 */
import { LIMITS } from '../config/limits.js';
import { type CaptureContext, type Framer, u16be, u16le, u32be, u32le } from './framer.js';

export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
export const BLOCK_OPB = 0x00000002;
export const BLOCK_SPB = 0x00000003;
export const BLOCK_EPB = 0x00000006;
export const BLOCK_DSB = 0x0000000a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** §4.2 IDB options used here. */
const OPT_END = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

const TWO_32 = 4294967296;

/**
 * How one interface's 64-bit timestamps become microseconds (§4.2 if_tsresol: units of
 * 10^-n seconds, or 2^-n when the high bit of the option byte is set; default 10^-6).
 */
const TsScale = {
  /** Units of 10^-n s with n <= 6: multiply by 10^(6-n). */
  Multiply: 0,
  /** Units of 10^-n s with 6 < n <= 12: divide by 10^(n-6) (<= 2^21, so exact in doubles). */
  Divide: 1,
  /** Anything else (finer than ps, powers of 2): BigInt, slow but rare. */
  Big: 2,
} as const;
type TsScale = (typeof TsScale)[keyof typeof TsScale];

class Interface {
  scale: TsScale = TsScale.Multiply;
  factor = 1;
  unitsPerSecond = 1_000_000n;
  /** if_tsoffset, in microseconds. */
  offsetUs = 0;
  constructor(
    readonly linkType: number,
    readonly snaplen: number,
  ) {}

  setResolution(v: number): void {
    if (v & 0x80) {
      this.scale = TsScale.Big;
      this.unitsPerSecond = 1n << BigInt(v & 0x7f);
    } else if (v <= 6) {
      this.scale = TsScale.Multiply;
      this.factor = 10 ** (6 - v);
    } else if (v <= 12) {
      this.scale = TsScale.Divide;
      this.factor = 10 ** (v - 6);
    } else {
      this.scale = TsScale.Big;
      this.unitsPerSecond = 10n ** BigInt(v);
    }
  }

  /** Microseconds since the epoch, rounded down, from the timestamp's two 32-bit halves. */
  tsUs(hi: number, lo: number): number {
    switch (this.scale) {
      case TsScale.Multiply:
        return (hi * TWO_32 + lo) * this.factor + this.offsetUs;
      case TsScale.Divide: {
        // Long division on the halves keeps every intermediate below 2^53 (ns since 1970 is ~2^61).
        const d = this.factor;
        const q = Math.floor(hi / d);
        const low = (hi - q * d) * TWO_32 + lo; // < d * 2^32 <= 2^53
        let f = Math.floor(low / d);
        if (f * d > low) f--; // the float division may round up to the next integer
        return q * TWO_32 + f + this.offsetUs;
      }
      case TsScale.Big: {
        const units = (BigInt(hi) << 32n) | BigInt(lo);
        return Number((units * 1_000_000n) / this.unitsPerSecond) + this.offsetUs;
      }
    }
  }
}

export class PcapngFramer implements Framer {
  readonly format = 'pcapng';
  /** Block type, total length and (for an SHB) the byte-order magic. */
  readonly headBytes = 12;
  /** Byte order of the current section. */
  private le = true;
  private interfaces: Interface[] = [];
  /** A Simple Packet Block has no timestamp: it gets the previous packet's. */
  private lastTsUs = 0;

  constructor(private readonly ctx: CaptureContext) {}

  private u32(b: Uint8Array, o: number): number {
    return this.le ? u32le(b, o) : u32be(b, o);
  }
  private u16(b: Uint8Array, o: number): number {
    return this.le ? u16le(b, o) : u16be(b, o);
  }

  unitSize(b: Uint8Array, off: number, pos: number): number {
    // The SHB type reads the same in both orders; its magic decides how to read its length.
    if (u32le(b, off) === BLOCK_SHB) {
      if (u32le(b, off + 8) === BYTE_ORDER_MAGIC) this.le = true;
      else if (u32be(b, off + 8) === BYTE_ORDER_MAGIC) this.le = false;
      else {
        this.ctx.fatal('pcapng_bad_byte_order_magic', `section header at offset ${pos} has no valid byte-order magic`, pos);
        return -1;
      }
    }
    const len = this.u32(b, off + 4);
    // §3.1: the total length counts the whole block, is a multiple of 4 and at least 12.
    if (len < 12 || (len & 3) !== 0 || len > LIMITS.maxRecordBytes) {
      this.ctx.fatal('pcapng_bad_block_length', `block at offset ${pos} has an impossible length ${len}: damaged file`, pos);
      return -1;
    }
    return len;
  }

  walk(b: Uint8Array, off: number, end: number, base: number): number {
    const ctx = this.ctx;
    while (end - off >= 12) {
      const size = this.unitSize(b, off, base + off);
      if (size < 0 || end - off < size) break;
      this.unit(b, off, size, base + off);
      if (ctx.stopped) break;
      off += size;
    }
    return off;
  }

  unit(b: Uint8Array, off: number, size: number, pos: number): void {
    const type = this.u32(b, off);
    if (this.u32(b, off + size - 4) !== size) {
      this.ctx.warnOnce('pcapng_block_length_mismatch', `block at offset ${pos}: trailing length differs from leading length ${size}`, pos);
    }
    switch (type) {
      case BLOCK_EPB:
        this.enhancedPacket(b, off, size, pos);
        break;
      case BLOCK_SPB:
        this.simplePacket(b, off, size, pos);
        break;
      case BLOCK_IDB:
        this.interfaceDescription(b, off, size, pos);
        break;
      case BLOCK_SHB:
        this.sectionHeader(b, off, size, pos);
        break;
      case BLOCK_OPB:
        this.obsoletePacket(b, off, size, pos);
        break;
      case BLOCK_DSB:
        this.decryptionSecrets(b, off, size, pos);
        break;
      default:
        break; // ISB, NRB, custom and unknown blocks: skipped
    }
  }

  /** §4.1: a new section forgets the previous section's interfaces. */
  private sectionHeader(b: Uint8Array, off: number, size: number, pos: number): void {
    if (size < 28) {
      this.ctx.fatal('pcapng_bad_block_length', `section header at offset ${pos} is too short (${size} bytes)`, pos);
      return;
    }
    const major = this.u16(b, off + 12);
    if (major !== 1) {
      // §4.1: a reader must not read a section whose major version it does not know.
      this.ctx.fatal('pcapng_unsupported_version', `section at offset ${pos} has pcapng version ${major}.${this.u16(b, off + 14)}`, pos);
      return;
    }
    this.interfaces = [];
  }

  /** §4.2: link type, snaplen, then options (if_tsresol, if_tsoffset matter here). */
  private interfaceDescription(b: Uint8Array, off: number, size: number, pos: number): void {
    if (size < 20) {
      this.ctx.warnOnce('pcapng_bad_block', `interface description block at offset ${pos} is too short`, pos);
      return;
    }
    const iface = new Interface(this.u16(b, off + 8), this.u32(b, off + 12));
    const end = off + size - 4;
    let o = off + 16;
    // §3.5 options: code (2), length (2), value padded to 32 bits; opt_endofopt ends the list.
    while (end - o >= 4) {
      const code = this.u16(b, o);
      const len = this.u16(b, o + 2);
      const v = o + 4;
      if (code === OPT_END || v + len > end) break;
      if (code === OPT_IF_TSRESOL && len >= 1) {
        iface.setResolution(b[v]!);
      } else if (code === OPT_IF_TSOFFSET && len >= 8) {
        // A signed 64-bit count of seconds.
        const lo = this.u32(b, this.le ? v : v + 4);
        const hi = this.u32(b, this.le ? v + 4 : v) | 0;
        iface.offsetUs = (hi * TWO_32 + lo) * 1e6;
      }
      o = v + ((len + 3) & ~3);
    }
    this.interfaces.push(iface);
    this.ctx.addLinkType(iface.linkType);
  }

  private iface(id: number, pos: number): Interface | undefined {
    const iface = this.interfaces[id];
    if (iface === undefined) {
      this.ctx.warnOnce('pcapng_unknown_interface', `packet at offset ${pos} names interface ${id}, which this section does not describe`, pos);
    }
    return iface;
  }

  /** §4.3: interface id, timestamp (high, low), captured length, original length, data, options. */
  private enhancedPacket(b: Uint8Array, off: number, size: number, pos: number): void {
    if (size < 32) {
      this.ctx.warnOnce('pcapng_bad_block', `enhanced packet block at offset ${pos} is too short`, pos);
      return;
    }
    const id = this.u32(b, off + 8);
    this.packet(b, off, size, pos, id, this.u32(b, off + 12), this.u32(b, off + 16));
  }

  /** Appendix A: like an EPB, with a 16-bit interface id and a 16-bit drops count. */
  private obsoletePacket(b: Uint8Array, off: number, size: number, pos: number): void {
    if (size < 32) {
      this.ctx.warnOnce('pcapng_bad_block', `packet block at offset ${pos} is too short`, pos);
      return;
    }
    const id = this.u16(b, off + 8);
    this.packet(b, off, size, pos, id, this.u32(b, off + 12), this.u32(b, off + 16));
  }

  /** EPB and OPB share the layout from offset 12 on. */
  private packet(b: Uint8Array, off: number, size: number, pos: number, id: number, tsHi: number, tsLo: number): void {
    const iface = this.iface(id, pos);
    if (iface === undefined) return;
    const caplen = this.u32(b, off + 20);
    if (caplen > size - 32) {
      this.ctx.warnOnce('pcapng_bad_caplen', `packet at offset ${pos} claims ${caplen} captured bytes in a ${size}-byte block`, pos);
      return;
    }
    const pkt = this.ctx.packet;
    pkt.tsUs = this.lastTsUs = iface.tsUs(tsHi, tsLo);
    pkt.linkType = iface.linkType;
    pkt.interfaceId = id;
    pkt.origLen = this.u32(b, off + 24);
    pkt.buf = b;
    pkt.start = off + 28;
    pkt.end = off + 28 + caplen;
    this.ctx.packets++;
    this.ctx.onPacket(pkt);
  }

  /**
   * §4.4: interface 0, original length, data; the captured length is the smaller of the original
   * length, the interface's snaplen and what the block holds.
   */
  private simplePacket(b: Uint8Array, off: number, size: number, pos: number): void {
    if (size < 16) {
      this.ctx.warnOnce('pcapng_bad_block', `simple packet block at offset ${pos} is too short`, pos);
      return;
    }
    const iface = this.iface(0, pos);
    if (iface === undefined) return;
    const origLen = this.u32(b, off + 8);
    let caplen = Math.min(origLen, size - 16);
    if (iface.snaplen !== 0 && caplen > iface.snaplen) caplen = iface.snaplen;
    const pkt = this.ctx.packet;
    pkt.tsUs = this.lastTsUs;
    pkt.linkType = iface.linkType;
    pkt.interfaceId = 0;
    pkt.origLen = origLen;
    pkt.buf = b;
    pkt.start = off + 12;
    pkt.end = off + 12 + caplen;
    this.ctx.packets++;
    this.ctx.onPacket(pkt);
  }

  /** §4.7: secrets type, secrets length, secrets data (e.g. a TLS key log, type 0x544c534b). */
  private decryptionSecrets(b: Uint8Array, off: number, size: number, pos: number): void {
    const len = size >= 20 ? this.u32(b, off + 12) : -1;
    if (len < 0 || len > size - 20) {
      this.ctx.warnOnce('pcapng_bad_block', `decryption secrets block at offset ${pos} is malformed`, pos);
      return;
    }
    this.ctx.secretsBlocks++;
    this.ctx.onSecrets?.(this.u32(b, off + 8), b.subarray(off + 16, off + 16 + len));
  }
}
