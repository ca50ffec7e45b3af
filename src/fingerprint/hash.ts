/**
 * Digest helpers shared by the fingerprints (node:crypto; strings are hashed as UTF-8, which for
 * fingerprint strings — digits, hex, `,` `-` `_` — is the same as ASCII).
 */
import { hash } from 'node:crypto';

// crypto.hash() is a one-shot digest: about 2.5x faster than createHash() for short strings.

/** MD5 as 32 lowercase hex characters (JA3, JA3S: "These strings are then MD5 hashed"). */
export function md5Hex(s: string): string {
  return hash('md5', s, 'hex');
}

/**
 * SHA-256 as 64 lowercase hex characters ("All sha256 functions must output in lower case"); also
 * the certificates' and session ids' digest.
 */
export function sha256Hex(s: string | Uint8Array): string {
  return hash('sha256', s, 'hex');
}

/** The first 12 hex characters of SHA-256 (JA4: "sha256 hash ..., truncated to 12 characters"). */
export function hash12(s: string): string {
  return sha256Hex(s).slice(0, 12);
}
