/**
 * QUIC long headers (RFC 9000 §17.2; invariants RFC 8999 §5.1):
 *
 *   Long Header Packet {
 *     Header Form (1) = 1, Fixed Bit (1) = 1, Long Packet Type (2), Type-Specific Bits (4),
 *     Version (32),
 *     Destination Connection ID Length (8), Destination Connection ID (0..160),
 *     Source Connection ID Length (8), Source Connection ID (0..160),
 *     Type-Specific Payload (..),
 *   }
 *   Initial: Token Length (i), Token (..), Length (i), Packet Number (8..32), Packet Payload (8..)
 *   0-RTT, Handshake: Length (i), Packet Number (8..32), Packet Payload (8..)
 *   Retry (§17.2.5): Retry Token (..), Retry Integrity Tag (128)
 *   Version Negotiation (§17.2.1): Version = 0, then Supported Version (32) ...
 *
 * §12.2: "Senders MUST NOT coalesce QUIC packets with different connection IDs into a single UDP
 * datagram" — the Length field is what separates coalesced packets.
 * §17.2: "In QUIC version 1, this value MUST NOT exceed 20 bytes" (connection ID lengths); the
 * invariants allow 255, which is what an unknown version is read with.
 */
import { QuicReader } from './quic-reader.js';
import { PacketType, quicVersionParams, type QuicVersionParams } from './versions.js';

/** Longest connection ID of the versions we read (RFC 9000 §17.2). */
const MAX_CID = 20;
/** RFC 9001 §5.8: the Retry Integrity Tag is 128 bits. */
const RETRY_TAG = 16;

export const HeaderKind = {
  /** A packet of a version we read: Initial, 0-RTT or Handshake with its bounds. */
  Packet: 0,
  Retry: 1,
  VersionNegotiation: 2,
  /** A long header of a version we cannot read further than its connection IDs. */
  UnknownVersion: 3,
  /** The bytes break the grammar: the rest of the datagram cannot be framed. */
  Malformed: 4,
} as const;
export type HeaderKind = (typeof HeaderKind)[keyof typeof HeaderKind];

/** Filled in place by `parseLongHeader`; views point into the datagram. */
export class LongHeader {
  kind: HeaderKind = HeaderKind.Malformed;
  firstByte = 0;
  version = 0;
  params: QuicVersionParams | null = null;
  /** PacketType of a Packet or Retry. */
  type: PacketType = PacketType.Initial;
  dcid: Uint8Array = new Uint8Array(0);
  scid: Uint8Array = new Uint8Array(0);
  /** Initial: the token; Retry: the retry token. */
  token: Uint8Array = new Uint8Array(0);
  /** Offset (in the datagram) of the first header byte. */
  start = 0;
  /** Offset of the Packet Number field (Packet only). */
  pnOffset = 0;
  /** One past the packet's last byte: the next coalesced packet starts here. */
  end = 0;
  /** Version Negotiation: the versions the server lists. */
  versions: number[] = [];
}

const r = new QuicReader();
const EMPTY = new Uint8Array(0);

/**
 * Reads the long header that starts at `datagram[start]` (its first byte has 0x80 set).
 * `end` is the end of the datagram.
 */
export function parseLongHeader(datagram: Uint8Array, start: number, end: number, out: LongHeader): HeaderKind {
  out.start = start;
  out.token = EMPTY;
  out.versions = [];
  out.params = null;
  r.reset(datagram, start, end);
  const first = r.u8();
  const version = r.u32();
  const dcidLen = r.u8();
  out.dcid = r.bytes(dcidLen);
  const scidLen = r.u8();
  out.scid = r.bytes(scidLen);
  out.firstByte = first;
  out.version = version;
  out.end = end;
  if (!r.ok) return (out.kind = HeaderKind.Malformed);

  if (version === 0) {
    // §17.2.1: a list of 32-bit versions fills the rest of the datagram.
    if ((end - r.pos) % 4 !== 0 || end === r.pos) return (out.kind = HeaderKind.Malformed);
    while (r.remaining >= 4) out.versions.push(r.u32());
    return (out.kind = HeaderKind.VersionNegotiation);
  }

  const params = quicVersionParams(version);
  if (params === null) return (out.kind = HeaderKind.UnknownVersion);
  if (dcidLen > MAX_CID || scidLen > MAX_CID) return (out.kind = HeaderKind.Malformed);
  out.params = params;
  const type = params.packetTypes[(first >> 4) & 0x03]!;
  out.type = type;

  if (type === PacketType.Retry) {
    // §17.2.5: the token runs to the 16-byte integrity tag at the end of the datagram.
    if (end - r.pos < RETRY_TAG) return (out.kind = HeaderKind.Malformed);
    out.token = datagram.subarray(r.pos, end - RETRY_TAG);
    return (out.kind = HeaderKind.Retry);
  }
  if (type === PacketType.Initial) {
    const tokenLen = r.varint();
    out.token = r.bytes(tokenLen);
  }
  const length = r.varint();
  if (!r.ok || length > r.remaining || length < 1) return (out.kind = HeaderKind.Malformed);
  out.pnOffset = r.pos;
  out.end = r.pos + length;
  return (out.kind = HeaderKind.Packet);
}
