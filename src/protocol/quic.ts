/** QUIC by its long header (RFC 8999 / RFC 9000 §17.2), and Google QUIC's older public header. */
import { type Evidence, evidence, u32 } from './sniffer.js';

/**
 * A QUIC version this sniffer knows:
 * 0x00000001 QUIC v1 (RFC 9000); 0x6b3343cf QUIC v2 (RFC 9369) and 0x709a50c4 (its drafts);
 * 0xff0000xx IETF drafts ("0xff000000 + draft number"); 0xfaceb00x Facebook mvfst;
 * 'Q0xx' and 'T0xx' Google QUIC in a long header (Q046 on, and T0xx with TLS inside);
 * RFC 9000 §15: "Versions that follow the pattern 0x?a?a?a?a are reserved for use in forcing version
 * negotiation to be exercised" — a client may send one.
 */
export function isKnownQuicVersion(v: number): boolean {
  if (v === 0x00000001 || v === 0x6b3343cf || v === 0x709a50c4) return true;
  if (v >>> 8 === 0xff0000) return true;
  if (v >>> 4 === 0xfaceb00) return true;
  if ((v & 0x0f0f0f0f) === 0x0a0a0a0a) return true;
  return isGoogleVersion(v);
}

/** 'Q' or 'T', then '0' and two decimal digits, e.g. "Q050", "T051". */
function isGoogleVersion(v: number): boolean {
  const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
  const first = v >>> 24;
  return (first === 0x51 || first === 0x54) && ((v >>> 16) & 0xff) === 0x30 && isDigit((v >>> 8) & 0xff) && isDigit(v & 0xff);
}

/**
 * RFC 9000 §17.2: "Header Form: The most significant bit (0x80) of byte 0 (the first byte) is set to
 * 1 for long headers." "Fixed Bit: The next bit (0x40) of byte 0 is set to 1". Then a 32-bit Version
 * and "Destination Connection ID Length ... In QUIC version 1, this value MUST NOT exceed 20 bytes"
 * (checked for the IETF versions; Google's Q046+ packs two lengths into that byte).
 */
export function isQuicLongHeader(b: Uint8Array): boolean {
  if (b.length < 7 || (b[0]! & 0xc0) !== 0xc0) return false;
  const version = u32(b, 1);
  if (!isKnownQuicVersion(version)) return false;
  return isGoogleVersion(version) || b[5]! <= 20;
}

/**
 * RFC 9000 §17.2.1: a Version Negotiation packet is a long header with "Version: ... set to
 * 0x00000000" (its other first-byte bits are arbitrary), the two connection IDs, then "a list of
 * 32-bit versions that the server supports" — a server's answer to a version it does not speak.
 */
export function isQuicVersionNegotiation(b: Uint8Array): boolean {
  if (b.length < 7 || (b[0]! & 0x80) === 0 || u32(b, 1) !== 0) return false;
  const scidLengthAt = 6 + b[5]!;
  if (scidLengthAt >= b.length) return false;
  const versionsAt = scidLengthAt + 1 + b[scidLengthAt]!;
  return b.length >= versionsAt + 4;
}

/**
 * Google QUIC up to Q043: a public header whose flags carry "PUBLIC_FLAG_VERSION" (0x01) and an
 * 8-byte connection ID (0x08), the unused high bit 0x80 clear, then the version "Q0xx" at byte 9.
 */
export function isGoogleQuicPublicHeader(b: Uint8Array): boolean {
  return b.length >= 13 && (b[0]! & 0x89) === 0x09 && b[9] === 0x51 && isGoogleVersion(u32(b, 9));
}

export function sniffQuic(client: Uint8Array, server: Uint8Array): Evidence {
  return evidence(
    isQuicLongHeader(client) || isGoogleQuicPublicHeader(client),
    isQuicLongHeader(server) || isQuicVersionNegotiation(server) || isGoogleQuicPublicHeader(server),
  );
}
