/**
 * JA3S: the TLS server fingerprint of salesforce/ja3 (BSD-3-Clause), from README.md and
 * python/ja3s.py. A pure function of the ServerHello model.
 *
 * "JA3S uses the following field order: SSLVersion,Cipher,SSLExtension"
 */
import type { ServerHelloModel } from '../model/handshake.js';
import { type HashedFingerprint, withoutGrease } from './common.js';
import { md5Hex } from './hash.js';

/** The three JA3S fields; `ja3sRaw` and the MD5 are two views of these. */
export interface Ja3sParts {
  version: number;
  cipher: number;
  extensions: number[];
}

/** The JA3S fields of a ServerHello, or null for an SSL 2.0 ServerHello (ja3s.py reads TLS records only). */
export function ja3sParts(sh: ServerHelloModel): Ja3sParts | null {
  if (sh.sslv2) return null;
  return {
    // server_version of the hello body (`server_handshake.version`): TLS 1.3 servers give 771.
    version: sh.version,
    // The one cipher suite the server chose.
    cipher: sh.cipher,
    // Server extensions in wire order; GREASE ignored as in JA3 ("JA3 ignores these values completely").
    extensions: withoutGrease(sh.extensions.map((e) => e.type)),
  };
}

/** "SSLVersion,Cipher,SSLExtension"; with no extensions the last field is empty ("769,57,"). */
export function ja3sRaw(p: Ja3sParts): string {
  return `${p.version},${p.cipher},${p.extensions.join('-')}`;
}

/** JA3S raw string and its MD5, or null for an SSL 2.0 ServerHello. */
export function ja3s(sh: ServerHelloModel): HashedFingerprint | null {
  const parts = ja3sParts(sh);
  if (parts === null) return null;
  const raw = ja3sRaw(parts);
  return { raw, hash: md5Hex(raw) };
}
