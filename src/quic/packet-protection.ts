/**
 * QUIC packet protection for a passive reader (RFC 9001 §5): Initial secrets from the client's
 * Destination Connection ID, packet protection keys from a TLS secret, header protection removal
 * and AEAD opening of long-header packets.
 *
 * RFC 9001 §5.2:
 *   initial_secret = HKDF-Extract(initial_salt, client_dst_connection_id)
 *   client_initial_secret = HKDF-Expand-Label(initial_secret, "client in", "", Hash.length)
 *   server_initial_secret = HKDF-Expand-Label(initial_secret, "server in", "", Hash.length)
 * §5.1: "The keys used for packet protection are computed from the TLS secrets using the KDF
 * provided by TLS ... the label "quic key" is used for packet protection; ... "quic iv" ... to
 * derive the IV; ... "quic hp" ... header protection key". Initial packets use SHA-256 and
 * AEAD_AES_128_GCM (§5: "Initial packets use AEAD_AES_128_GCM with keys derived from the
 * Destination Connection ID field of the first Initial packet sent by the client").
 */
import { createCipheriv, type Cipher } from 'node:crypto';
import { aeadOpen } from '../keylog/aead.js';
import { hkdfExpandLabel, hkdfExtract, tls13Suite, type Tls13Suite, xorNonce } from '../keylog/key-schedule.js';
import type { QuicVersionParams } from './versions.js';

const EMPTY = new Uint8Array(0);
/** RFC 9001 §5.4.2: "the sampled ciphertext ... is 16 bytes". */
export const HP_SAMPLE_LENGTH = 16;

/** Keys to open one direction's packets at one encryption level. */
export class PacketKeys {
  private hpCipher: Cipher | null = null;
  private readonly nonce: Uint8Array;

  constructor(
    readonly suite: Tls13Suite,
    readonly key: Uint8Array,
    readonly iv: Uint8Array,
    readonly hp: Uint8Array,
  ) {
    this.nonce = new Uint8Array(iv.length);
  }

  /**
   * The 5-byte header protection mask for a 16-byte sample (RFC 9001 §5.4.3 AES:
   * "mask = AES-ECB(hp_key, sample)"; §5.4.4 ChaCha20: "counter = sample[0..3], nonce =
   * sample[4..15], mask = ChaCha20(hp_key, counter, nonce, {0,0,0,0,0})").
   */
  mask(sample: Uint8Array): Uint8Array {
    if (this.suite.aead === 'chacha20-poly1305') {
      // node's 'chacha20' takes a 16-byte IV: the 32-bit little-endian block counter, then the nonce.
      return new Uint8Array(createCipheriv('chacha20', this.hp, sample).update(new Uint8Array(5)));
    }
    // ECB is stateless from block to block: one cipher object serves every packet.
    if (this.hpCipher === null) {
      this.hpCipher = createCipheriv(this.hp.length === 32 ? 'aes-256-ecb' : 'aes-128-ecb', this.hp, null);
      this.hpCipher.setAutoPadding(false);
    }
    return new Uint8Array(this.hpCipher.update(sample));
  }

  /** AEAD open with the nonce for packet number `pn` (RFC 9001 §5.3). */
  open(pn: number, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null {
    return aeadOpen(this.suite.aead, this.key, xorNonce(this.iv, pn, this.nonce), aad, sealed, this.suite.tagLength);
  }
}

/** RFC 9001 §5.1 key, iv and hp from a secret (labels per version: "quic key" or "quicv2 key" ...). */
export function packetKeys(secret: Uint8Array, suite: Tls13Suite, labelPrefix: 'quic' | 'quicv2'): PacketKeys {
  return new PacketKeys(
    suite,
    hkdfExpandLabel(suite.hash, secret, `${labelPrefix} key`, EMPTY, suite.keyLength),
    hkdfExpandLabel(suite.hash, secret, `${labelPrefix} iv`, EMPTY, suite.ivLength),
    // "The header protection key uses the same length as the packet protection key"
    hkdfExpandLabel(suite.hash, secret, `${labelPrefix} hp`, EMPTY, suite.keyLength),
  );
}

export interface InitialSecrets {
  client: Uint8Array;
  server: Uint8Array;
}

/** RFC 9001 §5.2 client and server Initial secrets for a client-chosen DCID. */
export function initialSecrets(params: QuicVersionParams, dcid: Uint8Array): InitialSecrets {
  const initial = hkdfExtract('sha256', params.salt, dcid);
  return {
    client: hkdfExpandLabel('sha256', initial, 'client in', EMPTY, 32),
    server: hkdfExpandLabel('sha256', initial, 'server in', EMPTY, 32),
  };
}

/** TLS_AES_128_GCM_SHA256: the suite of every Initial packet. */
const INITIAL_SUITE = tls13Suite(0x1301)!;

export interface InitialKeys {
  client: PacketKeys;
  server: PacketKeys;
}

export function initialKeys(params: QuicVersionParams, dcid: Uint8Array): InitialKeys {
  const s = initialSecrets(params, dcid);
  return {
    client: packetKeys(s.client, INITIAL_SUITE, params.labelPrefix),
    server: packetKeys(s.server, INITIAL_SUITE, params.labelPrefix),
  };
}

/** A packet whose protection was removed. */
export interface OpenedPacket {
  /** Full packet number (RFC 9000 §A.3 decoded against the largest seen). */
  pn: number;
  /** The first byte with header protection removed. */
  firstByte: number;
  /** The decrypted frames (a view of a fresh buffer). */
  payload: Uint8Array;
}

export type OpenResult = OpenedPacket | 'too_short' | 'decrypt_failed';

/**
 * Removes header protection from a long-header packet and decrypts it.
 * `packet` is the whole packet (header through tag) as a private copy: its header bytes are
 * unmasked in place. `pnOffset` is where the Packet Number field starts. `largestPn` is the
 * largest packet number opened so far in this packet number space (-1 for none).
 */
export function openLongHeaderPacket(packet: Uint8Array, pnOffset: number, keys: PacketKeys, largestPn: number): OpenResult {
  // RFC 9001 §5.4.2: "the sample ... starts at pn_offset + 4"; the packet must hold it.
  const sampleOffset = pnOffset + 4;
  if (packet.length < sampleOffset + HP_SAMPLE_LENGTH) return 'too_short';
  const mask = keys.mask(packet.subarray(sampleOffset, sampleOffset + HP_SAMPLE_LENGTH));
  // §5.4.1: "Long header: 4 bits masked"; "pn_length = (packet[0] & 0x03) + 1".
  const first = packet[0]! ^ (mask[0]! & 0x0f);
  packet[0] = first;
  const pnLength = (first & 0x03) + 1;
  let truncated = 0;
  for (let i = 0; i < pnLength; i++) {
    const b = packet[pnOffset + i]! ^ mask[1 + i]!;
    packet[pnOffset + i] = b;
    truncated = truncated * 256 + b;
  }
  const pn = decodePacketNumber(largestPn, truncated, pnLength * 8);
  const headerEnd = pnOffset + pnLength;
  const plain = keys.open(pn, packet.subarray(0, headerEnd), packet.subarray(headerEnd));
  if (plain === null) return 'decrypt_failed';
  return { pn, firstByte: first, payload: plain };
}

/**
 * RFC 9000 Appendix A.3 DecodePacketNumber: the packet number closest to largest_pn + 1 whose
 * low `pnBits` bits are `truncated`. Arithmetic on doubles (exact below 2^53).
 */
export function decodePacketNumber(largestPn: number, truncated: number, pnBits: number): number {
  const expected = largestPn + 1;
  const win = 2 ** pnBits;
  const hwin = win / 2;
  const candidate = expected - (expected % win) + truncated;
  if (candidate <= expected - hwin && candidate < 2 ** 62 - win) return candidate + win;
  if (candidate > expected + hwin && candidate >= win) return candidate - win;
  return candidate;
}
