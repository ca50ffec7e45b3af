/**
 * The TLS handshake carried inside OpenVPN's control channel, out of one direction of an
 * OpenVPN-over-TCP stream (`push`) or of an OpenVPN-over-UDP flow (`datagram`: one whole packet
 * per datagram, no length prefix). Both feed the same packet reader below. From the protocol notes in OpenVPN's ssl.h / ssl_pkt.h (read for the
 * layout only):
 *
 *   "Packet length (16 bits, unsigned) -- TCP only, always sent as plaintext."
 *   "Packet opcode/key_id (8 bits) ... packet message type, a P_* constant (high 5 bits)
 *    key_id (low 3 bits)"
 *   "P_CONTROL* and P_ACK Payload: session_id (random 64 bit value to identify session), hmac for
 *    authentication (usually 16 or 20 bytes), packet-id for replay protection (4 or 8 bytes,
 *    includes sequence number and optional time_t timestamp), acknowledge packet_id array length
 *    (1 byte), acknowledge packet-id array (if length > 0), acknowledge remote session_id (if
 *    length > 0), message packet-id (4 bytes), TLS payload ciphertext (n bytes) (only for
 *    P_CONTROL)" — and P_ACK_V1 has no message packet-id.
 *
 * The HMAC and replay packet-id are there only with --tls-auth; their size (the "wrap") is not
 * written anywhere, so it is inferred once, from the first control packet of the direction: a hard
 * reset has a fixed layout (no payload, message packet-id 0) and exactly one wrap size makes it
 * parse to its last byte. With --tls-crypt / tls-crypt-v2 everything after the replay packet-id
 * is encrypted: nothing can be read (`openvpn_tls_crypt`, the extractor stops).
 *
 * The message packet-ids of the hard reset and of the P_CONTROL_V1 packets that follow form one
 * reliable sequence per key_id. TLS bytes are handed on in that order: retransmissions (an id
 * already handed on or held) are dropped, packets ahead of a missing id are copied and held
 * (LIMITS.maxOpenVpnHeldPackets). Only the key_id of the first control packet (the initial TLS
 * session) is followed; a renegotiation under another key_id is not TLS the owner wants.
 *
 * Over UDP, loss and reordering are the normal case: a lost packet is retransmitted by the peer
 * with the same message packet-id, so the ordering above fills the hole and drops repeats.
 *
 * What is buffered: a packet's 2-byte length and opcode that straddle pushes (3 bytes), a control
 * packet that straddles pushes (copied once, ≤ LIMITS.maxOpenVpnPacketBytes), held packets. Data
 * packets are never buffered, and the first one ends the extractor's work: the data channel only
 * opens after this side's part of the handshake, so nothing later belongs to it.
 *
 * Nothing throws. Anomaly names (each recorded once):
 *   stop:      openvpn_tls_crypt, openvpn_malformed (framing or layout unreadable),
 *              openvpn_unknown_opcode, openvpn_packet_limit_reached
 *   go on:     openvpn_malformed_packet (that packet skipped),
 *              openvpn_reorder_limit_reached (that packet dropped)
 */
import { LIMITS } from '../config/limits.js';
import { u16, u32 } from './sniffer.js';
import { isTlsRecordHeader } from './tls.js';

const P_CONTROL_HARD_RESET_CLIENT_V1 = 1;
const P_CONTROL_HARD_RESET_SERVER_V1 = 2;
const P_CONTROL_SOFT_RESET_V1 = 3;
const P_CONTROL_V1 = 4;
const P_ACK_V1 = 5;
const P_DATA_V1 = 6;
const P_CONTROL_HARD_RESET_CLIENT_V2 = 7;
const P_CONTROL_HARD_RESET_SERVER_V2 = 8;
const P_DATA_V2 = 9;
/** Sent only with tls-crypt-v2 (the client's wrapped key follows the tls-crypt packet). */
const P_CONTROL_HARD_RESET_CLIENT_V3 = 10;
/** tls-crypt-v2: a control packet that carries the wrapped client key again. */
const P_CONTROL_WKC_V1 = 11;

const HARD_RESETS: ReadonlySet<number> = new Set([
  P_CONTROL_HARD_RESET_CLIENT_V1,
  P_CONTROL_HARD_RESET_SERVER_V1,
  P_CONTROL_HARD_RESET_CLIENT_V2,
  P_CONTROL_HARD_RESET_SERVER_V2,
]);

/** opcode/key_id (1) + session_id (8). */
const SESSION_END = 9;
/**
 * Bytes between the session_id and the ack array: none, or with --tls-auth an HMAC (MD5, SHA-1,
 * SHA-256, SHA-384, SHA-512) followed by the replay packet-id (4) and net_time (4).
 */
const WRAP_SIZES = [0, 16 + 8, 20 + 8, 32 + 8, 48 + 8, 64 + 8] as const;
/** The ack array holds at most this many packet-ids (RELIABLE_ACK_SIZE) in a well-formed first packet. */
const MAX_ACKS = 8;
/**
 * Shortest tls-crypt hard reset: opcode, session_id, replay packet-id and time (8), tag (32), then
 * the encrypted ack array length and message packet-id (5).
 */
const TLS_CRYPT_MIN_RESET = SESSION_END + 8 + 32 + 5;
/** Control packets looked at, when the first one of a direction is not a hard reset, before giving up on the layout. */
const MAX_LAYOUT_TRIES = 8;

const EMPTY = new Uint8Array(0);

/** Where the fields of one control packet are, for a given wrap size. */
interface Layout {
  acks: number;
  /** Message packet-id; -1 in a P_ACK_V1, which has none. */
  messageId: number;
  /** Offset of the payload (the TLS bytes of a P_CONTROL_V1). */
  payload: number;
}

/** The layout of control packet `p` (from its opcode byte) with `wrap` bytes of --tls-auth, or null when it does not fit. */
function layout(p: Uint8Array, opcode: number, wrap: number): Layout | null {
  let o = SESSION_END + wrap;
  if (o >= p.length) return null;
  const acks = p[o]!;
  o += 1 + (acks > 0 ? 4 * acks + 8 : 0);
  let messageId = -1;
  if (opcode !== P_ACK_V1) {
    if (o + 4 > p.length) return null;
    messageId = u32(p, o);
    o += 4;
  }
  return o <= p.length ? { acks, messageId, payload: o } : null;
}

/** Whether `p` parses exactly with `wrap`: the checks that tell the right wrap size from the wrong ones. */
function fits(p: Uint8Array, opcode: number, wrap: number, l: Layout): boolean {
  // --tls-auth replay packet-ids start at 1.
  if (wrap > 0 && u32(p, SESSION_END + wrap - 8) === 0) return false;
  if (l.acks > MAX_ACKS) return false;
  const rest = p.length - l.payload;
  if (HARD_RESETS.has(opcode)) return rest === 0 && l.messageId === 0;
  if (opcode === P_CONTROL_SOFT_RESET_V1) return rest === 0;
  if (opcode === P_ACK_V1) return rest === 0 && l.acks > 0;
  // P_CONTROL_V1 (only when a direction starts without its hard reset): a TLS record starts here.
  return isTlsRecordHeader(p, l.payload);
}

export class OpenVpnTlsExtractor {
  readonly anomalies: string[] = [];
  /** Set on tls-crypt, unreadable framing, a cap, a gap or the first data packet; the owner may set it too. */
  stopped = false;

  /** Bytes between the session_id and the ack array; null until inferred. */
  private wrap: number | null = null;
  private layoutTries = 0;
  /** key_id of the TLS session followed (the first control packet's). */
  private keyId = -1;
  /** Next message packet-id to hand on; -1 until the first one is seen. */
  private nextId = -1;
  /** Packets ahead of `nextId`, by message packet-id (copies). */
  private readonly held = new Map<number, Uint8Array>();

  /** The 2-byte length and the opcode byte of a packet, when they straddle pushes. */
  private readonly head = new Uint8Array(3);
  private headLen = 0;
  /** A control packet that straddles pushes, and how much of it has arrived. */
  private body: Uint8Array | null = null;
  private bodyLen = 0;

  /** `onTls` gets the TLS bytes of the control channel in order; the view is valid only during the call. */
  constructor(private readonly onTls: (bytes: Uint8Array) => void) {}

  /** Next bytes of the reassembled stream of this direction. */
  push(bytes: Uint8Array): void {
    let off = 0;
    const end = bytes.length;
    while (off < end && !this.stopped) {
      if (this.body !== null) {
        const n = Math.min(this.body.length - this.bodyLen, end - off);
        this.body.set(bytes.subarray(off, off + n), this.bodyLen);
        this.bodyLen += n;
        off += n;
        if (this.bodyLen === this.body.length) {
          const p = this.body;
          this.body = null;
          this.packet(p);
        }
      } else if (this.headLen === 0 && end - off >= 3) {
        // The common case: the length and opcode are here, and often the whole packet (no copy).
        const length = u16(bytes, off);
        off += 2;
        if (!this.begin(length, bytes[off]!)) return;
        if (end - off >= length) {
          this.packet(bytes.subarray(off, off + length));
          off += length;
        } else {
          this.body = new Uint8Array(length);
          this.body.set(bytes.subarray(off));
          this.bodyLen = end - off;
          off = end;
        }
      } else {
        this.head[this.headLen++] = bytes[off++]!;
        if (this.headLen < 3) continue;
        this.headLen = 0;
        const length = u16(this.head, 0);
        if (!this.begin(length, this.head[2]!)) return;
        this.body = new Uint8Array(length);
        this.body[0] = this.head[2]!;
        this.bodyLen = 1;
        if (length === 1) {
          const p = this.body;
          this.body = null;
          this.packet(p);
        }
      }
    }
  }

  /**
   * One whole packet, from its opcode byte (OpenVPN over UDP: one datagram). Not to be mixed with
   * `push` on the same extractor. `p` is valid only during the call.
   */
  datagram(p: Uint8Array): void {
    if (this.stopped) return;
    if (this.begin(p.length, p[0] ?? 0)) this.packet(p);
  }

  /** Bytes of the stream were lost: packet boundaries cannot be found again. */
  gap(): void {
    this.stopped = true;
    this.body = null;
    this.held.clear();
  }

  /** A packet of `length` bytes starting with opcode byte `first`: true to read it, false when the extractor stops here. */
  private begin(length: number, first: number): boolean {
    if (length === 0) return this.stop('openvpn_malformed');
    const opcode = first >> 3;
    if (opcode === P_DATA_V1 || opcode === P_DATA_V2) {
      // The data channel opens once this side's handshake is over.
      this.stopped = true;
      this.held.clear();
      return false;
    }
    if (opcode === P_CONTROL_HARD_RESET_CLIENT_V3 || opcode === P_CONTROL_WKC_V1) return this.stop('openvpn_tls_crypt');
    if (opcode < P_CONTROL_HARD_RESET_CLIENT_V1 || opcode > P_CONTROL_HARD_RESET_SERVER_V2) return this.stop('openvpn_unknown_opcode');
    if (length > LIMITS.maxOpenVpnPacketBytes) return this.stop('openvpn_packet_limit_reached');
    return true;
  }

  /** One whole control packet, from its opcode byte; valid only during the call. */
  private packet(p: Uint8Array): void {
    const opcode = p[0]! >> 3;
    if (this.wrap === null && !this.inferWrap(p, opcode)) return;
    const l = layout(p, opcode, this.wrap!);
    if (l === null) {
      this.note('openvpn_malformed_packet');
      return;
    }
    if (opcode === P_ACK_V1) return;
    const keyId = p[0]! & 0x07;
    if (this.keyId < 0) this.keyId = keyId;
    if (keyId !== this.keyId) return;
    this.inOrder(l.messageId, opcode === P_CONTROL_V1 ? p.subarray(l.payload) : EMPTY);
  }

  /** Finds the wrap size from this direction's first control packet; false when it cannot (yet). */
  private inferWrap(p: Uint8Array, opcode: number): boolean {
    let best = -1;
    let bestAcks = Infinity;
    for (const wrap of WRAP_SIZES) {
      const l = layout(p, opcode, wrap);
      // Where two sizes fit (rare: an HMAC byte that reads as an ack count), fewer acks wins.
      if (l !== null && fits(p, opcode, wrap, l) && l.acks < bestAcks) {
        best = wrap;
        bestAcks = l.acks;
      }
    }
    if (best >= 0) {
      this.wrap = best;
      return true;
    }
    if (HARD_RESETS.has(opcode)) {
      // No plain or --tls-auth layout fits a hard reset: with --tls-crypt it is encrypted.
      this.stop(p.length >= TLS_CRYPT_MIN_RESET ? 'openvpn_tls_crypt' : 'openvpn_malformed');
    } else if (++this.layoutTries >= MAX_LAYOUT_TRIES) {
      this.stop('openvpn_malformed');
    }
    return false;
  }

  /** A reliable message with packet-id `id`: handed on in id order, once. */
  private inOrder(id: number, payload: Uint8Array): void {
    if (this.nextId < 0) this.nextId = id;
    const ahead = (id - this.nextId) >>> 0;
    if (ahead === 0) {
      this.deliver(payload);
      this.nextId = (this.nextId + 1) >>> 0;
      for (let next = this.held.get(this.nextId); next !== undefined && !this.stopped; next = this.held.get(this.nextId)) {
        this.held.delete(this.nextId);
        this.deliver(next);
        this.nextId = (this.nextId + 1) >>> 0;
      }
      return;
    }
    // Behind `nextId` (in 32-bit serial order): a retransmission of what was handed on.
    if (ahead >= 0x80000000 || this.held.has(id)) return;
    if (ahead > LIMITS.maxOpenVpnHeldPackets || this.held.size >= LIMITS.maxOpenVpnHeldPackets) {
      this.note('openvpn_reorder_limit_reached');
      return;
    }
    this.held.set(id, payload.slice());
  }

  private deliver(payload: Uint8Array): void {
    if (payload.length > 0) this.onTls(payload);
  }

  private note(name: string): void {
    if (!this.anomalies.includes(name)) this.anomalies.push(name);
  }

  /** Records `name` and stops; returns false (for `begin`). */
  private stop(name: string): false {
    this.note(name);
    this.stopped = true;
    this.body = null;
    this.held.clear();
    return false;
  }
}
