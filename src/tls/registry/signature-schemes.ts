/**
 * Signature scheme names (signature_algorithms, signature_algorithms_cert), keyed by their
 * 16-bit code point.
 *
 * Data, not logic: the rows are the IANA "TLS SignatureScheme" registry
 * (https://www.iana.org/assignments/tls-parameters/, file tls-signaturescheme.csv), every named
 * value as IANA spells it. TLS 1.2 sent (HashAlgorithm, SignatureAlgorithm) byte pairs in the
 * same field (RFC 5246 §7.4.1.4.1); the registry reserves those code points "for backward
 * compatibility" without naming them, so `signatureSchemeName()` names a pair from the two
 * TLS 1.2 registries below (e.g. 0x0402 → "dsa_sha256") before falling back to hex.
 */

import { hex16 } from './hex.js';

export const SIGNATURE_SCHEMES: ReadonlyMap<number, string> = new Map<number, string>([
  [0x0201, 'rsa_pkcs1_sha1'],
  [0x0203, 'ecdsa_sha1'],
  [0x0401, 'rsa_pkcs1_sha256'],
  [0x0403, 'ecdsa_secp256r1_sha256'],
  [0x0420, 'rsa_pkcs1_sha256_legacy'],
  [0x0501, 'rsa_pkcs1_sha384'],
  [0x0503, 'ecdsa_secp384r1_sha384'],
  [0x0520, 'rsa_pkcs1_sha384_legacy'],
  [0x0601, 'rsa_pkcs1_sha512'],
  [0x0603, 'ecdsa_secp521r1_sha512'],
  [0x0620, 'rsa_pkcs1_sha512_legacy'],
  [0x0704, 'eccsi_sha256'],
  [0x0705, 'iso_ibs1'],
  [0x0706, 'iso_ibs2'],
  [0x0707, 'iso_chinese_ibs'],
  [0x0708, 'sm2sig_sm3'],
  [0x0709, 'gostr34102012_256a'],
  [0x070a, 'gostr34102012_256b'],
  [0x070b, 'gostr34102012_256c'],
  [0x070c, 'gostr34102012_256d'],
  [0x070d, 'gostr34102012_512a'],
  [0x070e, 'gostr34102012_512b'],
  [0x070f, 'gostr34102012_512c'],
  [0x0804, 'rsa_pss_rsae_sha256'],
  [0x0805, 'rsa_pss_rsae_sha384'],
  [0x0806, 'rsa_pss_rsae_sha512'],
  [0x0807, 'ed25519'],
  [0x0808, 'ed448'],
  [0x0809, 'rsa_pss_pss_sha256'],
  [0x080a, 'rsa_pss_pss_sha384'],
  [0x080b, 'rsa_pss_pss_sha512'],
  [0x081a, 'ecdsa_brainpoolP256r1tls13_sha256'],
  [0x081b, 'ecdsa_brainpoolP384r1tls13_sha384'],
  [0x081c, 'ecdsa_brainpoolP512r1tls13_sha512'],
  [0x0904, 'mldsa44'],
  [0x0905, 'mldsa65'],
  [0x0906, 'mldsa87'],
]);

/** TLS 1.2 HashAlgorithm registry (tls-parameters-18), the high byte of a legacy pair. */
export const TLS12_HASH_ALGORITHMS: ReadonlyMap<number, string> = new Map<number, string>([
  [0, 'none'],
  [1, 'md5'],
  [2, 'sha1'],
  [3, 'sha224'],
  [4, 'sha256'],
  [5, 'sha384'],
  [6, 'sha512'],
  [8, 'intrinsic'],
]);

/** TLS 1.2 SignatureAlgorithm registry (tls-parameters-16), the low byte of a legacy pair. */
export const TLS12_SIGNATURE_ALGORITHMS: ReadonlyMap<number, string> = new Map<number, string>([
  [0, 'anonymous'],
  [1, 'rsa'],
  [2, 'dsa'],
  [3, 'ecdsa'],
  [7, 'ed25519'],
  [8, 'ed448'],
  [64, 'gostr34102012_256'],
  [65, 'gostr34102012_512'],
]);

/**
 * The IANA name of a signature scheme; else, for a TLS 1.2 (hash, signature) pair with a known
 * hash in 0..6, "<signature>_<hash>"; else `0x%04x`.
 */
export function signatureSchemeName(v: number): string {
  const name = SIGNATURE_SCHEMES.get(v);
  if (name !== undefined) return name;
  const hash = v >> 8;
  if (hash <= 6) {
    const h = TLS12_HASH_ALGORITHMS.get(hash);
    const s = TLS12_SIGNATURE_ALGORITHMS.get(v & 0xff);
    if (h !== undefined && s !== undefined) return `${s}_${h}`;
  }
  return hex16(v);
}
