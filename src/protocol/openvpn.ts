/**
 * OpenVPN (TLS mode) by its first control packet, on TCP and on UDP. From the protocol notes in
 * OpenVPN's ssl.h / ssl_pkt.h: "Packet length (16 bits, unsigned) -- TCP only, always sent as
 * plaintext"; "Packet opcode/key_id (8 bits) ... packet message type, a P_* constant (high 5 bits)
 * key_id (low 3 bits)"; "P_CONTROL* and P_ACK Payload: session_id (random 64 bit value to identify
 * session), hmac for authentication (usually 16 or 20 bytes), packet-id for replay protection (4 or
 * 8 bytes, includes sequence number and optional time_t timestamp), acknowledge packet_id array
 * length (1 byte), acknowledge packet-id array (if length > 0), acknowledge remote session_id (if
 * length > 0), message packet-id (4 bytes)".
 */
import { type Evidence, evidence, u16, u32 } from './sniffer.js';

const P_CONTROL_HARD_RESET_CLIENT_V2 = 7;
const P_CONTROL_HARD_RESET_SERVER_V2 = 8;
const P_CONTROL_HARD_RESET_CLIENT_V3 = 10;

/** Smallest first control packet: opcode, session_id (8), empty ack array (1), message packet-id (4). */
const MIN_PACKET = 14;
/** Largest plausible TCP length of a first packet: a V3 reset carries a tls-crypt-v2 client key of up to 1024 bytes. */
const MAX_PACKET = 2048;
/** HMAC sizes of --tls-auth (MD5, SHA-1, SHA-256, SHA-384, SHA-512). */
const HMAC_SIZES = [16, 20, 32, 48, 64];
/** The acknowledgement array holds at most this many packet-ids (RELIABLE_ACK_SIZE). */
const MAX_ACKS = 8;

/** At `offset`: an ack array, then the message packet-id of the first control message, 0. */
function ackThenFirstMessage(p: Uint8Array, offset: number): boolean {
  const acks = p[offset];
  if (acks === undefined || acks > MAX_ACKS) return false;
  const idOffset = offset + 1 + 4 * acks + (acks > 0 ? 8 : 0);
  return idOffset + 4 <= p.length && u32(p, idOffset) === 0;
}

/** --tls-crypt / tls-crypt-v2: session_id, replay packet-id 1 and a timestamp, a 32-byte tag, ciphertext. */
function isTlsCryptLayout(p: Uint8Array): boolean {
  return p.length >= 9 + 8 + 32 && u32(p, 9) === 1;
}

/**
 * A hard-reset packet (starting at its opcode byte) with key_id 0 (a new session), laid out as with
 * no wrapping (session_id, ack array, message packet-id 0), with --tls-auth (session_id, HMAC,
 * replay packet-id 1 and a timestamp, ack array, message packet-id 0) or with --tls-crypt.
 */
function isHardReset(p: Uint8Array, opcode: number): boolean {
  if (p.length < MIN_PACKET || p[0]! >> 3 !== opcode || (p[0]! & 0x07) !== 0) return false;
  if (ackThenFirstMessage(p, 9) || isTlsCryptLayout(p)) return true;
  return HMAC_SIZES.some((h) => p.length >= 9 + h + 8 && u32(p, 9 + h) === 1 && ackThenFirstMessage(p, 9 + h + 8));
}

/**
 * A client's first packet: P_CONTROL_HARD_RESET_CLIENT_V2 in any layout, or
 * P_CONTROL_HARD_RESET_CLIENT_V3, which only tls-crypt-v2 sends (so only in the tls-crypt layout).
 */
export function isClientHardReset(p: Uint8Array): boolean {
  if (isHardReset(p, P_CONTROL_HARD_RESET_CLIENT_V2)) return true;
  return p.length >= MIN_PACKET && p[0] === P_CONTROL_HARD_RESET_CLIENT_V3 << 3 && isTlsCryptLayout(p);
}

/** A server's first packet: P_CONTROL_HARD_RESET_SERVER_V2. */
export function isServerHardReset(p: Uint8Array): boolean {
  return isHardReset(p, P_CONTROL_HARD_RESET_SERVER_V2);
}

/** The first packet of a TCP stream: 16-bit length, then the packet. */
function tcpPacket(b: Uint8Array): Uint8Array | null {
  if (b.length < 2) return null;
  const length = u16(b, 0);
  if (length < MIN_PACKET || length > MAX_PACKET) return null;
  return b.subarray(2, 2 + length);
}

export function sniffOpenVpnTcp(client: Uint8Array, server: Uint8Array): Evidence {
  const c = tcpPacket(client);
  const s = tcpPacket(server);
  return evidence(c !== null && isClientHardReset(c), s !== null && isServerHardReset(s));
}

/** Over UDP the opcode byte comes first; the datagram is the packet. */
export function sniffOpenVpnUdp(client: Uint8Array, server: Uint8Array): Evidence {
  return evidence(isClientHardReset(client), isServerHardReset(server));
}
