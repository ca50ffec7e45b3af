/**
 * The frames of a decrypted Initial or Handshake packet (RFC 9000 §12.4, §19). RFC 9000 §12.5:
 * Initial and Handshake packets carry only "PADDING, PING, ACK, CRYPTO, CONNECTION_CLOSE (type
 * 0x1c)"; anything else there is a protocol violation, so the walk stops at it.
 *
 *   PADDING (0x00)       a single byte
 *   PING (0x01)          a single byte
 *   ACK (0x02..0x03)     Largest Acknowledged (i), ACK Delay (i), ACK Range Count (i),
 *                        First ACK Range (i), ACK Range (..) ... = Gap (i), ACK Range Length (i);
 *                        0x03 adds ECN Counts = ECT0 (i), ECT1 (i), ECN-CE (i)
 *   CRYPTO (0x06)        Offset (i), Length (i), Crypto Data (..)
 *   CONNECTION_CLOSE     0x1c: Error Code (i), Frame Type (i), Reason Phrase Length (i), Reason Phrase;
 *                        0x1d: the same without Frame Type
 */
import { QuicReader } from './quic-reader.js';

export interface FrameSink {
  /** A CRYPTO frame: its stream offset and a view of its data (valid during the call). */
  crypto(offset: number, data: Uint8Array): void;
  /** A CONNECTION_CLOSE frame. */
  connectionClose(errorCode: number, frameType: number | null, reason: Uint8Array): void;
}

const r = new QuicReader();

/**
 * Walks the frames of `payload`. Returns null when every frame was read, else the anomaly name
 * of what stopped the walk: quic_frame_malformed, quic_unexpected_frame.
 */
export function walkFrames(payload: Uint8Array, sink: FrameSink): string | null {
  r.reset(payload);
  const buf = payload;
  while (r.pos < r.end) {
    // PADDING runs are long (client Initials are padded to 1200 bytes): skip them in one loop.
    if (buf[r.pos] === 0x00) {
      let p = r.pos + 1;
      while (p < r.end && buf[p] === 0x00) p++;
      r.pos = p;
      continue;
    }
    const type = r.varint();
    switch (type) {
      case 0x01: // PING
        break;
      case 0x02:
      case 0x03: {
        r.varint(); // Largest Acknowledged
        r.varint(); // ACK Delay
        const ranges = r.varint();
        r.varint(); // First ACK Range
        // Each range is at least 2 bytes: a count beyond what is left is a lie.
        if (!r.ok || ranges > r.remaining / 2) return 'quic_frame_malformed';
        for (let i = 0; i < ranges; i++) {
          r.varint();
          r.varint();
        }
        if (type === 0x03) {
          r.varint();
          r.varint();
          r.varint();
        }
        break;
      }
      case 0x06: {
        const offset = r.varint();
        const length = r.varint();
        const data = r.bytes(length);
        if (!r.ok) return 'quic_frame_malformed';
        sink.crypto(offset, data);
        break;
      }
      case 0x1c:
      case 0x1d: {
        const code = r.varint();
        const frameType = type === 0x1c ? r.varint() : null;
        const reasonLength = r.varint();
        const reason = r.bytes(reasonLength);
        if (!r.ok) return 'quic_frame_malformed';
        sink.connectionClose(code, frameType, reason);
        break;
      }
      default:
        return r.ok ? 'quic_unexpected_frame' : 'quic_frame_malformed';
    }
    if (!r.ok) return 'quic_frame_malformed';
  }
  return null;
}

/** gQUIC's lengths in 2-bit codes: 00 -> 1, 01 -> 2, 10 -> 4, 11 -> 6 bytes. */
const GQUIC_LENGTHS = [1, 2, 4, 6] as const;

/**
 * Google QUIC T050/T051 (TLS inside, draft-style long headers) still use Google's own frame
 * encoding, not RFC 9000's. Only the frames of a handshake packet are read (as Chromium's
 * QuicFramer writes them for these versions):
 *   0x00 PADDING   the rest of the packet
 *   0x07 PING
 *   0x08 CRYPTO    Offset (i), Length (i), Crypto Data — the same fields as RFC 9000's
 *   0x40..0x7f ACK type bits 0x20 "has several ACK blocks", 0x0c largest-acked length code,
 *                  0x03 ACK-block length code; Largest Acked, ACK Delay (16), [Num Blocks (8)],
 *                  First Block, {Gap (8), Block}..., Num Timestamps (8), timestamps
 * Anything else stops the walk (quic_unexpected_frame).
 */
export function walkGoogleFrames(payload: Uint8Array, sink: FrameSink): string | null {
  r.reset(payload);
  while (r.pos < r.end) {
    const type = r.u8();
    if (type === 0x00) return null; // gQUIC padding: the rest of the packet
    if (type === 0x07) continue;
    if (type === 0x08) {
      const offset = r.varint();
      const length = r.varint();
      const data = r.bytes(length);
      if (!r.ok) return 'quic_frame_malformed';
      sink.crypto(offset, data);
      continue;
    }
    if ((type & 0xc0) === 0x40) {
      const largestLen = GQUIC_LENGTHS[(type >> 2) & 0x03]!;
      const blockLen = GQUIC_LENGTHS[type & 0x03]!;
      r.skip(largestLen + 2);
      const blocks = (type & 0x20) !== 0 ? r.u8() : 0;
      r.skip(blockLen + blocks * (1 + blockLen));
      const timestamps = r.u8();
      if (timestamps > 0) r.skip(1 + 4 + (timestamps - 1) * (1 + 2));
      if (!r.ok) return 'quic_frame_malformed';
      continue;
    }
    return r.ok ? 'quic_unexpected_frame' : 'quic_frame_malformed';
  }
  return null;
}
