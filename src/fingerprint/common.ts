/** Small pieces every fingerprint shares: the hashed-fingerprint shape and GREASE filtering. */
import { isGrease } from '../tls/grease.js';

/** A fingerprint in its two views: the raw string and its digest. */
export interface HashedFingerprint {
  raw: string;
  hash: string;
}

/** The list without GREASE values, order kept (GREASE is decided by the one `isGrease`). */
export function withoutGrease(values: readonly number[]): number[] {
  return values.filter((v) => !isGrease(v));
}
