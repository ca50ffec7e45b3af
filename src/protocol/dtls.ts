/** DTLS by its record header (RFC 6347 §4.1, RFC 9147 §4). */
import { type Evidence, evidence, u16 } from './sniffer.js';

/** DTLS 1.0 (0xfeff), 1.2 (0xfefd), 1.3 (0xfefc), and 0x0100 of OpenSSL before 0.9.8f. */
const DTLS_VERSIONS = [0xfeff, 0xfefd, 0xfefc, 0x0100];
const HEADER = 13;

/**
 * RFC 6347 §4.1: "struct { ContentType type; ProtocolVersion version; uint16 epoch;
 * uint48 sequence_number; uint16 length; opaque fragment[DTLSPlaintext.length]; } DTLSPlaintext;"
 * — 13 header bytes; ContentType 20-23 as in TLS (a flow opens with handshake, 22).
 * §4.1.1: "Each DTLS record MUST fit within a single datagram", so the record must fit in the bytes.
 */
export function isDtlsRecord(b: Uint8Array): boolean {
  if (b.length < HEADER) return false;
  const type = b[0]!;
  const length = u16(b, 11);
  return type >= 20 && type <= 23 && DTLS_VERSIONS.includes(u16(b, 1)) && length > 0 && HEADER + length <= b.length;
}

export function sniffDtls(client: Uint8Array, server: Uint8Array): Evidence {
  return evidence(isDtlsRecord(client), isDtlsRecord(server));
}
