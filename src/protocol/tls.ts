/**
 * TLS over TCP: a TLS record header, or an SSL 2.0 framed hello, at the start of either side; and
 * the search for a ClientHello after a plaintext preamble (STARTTLS, HTTP CONNECT, SOCKS).
 */
import { LIMITS } from '../config/limits.js';
import { type Evidence, evidence, u16 } from './sniffer.js';

const HANDSHAKE = 22;
const CLIENT_HELLO = 1;
const APPLICATION_DATA = 23;

/**
 * RFC 8446 §5.1: "struct { ContentType type; ProtocolVersion legacy_record_version; uint16 length;
 * opaque fragment[TLSPlaintext.length]; } TLSPlaintext;" with ContentType change_cipher_spec(20),
 * alert(21), handshake(22), application_data(23), and versions 0x0300 (SSL 3.0) to 0x0304.
 * The length is bounded by the largest record (2^14 + 2048 in TLS 1.2).
 */
export function isTlsRecordHeader(b: Uint8Array, offset = 0): boolean {
  if (b.length < offset + 5) return false;
  const type = b[offset]!;
  const length = u16(b, offset + 3);
  return type >= 20 && type <= 23 && b[offset + 1] === 0x03 && b[offset + 2]! <= 0x04 && length <= LIMITS.maxTlsRecordBytes;
}

/**
 * RFC 5246 Appendix E.2, V2ClientHello: "msg_length: The highest bit MUST be 1; the remaining bits
 * contain the length of the following data in bytes." "msg_type: ... The value MUST be 1."
 * "cipher_spec_length: ... It cannot be zero and MUST be a multiple of the V2CipherSpec length (3)."
 * "challenge_length: The length in bytes of the client's challenge" (16 to 32 bytes in SSL 2.0).
 * The version is 0x0002 (SSL 2.0) or 0x0300-0x0303 (an SSLv2-compatible hello of a newer client).
 */
export function isSslv2ClientHello(b: Uint8Array): boolean {
  if (b.length < 11 || (b[0]! & 0x80) === 0) return false;
  const msgLength = ((b[0]! & 0x7f) << 8) | b[1]!;
  const version = u16(b, 3);
  const cipherSpecLength = u16(b, 5);
  const sessionIdLength = u16(b, 7);
  const challengeLength = u16(b, 9);
  return (
    b[2] === CLIENT_HELLO &&
    (version === 0x0002 || (version >= 0x0300 && version <= 0x0303)) &&
    cipherSpecLength > 0 &&
    cipherSpecLength % 3 === 0 &&
    challengeLength >= 16 &&
    challengeLength <= 32 &&
    msgLength === 9 + cipherSpecLength + sessionIdLength + challengeLength
  );
}

/**
 * SSL 2.0 SERVER-HELLO (draft-hickman-netscape-ssl-00): "char MSG-SERVER-HELLO; char SESSION-ID-HIT;
 * char CERTIFICATE-TYPE; char SERVER-VERSION-MSB; char SERVER-VERSION-LSB; ..." with
 * MSG-SERVER-HELLO = 4, behind a 2-byte record header whose high bit is set.
 */
export function isSslv2ServerHello(b: Uint8Array): boolean {
  return b.length >= 7 && (b[0]! & 0x80) !== 0 && b[2] === 4 && b[3]! <= 1 && b[5] === 0x00 && b[6] === 0x02;
}

/** TLS when the client opens with a TLS record or an SSLv2 hello, or the server answers with one. */
export function sniffTls(client: Uint8Array, server: Uint8Array): Evidence {
  return evidence(
    isTlsRecordHeader(client) || isSslv2ClientHello(client),
    isTlsRecordHeader(server) || isSslv2ServerHello(server),
  );
}

/**
 * The offset of the first plausible hello record — `16 03 0x ll ll 01`: a handshake record
 * (RFC 8446 §5.1) whose first message is client_hello(1) (RFC 8446 §4), or server_hello(2) when
 * looking at a server's stream — at or after `from` and within the first `LIMITS.maxPreambleBytes`
 * of the stream, or -1. Finds the hello after a STARTTLS dialogue, an HTTP CONNECT or a SOCKS
 * exchange; 0 when the stream starts with it.
 */
export function findTlsStart(bytes: Uint8Array, handshakeType = CLIENT_HELLO, from = 0): number {
  const last = Math.min(bytes.length - 6, LIMITS.maxPreambleBytes);
  for (let i = from; i <= last; i++) {
    if (bytes[i] !== HANDSHAKE || !isTlsRecordHeader(bytes, i)) continue;
    const recordLength = u16(bytes, i + 3);
    if (recordLength === 0 || bytes[i + 5] !== handshakeType) continue;
    // When visible, the hello's legacy_version starts with 0x03 (ClientHello.legacy_version,
    // after the 4-byte handshake header).
    if (recordLength >= 6 && i + 9 < bytes.length && bytes[i + 9] !== 0x03) continue;
    return i;
  }
  return -1;
}

/**
 * A TLS connection picked up in the middle (the capture started after its handshake): the
 * offset of an application_data record header (RFC 8446 §5.1: type 23, a 0x03xx version, a
 * length within the record cap) whose record either ends exactly where another record header
 * starts, or runs past the end of `bytes`; -1 when there is none. Used only for flows seen
 * without their SYN, so that established TLS sessions are not mistaken for unknown payloads.
 */
export function findMidstreamTlsRecord(bytes: Uint8Array): number {
  const last = Math.min(bytes.length - 5, LIMITS.maxPreambleBytes);
  for (let i = 0; i <= last; i++) {
    if (bytes[i] !== APPLICATION_DATA || !isTlsRecordHeader(bytes, i) || bytes[i + 2]! === 0) continue;
    const next = i + 5 + u16(bytes, i + 3);
    if (next + 5 > bytes.length || isTlsRecordHeader(bytes, next)) return i;
  }
  return -1;
}
