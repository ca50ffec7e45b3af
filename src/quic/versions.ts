/**
 * What differs between QUIC versions for a passive reader of Initial packets: the salt of the
 * Initial secrets, the HKDF labels of the packet protection keys, and the numbering of the long
 * header packet types.
 *
 * - QUIC v1, RFC 9001 §5.2: "initial_salt = 0x38762cf7f55934b34d179ae6a4c80cadccbb7f0a"; the
 *   drafts -33 and -34 already used it.
 * - QUIC v2, RFC 9369 §3.3.1: "initial_salt = 0x0dede3def700a6db819381be6e269dcbf9bd2ed9";
 *   §3.3.2: labels "quicv2 key", "quicv2 iv", "quicv2 hp", "quicv2 ku"; §3.2: "Initial: 0b01,
 *   0-RTT: 0b10, Handshake: 0b11, Retry: 0b00". Its drafts (draft-ietf-quic-v2-03..07) used
 *   version 0x709a50c4 and "initial_salt = 0xa707c203a59b47184a1d62ca570406ea7ae3e5d3".
 * - Drafts (version 0xff0000xx, xx = draft number), draft-ietf-quic-tls-NN §5.2:
 *   -29..-32 "0xafbfec289993d24c9e9786f19c6111e04390a899"; -23..-28
 *   "0xc3eef712c72ebb5a11a7d2432bb46365bef9f502"; -21..-22
 *   "0x7fbcdb0e7c66bbe9193a96cd21519ebd7a02644a"; -17..-20
 *   "0xef4fb0abb47470c41befcf8031334fae485e09a0" (header protection exists since -17).
 * - Facebook mvfst: 0xfaceb001 follows draft -22; 0xfaceb002 and the experimental 0xfaceb00e
 *   follow draft -27 (checked against captures of both).
 * - Google QUIC with TLS, T050 ("T050" = 0x54303530) and T051: draft-style long headers and
 *   frames with Google's own salts (as Chromium, Wireshark and nDPI use them).
 * Google's Q0xx versions use QUIC Crypto, not TLS: there is no ClientHello to read.
 */

/** Long-header packet kinds, whatever bits a version gives them. */
export const PacketType = {
  Initial: 0,
  ZeroRtt: 1,
  Handshake: 2,
  Retry: 3,
} as const;
export type PacketType = (typeof PacketType)[keyof typeof PacketType];

export interface QuicVersionParams {
  version: number;
  salt: Uint8Array;
  /** Label prefix of the packet protection keys: "quic" ("quic key", "quic iv", "quic hp") or "quicv2". */
  labelPrefix: 'quic' | 'quicv2';
  /** Packet kind for each value of the 2-bit long packet type field (first byte bits 0x30). */
  packetTypes: readonly [PacketType, PacketType, PacketType, PacketType];
  /** True for Google's T050/T051, whose frames use gQUIC's encoding. */
  googleFrames: boolean;
}

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

const SALT_V1 = hex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a');
const SALT_V2 = hex('0dede3def700a6db819381be6e269dcbf9bd2ed9');
const SALT_V2_DRAFT = hex('a707c203a59b47184a1d62ca570406ea7ae3e5d3');
const SALT_DRAFT_29 = hex('afbfec289993d24c9e9786f19c6111e04390a899');
const SALT_DRAFT_23 = hex('c3eef712c72ebb5a11a7d2432bb46365bef9f502');
const SALT_DRAFT_21 = hex('7fbcdb0e7c66bbe9193a96cd21519ebd7a02644a');
const SALT_DRAFT_17 = hex('ef4fb0abb47470c41befcf8031334fae485e09a0');
const SALT_T050 = hex('7ff579e5acd072915580304c43a2367c60488310');
const SALT_T051 = hex('7a4edef4e7ccee5fa4506c19124fc8ccda6e033d');

const V1_TYPES = [PacketType.Initial, PacketType.ZeroRtt, PacketType.Handshake, PacketType.Retry] as const;
const V2_TYPES = [PacketType.Retry, PacketType.Initial, PacketType.ZeroRtt, PacketType.Handshake] as const;

export const QUIC_V1 = 0x00000001;
export const QUIC_V2 = 0x6b3343cf;
export const QUIC_V2_DRAFT = 0x709a50c4;
const MVFST_22 = 0xfaceb001;
const MVFST_27 = 0xfaceb002;
const MVFST_EXP = 0xfaceb00e;
const T050 = 0x54303530;
const T051 = 0x54303531;

const cache = new Map<number, QuicVersionParams | null>();

/** Parameters to read Initial packets of `version`, or null when the version is not decryptable here. */
export function quicVersionParams(version: number): QuicVersionParams | null {
  let p = cache.get(version);
  if (p === undefined) {
    p = lookup(version);
    if (cache.size < 64) cache.set(version, p);
  }
  return p;
}

function lookup(version: number): QuicVersionParams | null {
  const v1 = (salt: Uint8Array, googleFrames = false): QuicVersionParams => ({ version, salt, labelPrefix: 'quic', packetTypes: V1_TYPES, googleFrames });
  if (version === QUIC_V1) return v1(SALT_V1);
  if (version === QUIC_V2) return { version, salt: SALT_V2, labelPrefix: 'quicv2', packetTypes: V2_TYPES, googleFrames: false };
  if (version === QUIC_V2_DRAFT) return { version, salt: SALT_V2_DRAFT, labelPrefix: 'quicv2', packetTypes: V2_TYPES, googleFrames: false };
  if (version === MVFST_22) return v1(SALT_DRAFT_21);
  if (version === MVFST_27 || version === MVFST_EXP) return v1(SALT_DRAFT_23);
  if (version === T050) return v1(SALT_T050, true);
  if (version === T051) return v1(SALT_T051, true);
  if (version >>> 8 === 0xff0000) {
    const draft = version & 0xff;
    if (draft >= 33 && draft <= 34) return v1(SALT_V1);
    if (draft >= 29 && draft <= 32) return v1(SALT_DRAFT_29);
    if (draft >= 23 && draft <= 28) return v1(SALT_DRAFT_23);
    if (draft >= 21 && draft <= 22) return v1(SALT_DRAFT_21);
    if (draft >= 17 && draft <= 20) return v1(SALT_DRAFT_17);
  }
  return null;
}

/**
 * RFC 9000 §15: "Versions that follow the pattern 0x?a?a?a?a are reserved for use in forcing
 * version negotiation to be exercised". A client may open with one; the real attempt follows.
 */
export function isReservedVersion(version: number): boolean {
  return (version & 0x0f0f0f0f) === 0x0a0a0a0a;
}

/** Google's QUIC Crypto versions ("Q0xx"): long headers, but no TLS inside. */
export function isGoogleCryptoVersion(version: number): boolean {
  return version >>> 24 === 0x51 && ((version >>> 16) & 0xff) === 0x30;
}

/** A short human name: "QUIC v1", "QUIC v2", "draft-29", "mvfst-27", "T051", or hex. */
export function quicVersionName(version: number): string {
  if (version === QUIC_V1) return 'QUIC v1';
  if (version === QUIC_V2) return 'QUIC v2';
  if (version === QUIC_V2_DRAFT) return 'QUIC v2 draft';
  if (version >>> 8 === 0xff0000) return `draft-${version & 0xff}`;
  if (version === MVFST_22) return 'mvfst-22';
  if (version === MVFST_27) return 'mvfst-27';
  if (version === MVFST_EXP) return 'mvfst-exp';
  const c = [version >>> 24, (version >>> 16) & 0xff, (version >>> 8) & 0xff, version & 0xff];
  if ((c[0] === 0x51 || c[0] === 0x54) && c.slice(1).every((x) => x >= 0x30 && x <= 0x39)) return String.fromCharCode(...c);
  return `0x${version.toString(16).padStart(8, '0')}`;
}
