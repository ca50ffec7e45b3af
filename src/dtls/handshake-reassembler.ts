/**
 * DTLS handshake message reassembly for one direction (RFC 6347 §4.2.2-§4.2.3; RFC 9147 §5.2,
 * §5.5 keep the same header):
 *
 *   struct {
 *       HandshakeType msg_type;
 *       uint24 length;
 *       uint16 message_seq;
 *       uint24 fragment_offset;
 *       uint24 fragment_length;
 *       select (HandshakeType) { ... } body;
 *   } Handshake;
 *
 * §4.2.3: "each handshake message may be fragmented over several DTLS records ... When
 * transmitting the handshake message, the sender divides the message into a series of N
 * contiguous data ranges ... The receiver MUST buffer all handshake fragments and reassemble
 * them"; "fragments may overlap"; retransmissions repeat the same message_seq. A message whose
 * fragments all came in one piece is handed out as a view (no copy); otherwise the body is
 * assembled in a buffer of its announced size (<= LIMITS.maxHandshakeMessageBytes), with at most
 * LIMITS.maxDtlsFragments distinct ranges. Each message_seq is delivered once.
 *
 * Anomaly names (returned): dtls_handshake_malformed, dtls_fragment_mismatch,
 * handshake_message_limit_reached, dtls_fragments_limit_reached.
 */
import { LIMITS } from '../config/limits.js';

export const DTLS_HANDSHAKE_HEADER = 12;

export interface DtlsMessageSink {
  /** A complete message; `body` is valid during the call only. */
  onMessage(msgType: number, messageSeq: number, body: Uint8Array, recordVersion: number): void;
}

interface Pending {
  type: number;
  buf: Uint8Array;
  /** Covered byte ranges [start, end), sorted and merged. */
  ranges: number[];
  recordVersion: number;
}

/** Messages being reassembled at once per direction; more means junk. */
const MAX_PENDING = 8;
/** message_seq values remembered as delivered (a handshake has about a dozen). */
const MAX_DELIVERED = 64;

export class DtlsHandshakeReassembler {
  private readonly pending = new Map<number, Pending>();
  private readonly delivered = new Set<number>();

  constructor(private readonly sink: DtlsMessageSink) {}

  /**
   * The body of a plaintext handshake record: one or more handshake fragments. Returns the first
   * anomaly met (the rest of the record is then skipped), or null.
   */
  record(body: Uint8Array, recordVersion: number): string | null {
    let off = 0;
    while (off < body.length) {
      if (body.length - off < DTLS_HANDSHAKE_HEADER) return 'dtls_handshake_malformed';
      const type = body[off]!;
      const length = u24(body, off + 1);
      const seq = (body[off + 4]! << 8) | body[off + 5]!;
      const fragOff = u24(body, off + 6);
      const fragLen = u24(body, off + 9);
      off += DTLS_HANDSHAKE_HEADER;
      if (fragLen > body.length - off || fragOff + fragLen > length) return 'dtls_handshake_malformed';
      const frag = body.subarray(off, off + fragLen);
      off += fragLen;
      const a = this.fragment(type, length, seq, fragOff, frag, recordVersion);
      if (a !== null) return a;
    }
    return null;
  }

  private fragment(type: number, length: number, seq: number, fragOff: number, frag: Uint8Array, recordVersion: number): string | null {
    if (this.delivered.has(seq)) return null; // a retransmission
    if (length > LIMITS.maxHandshakeMessageBytes) return 'handshake_message_limit_reached';
    let p = this.pending.get(seq);
    if (p === undefined) {
      if (fragOff === 0 && frag.length === length) {
        // The whole message in one fragment: no copy.
        this.deliver(seq, type, frag, recordVersion);
        return null;
      }
      if (this.pending.size >= MAX_PENDING) return 'dtls_fragments_limit_reached';
      p = { type, buf: new Uint8Array(length), ranges: [], recordVersion };
      this.pending.set(seq, p);
    } else if (p.type !== type || p.buf.length !== length) {
      return 'dtls_fragment_mismatch';
    }
    if (frag.length === 0) return null;
    p.buf.set(frag, fragOff);
    if (!addRange(p.ranges, fragOff, fragOff + frag.length)) {
      this.pending.delete(seq);
      return 'dtls_fragments_limit_reached';
    }
    if (p.ranges.length === 2 && p.ranges[0] === 0 && p.ranges[1] === length) {
      this.pending.delete(seq);
      this.deliver(seq, type, p.buf, p.recordVersion);
    }
    return null;
  }

  private deliver(seq: number, type: number, body: Uint8Array, recordVersion: number): void {
    if (this.delivered.size < MAX_DELIVERED) this.delivered.add(seq);
    this.sink.onMessage(type, seq, body, recordVersion);
  }
}

function u24(b: Uint8Array, at: number): number {
  return (b[at]! << 16) | (b[at + 1]! << 8) | b[at + 2]!;
}

/** Adds [start, end) to sorted, merged ranges (flat pairs). False when too many ranges remain. */
function addRange(ranges: number[], start: number, end: number): boolean {
  const out: number[] = [];
  let s = start;
  let e = end;
  let placed = false;
  for (let i = 0; i < ranges.length; i += 2) {
    const rs = ranges[i]!;
    const re = ranges[i + 1]!;
    if (re < s) {
      out.push(rs, re);
    } else if (rs > e) {
      if (!placed) {
        out.push(s, e);
        placed = true;
      }
      out.push(rs, re);
    } else {
      s = Math.min(s, rs);
      e = Math.max(e, re);
    }
  }
  if (!placed) out.push(s, e);
  ranges.length = 0;
  for (const v of out) ranges.push(v);
  return ranges.length / 2 <= LIMITS.maxDtlsFragments;
}
