/**
 * Handshake message framing over the handshake byte stream (RFC 8446 §4, RFC 5246 §7.4):
 *
 *   struct {
 *       HandshakeType msg_type;    // 1 byte
 *       uint24 length;             // bytes in message
 *       opaque body[length];
 *   } Handshake;
 *
 * RFC 8446 §5.1: "Handshake messages MAY be coalesced into a single TLSPlaintext record or
 * fragmented across several records". The framer takes the handshake bytes in whatever pieces
 * they arrive (records, TCP segments, QUIC CRYPTO frames) and emits whole messages.
 *
 * A message that lies inside one `push()` is handed out as a view of the caller's bytes (valid
 * only during the callback); only a message that straddles pushes is copied, into a buffer of
 * exactly its size, allocated once its header is known. A header announcing more than
 * LIMITS.maxHandshakeMessageBytes makes `push()` return false: the framer is then dead.
 */

import { LIMITS } from '../config/limits.js';

export interface HandshakeMessageSink {
  /**
   * One complete handshake message. `body` excludes the 4-byte header and is valid only during
   * the call. `recordVersion` is the record-layer version of the record where the message
   * started (0 when the transport has none, e.g. QUIC).
   */
  onHandshake(msgType: number, body: Uint8Array, recordVersion: number): void;
}

const EMPTY = new Uint8Array(0);

export class HandshakeFramer {
  /** Header bytes of a message whose header straddles pushes (allocated on first need). */
  private head: Uint8Array | null = null;
  private headFill = 0;
  /** Body of a message that straddles pushes. */
  private msg: Uint8Array | null = null;
  private msgFill = 0;
  private msgType = 0;
  /** Record version where the pending message (header or body) started. */
  private msgVersion = 0;
  private dead = false;

  constructor(private readonly sink: HandshakeMessageSink) {}

  /** True while part of a message is buffered. */
  get pending(): boolean {
    return this.headFill > 0 || this.msg !== null;
  }

  /** Drops a partial message (e.g. the stream switched to encrypted records). */
  reset(): void {
    this.headFill = 0;
    this.msg = null;
    this.msgFill = 0;
  }

  /**
   * Feeds `data[start, end)`. Returns false when a message exceeds the size cap (then and
   * afterwards); the caller records `handshake_message_limit_reached`.
   */
  push(data: Uint8Array, start: number, end: number, recordVersion: number): boolean {
    if (this.dead) return false;
    let off = start;
    while (off < end) {
      // 1. Continue a message body that straddles pushes.
      if (this.msg !== null) {
        const take = Math.min(this.msg.length - this.msgFill, end - off);
        this.msg.set(data.subarray(off, off + take), this.msgFill);
        this.msgFill += take;
        off += take;
        if (this.msgFill === this.msg.length) {
          const body = this.msg;
          this.msg = null;
          this.sink.onHandshake(this.msgType, body, this.msgVersion);
        }
        continue;
      }

      // 2. Complete a header that straddles pushes.
      if (this.headFill > 0) {
        const head = this.head!;
        const take = Math.min(4 - this.headFill, end - off);
        head.set(data.subarray(off, off + take), this.headFill);
        this.headFill += take;
        off += take;
        if (this.headFill < 4) return true;
        this.headFill = 0;
        const len = (head[1]! << 16) | (head[2]! << 8) | head[3]!;
        if (!this.begin(head[0]!, len, this.msgVersion)) return false;
        continue;
      }

      // 3. At a message boundary.
      const avail = end - off;
      if (avail < 4) {
        this.head ??= new Uint8Array(4);
        this.head.set(data.subarray(off, end), 0);
        this.headFill = avail;
        this.msgVersion = recordVersion;
        return true;
      }
      const type = data[off]!;
      const len = (data[off + 1]! << 16) | (data[off + 2]! << 8) | data[off + 3]!;
      off += 4;
      if (avail - 4 >= len) {
        // Whole message in this push: a view, no copy. (The cap applies here too, so that
        // the outcome does not depend on how the bytes were split.)
        if (len > LIMITS.maxHandshakeMessageBytes) return this.die();
        this.sink.onHandshake(type, data.subarray(off, off + len), recordVersion);
        off += len;
      } else if (!this.begin(type, len, recordVersion)) {
        return false;
      }
    }
    return true;
  }

  /** Starts a message whose body has not arrived yet (or is empty). */
  private begin(type: number, len: number, version: number): boolean {
    if (len > LIMITS.maxHandshakeMessageBytes) return this.die();
    if (len === 0) {
      this.sink.onHandshake(type, EMPTY, version);
      return true;
    }
    this.msg = new Uint8Array(len);
    this.msgFill = 0;
    this.msgType = type;
    this.msgVersion = version;
    return true;
  }

  private die(): false {
    this.dead = true;
    this.reset();
    return false;
  }
}
