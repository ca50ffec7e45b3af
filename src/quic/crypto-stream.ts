/**
 * Reassembly of one QUIC CRYPTO stream (one encryption level, one direction) by offset
 * (RFC 9000 §19.6: "The stream does not have an explicit end, so CRYPTO frames do not have a
 * FIN bit"; §7.5: "Endpoints MUST be able to deliver cryptographic handshake data in order.
 * ... implementations MUST support buffering at least 4096 bytes of out-of-order CRYPTO frame
 * data"). Frames arrive out of order, duplicated, overlapping, spread over several packets and
 * datagrams (a post-quantum ClientHello spans two or three Initial packets). In-order bytes go
 * straight to a HandshakeFramer (no copy unless a message straddles frames); bytes ahead of a gap
 * are copied and held, within LIMITS.maxQuicCryptoBytes of stream and
 * LIMITS.maxQuicCryptoFragments pieces.
 *
 * Anomaly names (returned by `add`): quic_crypto_limit_reached,
 * quic_crypto_fragments_limit_reached, handshake_message_limit_reached.
 */
import { LIMITS } from '../config/limits.js';
import { HandshakeFramer, type HandshakeMessageSink } from '../tls/handshake-framer.js';

interface Fragment {
  offset: number;
  data: Uint8Array;
}

export class CryptoStream {
  /** Next stream offset the framer expects. */
  private next = 0;
  /** Held out-of-order fragments (owned copies), sorted by offset, none below `next`. */
  private held: Fragment[] = [];
  private heldBytes = 0;
  private readonly framer: HandshakeFramer;
  private dead = false;

  constructor(sink: HandshakeMessageSink) {
    this.framer = new HandshakeFramer(sink);
  }

  /** Stream bytes delivered in order so far. */
  get delivered(): number {
    return this.next;
  }

  /** True when bytes beyond a gap are waiting. */
  get hasGap(): boolean {
    return this.held.length > 0;
  }

  /** Forgets everything: a new attempt starts the stream again at offset 0 (e.g. after Version Negotiation). */
  reset(): void {
    this.next = 0;
    this.held = [];
    this.heldBytes = 0;
    this.framer.reset();
    this.dead = false;
  }

  /** One CRYPTO frame. `data` is read during the call only. Returns an anomaly name or null. */
  add(offset: number, data: Uint8Array): string | null {
    if (this.dead) return null;
    let anomaly: string | null = null;
    let end = offset + data.length;
    const cap = LIMITS.maxQuicCryptoBytes;
    if (end > cap) {
      anomaly = 'quic_crypto_limit_reached';
      if (offset >= cap) return anomaly;
      data = data.subarray(0, cap - offset);
      end = cap;
    }
    if (end <= this.next || data.length === 0) return anomaly; // already delivered
    if (offset <= this.next) {
      if (!this.deliver(data.subarray(this.next - offset))) return 'handshake_message_limit_reached';
      return this.drain() ?? anomaly;
    }
    return this.hold(offset, data) ?? anomaly;
  }

  private deliver(bytes: Uint8Array): boolean {
    this.next += bytes.length;
    if (!this.framer.push(bytes, 0, bytes.length, 0)) {
      this.dead = true;
      this.held = [];
      return false;
    }
    return true;
  }

  /** Delivers held fragments that the stream has now reached. */
  private drain(): string | null {
    while (this.held.length > 0 && this.held[0]!.offset <= this.next) {
      const f = this.held.shift()!;
      this.heldBytes -= f.data.length;
      const fEnd = f.offset + f.data.length;
      if (fEnd > this.next && !this.deliver(f.data.subarray(this.next - f.offset))) return 'handshake_message_limit_reached';
    }
    return null;
  }

  private hold(offset: number, data: Uint8Array): string | null {
    if (this.held.length >= LIMITS.maxQuicCryptoFragments) return 'quic_crypto_fragments_limit_reached';
    if (this.heldBytes + data.length > LIMITS.maxQuicCryptoBytes) return 'quic_crypto_limit_reached';
    let i = this.held.length;
    while (i > 0 && this.held[i - 1]!.offset > offset) i--;
    this.held.splice(i, 0, { offset, data: data.slice() });
    this.heldBytes += data.length;
    return null;
  }
}
