/**
 * JA3: the TLS client fingerprint of salesforce/ja3 (BSD-3-Clause), from README.md and
 * python/ja3/ja3.py. A pure function of the ClientHello model.
 *
 * "JA3 gathers the decimal values of the bytes for the following fields in the Client Hello
 *  packet; SSL Version, Accepted Ciphers, List of Extensions, Elliptic Curves, and Elliptic Curve
 *  Formats. It then concatenates those values together in order, using a "," to delimit each field
 *  and a "-" to delimit each value in each field."
 */
import type { ClientHelloModel } from '../model/handshake.js';
import { type HashedFingerprint, withoutGrease } from './common.js';
import { md5Hex } from './hash.js';

/** The five JA3 fields, GREASE removed; `ja3Raw` and the MD5 are two views of these. */
export interface Ja3Parts {
  version: number;
  ciphers: number[];
  extensions: number[];
  curves: number[];
  pointFormats: number[];
}

/** The JA3 fields of a ClientHello, or null for an SSLv2-compatible hello (ja3.py emits none, ja3#29). */
export function ja3Parts(ch: ClientHelloModel): Ja3Parts | null {
  if (ch.sslv2) return null;
  // "JA3 ignores these values completely" (GREASE): ja3.py filters every list (convert_to_ja3_segment).
  return {
    // SSL Version = the hello's client_version (`client_handshake.version`), not the record
    // version and not supported_versions: a TLS 1.3 client gives 771.
    version: ch.version,
    ciphers: withoutGrease(ch.ciphers),
    // Extensions in wire order; padding (21) is kept like every other extension.
    extensions: withoutGrease(ch.extensions.map((e) => e.type)),
    // "Elliptic curve points (16 bit values)": supported_groups, ext 10.
    curves: withoutGrease(ch.supportedGroups),
    // "Elliptic curve point formats (8 bit values)": ext 11.
    pointFormats: withoutGrease(ch.ecPointFormats),
  };
}

/**
 * "SSLVersion,Cipher,SSLExtension,EllipticCurve,EllipticCurvePointFormat".
 * "If there are no SSL Extensions in the Client Hello, the fields are left empty": an empty list
 * is an empty field and the commas stay, so there are always five fields.
 */
export function ja3Raw(p: Ja3Parts): string {
  return [String(p.version), p.ciphers.join('-'), p.extensions.join('-'), p.curves.join('-'), p.pointFormats.join('-')].join(',');
}

/** JA3 raw string and its MD5 ("These strings are then MD5 hashed"), or null for SSLv2 hellos. */
export function ja3(ch: ClientHelloModel): HashedFingerprint | null {
  const parts = ja3Parts(ch);
  if (parts === null) return null;
  const raw = ja3Raw(parts);
  return { raw, hash: md5Hex(raw) };
}
