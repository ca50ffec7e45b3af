/**
 * The TLS 1.3 key-schedule primitives that QUIC and the key-log decryption share
 * (RFC 8446 §7.1, RFC 5869), and the AEAD parameters of the TLS 1.3 cipher suites (RFC 8446
 * §B.4). Built on node:crypto only.
 *
 * RFC 8446 §7.1:
 *   HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length)
 *   struct {
 *       uint16 length = Length;
 *       opaque label<7..255> = "tls13 " + Label;
 *       opaque context<0..255> = Context;
 *   } HkdfLabel;
 *
 * Nothing here throws on wire data: suites this module does not know give `null`.
 */
import { createHmac } from 'node:crypto';

export type HashName = 'sha256' | 'sha384';

/** RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM). */
export function hkdfExtract(hash: HashName, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac(hash, salt).update(ikm).digest());
}

/** RFC 5869 §2.3: T(i) = HMAC-Hash(PRK, T(i-1) | info | i), OKM = first L octets of T(1) | T(2) | ... */
export function hkdfExpand(hash: HashName, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let prev = new Uint8Array(0);
  let filled = 0;
  for (let i = 1; filled < length; i++) {
    const h = createHmac(hash, prk);
    h.update(prev);
    h.update(info);
    h.update(Uint8Array.of(i));
    prev = new Uint8Array(h.digest());
    const take = Math.min(prev.length, length - filled);
    out.set(prev.subarray(0, take), filled);
    filled += take;
  }
  return out;
}

const TLS13_PREFIX = 'tls13 ';

/** RFC 8446 §7.1 HKDF-Expand-Label; `label` without the "tls13 " prefix (e.g. "key", "quic hp"). */
export function hkdfExpandLabel(
  hash: HashName,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  const full = TLS13_PREFIX + label;
  const info = new Uint8Array(2 + 1 + full.length + 1 + context.length);
  info[0] = length >> 8;
  info[1] = length & 0xff;
  info[2] = full.length;
  for (let i = 0; i < full.length; i++) info[3 + i] = full.charCodeAt(i);
  info[3 + full.length] = context.length;
  info.set(context, 4 + full.length);
  return hkdfExpand(hash, secret, info, length);
}

/** The AEAD of a TLS 1.3 cipher suite, as node:crypto names it. */
export type AeadName = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305' | 'aes-128-ccm';

export interface Tls13Suite {
  /** IANA value, e.g. 0x1301. */
  suite: number;
  hash: HashName;
  /** Hash.length: the size of the traffic secrets. */
  hashLength: number;
  aead: AeadName;
  keyLength: number;
  /** RFC 8446 §5.3: "iv_length ... max(8 bytes, N_MIN)" = 12 for every suite here. */
  ivLength: number;
  tagLength: number;
}

/**
 * RFC 8446 §B.4 cipher suites:
 *   TLS_AES_128_GCM_SHA256 {0x13,0x01}, TLS_AES_256_GCM_SHA384 {0x13,0x02},
 *   TLS_CHACHA20_POLY1305_SHA256 {0x13,0x03}, TLS_AES_128_CCM_SHA256 {0x13,0x04},
 *   TLS_AES_128_CCM_8_SHA256 {0x13,0x05}.
 */
const SUITES: ReadonlyMap<number, Tls13Suite> = new Map<number, Tls13Suite>([
  [0x1301, { suite: 0x1301, hash: 'sha256', hashLength: 32, aead: 'aes-128-gcm', keyLength: 16, ivLength: 12, tagLength: 16 }],
  [0x1302, { suite: 0x1302, hash: 'sha384', hashLength: 48, aead: 'aes-256-gcm', keyLength: 32, ivLength: 12, tagLength: 16 }],
  [0x1303, { suite: 0x1303, hash: 'sha256', hashLength: 32, aead: 'chacha20-poly1305', keyLength: 32, ivLength: 12, tagLength: 16 }],
  [0x1304, { suite: 0x1304, hash: 'sha256', hashLength: 32, aead: 'aes-128-ccm', keyLength: 16, ivLength: 12, tagLength: 16 }],
  [0x1305, { suite: 0x1305, hash: 'sha256', hashLength: 32, aead: 'aes-128-ccm', keyLength: 16, ivLength: 12, tagLength: 8 }],
]);

/** The TLS 1.3 suite, or null for anything else (TLS 1.2 suites, GREASE, unknown values). */
export function tls13Suite(cipherSuite: number): Tls13Suite | null {
  return SUITES.get(cipherSuite) ?? null;
}

/**
 * RFC 8446 §5.3 per-record nonce: "The 64-bit record sequence number is encoded in network byte
 * order and padded to the left with zeros to iv_length. The padded sequence number is XORed
 * with either the static client_write_iv or server_write_iv". QUIC builds its packet nonce the
 * same way from the packet number (RFC 9001 §5.3). `seq` must be below 2^53.
 */
export function xorNonce(iv: Uint8Array, seq: number, out: Uint8Array = new Uint8Array(iv.length)): Uint8Array {
  out.set(iv);
  let v = seq;
  for (let i = iv.length - 1; i >= iv.length - 8 && v > 0; i--) {
    out[i] = out[i]! ^ (v % 256);
    v = Math.floor(v / 256);
  }
  return out;
}
